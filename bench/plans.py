"""Where a page's database time goes: each query's planning and running time (issue 21).

    .venv/bin/python bench/plans.py [--size 100k] URL [URL ...]

Uses bench/perf.py's database for that size (seed it first: bench/perf.py --sizes 100k), signs in
as its secretariat user with a second factor, requests each URL a few times (warm caches, as a
page in production finds them), captures the queries of one more request and runs each SELECT
again under ``EXPLAIN (ANALYZE, SUMMARY)``: the best of three, planning and execution apart.

A query that takes long to *plan* is invisible in a profile of the page (it is "database time")
and in the execution time of EXPLAIN ANALYZE alike: the ledger list's seven-table join was ~23 ms
of planning for a 1 ms run. PostgreSQL only; prints nothing it cannot EXPLAIN (server-side cursor
statements, writes).
"""

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.perf import SIZES, child_env, setup_django  # noqa: E402


def explain(cursor, sql: str) -> tuple[float, float]:
    """(planning ms, execution ms) of ``sql``, the best of three runs."""
    best: tuple[float, float] | None = None
    for _ in range(3):
        cursor.execute("EXPLAIN (ANALYZE, SUMMARY ON) " + sql)
        text = "\n".join(row[0] for row in cursor.fetchall())
        planning = re.search(r"Planning Time: ([\d.]+)", text)
        execution = re.search(r"Execution Time: ([\d.]+)", text)
        assert planning and execution, text
        times = (float(planning.group(1)), float(execution.group(1)))
        best = times if best is None or sum(times) < sum(best) else best
    assert best is not None
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", default="100k", choices=list(SIZES))
    parser.add_argument("urls", nargs="+")
    args = parser.parse_args()
    os.environ.update(child_env(SIZES[args.size][0]))
    setup_django()

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench.seed import sign_in_with_second_factor

    settings.ROOT_URLCONF = "bench.perf_urls"
    client = Client(HTTP_HOST="localhost")
    sign_in_with_second_factor(client, User.objects.get(email="bench-secretariat@example.org"))
    for url in args.urls:
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        print(f"\n{url} ({args.size}): {len(captured)} queries")
        print("| plan ms | run ms | query |\n|---:|---:|---|")
        total = [0.0, 0.0]
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip("( ").upper().startswith(("SELECT", "WITH")):
                    print(f"| | | (not explained) {sql[:80]} |")
                    continue
                planning, execution = explain(cursor, sql)
                total[0] += planning
                total[1] += execution
                print(f"| {planning:.2f} | {execution:.2f} | {sql[:100]} |")
        print(f"| {total[0]:.2f} | {total[1]:.2f} | in all |")


if __name__ == "__main__":
    main()
