"""Benchmark: the daily retention run over 100,000 requests of which 20,000 are due.

    createdb -h 127.0.0.1 -U postgres bench_retention
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_retention \\
        .venv/bin/python bench/retention.py [--requests 100000] [--due 20000]

Uses a throwaway SQLite file unless DATABASE_URL is set (point it at a scratch database: the
script fills it). Each request has a message, an audit entry and an outbox row, as a real one has
several. Prints the time and query count of the preview (what the admin shows), of the first run
(which anonymises the due requests) and of a second run (which must find nothing).
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:  # noqa: C901 - a script: seed, measure, print, in order
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=20_000)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="atmp-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.update(
        DEBUG="true", CELERY_TASK_ALWAYS_EAGER="true", EMAIL_BACKEND="console", LOG_LEVEL="WARNING"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atmp_portal.settings")

    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from audit.models import AuditEntry
    from inquiries.clock import add_working_days
    from inquiries.models import AtmpClass, DevelopmentStage, Inquiry, Message, Region, Status, Topic
    from outbox.models import EmailStatus, OutboundEmail
    from privacy import services

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    if Inquiry.objects.exists():
        sys.exit("the database already holds requests: give the benchmark a scratch database")

    started = time.perf_counter()
    applicants = User.objects.bulk_create(
        [
            User(email=f"bench-r{i}@example.org", full_name=f"Applicant {i}", password="!")
            for i in range(2000)
        ],
        batch_size=2000,
    )
    staff = User.objects.create(email="bench-staff@example.org", is_staff=True, password="!")
    rng = random.Random(18)
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(Inquiry)
    due_every = max(1, args.requests // max(1, args.due))
    batch: list = []
    for n in range(args.requests):
        due = n % due_every == 0 and n // due_every < args.due
        closed = now - timedelta(days=6 * 365 if due else rng.randint(0, 4 * 365))
        submitted = closed - timedelta(days=30)
        day = timezone.localdate(submitted)
        batch.append(
            Inquiry(
                reference=f"ATMP-{day.year}-{n + 1:06d}",
                applicant_id=applicants[n % len(applicants)].pk,
                applicant_type="clinician",
                organisation="Region Hovedstaden",
                region=rng.choice(Region.values),
                topic=rng.choice(Topic.values),
                atmp_class=rng.choice(AtmpClass.values),
                development_stage=rng.choice(DevelopmentStage.values),
                subject=f"Benchmark question {n}",
                question="Lorem ipsum " * 40,
                consent_given_at=submitted,
                submitted_at=submitted,
                status=Status.CLOSED if due or n % 3 else Status.IN_PROGRESS,
                closed_at=closed if due or n % 3 else None,
                acknowledge_due=add_working_days(day, 2),
                answer_due=add_working_days(day, 10),
            )
        )
        if len(batch) == 5000 or n == args.requests - 1:
            made = Inquiry.objects.bulk_create(batch)
            Message.objects.bulk_create(
                [
                    Message(inquiry=i, author_id=i.applicant_id, kind="applicant", body="Tak " * 50)
                    for i in made
                ]
            )
            AuditEntry.objects.bulk_create(
                [
                    AuditEntry(
                        actor_id=i.applicant_id, action="inquiries.inquiry.submitted",
                        content_type=content_type, object_id=i.pk,
                        object_repr=f"{i.reference} {i.subject}", data={"topic": i.topic},
                    )
                    for i in made
                ]
            )  # fmt: skip
            OutboundEmail.objects.bulk_create(
                [
                    OutboundEmail(
                        key=f"bench:{i.pk}", to=["x@example.org"], subject=i.subject, text="Tak " * 50,
                        status=EmailStatus.SENT, sent_at=i.submitted_at, created_at=i.submitted_at,
                    )
                    for i in made
                ]
            )  # fmt: skip
            batch = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"seeded {args.requests} requests ({args.due} due) in {time.perf_counter() - started:.1f}s")
    del staff

    def measure(label, fn):
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            begun = time.perf_counter()
            result = fn()
            took = time.perf_counter() - begun
        print(f"{label}: {took:.2f}s, {count[0]} queries")
        return result

    preview = measure("preview (the admin's page)", services.retention_preview)
    print("  due: " + ", ".join(f"{rule.key}={count}" for rule, count in preview))
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        first = measure("first run (profiled)", lambda: profiler.runcall(services.retention_run))
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    else:
        first = measure("first run", services.retention_run)
    print(f"  changed: {first.counts}")
    second = measure("second run", services.retention_run)
    print(f"  changed: {second.counts}")
    anonymised = Inquiry.objects.filter(anonymised_at__isnull=False).count()
    print(f"anonymised requests: {anonymised} (expected {args.due})")


if __name__ == "__main__":
    main()
