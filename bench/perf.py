"""Benchmark (issue 21): the staff pages and the dashboard next to a floor page, 10k, 100k, 1M requests.

    .venv/bin/python bench/perf.py [--sizes 10k,100k,1m] [--repeat 15] [--reseed] [--xlsx] [--pages WORDS]

One command seeds three scratch PostgreSQL databases, one per size, each created from template1
when missing and reused afterwards (--reseed drops and seeds them again; the ledger refuses
deletes, so dropping is the only way):

    size   database          requests    ledger entries   messages
    10k    perf_bench_10k      10,000          20,000        10,000
    100k   perf_bench_100k    100,000         200,000       100,000
    1m     perf_bench_1m    1,000,000       1,000,000     1,000,000

Ledger entries are two per request up to 100k (the issue's 100k/200k) and one per request at 1M:
2M entries would take the seeding of the 1M database past ten minutes on a 2-core machine, and
1M entries is exactly the XLSX goal's size. Messages: five on every fifth request (one per request
on average); the timed request has its own thread of six messages with attachments, a referral
and its history. Requests, referrals, messages and ledger entries are written with COPY (past the
services: fine for volume), then the summaries the services keep are rebuilt from the raw rows
with the apps' own rebuild functions, when the code has them. The seeding is bench/seed.py's,
shared with bench/dashboard.py.

Each size runs in its own child process (DATABASE_URL set to its database; DEBUG off, as in
production). Pages are served in-process through Django's test Client (the whole middleware
stack, no socket), as a secretariat user with a second factor. The "floor page" is the base
template with one indexed 25-row query; it lives only in this benchmark's URLconf
(bench/perf_urls.py), never in the portal's. Pages are interleaved: each round requests every
page once, so noise hits them alike. Printed per page: p50 and p95 in ms, p95 as a multiple of
the floor's p95, and the query count (from one extra run under CaptureQueriesContext, so the
timed runs carry no query logging). The ledger CSV is timed over fewer runs (whole download)
with its peak RSS growth. --pages dashboard,queue times only the pages whose names hold one of
the words, next to the floor page (for working on one page; the tables for the record come from
all pages). --xlsx also builds the ledger XLSX of the largest size in a child
process and prints its time and RSS growth.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = {
    "10k": ("perf_bench_10k", 10_000, 20_000),
    "100k": ("perf_bench_100k", 100_000, 200_000),
    "1m": ("perf_bench_1m", 1_000_000, 1_000_000),
}
BASE_URL = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SEARCH_WORD = "pilot"


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(f"{field}:"))
    return int(line.split()[1]) / 1024


def reset_peak_rss() -> None:
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def child_env(database: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{BASE_URL}/{database}",
        DEBUG="false",
        SECRET_KEY="bench-perf-" + "x" * 40,
        ALLOWED_HOSTS="localhost",
        SITE_URL="http://localhost",
        HTTPS="false",
        STATIC_MANIFEST="false",
        EMAIL_BACKEND="console",
        CELERY_TASK_ALWAYS_EAGER="true",
        LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="atmp_portal.settings",
    )
    env.pop("REDIS_URL", None)
    return env


def setup_django() -> None:
    import django

    django.setup()


# --- Timing (child process) -------------------------------------------------------------------


def pages(secretariat) -> list[tuple[str, str]]:
    from django.utils import timezone

    from inquiries.models import Inquiry

    today = timezone.localdate()
    timed = Inquiry.objects.filter(subject__startswith="Benchmark: the request").values_list("pk", flat=True)[
        0
    ]
    queue = "/admin/inquiries/inquiry/"
    return [
        ("floor page", "/bench-floor/"),
        ("dashboard, this year", "/dashboard/"),
        ("dashboard, all years", "/dashboard/?start=2024-01-01&end=2027-12-31"),
        ("admin queue, 50 rows", queue),
        ("admin queue, 100 rows", queue + "?per_page=100"),
        ("admin queue, open", queue + "?status=open"),
        (f"admin queue, search '{SEARCH_WORD}'", queue + f"?q={SEARCH_WORD}"),
        ("admin change page", f"{queue}{timed}/change/"),
        ("ledger list", "/budget/ledger/"),
        ("budget report", "/budget/"),
        ("ledger CSV", "/budget/ledger.csv"),
    ] + ([] if today else [])


def measure(repeat: int, warmup: int, words: list[str] | None = None) -> dict:
    from django.conf import settings
    from django.contrib import admin
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.seed import sign_in_with_second_factor
    from budget.models import LedgerEntry
    from inquiries.models import Inquiry, Message

    settings.ROOT_URLCONF = "bench.perf_urls"
    queue_admin = admin.site._registry[Inquiry]
    secretariat = User.objects.get(email="bench-secretariat@example.org")
    client = Client(HTTP_HOST="localhost")
    sign_in_with_second_factor(client, secretariat)
    client.cookies["atmp_language"] = "da"

    def get(url: str):
        # ?per_page=100 is the benchmark's own: the queue shows 100 rows for that page.
        per_page = 100 if "per_page=100" in url else 50
        setattr(queue_admin, "list_per_page", per_page)  # noqa: B010  (an instance's own setting)
        response = client.get(url.replace("?per_page=100", ""))
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            size = 0
            for chunk in response.streaming_content:  # type: ignore[attr-defined]
                size += len(chunk)
        else:
            size = len(response.content)
        response.close()
        setattr(queue_admin, "list_per_page", 50)  # noqa: B010
        return size

    listed = [
        (name, url)
        for name, url in pages(secretariat)
        if not words or name == "floor page" or any(word in name for word in words)
    ]
    timings: dict[str, list[float]] = {name: [] for name, _ in listed}
    queries: dict[str, int] = {}
    memory: dict[str, float] = {}
    for name, url in listed:
        for _ in range(warmup if name != "ledger CSV" else 1):
            get(url)
        with CaptureQueriesContext(connection) as captured:
            get(url)
        queries[name] = len(captured)
    for round_ in range(repeat):
        for name, url in listed:
            if name == "ledger CSV" and round_ >= max(3, repeat // 5):
                continue
            if name == "ledger CSV":
                reset_peak_rss()
                before = _status_mb("VmRSS")
            started = time.perf_counter()
            get(url)
            timings[name].append((time.perf_counter() - started) * 1000)
            if name == "ledger CSV":
                memory[name] = max(memory.get(name, 0.0), _status_mb("VmHWM") - before)
    result = {}
    for name, values in timings.items():
        values.sort()
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        result[name] = {
            "p50": statistics.median(values),
            "p95": p95,
            "queries": queries[name],
            "runs": len(values),
            "rss_growth_mb": memory.get(name),
        }
    return {
        "pages": result,
        "data": {
            "requests": Inquiry.objects.count(),
            "messages": Message.objects.count(),
            "ledger": LedgerEntry.objects.count(),
        },
    }


def xlsx_measure() -> dict:
    """Build the whole ledger's XLSX the way the export task does, with the RSS growth."""
    import gc

    from budget import exports
    from budget.selectors import ledger_entries

    entries = ledger_entries().order_by("date", "pk")
    build = getattr(exports, "ledger_xlsx_file", None)
    gc.collect()
    reset_peak_rss()
    before = _status_mb("VmRSS")
    started = time.perf_counter()
    if build is not None:
        path = build(entries)
        size = os.path.getsize(path)
        os.unlink(path)
    else:
        response = exports.ledger_xlsx_response(entries, filename="ledger.xlsx")
        size = 0
        for chunk in response.streaming_content:  # type: ignore[union-attr]
            size += len(chunk)
        response.close()
    return {
        "seconds": time.perf_counter() - started,
        "rss_growth_mb": _status_mb("VmHWM") - before,
        "mb": size / 1e6,
        "entries": entries.count(),
    }


