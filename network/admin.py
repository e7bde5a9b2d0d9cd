"""The secretariat keeps the directory: entries, their capabilities, and the taxonomy itself.

Every save goes through ``network.services`` with the acting user, so the history is complete.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.admin_helpers import BoundedTabularInline
from audit.admin import RecordedAdmin
from inquiries.models import DevelopmentStage, Inquiry, ReferralOutcome
from network import selectors, services
from network.links import answer_url, confirm_url
from network.models import (
    SERVED_ATMP_CLASSES,
    Capability,
    ChangeStatus,
    Entry,
    EntryChange,
    EntryReferral,
    EntryType,
    InterestProfile,
    Invitation,
    Region,
    Round,
)
from network.selectors import overdue_cutoff
from pages.admin_a11y import labelled_changelist_form
from pages.templatetags.portal import lang_attr


def _activity_table(*, caption, headings, rows, shown: int, total: int):
    """A read-only table of an entry's page (its rounds, its referrals), with how many are left out."""
    more = (
        format_html(
            "<p>{}</p>",
            _("The latest %(shown)d of %(total)d are shown.") % {"shown": shown, "total": total},
        )
        if total > shown
        else ""
    )
    return format_html(
        '<table class="entry-activity"><caption>{}</caption>'
        "<thead><tr>{}</tr></thead><tbody>{}</tbody></table>{}",
        caption,
        format_html_join("", '<th scope="col">{}</th>', ((h,) for h in headings)),
        format_html("".join(["{}"] * len(rows)), *rows),
        more,
    )


class ConfirmationFilter(admin.SimpleListFilter):
    title = _("confirmation")
    parameter_name = "confirmation"

    def lookups(self, request, model_admin):
        return [("overdue", _("Not confirmed in time")), ("never", _("Never confirmed"))]

    def queryset(self, request, queryset):
        cutoff = overdue_cutoff()
        if self.value() == "overdue":
            return queryset.filter(
                Q(last_confirmed__lt=cutoff) | Q(last_confirmed__isnull=True, created_at__date__lt=cutoff)
            )
        if self.value() == "never":
            return queryset.filter(last_confirmed__isnull=True)
        return queryset


class EntryAdminForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    atmp_classes = forms.MultipleChoiceField(
        label=_("ATMP classes served"),
        choices=SERVED_ATMP_CLASSES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stages = forms.MultipleChoiceField(
        label=_("Development stages served"),
        choices=DevelopmentStage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Entry
        fields = [
            "name",
            "name_language",
            "slug",
            "entry_type",
            "region",
            "parent",
            "description_da",
            "description_en",
            "capabilities",
            "contact_email",
            "contact_language",
            "website",
            "is_published",
        ]
        widgets = {"capabilities": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Left empty, it is made from the name.")
        if "capabilities" in self.fields:
            self.fields["capabilities"].queryset = Capability.objects.filter(
                Q(is_active=True) | Q(entries=self.instance.pk or 0)
            ).distinct()
        if self.instance.pk:
            self.fields["atmp_classes"].initial = list(
                self.instance.atmp_class_rows.values_list("atmp_class", flat=True)
            )
            self.fields["stages"].initial = list(self.instance.stage_rows.values_list("stage", flat=True))

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or ""
        if slug and not self.instance.pk and Entry.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another entry has this address already."))
        return slug

    def validate_unique(self):
        # A new entry's address is made unique by the service; an existing one's is not edited.
        exclude = self._get_validation_exclusions()
        exclude.add("slug")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as e:
            self._update_errors(e)

    def _post_clean(self):
        if not self.cleaned_data.get("slug") and not self.instance.pk:
            self.instance.slug = "pending"  # replaced by the service before the row is written
        super()._post_clean()


class InterestInline(BoundedTabularInline):
    model = InterestProfile
    extra = 0
    fields = ["capability", "atmp_class", "stage"]
    verbose_name_plural = _("standing interests (a round proposes these first)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("capability")


@admin.register(Entry)
class EntryAdmin(RecordedAdmin):
    form = EntryAdminForm
    list_display = ["shown_name", "entry_type", "region", "is_published", "confirmation", "capability_count"]
    list_filter = [ConfirmationFilter, "region", "entry_type", "is_published", "capabilities"]
    search_fields = ["name", "slug", "contact_email"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = [
        "last_confirmed",
        "public_page",
        "pending_change",
        "personal_link",
        "rounds_and_answers",
        "referrals_and_outcomes",
    ]
    inlines = [InterestInline]
    list_per_page = 50
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "name_language",
                    "slug",
                    "entry_type",
                    "region",
                    "parent",
                    "is_published",
                    "public_page",
                ]
            },
        ),
        (_("Description"), {"fields": ["description_da", "description_en"]}),
        (_("What it offers"), {"fields": ["capabilities", "atmp_classes", "stages"]}),
        (
            _("Contact"),
            {
                "fields": [
                    "contact_email",
                    "contact_language",
                    "website",
                    "last_confirmed",
                    "pending_change",
                    "personal_link",
                ]
            },
        ),
        (_("Feasibility rounds and referrals"), {"fields": ["rounds_and_answers", "referrals_and_outcomes"]}),
    ]
    actions = ["rotate_links"]
    # Keys of the entry's record that are not its fields.
    history_labels = {
        "interest": _("standing interest"),
        "how": _("how"),
        "proposed": _("proposed"),
        "inquiry": _("request"),
        "note": _("what was passed on"),
        "sites": _("sites asked"),
        "on": _("date"),
    }

    def history_entries(self, obj):
        return selectors.entry_history(obj.pk)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is not None else fieldsets[:-1]  # a new entry has no rounds yet

    @admin.display(description=_("name"), ordering="name")
    def shown_name(self, obj):
        return format_html("<span{}>{}</span>", lang_attr(obj.shown_name), obj.name)

    @admin.display(description=_("rounds and answers"))
    def rounds_and_answers(self, obj):
        if not obj.pk:
            return "–"
        invitations, total = selectors.entry_invitations(obj)
        if not invitations:
            return _("Not asked in a feasibility round yet.")
        rows = [
            format_html(
                '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
                reverse("admin:network_round_change", args=[i.round_id]),
                i.round.inquiry.reference,
                date_format(timezone.localtime(i.invited_at), "SHORT_DATE_FORMAT"),
                (i.get_answer_display() + (f" ({_('late')})" if i.is_late else ""))
                if i.answer
                else _("No answer"),
                _("Yes") if i.consent_to_share else _("No"),
                date_format(timezone.localtime(i.released_at), "SHORT_DATE_FORMAT") if i.released_at else "–",
            )
            for i in invitations
        ]
        return _activity_table(
            caption=_("Rounds this entry was asked in, latest first"),
            headings=[_("Request"), _("Invited"), _("Answer"), _("May be shared"), _("Released")],
            rows=rows,
            shown=len(invitations),
            total=total,
        )

    @admin.display(description=_("referrals and outcomes"))
    def referrals_and_outcomes(self, obj):
        if not obj.pk:
            return "–"
        links, total = selectors.entry_referrals(obj)
        add = format_html(
            '<p><a href="{}?entry={}">{}</a></p>',
            reverse("admin:network_entryreferral_add"),
            obj.pk,
            _("Refer a request to this entry"),
        )
        if not links:
            return format_html("<p>{}</p>{}", _("No request has been referred to this entry yet."), add)
        rows = [
            format_html(
                '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>',
                reverse("admin:network_entryreferral_change", args=[link.pk]),
                link.referral.inquiry.reference,
                date_format(timezone.localtime(link.referral.referred_at), "SHORT_DATE_FORMAT"),
                link.referral.get_outcome_display(),
                link.referral.outcome_note or "–",
            )
            for link in links
        ]
        table = _activity_table(
            caption=_("Requests referred to this entry, latest first"),
            headings=[_("Request"), _("Referred"), _("Outcome"), _("What came of it")],
            rows=rows,
            shown=len(links),
            total=total,
        )
        return format_html("{}{}", table, add)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_capabilities=Count("capabilities"))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("slug")  # the public address: links out there point at it
        return fields

    @admin.display(description=_("capabilities"), ordering="n_capabilities")
    def capability_count(self, obj):
        return obj.n_capabilities

    @admin.display(description=_("confirmation"), ordering="last_confirmed")
    def confirmation(self, obj):
        since = obj.confirmation_overdue_since()
        if since is not None:
            return format_html(
                '<span class="confirmation-overdue">{}</span>',
                _("Not confirmed since %(date)s") % {"date": date_format(since, "SHORT_DATE_FORMAT")},
            )
        if obj.last_confirmed is None:
            return _("Not yet")
        return date_format(obj.last_confirmed, "SHORT_DATE_FORMAT")

    @admin.display(description=_("correction waiting"))
    def pending_change(self, obj):
        change = obj.changes.filter(status=ChangeStatus.PENDING).first() if obj.pk else None
        if change is None:
            return "–"
        url = reverse("admin:network_entrychange_change", args=[change.pk])
        return format_html('<a href="{}">{}</a>', url, _("Review the correction the contact sent"))

    @admin.display(description=_("personal link"))
    def personal_link(self, obj):
        """Until the yearly email goes out by itself, the secretariat can send this link by hand."""
        if not obj.pk:
            return "–"
        return format_html(
            '<input type="text" readonly value="{}" class="vLargeTextField" aria-label="{}">'
            '<div class="help">{}</div>',
            confirm_url(obj),
            _("personal link"),
            _(
                "Opens the confirm-or-correct form for this entry only, without an account. It works "
                "once, for %(days)d days; the action “Make earlier links unusable” stops every link sent."
            )
            % {"days": settings.NETWORK_CONFIRM_LINK_DAYS},
        )

    @admin.action(description=_("Make earlier links unusable"), permissions=["change"])
    def rotate_links(self, request, queryset):
        for entry in queryset:
            services.entry_links_rotate(entry=entry, actor=request.user)
        self.message_user(request, _("Earlier links no longer work."), messages.SUCCESS)

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        if obj is None or not obj.pk:
            return "–"
        url = reverse("network:entry", args=[obj.slug])
        return format_html('<a href="{}">{}</a>', url, url)

    @staticmethod
    def _service_arguments(form) -> dict:
        data = form.cleaned_data
        return {
            **{name: data[name] for name in services.ENTRY_FIELDS if name in data},
            "capabilities": data.get("capabilities", []),
            "atmp_classes": data.get("atmp_classes", []),
            "stages": data.get("stages", []),
        }

    def create_through_service(self, request, obj, form):
        return services.entry_create(
            actor=request.user, slug=form.cleaned_data.get("slug") or "", **self._service_arguments(form)
        )

    def change_through_service(self, request, obj, form):
        entry = services.entry_update(entry=obj, actor=request.user, **self._service_arguments(form))
        obj.refresh_from_db()
        return entry

    def save_related(self, request, form, formsets, change):
        """The service has set the taxonomies; interests go through their services; history is read-only."""
        for formset in formsets:
            # The admin's change message reads these.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if formset.model is not InterestProfile:
                continue
            for inline_form in formset.forms:
                if not inline_form.has_changed() and not formset._should_delete_form(inline_form):
                    continue
                interest = inline_form.instance
                if formset._should_delete_form(inline_form):
                    if interest.pk:
                        services.interest_delete(actor=request.user, interest=interest)
                    continue
                interest.entry = form.instance
                services.interest_save(actor=request.user, interest=interest)


