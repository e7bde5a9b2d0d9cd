"""Migration 0012 moves the counts read over all days onto NOW_DAY and keeps every total."""

import datetime
import importlib
from collections import Counter

import pytest
from django.db import connection

from inquiries import summaries
from inquiries.models import InquiryDailyCount

pytestmark = pytest.mark.django_db

FORWARD = importlib.import_module("inquiries.migrations.0012_now_counts_on_one_day").FORWARD


def _totals() -> Counter:
    totals: Counter = Counter()
    for row in InquiryDailyCount.objects.all():
        totals[(row.dimension, row.value)] += row.count
    return totals


def test_the_per_day_rows_become_one_row_per_value_with_the_same_totals():
    day = datetime.date(2025, 3, 3)
    rows = [
        (day, "status", "submitted", 2),
        (day + datetime.timedelta(days=1), "status", "submitted", 3),
        (day, "status", "closed", 4),
        (day, "running_due", "2025-03-31", 1),
        (day + datetime.timedelta(days=9), "running_due", "2025-03-31", 5),
        (day, "status", "in_triage", 0),  # a count that went back to 0
        (summaries.NOW_DAY, "status", "closed", 1),  # written by the new code before the migration ran
        (day, "topic", "regulatory", 7),  # a per-day dimension: untouched
    ]
    InquiryDailyCount.objects.bulk_create(
        InquiryDailyCount(day=d, dimension=dim, value=v, count=n) for d, dim, v, n in rows
    )
    before = _totals()

    with connection.cursor() as cursor:
        for sql in FORWARD:
            cursor.execute(sql)

    assert +_totals() == +before
    moved = InquiryDailyCount.objects.filter(dimension__in=summaries.NOW_KEPT)
    assert set(moved.values_list("day", flat=True)) == {summaries.NOW_DAY}
    assert sorted(moved.values_list("dimension", "value", "count")) == [
        ("running_due", "2025-03-31", 6),
        ("status", "closed", 5),
        ("status", "submitted", 5),
    ]
    assert InquiryDailyCount.objects.get(dimension="topic").day == day
