"""The network's emails, rendered in the contact's language and written to the one outbox.

Each has a key that names it for good, so a retried scan or a double click never sends a second
copy: one invitation per site and round, at most one reminder, one confirmation request per entry
and year. The personal links in them are secrets (``sensitive``: the body is blanked once sent).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from network.links import answer_url, confirm_url
from network.models import Entry, Invitation
from outbox.models import OutboundEmail
from outbox.services import email_queue


def _queue(*, key: str, to: str, language: str, template: str, context: dict) -> OutboundEmail:
    with translation.override(language):
        context = {**context, "contact_email": settings.CONTACT_EMAIL}
        subject = " ".join(render_to_string(f"network/email/{template}_subject.txt", context).split())
        text = render_to_string(f"network/email/{template}.txt", context)
    return email_queue(
        key=key,
        to=[to],
        subject=subject,
        text=text,
        language=language,
        headers={"Auto-Submitted": "auto-generated"},
        sensitive=True,
    )


def invitation_email_queue(invitation: Invitation) -> OutboundEmail:
    return _queue(
        key=f"network:invitation:{invitation.pk}",
        to=invitation.email,
        language=invitation.language,
        template="invitation",
        context={"invitation": invitation, "round": invitation.round, "url": answer_url(invitation)},
    )


def reminder_email_queue(invitation: Invitation) -> OutboundEmail:
    return _queue(
        key=f"network:reminder:{invitation.pk}",
        to=invitation.email,
        language=invitation.language,
        template="reminder",
        context={"invitation": invitation, "round": invitation.round, "url": answer_url(invitation)},
    )


def confirmation_email_queue(entry: Entry, *, on: datetime.date) -> OutboundEmail:
    return _queue(
        key=f"network:confirm:{entry.pk}:{on.isoformat()}",
        to=entry.contact_email,
        language=entry.contact_language,
        template="confirm",
        context={"entry": entry, "url": confirm_url(entry), "days": settings.NETWORK_CONFIRM_LINK_DAYS},
    )
