from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import FormView, ListView

from accounts.models import User
from inquiries import selectors, services
from inquiries.directory import directory_referrals_for
from inquiries.feasibility import released_answers_for
from inquiries.forms import InquiryForm, ReplyForm
from inquiries.guidance import related_guidance
from inquiries.models import APPLICANT_FIELDS, AtmpClass, Status, Topic


class InquiryCreateView(LoginRequiredMixin, FormView):
    """The form: one service call makes the request, its reference, clock and emails."""

    form_class = InquiryForm
    template_name = "inquiries/inquiry_form.html"

    # Fields another page may fill in through the query string (the regulatory checklist's
    # "ask ATMP Danmark about this"): the applicant sees them and changes what they like.
    PREFILL = ("topic", "atmp_class", "development_stage", "subject", "question")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        form_fields = InquiryForm.base_fields
        for name in self.PREFILL:
            value = self.request.GET.get(name, "")
            field = form_fields[name]
            choices = getattr(field, "choices", None)
            if choices is not None:
                if value in {str(key) for key, _label in choices if key}:
                    initial[name] = value
            elif value:
                max_length = getattr(field, "max_length", None) or 10_000
                initial[name] = value[:max_length]
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        # What the form holds now (sent back with errors, or filled in from the checklist).
        source = form.data if form.is_bound else form.initial
        topic, atmp_class = source.get("topic", "") or "", source.get("atmp_class", "") or ""
        context["suggestions"] = _suggestions(topic, atmp_class)
        # What the page was rendered for, so the script asks again only when the choice changes.
        context["suggestions_asked"] = urlencode({"topic": topic, "atmp_class": atmp_class})
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        inquiry = services.inquiry_submit(
            actor=cast(User, self.request.user),  # LoginRequiredMixin: never anonymous here
            **{field: data[field] for field in APPLICANT_FIELDS},
            files=data["attachments"],
            submission_key=data.get("submission_key"),
        )
        messages.success(
            self.request,
            _("Thank you. Your request has the reference %(ref)s. We will answer by %(due)s at the latest.")
            % {"ref": inquiry.reference, "due": date_format(inquiry.answer_due, "DATE_FORMAT")},
            # The receipt page tells the browser to delete the draft of this form (request-draft.js).
            extra_tags="draft-sent",
        )
        return redirect("inquiries:detail", reference=inquiry.reference)


class InquiryListView(LoginRequiredMixin, ListView):
    template_name = "inquiries/inquiry_list.html"
    context_object_name = "inquiries"
    paginate_by = 25

    def get_queryset(self):
        return selectors.my_inquiries(self.request.user)


def _language() -> str:
    return (get_language() or "da")[:2]


def _suggestions(topic: str, atmp_class: str) -> list:
    topics = {str(value) for value in Topic.values}
    classes = {str(value) for value in AtmpClass.values}
    return related_guidance(
        topic=topic if topic in topics else "",
        atmp_class=atmp_class if atmp_class in classes else "",
        language=_language(),
        limit=SUGGESTIONS,
    )


SUGGESTIONS = 3


@login_required
@require_GET
def guidance_suggestions(request):
    """The form's "perhaps this answers your question", as the applicant picks topic and class (JSON)."""
    links = _suggestions(request.GET.get("topic", ""), request.GET.get("atmp_class", ""))
    return JsonResponse(
        {
            "items": [
                {
                    "title": link.title,
                    "summary": link.summary,
                    "url": link.url,
                    "kind": link.kind,
                    "lang": link.lang,
                }
                for link in links
            ]
        }
    )


def _detail_context(request, inquiry, reply_form=None):
    own = inquiry.applicant_id == request.user.pk
    return {
        "inquiry": inquiry,
        "thread": selectors.public_thread(inquiry),
        "history": selectors.public_history(inquiry),
        "first_attachments": [
            a for a in inquiry.attachments.all() if a.message_id is None and not a.is_internal
        ],
        "is_owner": own,
        "may_reply": own and inquiry.status in services.APPLICANT_MAY_REPLY,
        "may_withdraw": own and inquiry.status in services.WITHDRAWABLE,
        "reply_form": reply_form or ReplyForm(),
        # Feasibility answers that sites agreed to share, once the secretariat released them.
        "released_answers": released_answers_for(inquiry),
        # Directory entries the secretariat referred the request to, with what was passed on.
        "directory_referrals": directory_referrals_for(inquiry),
        # Library items that match the request's topic, class and stage (knowledge's provider).
        "related_guidance": related_guidance(
            topic=inquiry.topic,
            atmp_class=inquiry.atmp_class,
            stage=inquiry.development_stage,
            language=_language(),
        ),
        "Status": Status,
    }


@login_required
def inquiry_detail(request, reference):
    inquiry = selectors.inquiry_for_user(request.user, reference)
    return render(request, "inquiries/inquiry_detail.html", _detail_context(request, inquiry))


@login_required
@require_POST
def inquiry_reply(request, reference):
    inquiry = selectors.inquiry_for_user(request.user, reference)
    if inquiry.applicant_id != request.user.pk:
        raise Http404("Only the applicant replies here")
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.inquiry_reply_by_applicant(
                inquiry=inquiry,
                actor=request.user,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your reply has been sent to the secretariat."))
            return redirect("inquiries:detail", reference=inquiry.reference)
    response = render(request, "inquiries/inquiry_detail.html", _detail_context(request, inquiry, form))
    response.status_code = 400
    return response


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_withdraw(request, reference):
    """GET asks "are you sure?" (withdrawing cannot be undone); POST from that page withdraws."""
    inquiry = selectors.inquiry_for_user(request.user, reference)
    if inquiry.applicant_id != request.user.pk:
        raise Http404("Only the applicant withdraws")
    if request.method == "GET":
        if inquiry.status not in services.WITHDRAWABLE:
            return redirect("inquiries:detail", reference=inquiry.reference)
        return render(request, "inquiries/inquiry_withdraw.html", {"inquiry": inquiry})
    try:
        services.inquiry_withdraw(inquiry=inquiry, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your request has been withdrawn."))
    return redirect("inquiries:detail", reference=inquiry.reference)


@login_required
def attachment_download(request, reference, uuid):
    attachment = selectors.attachment_for_user(request.user, reference, uuid)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser open it anyway, nothing in it may run.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'none'"
    return response
