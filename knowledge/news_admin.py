"""The secretariat's news and newsletter: write and publish news; compose, preview and send an issue.

Every save goes through ``knowledge.news_services`` with the acting user. An issue is sent from
its own confirmation page (how many get it, in which language), and its page then shows the
send's progress: delivered, failed (the outbox tries again; "Try the selected failed emails
again" in Outbound emails puts a failed one back), waiting, and not yet queued.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.admin import RecordedAdmin
from knowledge import news_services, newsletter
from knowledge.models import (
    IssueStatus,
    NewsItem,
    NewsletterIssue,
    NewsStatus,
    Subscriber,
    SubscriberStatus,
)
from knowledge.rendering import render_markdown
from knowledge.templatetags.knowledge import localized
from outbox.models import EmailStatus

NEWS_MOVES = {
    NewsStatus.DRAFT: (NewsStatus.PUBLISHED,),
    NewsStatus.PUBLISHED: (NewsStatus.WITHDRAWN,),
    NewsStatus.WITHDRAWN: (NewsStatus.PUBLISHED,),
}


class NewsItemForm(forms.ModelForm):
    new_status = forms.ChoiceField(label=_("Change status to"), required=False)

    class Meta:
        model = NewsItem
        fields = ["title_da", "title_en", "slug", "summary_da", "summary_en", "body_da", "body_en"]
        widgets = {
            "body_da": forms.Textarea(attrs={"rows": 16, "cols": 100}),
            "body_en": forms.Textarea(attrs={"rows": 16, "cols": 100}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Made from the Danish title when left empty. Part of the news item's address."
        )
        status = NewsStatus(self.instance.status)
        keep = _("Keep “%(status)s”") % {"status": status.label}
        cast(forms.ChoiceField, self.fields["new_status"]).choices = [
            ("", keep),
            *[(move.value, move.label) for move in NEWS_MOVES[status]],
        ]


@admin.register(NewsItem)
class NewsItemAdmin(RecordedAdmin):
    form = NewsItemForm
    list_display = ["title_da", "status", "published_at", "has_english", "author"]
    list_filter = ["status"]
    search_fields = ["title_da", "title_en", "summary_da", "summary_en", "slug"]
    list_select_related = ["author"]
    date_hierarchy = "published_at"
    readonly_fields = ["status", "published_at", "updated_at", "author", "preview_link"]
    fieldsets = [
        (None, {"fields": ["title_da", "title_en", "slug", "summary_da", "summary_en"]}),
        (_("Text (Markdown)"), {"fields": ["body_da", "body_en", "preview_link"]}),
        (_("Publication"), {"fields": ["status", "new_status", "published_at", "updated_at", "author"]}),
    ]

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="knowledge_newsitem_preview",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("English"), boolean=True)
    def has_english(self, item):
        return bool(item.title_en)

    @admin.display(description=_("preview"))
    def preview_link(self, item):
        if not item.pk:
            return _("Save the news item to preview it.")
        return format_html(
            '<a href="{}" target="_blank">{}</a>',
            reverse("admin:knowledge_newsitem_preview", args=[item.pk]),
            _("Preview the page as saved (both languages)"),
        )

    def preview_view(self, request, pk: int):
        item = self.get_object(request, str(pk))
        if item is None or not self.has_view_permission(request, item):
            return TemplateResponse(request, "404.html", status=404)
        body = localized(item, "body")
        return TemplateResponse(
            request,
            "knowledge/news/detail.html",
            {"item": item, "body": body, "body_html": render_markdown(body.text), "preview": True},
        )

    def _fields(self, form) -> dict:
        fields = {name: form.cleaned_data.get(name) or "" for name in news_services.NEWS_FIELDS}
        return fields

    def create_through_service(self, request, obj, form):
        return news_services.news_create(actor=request.user, **self._fields(form))

    def change_through_service(self, request, obj, form):
        changed = set(form.changed_data) & set(news_services.NEWS_FIELDS)
        if changed:
            news_services.news_update(
                item=obj, actor=request.user, **{name: self._fields(form)[name] for name in changed}
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        target = form.cleaned_data.get("new_status")
        if not target:
            return
        item = form.instance
        try:
            if target == NewsStatus.PUBLISHED:
                news_services.news_publish(item=item, actor=request.user)
            elif target == NewsStatus.WITHDRAWN:
                news_services.news_withdraw(item=item, actor=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            item.refresh_from_db()
            self.message_user(
                request,
                _("“%(title)s” is now “%(status)s”.")
                % {"title": item.title_da, "status": item.get_status_display()},
                messages.SUCCESS,
            )


# --- Issues ---------------------------------------------------------------------------------------


class IssueForm(forms.ModelForm):
    class Meta:
        model = NewsletterIssue
        fields = ["subject_da", "subject_en", "intro_da", "intro_en", "news"]
        widgets = {
            "intro_da": forms.Textarea(attrs={"rows": 10, "cols": 100}),
            "intro_en": forms.Textarea(attrs={"rows": 10, "cols": 100}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "news" not in self.fields:  # a sent issue: read-only
            return
        news = cast(forms.ModelMultipleChoiceField, self.fields["news"])
        news.queryset = NewsItem.objects.published().order_by("-published_at")
        news.help_text = _(
            "Left empty on a new issue: the news published since the last issue is chosen for you."
        )


def progress_counts(queryset):
    """The issues with their deliveries counted by the outbox's state: one query for the page."""
    return queryset.annotate(
        delivered=Count("deliveries", filter=Q(deliveries__email__status=EmailStatus.SENT)),
        failed=Count("deliveries", filter=Q(deliveries__email__status=EmailStatus.FAILED)),
        queued=Count("deliveries"),
    )