@admin.register(Capability)
class CapabilityAdmin(RecordedAdmin):
    list_display = ["name_da", "name_en", "code", "position", "is_active", "entry_count"]
    list_editable = ["position"]

    def get_changelist_form(self, request, **kwargs):
        return labelled_changelist_form(super().get_changelist_form(request, **kwargs))

    list_filter = ["is_active"]
    search_fields = ["name_da", "name_en", "code"]
    ordering = ["position", "name_en"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_entries=Count("entries"))

    @admin.display(description=_("entries"), ordering="n_entries")
    def entry_count(self, obj):
        return obj.n_entries

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # retired (inactive), never deleted: entries and profiles refer to capabilities

    def create_through_service(self, request, obj, form):
        return services.capability_save(actor=request.user, capability=obj)

    def change_through_service(self, request, obj, form):
        services.capability_save(actor=request.user, capability=obj)


# The proposal's keys that are not the entry's own fields (its taxonomies are rows of their own).
_PROPOSAL_LABELS = {
    "atmp_classes": _("ATMP classes served"),
    "stages": _("Development stages served"),
}


def _proposal_label(key: str) -> str:
    """A proposed correction's key as the entry's form names it, never the raw field name."""
    if key in _PROPOSAL_LABELS:
        return str(_PROPOSAL_LABELS[key])
    try:
        return str(capfirst(Entry._meta.get_field(key).verbose_name))  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return key


