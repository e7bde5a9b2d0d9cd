"""The sources and retention rules of the apps below ``privacy`` (accounts, outbox, record of
changes, downloads): they cannot import ``privacy``, so it registers them itself."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from privacy.registry import (
    Exported,
    PersonalDataSource,
    RetentionRule,
    Subject,
    register_retention,
    register_source,
)

if TYPE_CHECKING:
    from accounts.models import User

ERASED_DOMAIN = "erased.invalid"  # RFC 2606: never a real address


def erased_address(user_id: int) -> str:
    return f"erased-{user_id}@{ERASED_DOMAIN}"


def is_erased(user: User) -> bool:
    return user.email.endswith("@" + ERASED_DOMAIN)


# --- accounts: the profile --------------------------------------------------------------------


def _profile_count(subject: Subject) -> int:
    return 1 if subject.user is not None and not is_erased(subject.user) else 0


def _profile_export(subject: Subject) -> Exported:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    user = subject.user
    if user is None:
        return Exported(data=None)
    return Exported(
        data={
            "email": user.email,
            "full_name": user.full_name,
            "organisation": user.organisation,
            "applicant_type": user.applicant_type,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user)
            ],
            "second_factors": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
        }
    )


def _profile_erase(subject: Subject, *, actor, markers: frozenset[str]) -> int:
    """The account stays as an empty shell (requests and the record point at it); it can never sign in."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from audit.services import audit_record

    user = subject.user
    if user is None or is_erased(user):
        return 0
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = erased_address(user.pk)
    user.full_name = ""
    user.organisation = ""
    user.applicant_type = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    audit_record(actor=actor, obj=user, action="accounts.user.erased")
    return 1


# --- outbox: the emails addressed to the person -------------------------------------------------


def _emails_to(subject: Subject) -> QuerySet:
    from outbox.models import OutboundEmail

    address = subject.email.lower()
    ids = [
        pk
        for pk, to in OutboundEmail.objects.filter(to__icontains=address).values_list("pk", "to")
        if any(str(a).lower() == address for a in to)
    ]
    return OutboundEmail.objects.filter(pk__in=ids)


def _emails_count(subject: Subject) -> int:
    return _emails_to(subject).count()


def _emails_export(subject: Subject) -> Exported:
    rows = []
    for email in _emails_to(subject).order_by("created_at"):
        rows.append(
            {
                "subject": email.subject,
                "created_at": email.created_at,
                "sent_at": email.sent_at,
                "status": email.status,
                # Sensitive emails (login codes, links) are blanked once sent; the rest as they were.
                "text": email.text,
            }
        )
    return Exported(data=rows)


def _emails_erase(subject: Subject, *, actor, markers: frozenset[str]) -> int:
    """Emails to the person, and emails about them (a notice quoting their request's subject)."""
    from outbox.models import OutboundEmail

    about = Q()
    for marker in markers:
        about |= Q(subject__icontains=marker) | Q(text__icontains=marker) | Q(html__icontains=marker)
    ids = set(_emails_to(subject).values_list("pk", flat=True))
    if markers:
        ids |= set(OutboundEmail.objects.filter(about).values_list("pk", flat=True))
    return OutboundEmail.objects.filter(pk__in=ids).update(
        to=["erased@" + ERASED_DOMAIN], subject="[erased]", text="", html="", attachments=[], headers={}
    )


# --- audit: the record of changes ---------------------------------------------------------------


def _record_of(subject: Subject, markers: frozenset[str] = frozenset()) -> QuerySet:
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import User
    from audit.models import AuditEntry

    about = Q(data__icontains=subject.email) | Q(object_repr__icontains=subject.email)
    if subject.user is not None:
        content_type = ContentType.objects.get_for_model(User)
        about |= Q(actor=subject.user) | Q(content_type=content_type, object_id=subject.user.pk)
    for marker in markers:
        about |= Q(object_repr__icontains=marker) | Q(data__icontains=marker)
    return AuditEntry.objects.filter(about)


def _record_count(subject: Subject) -> int:
    if subject.user is None:
        return 0
    from audit.models import AuditEntry

    return AuditEntry.objects.filter(actor=subject.user).count()


def _record_export(subject: Subject) -> Exported:
    if subject.user is None:
        return Exported(data=[])
    from audit.models import AuditEntry

    return Exported(
        data=[
            {"at": at, "action": action}
            for at, action in AuditEntry.objects.filter(actor=subject.user).values_list("at", "action")
        ]
    )


def _record_erase(subject: Subject, *, actor, markers: frozenset[str]) -> int:
    from audit.services import audit_scrub

    extra = frozenset({subject.user.organisation} if subject.user and subject.user.organisation else set())
    return audit_scrub(entries=_record_of(subject, markers), markers=markers | extra)