def progress_text(issue) -> str:
    if issue.status == IssueStatus.DRAFT:
        return "–"
    waiting = issue.queued - issue.delivered - issue.failed
    remaining = max(issue.recipient_count - issue.queued, 0)
    return str(
        _("%(sent)d sent, %(failed)d failed, %(remaining)d remaining")
        % {"sent": issue.delivered, "failed": issue.failed, "remaining": waiting + remaining}
    )


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(RecordedAdmin):
    form = IssueForm
    list_display = ["subject_da", "status", "started_at", "recipient_count", "progress"]
    list_filter = ["status"]
    search_fields = ["subject_da", "subject_en"]
    filter_horizontal = ["news"]
    readonly_fields = [
        "status",
        "send_links",
        "progress",
        "recipient_count",
        "started_at",
        "queued_at",
        "sent_by",
    ]
    fieldsets = [
        (None, {"fields": ["subject_da", "subject_en", "intro_da", "intro_en", "news"]}),
        (
            _("Sending"),
            {
                "fields": [
                    "status",
                    "send_links",
                    "progress",
                    "recipient_count",
                    "started_at",
                    "queued_at",
                    "sent_by",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return progress_counts(super().get_queryset(request).select_related("sent_by"))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != IssueStatus.DRAFT:
            return [*self.readonly_fields, "subject_da", "subject_en", "intro_da", "intro_en", "news"]
        return self.readonly_fields

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="knowledge_newsletterissue_preview",
            ),
            path(
                "<int:pk>/send/",
                self.admin_site.admin_view(self.send_view),
                name="knowledge_newsletterissue_send",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("progress"))
    def progress(self, issue):
        if not issue.pk:
            return "–"
        if not hasattr(issue, "queued"):
            issue = self.get_queryset_for(issue.pk)
        return progress_text(issue)

    def get_queryset_for(self, pk):
        return progress_counts(NewsletterIssue.objects.filter(pk=pk)).get()

    @admin.display(description=_("preview and send"))
    def send_links(self, issue):
        if not issue.pk:
            return _("Save the issue to preview and send it.")
        links = [
            (reverse("admin:knowledge_newsletterissue_preview", args=[issue.pk]), _("Preview the email"))
        ]
        send_url = reverse("admin:knowledge_newsletterissue_send", args=[issue.pk])
        if issue.status == IssueStatus.DRAFT:
            links.append((send_url, _("Send the issue…")))
        elif issue.status == IssueStatus.SENDING:
            links.append((send_url, _("Resume sending…")))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def _issue(self, request, pk: int) -> NewsletterIssue:
        issue = get_object_or_404(NewsletterIssue, pk=pk)
        if not self.has_view_permission(request, issue):
            raise PermissionDenied
        return issue

    def preview_view(self, request, pk: int):
        """Both languages' text as a subscriber gets it (the HTML copy says the same)."""
        issue = self._issue(request, pk)
        content = newsletter.IssueContent.of(issue)
        sample = Subscriber(email="subscriber@example.org", token="preview")
        previews = []
        for language, label in (("da", _("Danish")), ("en", _("English"))):
            sample.language = language
            previews.append({"label": label, "lang": language, **newsletter.issue_render(content, sample)})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview: %(subject)s") % {"subject": issue.subject_da},
            "opts": self.opts,
            "original": issue,
            "previews": previews,
        }
        return TemplateResponse(request, "admin/knowledge/newsletterissue/preview.html", context)

    def send_view(self, request, pk: int):
        issue = self._issue(request, pk)
        if not self.has_change_permission(request, issue):
            raise PermissionDenied
        change_url = reverse("admin:knowledge_newsletterissue_change", args=[issue.pk])
        if request.method == "POST" and issue.status == IssueStatus.SENDING:
            return self.resume_view(request, issue)
        if request.method == "POST":
            try:
                news_services.issue_send(issue=issue, actor=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("The issue is being sent. This page shows how far it has got; reload it to follow."),
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(change_url)
        confirmed = Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED)
        by_language = dict(confirmed.values_list("language").annotate(n=Count("pk")).order_by())
        context = {
            **self.admin_site.each_context(request),
            "title": _("Send “%(subject)s”?") % {"subject": issue.subject_da},
            "opts": self.opts,
            "original": issue,
            "danish": by_language.get("da", 0),
            "english": by_language.get("en", 0),
            "total": sum(by_language.values()),
            "news_count": issue.news.count(),
            "change_url": change_url,
            "already_sent": issue.status == IssueStatus.SENT,
            "sending": issue.status == IssueStatus.SENDING,
        }
        return TemplateResponse(request, "admin/knowledge/newsletterissue/send.html", context)

    def resume_view(self, request, issue: NewsletterIssue):
        try:
            news_services.issue_resume(issue=issue, actor=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, _("Sending goes on where it stopped."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:knowledge_newsletterissue_change", args=[issue.pk]))

    def create_through_service(self, request, obj, form):
        data = form.cleaned_data
        news = list(data.get("news") or []) or None
        return news_services.issue_create(
            actor=request.user,
            news=news,
            **{name: data.get(name) or "" for name in news_services.ISSUE_FIELDS},
        )

    def change_through_service(self, request, obj, form):
        data = form.cleaned_data
        news_services.issue_update(
            issue=obj,
            actor=request.user,
            news=list(data.get("news") or []),
            **{name: data.get(name) or "" for name in news_services.ISSUE_FIELDS},
        )

    def save_related(self, request, form, formsets, change):
        # The news are set by the service (issue_create picks the defaults); nothing more to save.
        for formset in formsets:
            self.save_formset(request, form, formset, change)


# --- Subscribers ------------------------------------------------------------------------------------


@admin.register(Subscriber)
class SubscriberAdmin(RecordedAdmin):
    list_display = ["email", "language_display", "status", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    fields = ("email", "language", "status", "user", "created_at", "confirmed_at", "unsubscribed_at")
    # The language is what a reader may ask the secretariat to change; the rest is theirs to do.
    readonly_fields = ("email", "status", "user", "created_at", "confirmed_at", "unsubscribed_at")
    actions = ["unsubscribe_selected"]
    show_full_result_count = False

    @admin.display(description=_("language"), ordering="language")
    def language_display(self, subscriber):
        # "Dansk" / "English", each in its own language: marked so a screen reader says it right.
        return format_html(
            '<span lang="{}">{}</span>', subscriber.language, subscriber.get_language_display()
        )

    def has_add_permission(self, request):
        # Only the address's owner puts it on the list (double opt-in).
        return False

    def change_through_service(self, request, obj, form):
        if "language" in form.changed_data:
            news_services.subscriber_set_language(subscriber=obj, actor=request.user, language=obj.language)

    @admin.action(description=_("Unsubscribe the selected addresses"), permissions=["change"])
    def unsubscribe_selected(self, request, queryset):
        done = 0
        for subscriber in queryset.exclude(status=SubscriberStatus.UNSUBSCRIBED):
            news_services.subscriber_unsubscribe(subscriber=subscriber, actor=request.user, how="secretariat")
            done += 1
        message = ngettext("%(count)d address unsubscribed.", "%(count)d addresses unsubscribed.", done)
        self.message_user(request, message % {"count": done}, messages.SUCCESS)