def _proposal_values(capability_codes: list[str]):
    """How a value of a proposal reads: choices by their labels, capabilities by their names."""
    names = {c.code: c.name for c in Capability.objects.filter(code__in=capability_codes)}
    labels = {
        "entry_type": dict(EntryType.choices),
        "region": dict(Region.choices),
        "atmp_classes": dict(SERVED_ATMP_CLASSES),
        "stages": dict(DevelopmentStage.choices),
        "capabilities": names,
    }

    def shown(key: str, value) -> str:
        choices = labels.get(key, {})
        if isinstance(value, list):
            return ", ".join(str(choices.get(v, v)) for v in value) or "–"
        return str(choices.get(value, value)) if value not in (None, "") else "–"

    return shown


@admin.register(EntryChange)
class EntryChangeAdmin(RecordedAdmin):
    """Corrections from contacts: compared field by field, approved or rejected through services."""

    list_display = ["entry", "status", "submitted_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["entry", "decided_by"]
    search_fields = ["entry__name"]
    fields = [
        "entry",
        "status",
        "submitted_at",
        "note",
        "comparison",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    readonly_fields = fields
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False  # contacts send corrections through their links

    def has_change_permission(self, request, obj=None):
        return False  # the page is the record; a decision is an action (approve, reject)

    def has_decide_permission(self, request):
        return request.user.has_perm("network.change_entrychange")

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("what changes"))
    def comparison(self, obj):
        current = services.entry_as_proposal(obj.entry)
        shown = _proposal_values(
            list(current.get("capabilities", [])) + list(obj.proposed.get("capabilities", []))
        )
        rows = [
            format_html(
                '<tr{}><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
                format_html(' class="{}"', "change-differs") if current.get(key) != value else "",
                _proposal_label(key),
                shown(key, current.get(key)),
                shown(key, value),
            )
            for key, value in obj.proposed.items()
        ]
        return format_html(
            "<table><thead><tr><th></th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("now"),
            _("proposed"),
            format_html("".join(["{}"] * len(rows)), *rows),
        )

    def _decide(self, request, queryset, decide, done):
        count = 0
        for change in queryset.select_related("entry"):
            try:
                decide(change)
                count += 1
            except ValidationError as exc:
                self.message_user(request, f"{change}: {' '.join(exc.messages)}", messages.WARNING)
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Approve and publish the selected corrections"), permissions=["decide"])
    def approve(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda change: services.entry_change_approve(change=change, actor=request.user),
            _("%(count)d corrections approved and published."),
        )

    @admin.action(description=_("Reject the selected corrections"), permissions=["decide"])
    def reject(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda change: services.entry_change_reject(change=change, actor=request.user),
            _("%(count)d corrections rejected."),
        )


# --- Feasibility rounds ----------------------------------------------------------------------------


class RoundCriteriaForm(forms.Form):
    """Step one of a round: the request, the synopsis and the criteria the matches follow."""

    reference = forms.CharField(
        label=_("Request"), max_length=20, help_text=_("The request's reference, e.g. ATMP-2026-0042.")
    )
    synopsis = forms.CharField(
        label=_("Synopsis sent to the sites"),
        widget=forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField"}),
        required=False,
        help_text=_(
            "Written from the part of the request the applicant allowed us to share. The confidential part "
            "of the request is never sent: do not copy from it."
        ),
    )
    atmp_class = forms.ChoiceField(
        label=_("ATMP class"), choices=[("", "—"), *SERVED_ATMP_CLASSES], required=False
    )
    stage = forms.ChoiceField(
        label=_("Development stage"), choices=[("", "—"), *DevelopmentStage.choices], required=False
    )
    capabilities = forms.ModelMultipleChoiceField(
        label=_("Capabilities sought"),
        queryset=Capability.objects.filter(is_active=True).order_by("position", "name_en"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions (none: all)"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        inquiry = Inquiry.objects.filter(reference=reference).first()
        if inquiry is None:
            raise forms.ValidationError(_("No request has this reference."))
        self.inquiry = inquiry
        return reference


class InvitationInline(BoundedTabularInline):
    """The collated answers, side by side."""

    model = Invitation
    extra = 0
    can_delete = False
    fields = [
        "entry",
        "reason",
        "answer",
        "capacity",
        "time_frame",
        "contact_person",
        "comments",
        "consent_to_share",
        "answered_at",
        "is_late",
        "released_at",
        "link",
    ]
    readonly_fields = fields
    verbose_name_plural = _("sites asked, and their answers")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entry")

    @admin.display(description=_("personal link"))
    def link(self, obj):
        return format_html(
            '<input type="text" readonly value="{}" aria-label="{}">', answer_url(obj), _("personal link")
        )


@admin.register(Round)
class RoundAdmin(RecordedAdmin):
    list_display = ["inquiry", "status", "deadline", "started_at", "invited", "answered"]
    list_filter = ["status"]
    list_select_related = ["inquiry"]
    search_fields = ["inquiry__reference"]
    fields = ["inquiry", "status", "synopsis", "atmp_class", "stage", "regions", "deadline", "started_by"]
    readonly_fields = fields
    inlines = [InvitationInline]
    actions = ["release_answers"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_invited=Count("invitations"),
                n_answered=Count("invitations", filter=~Q(invitations__answer="")),
            )
        )

    @admin.display(description=_("sites asked"), ordering="n_invited")
    def invited(self, obj):
        return obj.n_invited

    @admin.display(description=_("answered"), ordering="n_answered")
    def answered(self, obj):
        return obj.n_answered

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a round is a record once started; it changes through its actions and beat

    def has_release_permission(self, request):
        return request.user.has_perm("network.change_round")

    def get_urls(self):
        from django.urls import path

        return [
            path("start/", self.admin_site.admin_view(self.start_view), name="network_round_start"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect(
            reverse("admin:network_round_start") + (f"?{request.GET.urlencode()}" if request.GET else "")
        )

    def start_view(self, request):
        """Step one: criteria (GET shows the proposed sites and why); step two: POST starts the round."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else (request.GET or None)
        form = RoundCriteriaForm(data)
        matches, inquiry = [], None
        if form.is_bound and form.is_valid():
            inquiry = form.inquiry
            if not form.cleaned_data["synopsis"] and request.method == "GET":
                form = RoundCriteriaForm(
                    {**request.GET.dict(), "synopsis": inquiry.shareable_summary}
                    | {k: request.GET.getlist(k) for k in ("capabilities", "regions")}
                )
                form.is_valid()
            matches = selectors.round_matches(
                capability_ids=[c.pk for c in form.cleaned_data["capabilities"]],
                atmp_class=form.cleaned_data["atmp_class"],
                stage=form.cleaned_data["stage"],
                regions=form.cleaned_data["regions"],
            )
            if request.method == "POST":
                chosen = {int(pk) for pk in request.POST.getlist("entries") if pk.isdigit()}
                picked = [m for m in matches if m.entry.pk in chosen]
                try:
                    feasibility = services.round_start(
                        inquiry=inquiry,
                        actor=request.user,
                        synopsis=form.cleaned_data["synopsis"],
                        entries=[m.entry for m in picked],
                        reasons={m.entry.pk: m.reason for m in picked},
                        atmp_class=form.cleaned_data["atmp_class"],
                        stage=form.cleaned_data["stage"],
                        capabilities=form.cleaned_data["capabilities"],
                        regions=form.cleaned_data["regions"],
                    )
                except ValidationError as exc:
                    form.add_error(None, exc.messages)
                else:
                    self.message_user(
                        request,
                        _("The round has started: %(count)d sites asked, answers due %(date)s.")
                        % {
                            "count": len(picked),
                            "date": date_format(feasibility.deadline, "DATE_FORMAT"),
                        },
                        messages.SUCCESS,
                    )
                    return redirect("admin:network_round_change", feasibility.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Start a feasibility round"),
            "opts": self.model._meta,
            "form": form,
            "inquiry": inquiry,
            "matches": matches,
            "working_days": settings.NETWORK_ROUND_WORKING_DAYS,
        }
        return TemplateResponse(request, "admin/network/round_start.html", context)

    @admin.action(description=_("Release the consenting answers to the applicant"), permissions=["release"])
    def release_answers(self, request, queryset):
        for feasibility in queryset:
            try:
                count = services.round_release(round=feasibility, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{feasibility}: {' '.join(exc.messages)}", messages.WARNING)
            else:
                self.message_user(
                    request,
                    _("%(round)s: %(count)d answers released.") % {"round": feasibility, "count": count},
                    messages.SUCCESS,
                )


# --- Referrals to directory entries ------------------------------------------------------------------


class EntryReferralAddForm(forms.ModelForm):
    """Refer a request to an entry: the request's reference, the entry, what is passed on."""

    reference = forms.CharField(
        label=_("Request"), max_length=20, help_text=_("The request's reference, e.g. ATMP-2026-0042.")
    )
    note = forms.CharField(
        label=_("What is shared with the site"),
        widget=forms.Textarea(attrs={"rows": 5, "class": "vLargeTextField"}),
        required=False,
        max_length=5_000,
        help_text=_(
            "What you pass on to the site about the request. The applicant sees this text on their request "
            "page, with the entry's name and contact. Never copy from the confidential part of the request."
        ),
    )

    class Meta:
        model = EntryReferral
        fields = ["reference", "entry", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = Entry.objects.filter(is_published=True)
        self.fields["entry"].help_text = _("A published entry of the directory.")

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        self.inquiry = Inquiry.objects.filter(reference=reference).first()
        if self.inquiry is None:
            raise forms.ValidationError(_("No request has this reference."))
        return reference


class EntryReferralChangeForm(forms.ModelForm):
    """What came of a referral: its outcome, recorded through the services."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReferralOutcome.choices)
    outcome_note = forms.CharField(
        label=_("What came of it"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"}),
        required=False,
        max_length=5_000,
        help_text=_("For the secretariat only; the applicant does not see it."),
    )

    class Meta:
        model = EntryReferral
        fields = ["outcome", "outcome_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["outcome"].initial = self.instance.referral.outcome
            self.fields["outcome_note"].initial = self.instance.referral.outcome_note


class ReferralOutcomeFilter(admin.SimpleListFilter):
    title = _("outcome")
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return ReferralOutcome.choices

    def queryset(self, request, queryset):
        if self.value() in ReferralOutcome.values:
            return queryset.filter(referral__outcome=self.value())
        return queryset


@admin.register(EntryReferral)
class EntryReferralAdmin(RecordedAdmin):
    """Requests referred to directory entries: made here, outcomes recorded here; each is also a
    referral of the request (its page and history show it)."""

    list_display = ["request_reference", "entry", "referred_at", "outcome"]
    list_filter = [ReferralOutcomeFilter]
    list_select_related = ["referral__inquiry", "entry"]
    search_fields = ["referral__inquiry__reference", "entry__name"]
    autocomplete_fields = ["entry"]
    list_per_page = 50
    history_labels = {
        "inquiry": _("request"),
        "note": _("what was passed on"),
        "outcome": _("outcome"),
        "outcome_note": _("what came of it"),
    }

    def has_delete_permission(self, request, obj=None):
        return False  # a referral happened; its outcome says what came of it

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = EntryReferralChangeForm if obj is not None else EntryReferralAddForm
        kwargs["fields"] = list(kwargs["form"].Meta.fields)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["reference", "entry", "note"]})]
        return [
            (None, {"fields": ["request_link", "entry_link", "referred_at", "shared"]}),
            (_("Outcome"), {"fields": ["outcome", "outcome_note"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return ["request_link", "entry_link", "referred_at", "shared"] if obj is not None else []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "entry" in request.GET and not request.GET["entry"].isdigit():
            initial.pop("entry", None)
        return initial

    @admin.display(description=_("request"), ordering="referral__inquiry__reference")
    def request_reference(self, obj):
        return obj.referral.inquiry.reference

    @admin.display(description=_("request"))
    def request_link(self, obj):
        inquiry = obj.referral.inquiry
        url = reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])
        return format_html('<a href="{}">{}</a> {}', url, inquiry.reference, inquiry.subject)

    @admin.display(description=_("directory entry"))
    def entry_link(self, obj):
        url = reverse("admin:network_entry_change", args=[obj.entry_id])
        return format_html('<a href="{}"{}>{}</a>', url, lang_attr(obj.entry.shown_name), obj.entry.name)

    @admin.display(description=_("referred"), ordering="referral__referred_at")
    def referred_at(self, obj):
        return date_format(timezone.localtime(obj.referral.referred_at), "DATETIME_FORMAT")

    @admin.display(description=_("what was passed on (the applicant sees it)"))
    def shared(self, obj):
        return obj.referral.note or "–"

    @admin.display(description=_("outcome"), ordering="referral__outcome")
    def outcome(self, obj):
        return obj.referral.get_outcome_display()

    def create_through_service(self, request, obj, form):
        return services.entry_refer(
            inquiry=form.inquiry,
            entry=form.cleaned_data["entry"],
            actor=request.user,
            note=form.cleaned_data.get("note", ""),
        )

    def change_through_service(self, request, obj, form):
        services.entry_referral_record_outcome(
            link=obj,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            outcome_note=form.cleaned_data.get("outcome_note", ""),
        )
