"""Benchmark: the steering group's dashboard at 100,000 requests, 200,000 ledger entries, 4 years of meetings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perf_bench_dashboard \\
        .venv/bin/python bench/dashboard.py [--reseed] [--repeat 20] [--warmup 2] [--slowest 0]

PostgreSQL only (the page's grouped counts and date truncations are what production runs; SQLite
says nothing about them). DATABASE_URL defaults to the line above. The database it names is created
when missing (from template1, never touching ``postgres``) and seeded; a second run reuses it and
only adds what is missing. --reseed drops it and starts again: the ledger refuses deletes, so
dropping the database is the only way. Point it at a scratch database, never a real one; the
names CI and the tests use (postgres, root, test_*) are refused.

Seeded by bench/seed.py (shared with bench/perf.py): the reference data, four years of meetings,
projects and funding applications, 100,000 requests submitted over 2024-01-01..2027-12-31 and
200,000 ledger entries, written with COPY, and the summaries the services keep rebuilt from them.
The data runs to the end of 2027 so that every period has its full volume; "today" is the real
today.

Then GET /dashboard/ (the default, this year), ?year=<this year> (the same period, chosen),
?year=2025&quarter=2 and ?start=2024-01-01&end=2027-12-31, as a steering group member and as the
secretariat: --warmup runs, then --repeat timed ones, median and p95 and the query count, which
must be the same on every run (and must not grow with the data). --slowest N also prints the N
slowest statements of each page's last run.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTGRES_SCHEMES = ("postgres://", "postgresql://", "pgsql://")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/perf_bench_dashboard"
RESERVED = {"postgres", "root", "template0", "template1"}  # and test_*: CI and the tests use them


def database_url() -> str:
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(POSTGRES_SCHEMES):
        sys.exit(
            "bench/dashboard.py measures the PostgreSQL set-up; it does not run on SQLite. Leave\n"
            "DATABASE_URL unset (it then uses perf_bench_dashboard) or name a scratch PostgreSQL one:\n"
            f"    DATABASE_URL={DEFAULT_URL} \\\n"
            "        .venv/bin/python bench/dashboard.py"
        )
    name = unquote(urlsplit(url).path.lstrip("/"))
    if not name or name in RESERVED or name.startswith("test_"):
        sys.exit(f"bench/dashboard.py will not use the database {name!r}: name a scratch one, perf_bench_*")
    return url


def ensure_database(url: str, reseed: bool) -> bool:
    """Create the database if it is missing (drop it first with ``reseed``); True if it is new."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    with psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password) if parts.password else None,
        dbname="template1",  # the maintenance database; postgres is CI's
        autocommit=True,
    ) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reseed:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            print(f"dropped database {name}")
            exists = None
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
            print(f"created database {name}")
    return not exists


def setup_django() -> None:
    os.environ.update(DEBUG="true", CELERY_TASK_ALWAYS_EAGER="true", EMAIL_BACKEND="console")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atmp_portal.settings")
    import django

    django.setup()


def summary(today: datetime.date) -> None:
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from budget.models import LedgerEntry
    from governance.models import ActionItem, Meeting
    from inquiries.models import Inquiry, Referral

    per_year = dict(
        Inquiry.objects.order_by()
        .annotate(y=ExtractYear("submitted_at"))
        .values_list("y")
        .annotate(n=Count("pk"))
    )
    print(
        f"data: {sum(per_year.values()):,} requests ("
        + ", ".join(f"{y}: {n:,}" for y, n in sorted(per_year.items()))
        + f"), {Referral.objects.count():,} referrals, {LedgerEntry.objects.count():,} ledger entries, "
        f"{Meeting.objects.count()} meetings, "
        f"{ActionItem.objects.overdue(today).count()} action items overdue"
    )


# --- Timing -----------------------------------------------------------------------------------


def time_page(user, url: str, warmup: int, repeat: int):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.seed import sign_in_with_second_factor

    client = Client(HTTP_HOST="localhost")
    sign_in_with_second_factor(client, user) if user.is_staff else client.force_login(user)
    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings, counts = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(queries))
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, counts, list(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reseed", action="store_true", help="drop the database and seed it again")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=200_000, help="ledger entries")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--slowest", type=int, default=0, help="print the N slowest queries of each page")
    args = parser.parse_args()

    url = database_url()
    ensure_database(url, args.reseed)
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from bench.seed import seed

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    for what, seconds in seed(args.requests, args.entries).items():
        print(f"  seeded {what}: {seconds:.1f}s", flush=True)
    member = User.objects.get(email="bench-steering@example.org")
    secretariat = User.objects.get(email="bench-secretariat@example.org")
    summary(today)

    base = reverse("dashboard:index")
    pages = [
        ("(default: this year)", base),
        (f"?year={today.year}", f"{base}?year={today.year}"),
        ("?year=2025&quarter=2", f"{base}?year=2025&quarter=2"),
        ("?start=2024-01-01&end=2027-12-31", f"{base}?start=2024-01-01&end=2027-12-31"),
    ]
    people = [("steering member", member), ("secretariat", secretariat)]
    rows, slow = [], []
    for name, page in pages:
        for who, user in people:
            median, p95, counts, last = time_page(user, page, args.warmup, args.repeat)
            rows.append((name, who, median, p95, counts))
            slow.append((name, who, last))

    print()
    print(f"GET {base}, {args.warmup} warm-ups then {args.repeat} runs each")
    print(f"{'page':<34} {'who':<16} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, who, median, p95, counts in rows:
        queries = str(counts[0]) if len(set(counts)) == 1 else f"{min(counts)}-{max(counts)}"
        print(f"{name:<34} {who:<16} {median:>10.1f} {p95:>8.1f} {queries:>8}")
    varying = [(name, who, sorted(set(counts))) for name, who, _m, _p, counts in rows if len(set(counts)) > 1]
    print()
    if varying:
        for name, who, seen in varying:
            print(f"query count NOT constant: {name}, {who}: {seen}")
    else:
        print("query count: the same on every run of every page")

    for name, who, queries in slow if args.slowest else []:
        print(f"\nslowest queries, {name}, {who} (last run):")
        for query in sorted(queries, key=lambda q: -float(q["time"]))[: args.slowest]:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")


if __name__ == "__main__":
    main()
