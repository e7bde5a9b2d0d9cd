"""Benchmark: the project pages at the most projects the codes allow (I–V and P1–P99).

    createdb -h 127.0.0.1 -U postgres bench_projects
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_projects \\
        .venv/bin/python bench/projects_pages.py [--milestones 12] [--deliverables 6] [--repeat 11]

Uses a throwaway SQLite file unless DATABASE_URL is set (point it at a scratch database, never a
real one). Seeds 104 projects, each with milestones, deliverables (half published) and progress
updates, and prints median and p95 time and the query count of the list, the timeline and one
project page, for the public and for a steering group member. The query count must not grow with
the data.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--milestones", type=int, default=12)
    parser.add_argument("--deliverables", type=int, default=6)
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=11)
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

    from accounts.models import User
    from governance.models import Body, Membership
    from projects.models import Deliverable, Milestone, ProgressUpdate, Project

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))

    Project.objects.bulk_create(
        [
            Project(
                code=f"P{n}",
                kind="pilot",
                tor_item="V",
                title_da=f"Pilotprojekt {n}",
                title_en=f"Pilot project {n}",
                purpose_da="Afprøvning af en løsningsmodel. " * 8,
                planned_start=datetime.date(2025, 1, 1) + datetime.timedelta(days=7 * n),
                planned_end=datetime.date(2027, 6, 30) + datetime.timedelta(days=3 * n),
                position=10 + n,
            )
            for n in range(1, 100)
        ],
        ignore_conflicts=True,
    )
    projects = list(Project.objects.all())
    if not Milestone.objects.exists():
        Milestone.objects.bulk_create(
            Milestone(
                project=p,
                title_da=f"Milepæl {i}",
                due_date=datetime.date(2025, 3, 1) + datetime.timedelta(days=70 * i),
                done_date=datetime.date(2025, 3, 1) + datetime.timedelta(days=70 * i) if i % 3 == 0 else None,
            )
            for p in projects
            for i in range(args.milestones)
        )
        Deliverable.objects.bulk_create(
            Deliverable(
                project=p,
                title=f"Rapport {i} om {p.code}",
                kind="report",
                file="private/projects/bench.pdf",
                original_name="rapport.pdf",
                size=1234,
            )
            for p in projects
            for i in range(args.deliverables)
        )
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                project=p,
                date=datetime.date(2025, 1, 1) + datetime.timedelta(days=30 * i),
                text="Status: arbejdet skrider frem som planlagt.",
                is_public=i % 2 == 0,
            )
            for p in projects
            for i in range(args.updates)
        )
    print(
        f"seeded: {Project.objects.count()} projects, {Milestone.objects.count()} milestones, "
        f"{Deliverable.objects.count()} deliverables, {ProgressUpdate.objects.count()} progress updates"
    )

    member, _ = User.objects.get_or_create(
        email="bench-steering@example.org", defaults={"full_name": "Bench"}
    )
    steering = Body.objects.get(code="steering-group")
    Membership.objects.get_or_create(
        body=steering, user=member, defaults={"full_name": "Bench", "start_date": datetime.date(2025, 1, 1)}
    )
    public, signed_in = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    signed_in.force_login(member)

    pages = [
        ("list", "/projects/"),
        ("list, filtered", "/projects/?kind=pilot&status=proposed"),
        ("timeline", "/projects/timeline/"),
        ("one project", "/projects/P50/"),
    ]
    print("\n| page | who | median ms | p95 ms | queries | KiB |\n|---|---|---:|---:|---:|---:|")
    for label, url in pages:
        for who, client in (("public", public), ("steering", signed_in)):
            client.get(url)  # warm up
            timings = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            timings.sort()
            p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
            print(
                f"| {label} | {who} | {statistics.median(timings):.0f} | {p95:.0f} | {len(queries)} "
                f"| {len(response.content) // 1024} |"
            )


if __name__ == "__main__":
    main()
