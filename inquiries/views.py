from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView

from inquiries import selectors, services
from inquiries.forms import ReplyForm, RequestForm
from inquiries.models import Status


class RequestCreateView(LoginRequiredMixin, FormView):
    """The form: one service call makes the request, its reference, clock and emails."""

    form_class = RequestForm
    template_name = "inquiries/request_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        request = services.request_submit(
            applicant=self.request.user,
            data=form.cleaned_data,
            files=form.cleaned_data["attachments"],
        )
        messages.success(
            self.request,
            _("Thank you. Your request has the reference %(ref)s. We will answer by %(due)s at the latest.")
            % {"ref": request.reference, "due": date_format(request.answer_due, "DATE_FORMAT")},
        )
        return redirect("inquiries:detail", reference=request.reference)


class RequestListView(LoginRequiredMixin, ListView):
    template_name = "inquiries/request_list.html"
    context_object_name = "requests"
    paginate_by = 25

    def get_queryset(self):
        return selectors.my_requests(self.request.user)


def _detail_context(request, obj, reply_form=None):
    own = obj.applicant_id == request.user.pk
    return {
        "obj": obj,
        "thread": selectors.public_thread(obj),
        "history": selectors.public_history(obj),
        "first_attachments": [a for a in obj.attachments.all() if a.message_id is None and not a.is_internal],
        "is_owner": own,
        "may_reply": own and obj.status in services.APPLICANT_MAY_REPLY,
        "may_withdraw": own and obj.status in services.WITHDRAWABLE,
        "reply_form": reply_form or ReplyForm(),
        "Status": Status,
    }


@login_required
def request_detail(request, reference):
    obj = selectors.request_for_user(request.user, reference)
    return render(request, "inquiries/request_detail.html", _detail_context(request, obj))


@login_required
@require_POST
def request_reply(request, reference):
    obj = selectors.request_for_user(request.user, reference)
    if obj.applicant_id != request.user.pk:
        raise Http404("Only the applicant replies here")
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.request_reply_by_applicant(
                request=obj,
                applicant=request.user,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your reply has been sent to the secretariat."))
            return redirect("inquiries:detail", reference=obj.reference)
    response = render(request, "inquiries/request_detail.html", _detail_context(request, obj, form))
    response.status_code = 400
    return response


@login_required
@require_POST
def request_withdraw(request, reference):
    obj = selectors.request_for_user(request.user, reference)
    if obj.applicant_id != request.user.pk:
        raise Http404("Only the applicant withdraws")
    try:
        services.request_withdraw(request=obj, applicant=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your request has been withdrawn."))
    return redirect("inquiries:detail", reference=obj.reference)


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
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
