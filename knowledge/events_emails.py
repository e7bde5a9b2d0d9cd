"""The events' emails, rendered in the participant's language and written to the one outbox.

Each has a key that names it for good, so a retried request, a double click or two overlapping
scans never send a second copy: one confirmation, one waiting-list notice, one "you have moved
up", one reminder per registration. Every email carries the personal cancel link, so the bodies
are ``sensitive`` (blanked once sent).
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from knowledge.events_calendar import event_ics, event_url
from knowledge.events_links import cancel_url, confirm_url
from knowledge.models import EventFormat, Registration
from outbox.models import OutboundEmail
from outbox.services import email_queue


def _minute() -> str:
    # Emails a visitor can ask for again (a new confirmation link) are keyed by the minute: a
    # double click is one email, and nobody can make the portal send one address a flood.
    return timezone.now().strftime("%Y%m%d%H%M")


def _queue(
    registration: Registration, *, key: str, template: str, with_ics: bool = False, **extra
) -> OutboundEmail:
    event = registration.event
    language = registration.language
    with translation.override(language):
        title, _lang = event.text("title", language)
        context = {
            "registration": registration,
            "event": event,
            "title": title,
            "event_url": event_url(event),
            "cancel_url": cancel_url(registration),
            "online": event.format != EventFormat.PHYSICAL,
            "in_person": event.format != EventFormat.ONLINE,
            "contact_email": settings.CONTACT_EMAIL,
            **extra,
        }
        subject = " ".join(
            render_to_string(f"knowledge/events/email/{template}_subject.txt", context).split()
        )
        text = render_to_string(f"knowledge/events/email/{template}.txt", context)
        attachments = []
        if with_ics:
            attachments.append(
                (
                    "event.ics",
                    event_ics(event, language, for_participant=True),
                    "text/calendar; charset=utf-8; method="
                    + ("CANCEL" if template == "called_off" else "PUBLISH"),
                )
            )
    return email_queue(
        key=key,
        to=[registration.email],
        subject=subject,
        text=text,
        attachments=attachments,
        language=language,
        headers={"Auto-Submitted": "auto-generated"},
        sensitive=True,
    )


def confirm_link_email_queue(registration: Registration) -> OutboundEmail:
    return _queue(
        registration,
        key=f"knowledge:event-confirm-link:{registration.pk}:{_minute()}",
        template="confirm_link",
        confirm_url=confirm_url(registration),
        hours=settings.EVENT_CONFIRM_LINK_HOURS,
    )


def already_registered_email_queue(registration: Registration) -> OutboundEmail:
    return _queue(
        registration, key=f"knowledge:event-already:{registration.pk}:{_minute()}", template="already"
    )


def registered_email_queue(registration: Registration) -> OutboundEmail:
    return _queue(
        registration,
        key=f"knowledge:event-registered:{registration.pk}",
        template="registered",
        with_ics=True,
    )


def waiting_email_queue(registration: Registration) -> OutboundEmail:
    return _queue(registration, key=f"knowledge:event-waiting:{registration.pk}", template="waiting")


def promoted_email_queue(registration: Registration) -> OutboundEmail:
    return _queue(
        registration, key=f"knowledge:event-promoted:{registration.pk}", template="promoted", with_ics=True
    )


def cancelled_email_queue(registration: Registration) -> OutboundEmail:
    return _queue(registration, key=f"knowledge:event-cancelled:{registration.pk}", template="cancelled")


def reminder_email_queue(registration: Registration) -> OutboundEmail:
    return _queue(
        registration, key=f"knowledge:event-reminder:{registration.pk}", template="reminder", with_ics=True
    )


def called_off_email_queue(registration: Registration) -> OutboundEmail:
    return _queue(
        registration,
        key=f"knowledge:event-called-off:{registration.pk}",
        template="called_off",
        with_ics=True,
    )
