"""Benchmark: searching and filtering the guidance library at 5,000 published items.

    createdb -h 127.0.0.1 -U postgres bench_knowledge
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_knowledge \\
        .venv/bin/python bench/knowledge_search.py [--items 5000] [--repeat 21]

Uses a throwaway SQLite file unless DATABASE_URL is set (point it at a scratch database, never a
real one; on SQLite search is the icontains fallback). Seeds the items in both languages with
tags and bodies of a few hundred words, then times the library page (the whole request: filter,
search, count, one page of 20, render) for typical searches and filters, and prints the median,
the p95 and the query count of each.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DANISH = (
    "genterapi celleterapi vævsmanipuleret hospitalsundtagelse klinisk forsøg ansøgning myndighed "
    "fremstilling kvalitet sporbarhed donor patient protokol tilladelse vurdering komité region "
    "opfølgning bivirkning effekt dokumentation vejledning rådgivning frist behandling"
).split()
ENGLISH = (
    "gene therapy cell therapy tissue engineered hospital exemption clinical trial application authority "
    "manufacturing quality traceability donor patient protocol authorisation assessment committee region "
    "follow-up adverse reaction efficacy documentation guidance advice deadline treatment"
).split()

SCENARIOS = [
    ("no search, first page", {}),
    ("page 50", {"page": "50"}),
    ("kind filter", {"kind": "faq"}),
    ("topic + class + stage", {"topic": "regulatory", "atmp_class": "gene_therapy", "stage": "phase_1"}),
    ("search 'genterapi' (da)", {"q": "genterapi"}),
    ("search 'clinical trials' (en)", {"q": "clinical trials"}),
    ("search rare word", {"q": "sjældenhed"}),
    ("search + topic filter", {"q": "hospitalsundtagelse", "topic": "hospital_exemption"}),
    ("search with exclusion", {"q": "genterapi -donor"}),
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=21)
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
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from inquiries.models import AtmpClass, DevelopmentStage, Topic
    from knowledge.models import Item, ItemKind, ItemStatus, ItemTag
    from knowledge.search import refresh_search_documents

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)

    have = Item.objects.filter(slug__startswith="bench-").count()
    if have < args.items:
        rng = random.Random(17)
        today = timezone.localdate()

        def words(pool, n):
            return " ".join(rng.choice(pool) for _ in range(n))

        batch = []
        for n in range(have, args.items):
            batch.append(
                Item(
                    slug=f"bench-{n}",
                    kind=rng.choice(ItemKind.values),
                    title_da=words(DANISH, 6).capitalize(),
                    title_en=words(ENGLISH, 6).capitalize() if n % 5 else "",
                    summary_da=words(DANISH, 40),
                    summary_en=words(ENGLISH, 40) if n % 5 else "",
                    body_da=words(DANISH, 400),
                    body_en=words(ENGLISH, 400) if n % 5 else "",
                    status=ItemStatus.PUBLISHED,
                    review_by=today.replace(year=today.year + 1),
                    updated_on=today - datetime.timedelta(days=n % 700),
                    first_published_at=timezone.now(),
                )
            )
        if args.items > 10:
            batch[len(batch) // 2].title_da = "Sjældenhed i genterapi"
        Item.objects.bulk_create(batch, batch_size=500)
        tags = []
        for item_id in Item.objects.filter(slug__startswith="bench-", tags__isnull=True).values_list(
            "pk", flat=True
        ):
            tags.append(ItemTag(item_id=item_id, dimension="topic", value=rng.choice(Topic.values)))
            tags.append(ItemTag(item_id=item_id, dimension="atmp_class", value=rng.choice(AtmpClass.values)))
            for stage in rng.sample(DevelopmentStage.values, 2):
                tags.append(ItemTag(item_id=item_id, dimension="stage", value=stage))
        ItemTag.objects.bulk_create(tags, batch_size=2000, ignore_conflicts=True)
        started = time.perf_counter()
        refresh_search_documents(Item.objects.all())
        print(
            f"seeded {args.items - have} items; "
            f"search documents built in {time.perf_counter() - started:.1f} s"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE knowledge_item; ANALYZE knowledge_itemtag")
    print(f"items: {Item.objects.published().count()} published")

    setup_test_environment()  # so the response carries its context (the hit count)
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"\n{'scenario':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'hits':>6}")
    for label, query in SCENARIOS:
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get("/knowledge/", query)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/knowledge/", query)
        hits = response.context["page"].paginator.count
        timings.sort()
        p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
        print(f"{label:34} {statistics.median(timings):10.1f} {p95:8.1f} {len(queries):8d} {hits:6d}")


if __name__ == "__main__":
    main()
