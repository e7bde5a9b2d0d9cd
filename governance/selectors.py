"""Governance reads shared by the pages, scoped to the person who asks."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.roles import Role, access_for
from governance.models import (
    SEAT_HOLDING_ROLES,
    ActionItem,
    AgendaItem,
    Body,
    Decision,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    Membership,
    MinutesStatus,
    Seat,
)

# "Terms ending soon", in the admin's term filter, on the dashboard and in the weekly digest.
ENDING_SOON_DAYS = settings.TERM_ENDING_DAYS


def seats_filled(on: datetime.date | None = None) -> Count:
    """Annotation for seats: how many of their places are filled on ``on`` (today) by a seat holder."""
    on = on or timezone.localdate()
    return Count(
        "memberships",
        filter=Q(memberships__role__in=SEAT_HOLDING_ROLES, memberships__start_date__lte=on)
        & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=on)),
        distinct=True,
    )


def visible_body_ids(user) -> set[int] | None:
    """The bodies whose member pages ``user`` may open; None means all (the secretariat)."""
    if not user.is_authenticated:
        return set()
    access = access_for(user)  # computed once per request, roles and bodies together
    return None if access.has(Role.SECRETARIAT) else set(access.body_ids)


def can_see_body(user, body_id: int) -> bool:
    ids = visible_body_ids(user)
    return ids is None or body_id in ids


def public_bodies(on: datetime.date | None = None) -> list[Body]:
    """Public bodies with seats, organisations and the members shown publicly today."""
    on = on or timezone.localdate()
    members = (
        Membership.objects.active(on)
        .filter(show_publicly=True)
        .select_related("seat__organisation")
        .order_by("seat__position", "role", "full_name")
    )
    bodies = list(
        Body.objects.public()
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("set_up_by")
        .prefetch_related(
            Prefetch("seats", queryset=Seat.objects.select_related("organisation").order_by("position")),
            Prefetch("memberships", queryset=members, to_attr="public_members"),
        )
    )
    for body in bodies:
        by_seat: dict[int | None, list[Membership]] = {}
        for member in body.public_members:
            by_seat.setdefault(member.seat_id, []).append(member)
        body.seat_total = body.vacancies = 0
        for seat in body.seats.all():
            seat.members = by_seat.get(seat.pk, [])
            filled = sum(1 for m in seat.members if m.role in SEAT_HOLDING_ROLES)
            seat.vacant = max(seat.count - filled, 0)
            body.seat_total += seat.count
            body.vacancies += seat.vacant
        body.members_without_seat = by_seat.get(None, [])
    return bodies


def meetings_of_year(year: int) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(body__is_public=True, year=year).select_related("body").order_by("starts_at")
    )


def _decisions() -> QuerySet[Decision]:
    return Decision.objects.select_related("meeting__body").order_by("-meeting__starts_at", "sequence")


def decisions_visible_to(user) -> QuerySet[Decision]:
    """Public decisions for everyone; all decisions of a member's own bodies; all for the secretariat."""
    ids = visible_body_ids(user)
    if ids is None:
        return _decisions()
    return _decisions().filter(Q(is_public=True) | Q(meeting__body_id__in=ids))


def decisions_visible_to_public() -> QuerySet[Decision]:
    """The public page's list: public decisions only, whoever looks."""
    return _decisions().filter(is_public=True)


def meetings_for(user) -> QuerySet[Meeting]:
    ids = visible_body_ids(user)
    meetings = Meeting.objects.select_related("body")
    return meetings if ids is None else meetings.filter(body_id__in=ids)


def meeting_for(user, pk: int) -> Meeting:
    """The meeting with its agenda, documents and decisions, if ``user`` may see it.

    Http404 otherwise, whether the meeting exists or not: an outsider cannot tell them apart.
    """
    meeting = (
        meetings_for(user)
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "pk")),
            "documents",
            Prefetch(
                "decisions",
                queryset=Decision.objects.order_by("sequence").prefetch_related(
                    Prefetch("action_items", queryset=ActionItem.objects.select_related("owner"))
                ),
            ),
            "attendance__membership",
        )
        .select_related("minutes_approved_at__body")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def document_for(user, pk: int) -> MeetingDocument:
    """A document of the pack, if ``user`` may download it: a member of the body once the pack is
    published, the secretariat always. Http404 otherwise, whether the document exists or not."""
    document = MeetingDocument.objects.select_related("meeting").filter(pk=pk).first()
    if document is None or not can_see_body(user, document.meeting.body_id):
        raise Http404
    if not (document.meeting.documents_published or visible_body_ids(user) is None):
        raise Http404
    return document


def upcoming_meetings_for(user, *, limit: int = 10) -> list[Meeting]:
    now = timezone.now()
    return list(
        meetings_for(user)
        .filter(ends_at__gte=now)
        .exclude(status=MeetingStatus.HELD)
        .prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "pk")))
        .prefetch_related("documents")
        .order_by("starts_at")[:limit]
    )


def minutes_for(user, *, limit: int = 10) -> list[Meeting]:
    return list(
        meetings_for(user)
        .filter(minutes_status__in=[MinutesStatus.CIRCULATED, MinutesStatus.APPROVED])
        .order_by("-starts_at")[:limit]
    )


def memberships_of(user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.active().filter(user=user).select_related("body", "seat__organisation"))


def action_items_of(user) -> list[ActionItem]:
    return list(
        ActionItem.objects.filter(owner__user=user)
        .exclude(status="cancelled")
        .select_related("decision__meeting__body")
        .order_by("status", "due_date", "pk")
    )
