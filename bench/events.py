"""Benchmark: the events pages with many events, and how fast seats are given under the lock.

    createdb -h 127.0.0.1 -U postgres bench_events
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_events \\
        .venv/bin/python bench/events.py [--events 1000] [--registrations 2000] [--threads 8]

Uses a throwaway SQLite file unless DATABASE_URL is set (point it at a scratch database, never a
real one). Seeds half the events upcoming and half past, registrations spread over them, then
prints median and p95 time, query count and size of the list (upcoming, past, filtered, a deep
page) and of one event page; then confirms registrations for one event one after another and, on
PostgreSQL, from several threads at once (all queue on the event's row lock), and prints
confirmations per second. Emails are written to the outbox, not sent.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:  # noqa: C901 (a script: seed, measure, print)
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--registrations", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="atmp-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.update(DEBUG="true", CELERY_TASK_ALWAYS_EAGER="true", EMAIL_BACKEND="console")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atmp_portal.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from knowledge import events_services as services
    from knowledge.models import Event, EventStatus, Registration, RegistrationStatus

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    Registration.objects.all().delete()
    Event.objects.all().delete()
    now = timezone.now()
    kinds = ["webinar", "workshop", "meeting", "conference"]
    events = []
    for i in range(args.events):
        start = now + datetime.timedelta(days=(i - args.events // 2) or 1, hours=i % 7)
        online = i % 2 == 0
        events.append(
            Event(
                slug=f"bench-event-{i}",
                kind=kinds[i % 4],
                title_da=f"Arrangement {i}",
                title_en=f"Event {i}",
                summary_da="Et arrangement om ATMP. " * 4,
                summary_en="An event about ATMPs. " * 4,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                format="online" if online else "physical",
                online_url="https://meet.example.org/x" if online else "",
                venue="" if online else "Amgros, København",
                language="da" if i % 3 else "en",
                capacity=50,
                status=EventStatus.PUBLISHED,
            )
        )
    Event.objects.bulk_create(events, batch_size=500)
    ids = list(Event.objects.values_list("pk", flat=True))
    Registration.objects.bulk_create(
        [
            Registration(
                event_id=ids[i % len(ids)],
                name=f"Deltager {i}",
                email=f"d{i}@example.org",
                status=RegistrationStatus.CONFIRMED,
                queued_at=now,
            )
            for i in range(args.registrations)
        ],
        batch_size=1000,
    )
    print(f"seeded {args.events} events and {args.registrations} registrations")

    client = Client(HTTP_HOST="localhost")
    upcoming = Event.objects.filter(starts_at__gte=now).order_by("starts_at").first()
    assert upcoming is not None
    pages = [
        ("upcoming list", "/events/"),
        ("past list", "/events/?when=past"),
        ("filtered list", "/events/?kind=workshop&format=physical"),
        ("deep page of the list", "/events/?page=20"),
        ("one event", f"/events/{upcoming.slug}/"),
        ("iCal feed", "/events/feed.ics"),
    ]
    print("\n| page | median ms | p95 ms | queries | KiB |\n|---|---:|---:|---:|---:|")
    for label, url in pages:
        client.get(url)
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(
            f"| {label} | {statistics.median(timings):.0f} | {p95:.0f} | {len(queries)} "
            f"| {len(response.content) / 1024:.0f} |"
        )

    # Seats under the lock: one event with room for half of those who confirm.
    start = now + datetime.timedelta(days=30)
    event = services.event_create(
        actor=None,
        kind="workshop",
        title_da="Målt workshop",
        summary_da="-",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        format="physical",
        venue="Amgros",
        capacity=100,
    )
    services.event_publish(event=event, actor=None)
    with mock.patch("outbox.services._enqueue"):
        pending = [
            services.registration_register(event=event, actor=None, name=f"P{i}", email=f"p{i}@example.org")
            for i in range(200)
        ]
        serial, parallel = pending[:100], pending[100:]
        started = time.perf_counter()
        for registration in serial:
            services.registration_confirm(registration=registration)
        serial_rate = len(serial) / (time.perf_counter() - started)
        print(f"\nconfirmations one after another: {serial_rate:.0f}/s")
        if connection.vendor == "postgresql":
            chunks = [parallel[i :: args.threads] for i in range(args.threads)]

            def confirm(chunk):
                try:
                    for registration in chunk:
                        services.registration_confirm(registration=registration)
                finally:
                    connection.close()

            threads = [threading.Thread(target=confirm, args=(chunk,)) for chunk in chunks]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            rate = len(parallel) / (time.perf_counter() - started)
            print(f"confirmations from {args.threads} threads at once (queued on the row lock): {rate:.0f}/s")
    seated = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()
    waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITING).count()
    print(f"capacity 100: {seated} seated, {waiting} waiting")
    assert seated == 100


if __name__ == "__main__":
    main()
