"""Personal links for a registration: confirm (double opt-in, expiring) and cancel.

A link carries the registration's id and what it is for, signed with the secret key and a salt of
its own, so it can be neither guessed nor edited to open someone else's registration. The confirm
link expires after ``EVENT_CONFIRM_LINK_HOURS``; the cancel link works until the event starts
(cancelling after that changes nothing anyone needs).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from knowledge.models import Registration

CONFIRM_SALT = "knowledge.event-registration-confirm"
CANCEL_SALT = "knowledge.event-registration-cancel"


class LinkProblem(Exception):
    """Why a link cannot be used; ``status`` is the HTTP answer, ``message`` what the page says."""

    MESSAGES = {
        "invalid": _(
            "This link is not valid. Check that you copied the whole address from the email, or "
            "register again on the event's page."
        ),
        "expired": _(
            "This confirmation link has expired. Register again on the event's page: we will send you a "
            "new link."
        ),
    }
    STATUS = {"invalid": 400, "expired": 410}

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
        self.status = self.STATUS[reason]
        self.message = self.MESSAGES[reason]


def _token(registration: Registration, salt: str) -> str:
    return signing.dumps({"r": registration.pk}, salt=salt)


def confirm_url(registration: Registration) -> str:
    """The absolute address for an email (a worker has no request to build it from)."""
    return settings.SITE_URL + reverse("events:confirm", args=[_token(registration, CONFIRM_SALT)])


def cancel_url(registration: Registration) -> str:
    return settings.SITE_URL + reverse("events:cancel", args=[_token(registration, CANCEL_SALT)])


def _registration(token: str, *, salt: str, max_age: datetime.timedelta | None) -> Registration:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkProblem("expired") from None
    except signing.BadSignature:
        raise LinkProblem("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        raise LinkProblem("invalid")
    registration = Registration.objects.select_related("event").filter(pk=data["r"]).first()
    if registration is None:  # erased on request, or by the retention rule
        raise LinkProblem("invalid")
    return registration


def registration_for_confirm_token(token: str) -> Registration:
    return _registration(
        token, salt=CONFIRM_SALT, max_age=datetime.timedelta(hours=settings.EVENT_CONFIRM_LINK_HOURS)
    )


def registration_for_cancel_token(token: str) -> Registration:
    return _registration(token, salt=CANCEL_SALT, max_age=None)
