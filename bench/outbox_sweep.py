"""Benchmark: the outbox sweeper over many sent emails and a backlog of unsent ones not yet due.

    createdb -h 127.0.0.1 -U postgres bench_outbox
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_outbox \\
        .venv/bin/python bench/outbox_sweep.py [--sent 100000] [--unsent 1000] [--repeat 51]

Uses a throwaway SQLite file unless DATABASE_URL is set (point it at a scratch database: the
script fills the outbox). Beat runs the sweep every minute, so what matters is its cost when
nothing is due: the unsent rows are waiting for their retry (not_before in the future) or were
queued moments ago. Prints median and p95 time, the query count, and PostgreSQL's plan.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sent", type=int, default=100_000)
    parser.add_argument("--unsent", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=51)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="atmp-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.update(DEBUG="true", CELERY_TASK_ALWAYS_EAGER="true", EMAIL_BACKEND="console")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atmp_portal.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from outbox import services
    from outbox.models import EmailStatus, OutboundEmail

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    OutboundEmail.objects.all().delete()

    now = timezone.now()
    body = "Tak for din henvendelse. " * 40  # about 1 kB, like a receipt
    started = time.perf_counter()
    batch = []
    for i in range(args.sent):
        at = now - timedelta(minutes=i)
        batch.append(
            OutboundEmail(
                key=f"bench:sent:{i}", to=[f"person{i}@example.org"], subject=f"Receipt {i}", text=body,
                status=EmailStatus.SENT, created_at=at, not_before=at, queued_at=at, sent_at=at, attempts=1,
            )
        )  # fmt: skip
        if len(batch) == 5_000:
            OutboundEmail.objects.bulk_create(batch)
            batch = []
    for i in range(args.unsent):
        waiting_for_retry = i % 2 == 0
        batch.append(
            OutboundEmail(
                key=f"bench:unsent:{i}", to=[f"late{i}@example.org"], subject=f"Waiting {i}", text=body,
                status=EmailStatus.PENDING, created_at=now - timedelta(minutes=30),
                # half wait for their retry, half were queued a moment ago (their task is on its way)
                not_before=now + timedelta(minutes=5) if waiting_for_retry else now - timedelta(seconds=5),
                queued_at=None if waiting_for_retry else now - timedelta(seconds=5),
                attempts=3 if waiting_for_retry else 0,
            )
        )  # fmt: skip
    OutboundEmail.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE outbox_outboundemail")
    print(f"seeded {args.sent:,} sent and {args.unsent:,} unsent in {time.perf_counter() - started:.1f} s")

    timings = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            swept = services.outbox_sweep(now=now)
        timings.append((time.perf_counter() - t0) * 1000)
        assert swept == 0, f"nothing is due, yet {swept} were queued"
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"outbox_sweep, nothing due: median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms, "
          f"{len(queries)} quer{'y' if len(queries) == 1 else 'ies'}")  # fmt: skip
    if connection.vendor == "postgresql":
        sql = queries.captured_queries[0]["sql"]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
