"""Benchmark: the secretariat's request queue in the admin, and an applicant's list, at 100,000 requests.

    createdb -h 127.0.0.1 -U postgres bench_requests
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_requests \\
        .venv/bin/python bench/requests_admin.py [--requests 100000] [--repeat 11]

Uses a throwaway SQLite file unless DATABASE_URL is set (point it at a scratch database, never a
real one: the script creates users and requests). Prints median and p95 time and the query
count per page; the query count must not grow with --requests.
"""

import argparse
import os
import random
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
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--applicants", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="atmp-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.update(DEBUG="true", CELERY_TASK_ALWAYS_EAGER="true", EMAIL_BACKEND="console")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atmp_portal.settings")

    import django

    django.setup()
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import SECRETARIAT_GROUP
    from inquiries.clock import add_working_days
    from inquiries.models import AtmpClass, DevelopmentStage, Inquiry, Region, Status, Topic

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)

    staff = []
    for i in range(5):
        user, _ = User.objects.get_or_create(
            email=f"bench-staff{i}@example.org", defaults={"is_staff": True, "full_name": f"Staff {i}"}
        )
        user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
        if not user.authenticator_set.exists():
            TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
        staff.append(user)

    started = time.perf_counter()
    have_users = User.objects.filter(email__startswith="bench-applicant").count()
    User.objects.bulk_create(
        [
            User(email=f"bench-applicant{i}@example.org", full_name=f"Applicant {i}", password="!")
            for i in range(have_users, args.applicants)
        ],
        batch_size=2000,
    )
    applicants = list(User.objects.filter(email__startswith="bench-applicant").values_list("pk", flat=True))
    busy_applicant = User.objects.get(email="bench-applicant0@example.org")

    rng = random.Random(42)
    have = Inquiry.objects.count()
    now = timezone.now()
    statuses = (
        [Status.CLOSED] * 70
        + [Status.ANSWERED] * 10
        + [Status.WITHDRAWN] * 3
        + [
            Status.SUBMITTED,
            Status.IN_TRIAGE,
            Status.IN_PROGRESS,
            Status.IN_PROGRESS,
            Status.WAITING_FOR_APPLICANT,
            Status.REFERRED,
        ]
        * 3
    )
    batch = []
    for n in range(have, args.requests):
        submitted = now - timedelta(days=rng.randint(0, 4 * 365), minutes=rng.randint(0, 1440))
        day = timezone.localdate(submitted)
        status = rng.choice(statuses)
        applicant = busy_applicant.pk if n % 500 == 0 else rng.choice(applicants)
        batch.append(
            Inquiry(
                reference=f"ATMP-{day.year}-{n + 1:06d}",
                applicant_id=applicant,
                applicant_type=rng.choice(["clinician", "researcher", "company", "hospital_pharmacy"]),
                organisation="Region Hovedstaden",
                region=rng.choice(Region.values),
                topic=rng.choice(Topic.values),
                atmp_class=rng.choice(AtmpClass.values),
                development_stage=rng.choice(DevelopmentStage.values),
                subject=f"Benchmark question {n} about {rng.choice(['GMP', 'pilot', 'trial sites', 'HTA'])}",
                question="Lorem ipsum " * 40,
                consent_given_at=submitted,
                submitted_at=submitted,
                status=status,
                priority=rng.choice([1, 2, 2, 2, 3, 4]),
                assignee_id=None if rng.random() < 0.1 else rng.choice(staff).pk,
                acknowledge_due=add_working_days(day, 2),
                answer_due=add_working_days(day, 10),
            )
        )
        if len(batch) == 5000:
            Inquiry.objects.bulk_create(batch)
            batch = []
    Inquiry.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"seeded {args.requests - have} requests in {time.perf_counter() - started:.1f}s "
        f"({Inquiry.objects.count()} in all; {busy_applicant.email} has "
        f"{Inquiry.objects.filter(applicant=busy_applicant).count()})"
    )

    some_reference = Inquiry.objects.order_by("pk").values_list("reference", flat=True)[args.requests // 2]
    queue = "/admin/inquiries/inquiry/"
    pages = {
        "queue (default)": (staff[0], queue),
        "queue unassigned": (staff[0], f"{queue}?assignee=unassigned"),
        "queue mine": (staff[0], f"{queue}?assignee=mine&status=open"),
        "queue overdue": (staff[0], f"{queue}?clock=overdue"),
        "queue open by due date": (staff[0], f"{queue}?status=open&o=4"),
        "queue sort by due date": (staff[0], f"{queue}?o=4"),
        "queue search reference": (staff[0], f"{queue}?q={some_reference}"),
        "queue search email": (staff[0], f"{queue}?q=bench-applicant4242%40example.org"),
        "queue search subject": (staff[0], f"{queue}?q=trial+sites"),
        "queue topic+type": (staff[0], f"{queue}?topic=funding&applicant_type=company"),
        "request change view": (
            staff[0],
            f"{queue}{Inquiry.objects.order_by('-pk').values_list('pk', flat=True)[0]}/change/",
        ),
        "applicant list": (busy_applicant, "/requests/"),
    }
    print(f"{'page':<26} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, (user, url) in pages.items():
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        client.get(url)  # warm up
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        print(f"{name:<26} {statistics.median(timings):>10.1f} {p95:>8.1f} {len(queries):>8}")


if __name__ == "__main__":
    main()
