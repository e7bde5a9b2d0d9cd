"""Every write to events and registrations goes through here: views, the admin, beat and tests.

Seats are decided under a row lock on the event (``select_for_update``): whoever confirms,
cancels, or changes the capacity holds it while counting, so two people confirming at once can
never both take the last seat, and the waiting list moves up exactly once per freed seat. Each
email is written to the outbox in the same transaction with a key of its own.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import audit_record, changes, snapshot
from knowledge import events_emails as emails
from knowledge.models import (
    ACTIVE_REGISTRATION,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
)

EVENT_FIELDS = (
    "slug",
    "kind",
    "title_da",
    "title_en",
    "summary_da",
    "summary_en",
    "programme_da",
    "programme_en",
    "starts_at",
    "ends_at",
    "format",
    "venue",
    "online_url",
    "language",
    "organiser",
    "capacity",
    "registration_closes_at",
    "materials_da",
    "materials_en",
    "recording_url",
)
_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def event_slug_for(title: str, starts_at: datetime.datetime | None, *, exclude_pk: int | None = None) -> str:
    """ "Webinar om CTIS" on 3 March 2027 → webinar-om-ctis-2027-03-03 (then -2, -3 if taken)."""
    base = slugify(title.translate(_DANISH_LETTERS))[:90].strip("-") or "event"
    if starts_at:
        base = f"{base}-{timezone.localdate(starts_at).isoformat()}"
    taken = Event.objects.exclude(pk=exclude_pk) if exclude_pk else Event.objects.all()
    slug, n = base, 1
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _validate(event: Event) -> None:
    if not event.slug:
        event.slug = event_slug_for(event.title_da, event.starts_at, exclude_pk=event.pk)
    event.full_clean()


@transaction.atomic
def event_create(*, actor, **fields: Any) -> Event:
    """A new draft event; ``fields`` are any of ``EVENT_FIELDS``."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"event_create got unknown fields: {sorted(unknown)}")
    event = Event(**fields)
    _validate(event)
    event.save()
    audit_record(actor=actor, obj=event, action="knowledge.event.created", data={"title_da": event.title_da})
    return event


@transaction.atomic
def event_update(*, event: Event, actor, **fields: Any) -> Event:
    """Change an event. More seats move the waiting list up at once; fewer never unseat anyone."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"event_update got unknown fields: {sorted(unknown)}")
    event = Event.objects.select_for_update().get(pk=event.pk)
    before = snapshot(event, fields)
    for name, value in fields.items():
        setattr(event, name, value)
    _validate(event)
    event.save()
    audit_record(actor=actor, obj=event, action="knowledge.event.changed", data=changes(before, event))
    if "capacity" in fields:
        _promote(event, actor=actor)
    return event


@transaction.atomic
def event_publish(*, event: Event, actor) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != EventStatus.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    event.full_clean()
    event.status = EventStatus.PUBLISHED
    event.save(update_fields=["status"])
    audit_record(actor=actor, obj=event, action="knowledge.event.published")
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor) -> Event:
    """Call the event off: its page says so, and everyone registered or waiting is told, once."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == EventStatus.CANCELLED:
        return event
    if event.is_past():
        raise ValidationError(_("An event that has taken place cannot be cancelled."))
    was = event.status
    event.status = EventStatus.CANCELLED
    event.cancelled_at = timezone.now()
    event.save(update_fields=["status", "cancelled_at"])
    told = 0
    if was == EventStatus.PUBLISHED:
        for registration in event.registrations.filter(
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]
        ).select_related("event"):
            emails.called_off_email_queue(registration)
            told += 1
    audit_record(actor=actor, obj=event, action="knowledge.event.cancelled", data={"told": told})
    return event


# --- Registrations ------------------------------------------------------------------------------


def _closed_error() -> ValidationError:
    return ValidationError(_("Registration for this event is closed."))


