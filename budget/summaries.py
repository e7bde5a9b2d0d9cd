"""The ledger summed per grant, budget year, category, project and quarter (issue 21).

``budget.services`` adds each posting's effects here in the same transaction as the posting
(``ledger_counted``), under the grant's row lock that every posting takes, so two postings never
race for a summary row. The ledger is append-only (a correction is a new, reversing entry), so a
summary row only ever adds. Reports, the dashboard's burn and the ledger page's totals read these
few hundred rows instead of summing the whole ledger. ``ledger_summaries_rebuild`` recomputes
the table from the ledger (the migration's backfill, the benchmark's seeding); the property test
in tests/budget/test_summaries.py checks that any postings and reversals keep both equal.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear

from budget.models import LedgerEntry, LedgerSummary, kroner

KEY = ("grant_id", "year", "category_id", "project_id", "date_year", "date_quarter")


def _key(entry: LedgerEntry) -> dict:
    return {
        "grant_id": entry.grant_id,
        "year": entry.year,
        "category_id": entry.category_id,
        "project_id": entry.project_id,
        "date_year": entry.date.year,
        "date_quarter": (entry.date.month - 1) // 3 + 1,
    }


def ledger_counted(entry: LedgerEntry) -> None:
    """Add one new entry's effects; call inside the posting's transaction, holding the grant's lock."""
    assert transaction.get_connection().in_atomic_block, "count in the posting's own transaction"
    key = _key(entry)
    updated = LedgerSummary.objects.filter(**key).update(
        committed=F("committed") + entry.committed_effect,
        spent=F("spent") + entry.spent_effect,
        entries=F("entries") + 1,
    )
    if not updated:
        LedgerSummary.objects.create(
            **key, committed=entry.committed_effect, spent=entry.spent_effect, entries=1
        )


def raw_sums(entry_model=LedgerEntry) -> dict[tuple, tuple]:
    """{key: (committed, spent, entries)} as the ledger says, grouped in the database."""
    return {
        (row["grant_id"], row["year"], row["category_id"], row["project_id"], row["y"], row["q"]): (
            kroner(row["committed"]),
            kroner(row["spent"]),
            row["n"],
        )
        for row in entry_model.objects.order_by()
        .annotate(y=ExtractYear("date"), q=ExtractQuarter("date"))
        .values("grant_id", "year", "category_id", "project_id", "y", "q")
        .annotate(committed=Sum("committed_effect"), spent=Sum("spent_effect"), n=Count("pk"))
    }


def stored_sums(summary_model=LedgerSummary) -> dict[tuple, tuple]:
    return {
        tuple(row[:6]): (kroner(row[6]), kroner(row[7]), row[8])
        for row in summary_model.objects.values_list(*KEY, "committed", "spent", "entries")
        if row[8]
    }


@transaction.atomic
def ledger_summaries_rebuild(*, entry_model=LedgerEntry, summary_model=LedgerSummary) -> int:
    summary_model.objects.all().delete()
    rows = [
        summary_model(**dict(zip(KEY, key, strict=True)), committed=committed, spent=spent, entries=entries)
        for key, (committed, spent, entries) in raw_sums(entry_model).items()
    ]
    summary_model.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
