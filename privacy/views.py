"""The person's own pages: "My data" and "Delete my account" (docs/privacy.md)."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from downloads.models import Download, DownloadStatus
from outbox.services import email_queue
from privacy import services
from privacy.forms import DeleteAccountForm


@login_required
def my_data(request):
    subject = services.subject_for_user(request.user)
    summary = services.personal_data_summary(subject)
    recent = Download.objects.filter(owner=request.user, kind=services.EXPORT_KIND).order_by("-created_at")[
        :3
    ]
    return render(
        request,
        "privacy/my_data.html",
        {
            "held": [(s, n) for s, n in summary if n],
            "not_held": [s for s, n in summary if not n],
            "recent": recent,
        },
    )


@login_required
@require_POST
def export_request(request):
    """Queue the ZIP (or show the one already being made: a double click makes one file)."""
    pending = Download.objects.filter(
        owner=request.user, kind=services.EXPORT_KIND, status=DownloadStatus.PENDING
    ).first()
    if pending is not None:
        return redirect("downloads:status", uuid=pending.uuid)
    download = services.personal_data_export_request(
        actor=request.user, subject=services.subject_for_user(request.user)
    )
    return redirect("downloads:status", uuid=download.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    user = request.user
    subject = services.subject_for_user(user)
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        address, language, name = (
            user.email,
            user.preferred_language or settings.LANGUAGE_CODE,
            user.get_full_name(),
        )
        handling = services.personal_data_erase(actor=user, subject=subject, self_service=True)
        _confirm(handling_id=handling.pk, address=address, language=language, name=name)
        logout(request)
        return redirect("privacy:deleted")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "privacy/delete.html",
        {
            "form": form,
            "first": services.before_delete_lines(subject),
            "held": [(s, n) for s, n in services.personal_data_summary(subject) if n],
        },
        status=status,
    )


def _confirm(*, handling_id: int, address: str, language: str, name: str) -> None:
    with translation.override(language):
        subject = _("Your account at ATMP Danmark has been deleted")
        context = {"name": name, "subject": subject, "contact": settings.CONTACT_EMAIL}
        text = render_to_string("privacy/email/deleted.txt", context)
        html = render_to_string("privacy/email/deleted.html", context)
    email_queue(
        key=f"privacy:erased:{handling_id}",
        to=[address],
        subject=f"[ATMP Danmark] {subject}",
        text=text,
        html=html,
        language=language,
        headers={"Auto-Submitted": "auto-generated"},
        sensitive=True,  # the body names the person: blanked once sent
    )


def deleted(request):
    return render(request, "privacy/deleted.html")
