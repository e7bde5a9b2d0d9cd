"""The personal data events hold, declared to ``privacy.registry`` (see knowledge.apps).

A registration holds a name, an email address, an organisation and a language. The person can
see and export them from "My data"; erasing cancels what is still ahead (so the seat goes to the
waiting list) and deletes the rows. Registrations are kept a year after their event, for the
secretariat's follow-up and reporting, then deleted by the retention job.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from knowledge.models import ACTIVE_REGISTRATION, Registration
from privacy.registry import Exported, PersonalDataSource, RetentionRule, Subject

KEEP_AFTER_EVENT = datetime.timedelta(days=365)


def _rows(subject: Subject) -> QuerySet[Registration]:
    match = Q(email__iexact=subject.email)
    if subject.user is not None:
        match |= Q(user=subject.user)
    return Registration.objects.filter(match)


def count(subject: Subject) -> int:
    return _rows(subject).count()


def export(subject: Subject) -> Exported:
    rows = _rows(subject).select_related("event").order_by("created_at", "pk")
    return Exported(
        data=[
            {
                "event": row.event.title_da,
                "event_starts_at": row.event.starts_at.isoformat(),
                "name": row.name,
                "email": row.email,
                "organisation": row.organisation,
                "language": row.language,
                "status": row.status,
                "registered_at": row.created_at.isoformat(),
                "confirmed_at": row.queued_at.isoformat() if row.queued_at else None,
                "cancelled_at": row.cancelled_at.isoformat() if row.cancelled_at else None,
            }
            for row in rows
        ]
    )


def erase(subject: Subject, actor=None) -> int:
    """Cancel what lies ahead (the waiting list moves up), then delete every row. Safe twice."""
    from knowledge.events_services import registration_cancel

    now = timezone.now()
    for registration in _rows(subject).filter(status__in=ACTIVE_REGISTRATION, event__starts_at__gt=now):
        registration_cancel(registration=registration, actor=actor)
    rows = list(_rows(subject).select_related("event"))
    for registration in rows:
        audit_record(
            actor=actor,
            obj=registration,
            action="knowledge.registration.erased",
            data={"event": registration.event.slug},
        )
    Registration.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def due(now: datetime.datetime) -> QuerySet[Registration]:
    return Registration.objects.filter(event__ends_at__lt=now - KEEP_AFTER_EVENT)


def apply(queryset: QuerySet[Registration], *, now: datetime.datetime) -> int:
    deleted, _per_model = queryset.filter(event__ends_at__lt=now - KEEP_AFTER_EVENT).delete()
    return deleted


SOURCE = PersonalDataSource(
    key="knowledge.event_registrations",
    label=_("Your registrations for events"),
    count=count,
    export=export,
    erase=erase,
    note=_("Name, email, organisation and language, kept until a year after the event."),
)

RETENTION = RetentionRule(
    key="knowledge.event_registrations",
    label=_("Event registrations"),
    period=lambda: _("a year after the event"),
    due=due,
    apply=apply,
)
