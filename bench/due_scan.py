"""Benchmark: the "what is due" scan (governance.due.due_scan) on a large governance record.

    createdb -h 127.0.0.1 -U postgres bench_due
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_due \\
        .venv/bin/python bench/due_scan.py [--bodies 100] [--meetings 1000] [--members 30] [--repeat 21]

Uses a throwaway SQLite file unless DATABASE_URL is set (point it at a scratch database: the
script deletes governance data). Seeds ``--meetings`` meetings spread over ``--bodies`` bodies,
``--members`` members per body (terms ending in a year or later), three decisions per meeting
with two action items each (done, or due in the future), milestones not yet due and requests
whose answer is not due soon. Beat runs the scan hourly, so what matters is its cost when nothing
is due (this week's digest already written); the digest's own weekly cost is printed too.
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
    parser.add_argument("--bodies", type=int, default=100)
    parser.add_argument("--meetings", type=int, default=1_000)
    parser.add_argument("--members", type=int, default=30, help="members per body")
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="atmp-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.update(
        DEBUG="true", CELERY_TASK_ALWAYS_EAGER="true", EMAIL_BACKEND="file", LOG_LEVEL="WARNING"
    )
    os.environ.setdefault("EMAIL_FILE_PATH", f"{scratch}/outbox")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atmp_portal.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from governance.due import digest_collect, digest_key, due_scan
    from governance.models import ActionItem, Body, Decision, Meeting, MeetingStatus, Membership
    from outbox.models import OutboundEmail

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    ActionItem.objects.all().delete()
    Decision.objects.all().delete()
    Meeting.objects.all().delete()
    Membership.objects.all().delete()
    Body.objects.filter(code__startswith="bench-").delete()
    OutboundEmail.objects.filter(key__startswith="governance:").delete()

    today = timezone.localdate()
    started = time.perf_counter()
    bodies = Body.objects.bulk_create(
        Body(code=f"bench-{b}", kind="steering_group", name_da=f"Gruppe {b}", name_en=f"Group {b}",
             decision_prefix=f"B{b}")
        for b in range(args.bodies)
    )  # fmt: skip
    Membership.objects.bulk_create(
        Membership(body=body, full_name=f"Member {b}-{m}", email=f"m{b}-{m}@example.org",
                   start_date=today - timedelta(days=400), end_date=today + timedelta(days=365 + m))
        for b, body in enumerate(bodies) for m in range(args.members)
    )  # fmt: skip
    meetings = []
    for i in range(args.meetings):
        body = bodies[i % args.bodies]
        starts = timezone.now() - timedelta(days=i % 700)
        meetings.append(
            Meeting(body=body, year=starts.year, number=i // args.bodies + 1, starts_at=starts,
                    ends_at=starts + timedelta(hours=2), status=MeetingStatus.HELD)
        )  # fmt: skip
    meetings = Meeting.objects.bulk_create(meetings, batch_size=500)
    decisions = Decision.objects.bulk_create(
        (Decision(meeting=meeting, sequence=s, number=f"{meeting.body.decision_prefix}-{meeting.pk}-{s}",
                  title="Beslutning", text="Vedtaget.") for meeting in meetings for s in (1, 2, 3)),
        batch_size=1_000,
    )  # fmt: skip
    ActionItem.objects.bulk_create(
        (ActionItem(decision=decision, title="Opfølgning", status="done" if k else "open",
                    due_date=today - timedelta(days=30) if k else today + timedelta(days=30))
         for decision in decisions for k in (0, 1)),
        batch_size=1_000,
    )  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"seeded {args.bodies} bodies, {args.meetings:,} meetings, {Membership.objects.count():,} members, "
        f"{len(decisions):,} decisions, {ActionItem.objects.count():,} action items "
        f"in {time.perf_counter() - started:.1f} s"
    )

    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        digest_collect(today=today)
    print(f"digest_collect (the weekly digest's reads): {(time.perf_counter() - t0) * 1000:.1f} ms, "
          f"{len(queries)} queries")  # fmt: skip
    written = due_scan(today=today)  # this week's digest (and nothing else: nothing is due)
    assert written == [digest_key(today)], written

    timings = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            written = due_scan(today=today)
        timings.append((time.perf_counter() - t0) * 1000)
        assert written == [], f"nothing is due, yet {written} were written"
    timings.sort()
    p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
    print(f"due_scan, nothing due: median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms, "
          f"max {timings[-1]:.2f} ms, {len(queries)} queries")  # fmt: skip


if __name__ == "__main__":
    main()
