"""Benchmark: the ledger exports (CSV streamed, XLSX) and the budget report, 20,000 to 200,000 entries.

    createdb -h 127.0.0.1 -U postgres bench_budget
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_budget \\
        .venv/bin/python bench/budget_ledger.py [--steps 20000,100000,200000] [--repeat 11]

PostgreSQL only (the streaming export reads through a server-side cursor there; SQLite says
nothing about production). Point DATABASE_URL at a scratch database, never a real one: the script
adds ledger entries, which the database will never let anyone delete (drop the database instead).
A second run reuses the entries already there.

Entries are seeded with bulk_create, past ``ledger_post``'s allocation check (fine for volume):
groups of a commitment, two expenses against it, a release of the rest and an expense without a
commitment, with the effects each kind must have, over 2024–2027, half of them on a project.

At each step every export runs in a fresh Python process: once timed, with its peak RSS and the
growth of the RSS over what the process held before it (from /proc/self/status, peak reset just
before: Linux only), then again under tracemalloc (peak Python allocation). The memory must stay
flat as the ledger grows. The report is timed over --repeat builds (median, p95) with its query
count, which must not grow either.
"""

import argparse
import gc
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://")
DESCRIPTIONS = [
    "Konsulentbistand, analyse af regulatoriske forhold",
    "Mødeforplejning, referencegruppens møde i Aarhus",
    "Rejse til København (tog), styregruppemøde",
    "Trykning af pjecer om ATMP – første oplag",
    "Licens, mødebookingsystem (årlig)",
    "=HYPERLINK(…) kopieret fra regneark",
]


def setup_django() -> None:
    os.environ.update(DEBUG="true", CELERY_TASK_ALWAYS_EAGER="true", EMAIL_BACKEND="console")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atmp_portal.settings")
    import django

    django.setup()


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(f"{field}:"))
    return int(line.split()[1]) / 1024  # kB


def rss_mb() -> float:
    return _status_mb("VmRSS")


