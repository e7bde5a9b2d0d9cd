"""Meeting notices: one scan on beat, one task per notice that claims before it sends."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from governance import services
from governance.calendar import meeting_ics, meeting_url
from governance.models import MeetingNotice, NoticeKind

logger = logging.getLogger(__name__)

MAX_RETRIES = 8


@shared_task
def scan_meeting_notices() -> int:
    """Queue every notice that is due. Beat runs this every few minutes; it is safe to overlap."""
    ids = services.notices_due()
    for notice_id in ids:
        send_meeting_notice.delay(notice_id)
    return len(ids)


class NoticeNotSent(Exception):
    """The relay refused; the notice is pending again and will be retried."""


def deliver_notice(notice_id: int, *, final: bool = False) -> str:
    """Claim, send and mark one notice: "sent", "skipped" (someone else has or had it), or raise
    NoticeNotSent after putting the notice back (or marking it failed when ``final``)."""
    if not services.notice_claim(notice_id=notice_id):
        return "skipped"
    notice = MeetingNotice.objects.select_related("meeting__body", "membership__user").get(pk=notice_id)
    message = build_notice_email(notice)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        services.notice_release(notice_id=notice_id, error=f"{exc.__class__.__name__}: {exc}", final=final)
        raise NoticeNotSent(str(exc)) from exc
    services.notice_sent(notice_id=notice_id)
    return "sent"


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_meeting_notice(self, notice_id: int) -> str:
    """Send one notice once. A refused send releases the claim and is retried with backoff;
    a second task for the same notice finds nothing to claim."""
    final = self.request.retries >= MAX_RETRIES
    try:
        return deliver_notice(notice_id, final=final)
    except NoticeNotSent as exc:
        if final:
            logger.error("meeting notice %s failed for good", notice_id)
            return "failed"
        raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 1800)) from exc


def build_notice_email(notice: MeetingNotice) -> EmailMultiAlternatives:
    meeting = notice.meeting
    membership = notice.membership
    with translation.override(membership.language):
        context = {
            "notice": notice,
            "kind": notice.kind,
            "meeting": meeting,
            "membership": membership,
            "agenda_items": list(meeting.agenda_items.all()),
            "starts": timezone.localtime(meeting.starts_at),
            "ends": timezone.localtime(meeting.ends_at),
            "meeting_url": meeting_url(meeting),
            "documents_count": meeting.documents.count() if meeting.documents_published_at else 0,
            "contact_email": settings.CONTACT_EMAIL,
        }
        subject = " ".join(render_to_string("governance/email/notice_subject.txt", context).split())
        body = render_to_string("governance/email/notice.txt", context)
        html = render_to_string("governance/email/notice.html", context)
        ics = meeting_ics(meeting)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[membership.contact_email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    method = "CANCEL" if notice.kind == NoticeKind.CANCELLED else "PUBLISH"
    message.attach("meeting.ics", ics, f"text/calendar; charset=utf-8; method={method}")
    return message
