"""Benchmark: the secretariat's user list and search in the admin, and the home page, with many users.

    .venv/bin/python bench/accounts_admin.py [--users 20000] [--repeat 5]

Uses a throwaway SQLite file unless DATABASE_URL is set (point it at a scratch PostgreSQL
database, never a real one: the script creates users). Prints median time and query count
per page; the query count must not grow with --users.
"""

import argparse
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
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
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
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from accounts.roles import SECRETARIAT_GROUP

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=open(os.devnull, "w"))

    started = time.perf_counter()
    have = User.objects.count()
    batch = [
        User(
            email=f"bench{i}@example.org",
            full_name=f"Bench Person {i}",
            organisation="Region Hovedstaden",
            applicant_type="clinician",
            password="!",
        )
        for i in range(have, args.users)
    ]
    User.objects.bulk_create(batch, batch_size=2000)
    print(
        f"seeded {len(batch)} users in {time.perf_counter() - started:.1f}s ({User.objects.count()} in all)"
    )

    staff, _ = User.objects.get_or_create(email="bench-staff@example.org", defaults={"is_staff": True})
    staff.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    if not staff.authenticator_set.exists():
        TOTP.activate(staff, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")

    client = Client(HTTP_HOST="localhost")
    client.force_login(staff)
    pages = {
        "home": "/",
        "admin user list": "/admin/accounts/user/",
        "admin user search": "/admin/accounts/user/?q=person+1999",
        "admin user filter": "/admin/accounts/user/?applicant_type__exact=clinician&is_staff__exact=0",
        "admin organisations": "/admin/governance/organisation/",
    }
    print(f"{'page':<24} {'median ms':>10} {'queries':>8}")
    for name, url in pages.items():
        timings = []
        for _ in range(args.repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{name:<24} {statistics.median(timings):>10.1f} {len(queries):>8}")


if __name__ == "__main__":
    main()