def reset_peak_rss() -> None:
    """Start the high-water mark afresh (Linux 4.0+); getrusage's ru_maxrss cannot be reset and,
    worse, survives exec: a child started by a big parent reports the parent's peak."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def peak_rss_mb() -> float:
    return _status_mb("VmHWM")


def export(kind: str, entries) -> int:
    """Run one export to the end, as the server would send it; returns its size in bytes."""
    from budget.exports import ledger_csv_response, ledger_xlsx_response

    make = ledger_csv_response if kind == "csv" else ledger_xlsx_response
    response = make(entries, filename=f"ledger.{kind}")
    size = sum(len(chunk) for chunk in cast(Iterator[bytes], response.streaming_content))
    response.close()
    return size


def measure(kind: str) -> None:
    """Child process: one export of the whole ledger, timed, then again under tracemalloc."""
    setup_django()
    from django.utils import translation

    from budget.selectors import ledger_entries

    translation.activate("da")
    export(kind, ledger_entries()[:50])  # imports, catalogues, connection: not the export's cost
    gc.collect()
    reset_peak_rss()
    rss_before = rss_mb()
    started = time.perf_counter()
    size = export(kind, ledger_entries())
    seconds = time.perf_counter() - started
    rss_peak = peak_rss_mb()
    gc.collect()
    tracemalloc.start()
    export(kind, ledger_entries())
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "mb": size / 1e6,
                "traced_peak_mb": traced_peak / 2**20,
                "rss_peak_mb": rss_peak,
                "rss_growth_mb": rss_peak - rss_before,
            }
        )
    )


def seed(target: int, rng: random.Random) -> int:
    """Add entries until the ledger holds ``target``; returns how many were added."""
    from django.db import connection

    from accounts.models import User
    from budget.models import CostCategory, EntryKind, Grant, LedgerEntry
    from projects.models import Project

    grant = Grant.objects.get(code="ls-2024-2027-amgros")
    categories = list(CostCategory.objects.values_list("pk", flat=True))
    projects = [None] * 5 + list(Project.objects.values_list("pk", flat=True))
    posters = [
        User.objects.get_or_create(
            email=f"bench-budget{i}@example.org",
            defaults={"full_name": name, "is_staff": True, "password": "!"},
        )[0].pk
        for i, name in enumerate(["Søren Ærø", "Åse Øster", ""])
    ]
    have = LedgerEntry.objects.count()
    added = 0
    vouchers = itertools.count(have + 1)

    def entry(kind, amount, committed, spent, like=None, commitment=None):
        year = like.year if like else rng.choice((2024, 2025, 2026, 2027))
        return LedgerEntry(
            date=date(year, 1, 1) + timedelta(days=rng.randrange(365)),
            year=year,
            grant=grant,
            category_id=like.category_id if like else rng.choice(categories),
            project_id=like.project_id if like else rng.choice(projects),
            kind=kind,
            amount=amount,
            committed_effect=committed,
            spent_effect=spent,
            commitment=commitment,
            voucher=f"B-{next(vouchers):07d}",
            description=rng.choice(DESCRIPTIONS),
            posted_by_id=rng.choice(posters),
        )

    while have + added < target:
        remaining = target - have - added
        groups = min(1000, -(-remaining // 5))
        commitments = LedgerEntry.objects.bulk_create(
            [
                entry(EntryKind.COMMITMENT, amount, amount, Decimal("0.00"))
                for amount in (Decimal(rng.randrange(30_000, 300_000)) for _ in range(groups))
            ]
        )
        others = []
        for c in commitments:
            first, second = (c.amount / 3).quantize(Decimal("0.01")), (c.amount / 4).quantize(Decimal("0.01"))
            rest = c.amount - first - second
            spend = Decimal(rng.randrange(100, 20_000)) + Decimal("0.50")
            others += [
                entry(EntryKind.EXPENSE, first, -first, first, like=c, commitment=c),
                entry(EntryKind.EXPENSE, second, -second, second, like=c, commitment=c),
                entry(EntryKind.RELEASE, -rest, -rest, Decimal("0.00"), like=c, commitment=c),
                entry(EntryKind.EXPENSE, spend, Decimal("0.00"), spend),
            ]
        others = others[: remaining - len(commitments)]
        LedgerEntry.objects.bulk_create(others, batch_size=2000)
        added += len(commitments) + len(others)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE budget_ledgerentry")
    return added


def time_report(repeat: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from budget import reports

    reports.build()  # warm up
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            reports.build()
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--steps", default="20000,100000,200000", help="ledger sizes, comma-separated, rising"
    )
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--measure", choices=["csv", "xlsx"], help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL", "").startswith(POSTGRES_SCHEMES):
        sys.exit(
            "bench/budget_ledger.py measures the PostgreSQL set-up (server-side cursors); it does not run\n"
            "on SQLite. Set DATABASE_URL to a scratch PostgreSQL database, e.g.\n"
            "    createdb -h 127.0.0.1 -U postgres bench_budget\n"
            "    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_budget \\\n"
            "        .venv/bin/python bench/budget_ledger.py"
        )
    if args.measure:
        measure(args.measure)
        return

    setup_django()
    from django.core.management import call_command
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=open(os.devnull, "w"))
    connection.close()  # the children open their own

    rng = random.Random(42)
    exports, report_rows = [], []
    for step in sorted(int(s) for s in args.steps.split(",")):
        started = time.perf_counter()
        added = seed(step, rng)
        print(f"seeded {added} entries in {time.perf_counter() - started:.1f}s ({step:,} in all)", flush=True)
        for kind in ("csv", "xlsx"):
            child = subprocess.run(
                [sys.executable, __file__, "--measure", kind], capture_output=True, text=True, check=False
            )
            if child.returncode:
                sys.exit(child.stderr)
            exports.append((step, kind, json.loads(child.stdout.strip().splitlines()[-1])))
            print(f"  {kind}: {exports[-1][2]['seconds']:.1f}s", flush=True)
        report_rows.append((step, *time_report(args.repeat)))

    print()
    print("ledger export, whole ledger, one process each (memory: tracemalloc peak; peak RSS and its growth)")
    heads = ("entries", "format", "wall s", "size MB", "py peak MB", "RSS MB", "RSS +MB")
    print(" ".join(f"{head:>{width}}" for head, width in zip(heads, (8, 6, 7, 8, 11, 7, 8), strict=True)))
    for step, kind, m in exports:
        print(
            f"{step:>8,} {kind:>6} {m['seconds']:>7.1f} {m['mb']:>8.1f} {m['traced_peak_mb']:>11.2f} "
            f"{m['rss_peak_mb']:>7.1f} {m['rss_growth_mb']:>8.1f}"
        )
    print()
    print(f"budget.reports.build(), {args.repeat} runs")
    print(f"{'entries':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for step, median, p95, queries in report_rows:
        print(f"{step:>8,} {median:>10.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
