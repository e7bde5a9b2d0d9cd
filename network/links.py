"""Personal links for a directory entry's contact: signed, expiring, and bound to the entry.

A link carries the entry's id and its ``link_version``, signed with the secret key and a salt of
its own, with a timestamp checked against a maximum age. Nothing in it can be guessed or edited:
a link for one entry never opens another, and every answer the contact sends (or a rotation by
the secretariat) bumps ``link_version``, so a used or superseded link stops working.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network.models import Entry

CONFIRM_SALT = "network.entry-confirm"


class LinkProblem(Exception):
    """Why a link cannot be used; ``status`` is the HTTP answer, ``message`` what the page says."""

    MESSAGES = {
        "invalid": _(
            "This link is not valid. Check that you copied the whole address from the email, or ask "
            "the secretariat for a new one."
        ),
        "expired": _("This link has expired. Ask the secretariat for a new one."),
        "used": _(
            "This link has already been used, or a newer one has been sent. Use the newest email "
            "from us, or ask the secretariat for a new link."
        ),
    }
    STATUS = {"invalid": 400, "expired": 410, "used": 410}

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
        self.status = self.STATUS[reason]
        self.message = self.MESSAGES[reason]


def confirm_token(entry: Entry) -> str:
    return signing.dumps({"e": entry.pk, "v": entry.link_version}, salt=CONFIRM_SALT)


def confirm_url(entry: Entry) -> str:
    """The absolute address for an email (workers have no request to build it from)."""
    return settings.SITE_URL + reverse("network:confirm", args=[confirm_token(entry)])


def entry_for_confirm_token(token: str) -> Entry:
    """The entry a link is for, or LinkProblem: tampered, expired, or used / superseded."""
    max_age = datetime.timedelta(days=settings.NETWORK_CONFIRM_LINK_DAYS)
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkProblem("expired") from None
    except signing.BadSignature:
        raise LinkProblem("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("e"), int) or not isinstance(data.get("v"), int):
        raise LinkProblem("invalid")
    entry = Entry.objects.select_related("parent").filter(pk=data["e"]).first()
    if entry is None:
        raise LinkProblem("invalid")
    if entry.link_version != data["v"]:
        raise LinkProblem("used")
    return entry


ANSWER_SALT = "network.round-answer"


def answer_token(invitation) -> str:
    return signing.dumps({"i": invitation.pk, "v": invitation.link_version}, salt=ANSWER_SALT)


def answer_url(invitation) -> str:
    return settings.SITE_URL + reverse("network:answer", args=[answer_token(invitation)])


def invitation_for_answer_token(token: str):
    """The invitation a site's link is for; it works for the round's whole life (the answer can be
    changed until the deadline, and a late one is kept), up to NETWORK_ANSWER_LINK_DAYS."""
    from network.models import Invitation

    max_age = datetime.timedelta(days=settings.NETWORK_ANSWER_LINK_DAYS)
    try:
        data = signing.loads(token, salt=ANSWER_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkProblem("expired") from None
    except signing.BadSignature:
        raise LinkProblem("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int) or not isinstance(data.get("v"), int):
        raise LinkProblem("invalid")
    invitation = Invitation.objects.select_related("round__inquiry", "entry").filter(pk=data["i"]).first()
    if invitation is None:
        raise LinkProblem("invalid")
    if invitation.link_version != data["v"]:
        raise LinkProblem("used")
    return invitation
