"""Seats under concurrency (PostgreSQL row locks), and the events' emails through a real worker.

The seat count is decided while holding a lock on the event's row: threads that confirm, cancel
or register at the same moment queue behind it, so the last seat is never given twice and a
freed seat moves exactly one person up.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections import Counter
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from knowledge import events_services as services
from knowledge.models import Event, Registration, RegistrationStatus
from outbox.models import EmailStatus, OutboundEmail
from tests.celery_worker import running_worker, sent_messages

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _event(*, capacity=None, starts_at=None) -> Event:
    start = starts_at or timezone.now() + datetime.timedelta(days=10)
    event = services.event_create(
        actor=None,
        kind="workshop",
        title_da="Workshop med få pladser",
        summary_da="Kort.",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        format="physical",
        venue="Amgros",
        capacity=capacity,
    )
    return services.event_publish(event=event, actor=None)


def _at_once(calls) -> list[Exception]:
    """Run each call in its own thread and connection, all released at the same moment."""
    barrier = threading.Barrier(len(calls))
    errors: list[Exception] = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as exc:  # collected and shown by the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    # The emails are written to the outbox (counted below) but not handed to Celery: eager tasks
    # in parallel threads race on Celery's process-global state.
    with mock.patch("outbox.services._enqueue"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return errors


def test_twelve_people_confirming_at_once_for_five_seats_get_five_seats_and_seven_places_in_line():
    event = _event(capacity=5)
    with mock.patch("outbox.services._enqueue"):
        pending = [
            services.registration_register(event=event, actor=None, name=f"P{i}", email=f"p{i}@example.org")
            for i in range(12)
        ]
    errors = _at_once([lambda r=r: services.registration_confirm(registration=r) for r in pending])
    assert errors == []
    statuses = Counter(Registration.objects.values_list("status", flat=True))
    assert statuses == {RegistrationStatus.CONFIRMED: 5, RegistrationStatus.WAITING: 7}
    assert OutboundEmail.objects.filter(key__startswith="knowledge:event-registered:").count() == 5
    assert OutboundEmail.objects.filter(key__startswith="knowledge:event-waiting:").count() == 7


def test_cancellations_at_the_same_moment_move_up_exactly_as_many_as_left_in_queue_order():
    event = _event(capacity=3)
    with mock.patch("outbox.services._enqueue"):
        people = [
            services.registration_confirm(
                registration=services.registration_register(
                    event=event, actor=None, name=f"P{i}", email=f"p{i}@example.org"
                )
            )
            for i in range(8)
        ]
    seated, waiting = people[:3], people[3:]
    # All three seated cancel at once, and the first two on the waiting list leave at the same moment.
    leaving = seated + waiting[:2]
    errors = _at_once([lambda r=r: services.registration_cancel(registration=r) for r in leaving])
    assert errors == []
    # Everyone who left is cancelled, and the three seats are the three who stayed in line, whatever
    # order the threads ran in (someone moved up and cancelled in the same storm frees the seat again).
    assert set(
        Registration.objects.filter(status=RegistrationStatus.CANCELLED).values_list("pk", flat=True)
    ) == {r.pk for r in leaving}
    assert set(
        Registration.objects.filter(status=RegistrationStatus.CONFIRMED).values_list("pk", flat=True)
    ) == {r.pk for r in waiting[2:]}
    promoted = set(
        OutboundEmail.objects.filter(key__startswith="knowledge:event-promoted:").values_list(
            "key", flat=True
        )
    )
    assert {f"knowledge:event-promoted:{r.pk}" for r in waiting[2:]} <= promoted


def test_the_same_address_registered_five_times_at_once_is_one_registration():
    event = _event(capacity=10)
    errors = _at_once(
        [
            lambda: services.registration_register(
                event=event, actor=None, name="Ida", email="ida@example.org"
            )
            for _ in range(5)
        ]
    )
    assert errors == []
    assert Registration.objects.count() == 1


PARTICIPANTS = 300


@pytest.mark.redis
def test_confirmations_and_reminders_reach_everyone_exactly_once_with_a_relay_refusing_30_percent(tmp_path):
    """Through a real worker on Redis, with a relay that refuses the first try of ~30 % of
    messages: every confirmation link, confirmation and reminder is delivered, none twice."""
    from outbox import services as outbox
    from tests.refusing_email import refused_first

    day = timezone.localdate() + datetime.timedelta(days=1)
    start = datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())
    event = _event(starts_at=start)
    refusals = tmp_path / "refused"
    refusals.mkdir()
    worker_env = {
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "TEST_EMAIL_BACKEND": "tests.refusing_email.RefusingFirstEmailBackend",
        "REFUSE_EMAIL_DIR": str(refusals),
    }

    def all_sent() -> bool:
        return not OutboundEmail.objects.exclude(status=EmailStatus.SENT).exists()

    def settle(deadline_seconds=240):
        """Let the worker send; hand back what was refused, as the sweeper does once the delay passes."""
        deadline = time.monotonic() + deadline_seconds
        swept = 0.0
        while time.monotonic() < deadline and not all_sent():
            time.sleep(0.5)
            first_tries_done = not OutboundEmail.objects.filter(
                status=EmailStatus.PENDING, attempts=0
            ).exists()
            if first_tries_done and time.monotonic() - swept > 5:
                outbox.outbox_sweep(now=timezone.now() + datetime.timedelta(minutes=2))
                swept = time.monotonic()
        return all_sent()

    started = time.monotonic()
    with running_worker(tmp_path, database=True, default_queue=True, **worker_env):
        registrations = [
            services.registration_register(
                event=event,
                actor=None,
                name=f"Deltager {i}",
                email=f"deltager{i}@example.org",
                language="en" if i % 3 == 0 else "da",
            )
            for i in range(PARTICIPANTS)
        ]
        for registration in registrations:
            services.registration_confirm(registration=registration)
        assert services.reminders_queue() == PARTICIPANTS
        assert services.reminders_queue() == 0  # a second scan claims nothing
        assert settle(), OutboundEmail.objects.exclude(status=EmailStatus.SENT).count()
    elapsed = time.monotonic() - started

    sent = sent_messages(tmp_path)
    message_ids = Counter(m["Message-ID"] for m in sent)
    assert len(sent) == 3 * PARTICIPANTS  # confirmation link, confirmation, reminder
    assert max(message_ids.values()) == 1  # no duplicates
    refused = sum(1 for m in sent if refused_first(m["Message-ID"]))
    assert len(list(refusals.iterdir())) == refused
    assert 0.2 * len(sent) < refused < 0.4 * len(sent)
    per_person = Counter(m["To"] for m in sent)
    assert set(per_person.values()) == {3}
    print(f"\n{len(sent)} emails, {refused} refused at first, delivered once each in {elapsed:.1f} s")