def _seats_taken(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def seats_left(event: Event) -> int | None:
    """Free seats now (None: no limit). For display; the decision is made under the lock."""
    if event.capacity is None:
        return None
    return max(event.capacity - _seats_taken(event), 0)


def _place(event: Event, registration: Registration, *, actor) -> Registration:
    """A seat if one is free, else the end of the waiting list. The caller holds the event's lock."""
    registration.queued_at = timezone.now()
    if event.capacity is None or _seats_taken(event) < event.capacity:
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status", "queued_at"])
        emails.registered_email_queue(registration)
    else:
        registration.status = RegistrationStatus.WAITING
        registration.save(update_fields=["status", "queued_at"])
        emails.waiting_email_queue(registration)
    audit_record(
        actor=actor,
        obj=registration,
        action="knowledge.registration.confirmed",
        data={"event": event.slug, "status": registration.status},
    )
    return registration


def _promote(event: Event, *, actor) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served. Caller holds the event's lock."""
    if event.status != EventStatus.PUBLISHED or event.starts_at <= timezone.now():
        return []
    moved: list[Registration] = []
    free = None if event.capacity is None else event.capacity - _seats_taken(event)
    waiting = event.registrations.filter(status=RegistrationStatus.WAITING).order_by("queued_at", "pk")
    for registration in waiting.select_for_update()[: free if free is not None else None]:
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = timezone.now()
        registration.save(update_fields=["status", "promoted_at"])
        registration.event = event
        emails.promoted_email_queue(registration)
        audit_record(
            actor=actor,
            obj=registration,
            action="knowledge.registration.promoted",
            data={"event": event.slug},
        )
        moved.append(registration)
    return moved


def _live_registration(event: Event, email: str) -> Registration | None:
    return (
        Registration.objects.select_for_update()
        .filter(event=event, email__iexact=email, status__in=ACTIVE_REGISTRATION)
        .first()
    )


@transaction.atomic
def registration_register(
    *, event: Event, actor, name: str, email: str, organisation: str = "", language: str = "da"
) -> Registration:
    """Register a person for an event.

    Signed in with the same address: the account's address is verified, so the person gets a
    seat (or a place on the waiting list) at once. Anyone else gets an email with a confirmation
    link first (double opt-in): a seat is never held for an address nobody has confirmed.
    Registering an address that is already registered sends that address an email saying so,
    and the page says the same as for a new registration: the form never tells a visitor who
    else has registered.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.registration_open():
        raise _closed_error()
    email = email.strip()
    signed_in = bool(getattr(actor, "is_authenticated", False)) and actor.email.lower() == email.lower()
    existing = _live_registration(event, email)
    if existing is not None:
        existing.event = event
        if existing.status == RegistrationStatus.PENDING:
            if signed_in:
                return _place(event, existing, actor=actor)
            emails.confirm_link_email_queue(existing)
        else:
            emails.already_registered_email_queue(existing)
        return existing
    registration = Registration(
        event=event,
        user=actor if signed_in else None,
        name=name.strip(),
        email=email,
        organisation=organisation.strip(),
        language=language,
    )
    registration.full_clean(exclude=["event", "user"], validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:  # the same address registered in the same instant: one registration
        existing = _live_registration(event, email)
        if existing is None:
            raise
        return existing
    audit_record(
        actor=actor, obj=registration, action="knowledge.registration.created", data={"event": event.slug}
    )
    if signed_in:
        return _place(event, registration, actor=actor)
    emails.confirm_link_email_queue(registration)
    return registration


@transaction.atomic
def registration_confirm(*, registration: Registration, actor=None) -> Registration:
    """The confirmation link was followed: a seat, or the waiting list. Safe to follow twice."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.event = event
    if registration.status != RegistrationStatus.PENDING:
        return registration
    if not event.registration_open():
        raise _closed_error()
    return _place(event, registration, actor=actor)


@transaction.atomic
def registration_cancel(*, registration: Registration, actor=None) -> Registration:
    """Cancel a registration (by its link, or by the secretariat); a freed seat goes to the first
    on the waiting list at once. Safe to run twice."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.event = event
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    if event.starts_at <= timezone.now():
        raise ValidationError(_("The event has started; the registration can no longer be cancelled."))
    held_seat = registration.status == RegistrationStatus.CONFIRMED
    was = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if was != RegistrationStatus.PENDING:
        emails.cancelled_email_queue(registration)
    audit_record(
        actor=actor,
        obj=registration,
        action="knowledge.registration.cancelled",
        data={"event": event.slug, "was": was},
    )
    if held_seat:
        _promote(event, actor=actor)
    return registration


# --- The reminder the day before -----------------------------------------------------------------


def reminders_queue(*, now: datetime.datetime | None = None) -> int:
    """One reminder to each confirmed participant of every event that starts tomorrow
    (Copenhagen time). Each is claimed with a conditional UPDATE of ``reminded_at`` and has its
    own outbox key, so overlapping scans, retries and restarted workers never send a second one.
    """
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=zone)
    end = start + datetime.timedelta(days=1)
    due = Registration.objects.filter(
        event__status=EventStatus.PUBLISHED,
        event__starts_at__gte=max(start, now),
        event__starts_at__lt=end,
        status=RegistrationStatus.CONFIRMED,
        reminded_at__isnull=True,
    ).values_list("pk", flat=True)
    queued = 0
    for registration_id in list(due):
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration_id, status=RegistrationStatus.CONFIRMED, reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                emails.reminder_email_queue(
                    Registration.objects.select_related("event").get(pk=registration_id)
                )
                queued += 1
    return queued