# --- Retention rules of the lower apps -----------------------------------------------------------


def _downloads_due(now: datetime.datetime) -> QuerySet:
    from downloads.models import Download

    return Download.objects.filter(
        created_at__lt=now - datetime.timedelta(days=settings.RETENTION_DOWNLOADS_DAYS)
    )


def _downloads_apply(queryset: QuerySet, *, now: datetime.datetime) -> int:
    from downloads.services import downloads_purge

    return downloads_purge(now=now)


def _bodies_due(now: datetime.datetime) -> QuerySet:
    from outbox.models import EmailStatus, OutboundEmail

    cutoff = now - datetime.timedelta(days=settings.RETENTION_EMAIL_DAYS)
    return OutboundEmail.objects.filter(
        status__in=(EmailStatus.SENT, EmailStatus.FAILED), created_at__lt=cutoff
    ).exclude(text="", html="", attachments=[])


def _bodies_apply(queryset: QuerySet, *, now: datetime.datetime) -> int:
    # The confirmation of an erasure is the one email that still names an erased person's address.
    queryset.filter(key__startswith="privacy:erased:").update(to=["erased@" + ERASED_DOMAIN])
    return queryset.update(text="", html="", attachments=[])


def _unconfirmed_due(now: datetime.datetime) -> QuerySet:
    from accounts.models import User

    cutoff = now - datetime.timedelta(days=settings.RETENTION_UNCONFIRMED_DAYS)
    return (
        User.objects.filter(date_joined__lt=cutoff, is_staff=False, last_login__isnull=True)
        .exclude(emailaddress__verified=True)
        .exclude(email__endswith="@" + ERASED_DOMAIN)
    )


def _unconfirmed_apply(queryset: QuerySet, *, now: datetime.datetime) -> int:
    """An account never confirmed holds nothing else: it is deleted (erased, if something points at it)."""
    from django.db.models import ProtectedError

    from privacy.services import personal_data_erase

    count = 0
    for user in list(queryset):
        try:
            with transaction.atomic():
                user.delete()
        except ProtectedError:
            personal_data_erase(actor=None, subject=Subject(email=user.email, user=user))  # type: ignore[arg-type]
        count += 1
    return count


def register() -> None:
    register_source(
        PersonalDataSource(
            key="accounts.profile",
            label=_("Your profile: name, email address, organisation, language, sign-in factors"),
            count=_profile_count,
            export=_profile_export,
            erase=_profile_erase,
            note=_("When erased, the account can never sign in again; the rest of the portal sees “erased”."),
            erase_order=1000,
        )
    )
    register_source(
        PersonalDataSource(
            key="outbox.emails",
            label=_("Emails the portal has sent you"),
            count=_emails_count,
            export=_emails_export,
            erase=_emails_erase,
            note=_(
                "Email texts are deleted a set time after they were sent anyway (see the privacy notice)."
            ),
            erase_order=900,
        )
    )
    register_source(
        PersonalDataSource(
            key="audit.record",
            label=_("The record of changes you made (when and what kind, for accountability)"),
            count=_record_count,
            export=_record_export,
            erase=_record_erase,
            note=_("When erased, the record keeps that a change was made and when, not your data."),
            erase_order=950,
        )
    )
    register_retention(
        RetentionRule(
            key="downloads.files",
            label=_("Download files (data exports, reports) are deleted"),
            period=lambda: (
                ngettext_lazy("%(n)d day after they were made", "%(n)d days after they were made", "n")
                % {"n": settings.RETENTION_DOWNLOADS_DAYS}
            ),
            due=_downloads_due,
            apply=_downloads_apply,
        )
    )
    register_retention(
        RetentionRule(
            key="outbox.bodies",
            label=_(
                "Email texts (notices, meeting notices, reminders) are deleted; "
                "the fact that an email went stays"
            ),
            period=lambda: (
                ngettext_lazy("%(n)d day after the email", "%(n)d days after the email", "n")
                % {"n": settings.RETENTION_EMAIL_DAYS}
            ),
            due=_bodies_due,
            apply=_bodies_apply,
        )
    )
    register_retention(
        RetentionRule(
            key="accounts.unconfirmed",
            label=_("Accounts whose email address was never confirmed are deleted"),
            period=lambda: (
                ngettext_lazy("%(n)d day after sign-up", "%(n)d days after sign-up", "n")
                % {"n": settings.RETENTION_UNCONFIRMED_DAYS}
            ),
            due=_unconfirmed_due,
            apply=_unconfirmed_apply,
        )
    )
