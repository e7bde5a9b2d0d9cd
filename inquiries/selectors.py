"""Reads shared by the pages: always scoped to the person who asks."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.roles import is_secretariat
from inquiries.models import PUBLIC_MESSAGE_KINDS, Attachment, Event, Inquiry, Message


def inquiries_for_user(user) -> QuerySet[Inquiry]:
    """The requests ``user`` may open: their own; the secretariat may open all of them.

    A steering-group member sees aggregates on the dashboard, never someone's request.
    """
    if not (user.is_authenticated and user.is_active):
        return Inquiry.objects.none()
    if is_secretariat(user):
        return Inquiry.objects.all()
    return Inquiry.objects.filter(applicant=user)


def my_inquiries(user) -> QuerySet[Inquiry]:
    """The "My requests" list: the person's own, whoever they are."""
    return Inquiry.objects.filter(applicant=user).only(
        "reference", "subject", "status", "submitted_at", "answer_due", "topic", "applicant_id"
    )


def inquiry_for_user(user, reference: str) -> Inquiry:
    """Look up *and* check in one place: anything the user may not open is a 404."""
    try:
        return inquiries_for_user(user).select_related("applicant", "assignee").get(reference=reference)
    except Inquiry.DoesNotExist:
        raise Http404("No such request") from None


def public_thread(inquiry: Inquiry) -> list[Message]:
    """The thread as the applicant sees it: no internal notes, no internal attachments."""
    return list(
        inquiry.messages.filter(kind__in=PUBLIC_MESSAGE_KINDS)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.filter(is_internal=False)))
    )


def public_history(inquiry: Inquiry) -> list[Event]:
    return list(inquiry.events.filter(is_public=True))


def attachment_for_user(user, reference: str, uuid) -> Attachment:
    inquiry = inquiry_for_user(user, reference)
    attachments = inquiry.attachments.all()
    if not is_secretariat(user):
        attachments = attachments.filter(is_internal=False)
    try:
        return attachments.get(uuid=uuid)
    except Attachment.DoesNotExist:
        raise Http404("No such attachment") from None