def child(size: str, args) -> None:
    database, requests, entries = SIZES[size]
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.seed import seed

    out: dict[str, object] = {"size": size, "database": database}
    out["seeding"] = seed(requests, entries)
    if args.xlsx_only:
        out["xlsx"] = xlsx_measure()
    else:
        out.update(measure(args.repeat, args.warmup, [w for w in args.pages.split(",") if w]))
    print("RESULT " + json.dumps(out))


# --- The parent -------------------------------------------------------------------------------


def ensure_database(name: str, reseed: bool) -> None:
    import psycopg
    from psycopg import sql

    assert name.startswith("perf_bench_"), name  # never postgres, root, test_* or wt_*
    with psycopg.connect(f"{BASE_URL}/template1", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reseed:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template1").format(sql.Identifier(name)))


def table(results: list[dict]) -> str:
    sizes = [r["size"] for r in results]
    names = list(results[0]["pages"])
    head = "| page | " + " | ".join(f"{s} p50 / p95 ms | {s} q | {s} × floor" for s in sizes) + " |"
    lines = [head, "|---|" + "---:|---:|---:|" * len(sizes)]
    for name in names:
        cells = []
        for r in results:
            page, floor = r["pages"][name], r["pages"]["floor page"]
            extra = f" (+{page['rss_growth_mb']:.0f} MB RSS)" if page.get("rss_growth_mb") is not None else ""
            cells.append(
                f"{page['p50']:.1f} / {page['p95']:.1f}{extra} | {page['queries']} | "
                f"{page['p95'] / floor['p95']:.1f}"
            )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10k,100k,1m")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--xlsx", action="store_true", help="also build the XLSX of the largest size")
    parser.add_argument("--pages", default="", help="only the pages whose names hold one of these words")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--xlsx-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args)
        return

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    results = []
    for size in sizes:
        database = SIZES[size][0]
        ensure_database(database, args.reseed)
        started = time.perf_counter()
        command = [
            sys.executable,
            __file__,
            "--child",
            size,
            "--repeat",
            str(args.repeat),
            "--warmup",
            str(args.warmup),
            "--pages",
            args.pages,
        ]
        done = subprocess.run(command, env=child_env(database), capture_output=True, text=True, check=False)
        if done.returncode:
            sys.exit(f"{size}: {done.stderr[-4000:]}")
        result = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))[7:])
        results.append(result)
        print(f"{size} ({database}): {result['data']} in {time.perf_counter() - started:.0f}s", flush=True)
        for what, seconds in result["seeding"].items():
            print(f"  seeded {what}: {seconds:.1f}s", flush=True)
    print()
    print(
        f"Django test Client in-process, DEBUG off, PostgreSQL; {args.repeat} interleaved rounds "
        f"after {args.warmup} warm-ups"
    )
    print(table(results))
    for size in sizes[-1:] if args.xlsx else []:
        database = SIZES[size][0]
        command = [sys.executable, __file__, "--child", size, "--xlsx-only"]
        done = subprocess.run(command, env=child_env(database), capture_output=True, text=True, check=False)
        if done.returncode:
            sys.exit(f"xlsx {size}: {done.stderr[-4000:]}")
        x = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))[7:])[
            "xlsx"
        ]
        print(
            f"\nledger XLSX, {x['entries']:,} entries ({size}): {x['seconds']:.0f}s, {x['mb']:.0f} MB, "
            f"RSS growth {x['rss_growth_mb']:.0f} MB"
        )


if __name__ == "__main__":
    main()
