"""Writes about accounts that the admin and the account pages share."""

from __future__ import annotations

import logging

from allauth.account.adapter import get_adapter
from allauth.account.forms import ResetPasswordForm
from django.http import HttpRequest

from accounts.models import User
from audit.services import audit_record

logger = logging.getLogger(__name__)


def user_credentials_changed_notify(
    *,
    actor: User,
    user: User,
    request: HttpRequest,
    old_email: str,
    email_changed: bool = False,
    password_changed: bool = False,
) -> None:
    """Tell the person, at the address they had *before* the change, that their email or password
    was changed by someone else (the secretariat in the admin).

    The old address is the one that matters: whoever changed the email would otherwise read the
    notice themselves. The account pages send allauth's own notices (ACCOUNT_EMAIL_NOTIFICATIONS).
    """
    adapter = get_adapter(request)
    if email_changed:
        adapter.send_notification_mail(
            "account/email/email_changed",
            user,
            context={"from_email": old_email, "to_email": user.email},
            email=old_email,
        )
    if password_changed:
        adapter.send_notification_mail("account/email/password_changed", user, email=old_email)
        # The admin's set-password view saves the form itself; the record says who did it.
        audit_record(actor=actor, obj=user, action="accounts.user.password_set")
    logger.info(
        "account credentials changed in the admin",
        extra={"actor": actor.pk, "user": user.pk, "email": email_changed, "password": password_changed},
    )


def user_password_reset_send(*, actor: User, user: User, request: HttpRequest) -> bool:
    """Send ``user`` allauth's password-reset email: the secretariat never sets a password itself.

    Returns False for an account that cannot receive one (inactive).
    """
    if not user.is_active:
        return False
    form = ResetPasswordForm(data={"email": user.email})
    if not form.is_valid():
        return False
    form.save(request)
    audit_record(actor=actor, obj=user, action="accounts.user.password_reset_sent")
    logger.info("password reset email sent from the admin", extra={"actor": actor.pk, "user": user.pk})
    return True
