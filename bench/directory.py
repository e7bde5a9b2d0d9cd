"""Benchmark: the public directory at 5,000 entries and 50 capabilities (search and filters).

    createdb -h 127.0.0.1 -U postgres bench_directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_directory \\
        .venv/bin/python bench/directory.py [--entries 5000] [--capabilities 50] [--repeat 21]

Uses a throwaway SQLite file unless DATABASE_URL is set (point it at a scratch database, never a
real one). Seeds the entries with 4–8 capabilities, 1–3 ATMP classes and 2–4 stages each, spread
over the regions, then prints median and p95 time, the query count and the size of the list
(unfiltered, each filter, text search, a deep page) and of one entry page, and the filter form's
rendering alone with Django's select templates and with the portal's form renderer, interleaved
so that the load of a shared machine falls on both alike. The query count must not grow with the data.
"""

import argparse
import os
import random
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
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--capabilities", type=int, default=50)
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
    from django.test.utils import CaptureQueriesContext

    from inquiries.models import DevelopmentStage
    from network.models import (
        SERVED_ATMP_CLASSES,
        Capability,
        Entry,
        EntryAtmpClass,
        EntryStage,
        EntryType,
        Region,
    )

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))

    rng = random.Random(16)
    have = Capability.objects.count()
    Capability.objects.bulk_create(
        Capability(code=f"bench-{n}", name_da=f"Kompetence {n}", name_en=f"Capability {n}", position=100 + n)
        for n in range(have, args.capabilities)
    )
    names = {c.pk: f"{c.name_da} {c.name_en}" for c in Capability.objects.all()}
    capabilities = list(names)
    missing = args.entries - Entry.objects.count()
    if missing > 0:
        words = ["celle", "gen", "vektor", "GMP", "afdeling", "klinik", "apotek", "forskning", "enhed"]
        start = Entry.objects.count()
        chosen = [rng.sample(capabilities, rng.randint(4, 8)) for _ in range(missing)]
        unsaved = []
        for n in range(missing):
            entry = Entry(
                slug=f"bench-{start + n}",
                name=f"{rng.choice(words).capitalize()} {rng.choice(words)} {start + n} (bench)",
                entry_type=rng.choice(EntryType.values),
                region=rng.choice(Region.values),
                description_da=" ".join(rng.choice(words) for _ in range(40)),
                description_en="An entry made by the benchmark. " * 5,
                contact_email=f"unit{start + n}@bench.example",
            )
            # What network.services keeps for the search (the services are bypassed for speed here).
            entry.search_text = " ".join(
                [entry.name, entry.description_da, entry.description_en, *(names[c] for c in chosen[n])]
            ).lower()
            unsaved.append(entry)
        entries = Entry.objects.bulk_create(unsaved)
        through = Entry.capabilities.through
        through.objects.bulk_create(
            through(entry_id=e.pk, capability_id=c)
            for e, picked in zip(entries, chosen, strict=True)
            for c in picked
        )
        classes = [value for value, _label in SERVED_ATMP_CLASSES]
        EntryAtmpClass.objects.bulk_create(
            EntryAtmpClass(entry_id=e.pk, atmp_class=a)
            for e in entries
            for a in rng.sample(classes, rng.randint(1, 3))
        )
        EntryStage.objects.bulk_create(
            EntryStage(entry_id=e.pk, stage=s)
            for e in entries
            for s in rng.sample(DevelopmentStage.values, rng.randint(2, 4))
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"seeded: {Entry.objects.count()} entries, {Capability.objects.count()} capabilities, "
        f"{Entry.capabilities.through.objects.count()} entry capabilities"
    )

    client = Client(HTTP_HOST="localhost")
    one = Entry.objects.order_by("pk")[Entry.objects.count() // 2]
    pages = [
        ("list", "/directory/"),
        ("list, region", "/directory/?region=hovedstaden"),
        ("list, capability", "/directory/?capability=gmp-manufacturing"),
        ("list, ATMP class", "/directory/?atmp_class=gene_therapy"),
        (
            "list, region + capability + class + type",
            "/directory/?region=hovedstaden&capability=apheresis&atmp_class=somatic_cell&entry_type=facility",
        ),
        ("search, common word", "/directory/?q=vektor"),
        ("search, rare word", "/directory/?q=4999"),
        ("search + filters", "/directory/?q=klinik&region=midtjylland&capability=qc-testing"),
        ("list, page 100", "/directory/?page=100"),
        ("one entry", f"/directory/{one.slug}/"),
    ]
    print("\n| page | median ms | p95 ms | queries | KiB |\n|---|---:|---:|---:|---:|")
    for label, url in pages:
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
            f"| {label} | {statistics.median(timings):.0f} | {p95:.0f} | {len(queries)} "
            f"| {len(response.content) // 1024} |"
        )
    filter_form_render(args.repeat * 5)


def filter_form_render(repeat: int) -> None:
    """The filter form alone (its ~80 options), as the list renders it and as Django's templates
    would: the two are timed in turn, so the machine's load falls on both alike."""
    from django.forms.renderers import get_default_renderer
    from django.utils import translation

    from network.filters import EntryFilter
    from network.models import Entry

    renderer = get_default_renderer()

    def build(templates: bool):
        # The portal's renderer writes selects in Python; switched off, Django's templates do.
        renderer.__dict__["widget_templates_are_djangos"] = not templates
        entry_filter = EntryFilter({"region": "hovedstaden"}, queryset=Entry.objects.all())
        form = entry_filter.form
        form.is_valid()
        return form

    timings: dict[str, list[float]] = {
        "Django's select templates": [],
        "the portal's renderer (the list's)": [],
    }
    with translation.override("da"):
        for _ in range(repeat):
            for label, templates in (
                ("Django's select templates", True),
                ("the portal's renderer (the list's)", False),
            ):
                form = build(templates)
                started = time.perf_counter()
                html = str(form)
                timings[label].append((time.perf_counter() - started) * 1000)
    print(f"\nfilter form alone ({html.count('<option')} options), {repeat} runs each, interleaved:")
    print("\n| rendering | median ms | p95 ms |\n|---|---:|---:|")
    for label, values in timings.items():
        values.sort()
        p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
        print(f"| {label} | {statistics.median(values):.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
