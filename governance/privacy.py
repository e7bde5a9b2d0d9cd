"""What governance holds about a person: memberships of the bodies, the calendar feed (docs/privacy.md)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from audit import stamps
from governance.models import CalendarFeed, Membership
from privacy.registry import Exported, PersonalDataSource, Subject, register_source


def _memberships(subject: Subject) -> QuerySet[Membership]:
    match = Q(email__iexact=subject.email) if subject.email else Q(pk__in=[])
    if subject.user is not None:
        match |= Q(user=subject.user)
    return Membership.objects.filter(match)


def count(subject: Subject) -> int:
    return _memberships(subject).count()


def export(subject: Subject) -> Exported:
    return Exported(
        data=[
            {
                "body": m.body.name,
                "seat": str(m.seat) if m.seat else "",
                "name": m.full_name,
                "email": m.email,
                "position": m.position_title,
                "role": m.role,
                "start_date": m.start_date,
                "end_date": m.end_date,
                "shown_publicly": m.show_publicly,
            }
            for m in _memberships(subject).select_related("body", "seat")
        ]
    )


def erase(subject: Subject, *, actor, markers: frozenset[str]) -> int:
    """The body's record keeps who sat on it (the name in minutes and decisions stays); the link to
    the account, the address and the calendar feed go."""
    touched = _memberships(subject).update(user=None, email="")
    stamps.bump(Membership)
    if subject.user is not None:
        touched += CalendarFeed.objects.filter(user=subject.user).delete()[0]
    return touched


def register() -> None:
    register_source(
        PersonalDataSource(
            key="governance.memberships",
            label=_("Your memberships of the steering group, reference group or working groups"),
            count=count,
            export=export,
            erase=erase,
            note=_(
                "A body's record of who sat on it, and names in minutes and decisions, are kept: they are "
                "records of the body. Your email address and the link to your account are removed."
            ),
            erase_order=20,
        )
    )
