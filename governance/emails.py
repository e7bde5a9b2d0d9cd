"""Meeting notices as emails: rendered in the member's language, with the .ics, into the outbox."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from governance.calendar import meeting_ics, meeting_url
from governance.models import MeetingNotice, NoticeKind
from outbox.models import OutboundEmail
from outbox.services import email_queue


def notice_email_queue(notice: MeetingNotice) -> OutboundEmail:
    """Render one notice now and write it to the outbox (key: one email per notice)."""
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
        text = render_to_string("governance/email/notice.txt", context)
        html = render_to_string("governance/email/notice.html", context)
        ics = meeting_ics(meeting)
    method = "CANCEL" if notice.kind == NoticeKind.CANCELLED else "PUBLISH"
    return email_queue(
        key=f"governance:notice:{notice.pk}",
        to=[membership.contact_email],
        subject=subject,
        text=text,
        html=html,
        language=membership.language,
        headers={"Auto-Submitted": "auto-generated"},
        attachments=[("meeting.ics", ics, f"text/calendar; charset=utf-8; method={method}")],
    )
