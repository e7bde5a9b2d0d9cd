"""The emails of a request, rendered in the recipient's language and put in the outbox."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from inquiries.models import Notification, NotificationKind
from outbox.models import OutboundEmail
from outbox.services import email_queue


def _texts(notification: Notification) -> tuple[str, str]:
    """Subject and opening line per kind (called with the recipient's language active)."""
    inquiry = notification.inquiry
    ref = inquiry.reference
    due = date_format(inquiry.answer_due, "DATE_FORMAT")
    return {
        NotificationKind.RECEIPT: (
            _("We have received your request %(ref)s") % {"ref": ref},
            _(
                "Thank you for your request. The secretariat of ATMP Danmark will answer it by "
                "%(due)s at the latest. You can follow it and reply on the request's page."
            )
            % {"due": due},
        ),
        NotificationKind.REPLY: (
            _("New reply to your request %(ref)s") % {"ref": ref},
            _("The secretariat of ATMP Danmark has replied to your request."),
        ),
        NotificationKind.MORE_INFORMATION: (
            _("We need more information: %(ref)s") % {"ref": ref},
            _(
                "The secretariat needs more information to answer your request. Please reply on the "
                "request's page. The time we take to answer is paused until you reply."
            ),
        ),
        NotificationKind.ANSWERED: (
            _("Your request %(ref)s has been answered") % {"ref": ref},
            _("The secretariat of ATMP Danmark has answered your request."),
        ),
        NotificationKind.CLOSED: (
            _("Your request %(ref)s has been closed") % {"ref": ref},
            _(
                "Your request has been closed. If you have a new question, you are welcome to send "
                "a new request."
            ),
        ),
        NotificationKind.NEW_REQUEST: (
            _("New request %(ref)s") % {"ref": ref},
            _("A new request has arrived. It is in the queue of the administration."),
        ),
        NotificationKind.WITHDRAWN: (
            _("Withdrawn by the applicant: %(ref)s") % {"ref": ref},
            _("The applicant has withdrawn the request. No answer is needed."),
        ),
        NotificationKind.APPLICANT_REPLIED: (
            _("The applicant replied: %(ref)s") % {"ref": ref},
            _("The applicant has written in the request's thread."),
        ),
    }[NotificationKind(notification.kind)]


def notification_queue(notification: Notification) -> OutboundEmail:
    """Render the email now, in the recipient's language, and put it in the outbox.

    Called inside the transaction that makes the notification: the email commits with the
    change that caused it, and reads what the request said at that moment.
    """
    inquiry = notification.inquiry
    if notification.to_secretariat:
        # The shared mailbox gets a notice and a link, not the applicant's text: personal
        # data stays behind the administration's login and two-factor authentication.
        language, to = settings.LANGUAGE_CODE, [str(settings.REQUESTS_NOTIFY_EMAIL)]
        link = settings.SITE_URL + reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])
        body = ""
    else:
        language, to = inquiry.applicant.preferred_language or "da", [inquiry.applicant.email]
        link = settings.SITE_URL + reverse("inquiries:detail", args=[inquiry.reference])
        message = notification.message
        body = message.body if message is not None and message.is_public else ""
    with translation.override(language):
        subject, intro = _texts(notification)
        context = {
            "inquiry": inquiry,
            "recipient": None if notification.to_secretariat else inquiry.applicant,
            "intro": intro,
            "body": body,
            "link": link,
            "subject": subject,
            "for_secretariat": notification.to_secretariat,
        }
        text = render_to_string("inquiries/email/notice.txt", context)
        html = render_to_string("inquiries/email/notice.html", context)
    return email_queue(
        key=f"inquiries:{notification.key}",
        to=to,
        subject=f"[ATMP Danmark] {subject}",
        text=text,
        html=html,
        language=language,
        headers={"X-ATMP-Reference": inquiry.reference, "Auto-Submitted": "auto-generated"},
    )
