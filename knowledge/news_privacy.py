"""The personal data the news part of knowledge holds: newsletter subscribers (privacy/registry.py).

A subscriber row is an email address, a language and dates. Erasing deletes the row (its issues'
delivery records keep their counts, without the address); the retention rule deletes addresses
that were never confirmed, or that left the list, ``FORGET_AFTER`` later.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from knowledge.models import Subscriber, SubscriberStatus
from privacy.registry import (
    Exported,
    PersonalDataSource,
    RetentionRule,
    Subject,
    register_retention,
    register_source,
)

FORGET_AFTER = datetime.timedelta(days=30)


def _rows(subject: Subject):
    match = Q(email__iexact=subject.email)
    if subject.user is not None:
        match |= Q(user=subject.user)
    return Subscriber.objects.filter(match)


def _count(subject: Subject) -> int:
    return _rows(subject).count()


def _export(subject: Subject) -> Exported:
    return Exported(
        data=[
            {
                "email": row.email,
                "language": row.language,
                "status": row.status,
                "signed_up": row.created_at.isoformat(),
                "confirmed": row.confirmed_at.isoformat() if row.confirmed_at else None,
                "unsubscribed": row.unsubscribed_at.isoformat() if row.unsubscribed_at else None,
            }
            for row in _rows(subject).order_by("pk")
        ]
    )


def _erase(subject: Subject, actor=None) -> int:
    deleted, _per_model = _rows(subject).delete()
    return deleted


def _due(now: datetime.datetime):
    cutoff = now - FORGET_AFTER
    return Subscriber.objects.filter(
        Q(status=SubscriberStatus.PENDING, created_at__lt=cutoff)
        | Q(status=SubscriberStatus.UNSUBSCRIBED, unsubscribed_at__lt=cutoff)
    )


def _apply(queryset, *, now: datetime.datetime) -> int:
    deleted, _per_model = queryset.filter(pk__in=_due(now).values("pk")).delete()
    return deleted


def register_privacy() -> None:
    register_source(
        PersonalDataSource(
            key="knowledge.newsletter",
            label=_("Newsletter subscription"),
            count=_count,
            export=_export,
            erase=_erase,
            note=_("Your email address, the language you chose and when you subscribed, confirmed or left."),
        )
    )
    register_retention(
        RetentionRule(
            key="knowledge.newsletter.unconfirmed",
            label=_("Newsletter addresses never confirmed, or unsubscribed"),
            period=lambda: _("30 days after signing up without confirming, or after unsubscribing"),
            due=_due,
            apply=_apply,
        )
    )
