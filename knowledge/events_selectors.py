"""Reads shared by the events' pages. The public sees published and cancelled events only."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from knowledge.models import Event, EventMaterial, Registration, RegistrationStatus

LIST_FIELDS = (
    "slug",
    "kind",
    "title_da",
    "title_en",
    "summary_da",
    "summary_en",
    "starts_at",
    "ends_at",
    "format",
    "venue",
    "language",
    "capacity",
    "status",
    "registration_closes_at",
)


def with_seats_taken(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        seats_taken=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED))
    )


def upcoming_events() -> QuerySet[Event]:
    """Published and cancelled events that have not ended, soonest first, with seats taken."""
    events = Event.objects.public().filter(ends_at__gte=timezone.now()).only(*LIST_FIELDS)
    return with_seats_taken(events).order_by("starts_at", "pk")


def past_events() -> QuerySet[Event]:
    """Events that took place, newest first (cancelled ones are not history worth listing)."""
    events = Event.objects.public().exclude(status="cancelled").filter(ends_at__lt=timezone.now())
    return events.only(*LIST_FIELDS).order_by("-starts_at", "-pk")


def feed_events() -> QuerySet[Event]:
    """The iCal feed: everything public from 90 days back on (cancelled ones say so)."""
    since = timezone.now() - datetime.timedelta(days=90)
    return Event.objects.public().filter(ends_at__gte=since).order_by("starts_at", "pk")


def event_for_public(slug: str) -> Event:
    try:
        return with_seats_taken(
            Event.objects.public().prefetch_related(
                Prefetch("materials", queryset=EventMaterial.objects.order_by("position", "pk"))
            )
        ).get(slug=slug)
    except Event.DoesNotExist:
        raise Http404("No such event") from None


def material_for_public(slug: str, pk: int) -> EventMaterial:
    material = (
        EventMaterial.objects.select_related("event")
        .filter(pk=pk, event__slug=slug, event__status="published")
        .exclude(file="")
        .first()
    )
    if material is None or not material.event.is_past():
        raise Http404("No such material")
    return material


def registration_of(user, event: Event) -> Registration | None:
    """The signed-in person's own live registration for the event, if any."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, status__in=["confirmed", "waiting", "pending"])
        .filter(Q(user=user) | Q(email__iexact=user.email))
        .first()
    )
