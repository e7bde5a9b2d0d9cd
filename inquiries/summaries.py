"""Per-day counts of requests, kept by the services in the same transaction as each write (issue 21).

The steering dashboard's request figures are sums over a period of days. Reading them from the
requests themselves costs time that grows with the requests; reading them from here costs a few
thousand small rows at most, whatever the volume. Each row counts, for one day, the requests
submitted that day (or, for referrals, the referrals made that day) that have one property:

    received ""                       every request
    topic / applicant_type / atmp_class <value>
    status <value>                    its status now (on NOW_DAY, see below)
    acknowledged ""  ack_days <n>     acknowledged; working days from submission to acknowledgement
    answered ""      answer_days <n>  answered; working days to the first answer, less days paused
    on_time ""                        first answer on or before the answer date
    running_due <date>                clock running (submitted, in triage, in progress), due then
                                      (on NOW_DAY)
    running_unanswered_due <date>     the same, and not answered yet
    referred <partner>                (by the day of the referral) referrals to that partner

``status`` and ``running_due`` are only ever read over all days (the requests open *now*), so
they are kept on one day, ``NOW_DAY``, instead of the day of submission: that read is a few dozen
rows however long the history (issue 21; at four years and 100,000 requests it was 12,000 rows).

Every other row is also summed by month into ``InquiryMonthlyCount`` in the same statement batch,
so a period reads a row per month for its whole months and per day only for the days at its
edges: a year is 12 months, not 365 days (issue 21).

A row's contribution is a pure function of the request's columns (``contributions``), so a write
adds the difference between the row after and before (``inquiry_counted``); the property test in
tests/inquiries/test_summaries.py checks that any sequence of service calls keeps the table equal
to ``raw_counts``, which groups the raw rows in the database by another road. Only
``inquiries.services`` writes requests, so only it calls this module's writers.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, DateField, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Greatest, TruncDate, TruncMonth
from django.utils import timezone

from inquiries.clock import working_days_between
from inquiries.models import CLOCK_RUNNING, Inquiry, InquiryDailyCount, InquiryMonthlyCount, Referral

# The columns a request's contribution depends on.
COUNTED_FIELDS = (
    "submitted_at",
    "topic",
    "applicant_type",
    "atmp_class",
    "status",
    "acknowledged_at",
    "answered_at",
    "answer_due",
    "paused_working_days",
    "working_days_to_acknowledge",
    "working_days_to_answer",
)

Key = tuple[datetime.date, str, str]
# The day the dimensions read over all days are kept on (the counts of requests as they are now).
NOW_DAY = datetime.date(1, 1, 1)
NOW_KEPT = ("status", "running_due")
# An increment that cannot race (PostgreSQL and SQLite 3.24+): a new key is inserted, a known one added to.
UPSERT = (
    "INSERT INTO inquiries_inquirydailycount (day, dimension, value, count) VALUES (%s, %s, %s, %s) "
    "ON CONFLICT (day, dimension, value) "
    "DO UPDATE SET count = inquiries_inquirydailycount.count + excluded.count"
)


UPSERT_MONTH = (
    "INSERT INTO inquiries_inquirymonthlycount (month, dimension, value, count) VALUES (%s, %s, %s, %s) "
    "ON CONFLICT (month, dimension, value) "
    "DO UPDATE SET count = inquiries_inquirymonthlycount.count + excluded.count"
)


def monthly(delta: Counter[Key]) -> Counter[Key]:
    """The per-day keys summed by month (the first of the month); NOW_DAY rows are not summed."""
    months: Counter[Key] = Counter()
    for (day, dimension, value), n in delta.items():
        if dimension not in NOW_KEPT:
            months[(day.replace(day=1), dimension, value)] += n
    return months


def working_days_to(inquiry, moment: datetime.datetime | None) -> int | None:
    """Working days from the request's submission to ``moment`` (both as Danish dates)."""
    if moment is None:
        return None
    return working_days_between(timezone.localdate(inquiry.submitted_at), timezone.localdate(moment))


def contributions(row) -> Counter[Key]:
    """What one request adds to the table: ``row`` is an Inquiry or a dict of ``COUNTED_FIELDS``."""

    def get(name: str) -> Any:
        return row[name] if isinstance(row, dict) else getattr(row, name)

    day = timezone.localdate(get("submitted_at"))
    keys: Counter[Key] = Counter()
    keys[(day, "received", "")] += 1
    for dimension in ("topic", "applicant_type", "atmp_class"):
        keys[(day, dimension, get(dimension) or "")] += 1
    keys[(NOW_DAY, "status", get("status") or "")] += 1
    if get("acknowledged_at") is not None:
        keys[(day, "acknowledged", "")] += 1
        keys[(day, "ack_days", str(get("working_days_to_acknowledge")))] += 1
    answered = get("answered_at")
    if answered is not None:
        keys[(day, "answered", "")] += 1
        days = max((get("working_days_to_answer") or 0) - get("paused_working_days"), 0)
        keys[(day, "answer_days", str(days))] += 1
        if timezone.localdate(answered) <= get("answer_due"):
            keys[(day, "on_time", "")] += 1
    if get("status") in CLOCK_RUNNING:
        due = get("answer_due").isoformat()
        keys[(NOW_DAY, "running_due", due)] += 1
        if answered is None:
            keys[(day, "running_unanswered_due", due)] += 1
    return keys


def _add(delta: Counter[Key]) -> None:
    """Add ``delta`` to the table: one upsert per key, safe against concurrent writers."""
    rows = [(day, dimension, value, n) for (day, dimension, value), n in delta.items() if n]
    if not rows:
        return
    months = [(month, dimension, value, n) for (month, dimension, value), n in monthly(delta).items() if n]
    with connection.cursor() as cursor:
        cursor.executemany(UPSERT, rows)
        if months:
            cursor.executemany(UPSERT_MONTH, months)


def inquiry_counted(*, before: dict | None, after: Inquiry | None) -> None:
    """Move the counts from a request's old state (None: new) to its new one; inside its transaction."""
    assert transaction.get_connection().in_atomic_block, "count in the write's own transaction"
    delta: Counter[Key] = Counter()
    if after is not None:
        delta.update(contributions(after))
    if before is not None:
        delta.subtract(contributions(before))
    _add(delta)


def counted_state(inquiry: Inquiry) -> dict:
    """The request's counted columns as the database has them now (before a write changes them)."""
    return Inquiry.objects.filter(pk=inquiry.pk).values(*COUNTED_FIELDS).get()


def referral_counted(*, before: tuple[datetime.datetime, str] | None, after: Referral | None) -> None:
    delta: Counter[Key] = Counter()
    if after is not None:
        delta[(timezone.localdate(after.referred_at), "referred", after.partner)] += 1
    if before is not None:
        delta[(timezone.localdate(before[0]), "referred", before[1])] -= 1
    _add(delta)


# --- Reads ------------------------------------------------------------------------------------


def totals(start: datetime.date, end: datetime.date, dimensions: Iterable[str]) -> dict[tuple[str, str], int]:
    """{(dimension, value): count} over the days ``start``..``end`` (inclusive); one query."""
    return {
        (dimension, value): n
        for dimension, value, n in InquiryDailyCount.objects.filter(
            day__gte=start, day__lte=end, dimension__in=list(dimensions)
        )
        .values_list("dimension", "value")
        .annotate(n=Sum("count"))
        .order_by()
        if n
    }


@dataclass
class Counts:
    """One period's sums: {(dimension, value): n}, and the requests received per month."""

    totals: dict[tuple[str, str], int] = field(default_factory=dict)
    received_per_month: dict[datetime.date, int] = field(default_factory=dict)


# The dimensions whose value is a due date: a reader asks only whether it has passed.
DUE_DIMENSIONS = ("running_due", "running_unanswered_due")
PAST_DUE, NOT_PAST_DUE = "past", "not past"


def _split(start: datetime.date, end: datetime.date):
    """A period as its whole months (first and last month's first days, or None) and the days at
    its edges outside them (a list of (first, last) day ranges)."""
    first_month = (
        start if start.day == 1 else (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    )
    after_end = end + datetime.timedelta(days=1)
    last_month_end = after_end if after_end.day == 1 else after_end.replace(day=1)  # exclusive
    if first_month >= last_month_end:
        return None, [(start, end)]
    last_month = (last_month_end - datetime.timedelta(days=1)).replace(day=1)
    edges = []
    if start < first_month:
        edges.append((start, first_month - datetime.timedelta(days=1)))
    if last_month_end <= end:
        edges.append((last_month_end, end))
    return (first_month, last_month), edges


def counts_for(
    periods: dict[str, tuple[datetime.date, datetime.date]],
    dimensions: Iterable[str],
    all_days: Iterable[str] = (),
    *,
    today: datetime.date | None = None,
) -> dict[str, Counts]:
    """Sums over several periods at once, and over every day for ``all_days`` (under "all"): one query.

    Rows are grouped by dimension, value and (for "received" only) month, each period summed in
    its own FILTER column, so a page that shows a period, this quarter and the open requests now
    reads the tables once: the monthly table for a period's whole months and the daily one for the
    days at its edges and for ``all_days``, joined by UNION ALL. With ``today``, the due-date
    dimensions are grouped in the database as ``PAST_DUE`` (before today) and ``NOT_PAST_DUE``: two
    rows each instead of one per due date (issue 21).
    """
    dimensions, all_days = list(dimensions), list(all_days)
    names = [f"n_{name}" for name in periods] + (["n_all"] if all_days else [])
    daily_where, monthly_where = Q(pk__in=[]), Q(pk__in=[])
    daily_sums: dict[str, Any] = {}
    monthly_sums: dict[str, Any] = {}
    for name, (start, end) in periods.items():
        months, edges = _split(start, end)
        by_day = Q(pk__in=[])
        for first, last in edges:
            by_day |= Q(day__gte=first, day__lte=last)
        by_day &= Q(dimension__in=dimensions)
        by_month = (
            Q(month__gte=months[0], month__lte=months[1], dimension__in=dimensions)
            if months
            else Q(pk__in=[])
        )
        daily_where |= by_day
        monthly_where |= by_month
        daily_sums[f"n_{name}"] = Sum("count", filter=by_day)
        monthly_sums[f"n_{name}"] = Sum("count", filter=by_month)
    if all_days:
        # Dimensions kept on NOW_DAY hold every request on that one day.
        now = Q(dimension__in=all_days)
        if set(all_days) <= set(NOW_KEPT):
            now &= Q(day=NOW_DAY)
        daily_where |= now
        daily_sums["n_all"] = Sum("count", filter=now)
        monthly_sums["n_all"] = Value(None, output_field=IntegerField())
    grouped_value: Any = F("value")
    if today is not None:
        # Stored as ISO dates, so text order is date order.
        grouped_value = Case(
            When(dimension__in=DUE_DIMENSIONS, value__lt=today.isoformat(), then=Value(PAST_DUE)),
            When(dimension__in=DUE_DIMENSIONS, then=Value(NOT_PAST_DUE)),
            default=F("value"),
            output_field=CharField(),
        )

    def grouped(model, where: Q, received_month, sums: dict[str, Any]):
        return (
            model.objects.filter(where)
            .annotate(
                grouped_value=grouped_value,
                received_month=Case(
                    When(dimension="received", then=received_month), output_field=DateField()
                ),
            )
            .values_list("dimension", "grouped_value", "received_month")
            .annotate(**sums)
            .order_by()
        )

    by_day_rows = grouped(InquiryDailyCount, daily_where, TruncMonth("day"), daily_sums)
    by_month_rows = grouped(InquiryMonthlyCount, monthly_where, F("month"), monthly_sums)
    result = {name: Counts() for name in [*periods, "all"]}
    for dimension, value, first, *ns in by_day_rows.union(by_month_rows, all=True):
        for name, n in zip(names, ns, strict=True):
            if not n:
                continue
            counts = result[name.removeprefix("n_")]
            counts.totals[(dimension, value)] = counts.totals.get((dimension, value), 0) + n
            if first is not None:
                first = first.date() if isinstance(first, datetime.datetime) else first
                counts.received_per_month[first] = counts.received_per_month.get(first, 0) + n
    return result


# --- Rebuilding from the raw rows -------------------------------------------------------------


def raw_counts(inquiry_model=Inquiry, referral_model=Referral) -> Counter[Key]:
    """The whole table as the raw rows say it should be, grouped in the database (one query a kind)."""
    day = TruncDate("submitted_at")
    requests = inquiry_model.objects.order_by()
    answered = requests.filter(answered_at__isnull=False)
    running = requests.filter(status__in=CLOCK_RUNNING)
    groups = [
        ("received", requests, Value("")),
        ("topic", requests, F("topic")),
        ("applicant_type", requests, F("applicant_type")),
        ("atmp_class", requests, F("atmp_class")),
        ("status", requests, F("status")),
        ("acknowledged", requests.filter(acknowledged_at__isnull=False), Value("")),
        ("ack_days", requests.filter(acknowledged_at__isnull=False), F("working_days_to_acknowledge")),
        ("answered", answered, Value("")),
        (
            "answer_days",
            answered,
            Greatest(F("working_days_to_answer") - F("paused_working_days"), Value(0)),
        ),
        ("on_time", answered.filter(answered_at__date__lte=F("answer_due")), Value("")),
        ("running_due", running, F("answer_due")),
        ("running_unanswered_due", running.filter(answered_at__isnull=True), F("answer_due")),
    ]
    counts: Counter[Key] = Counter()
    for dimension, rows, value in groups:
        for d, v, n in rows.annotate(d=day, v=value).values_list("d", "v").annotate(n=Count("pk")):
            v = v.isoformat() if isinstance(v, datetime.date) else ("" if v is None else str(v))
            counts[(NOW_DAY if dimension in NOW_KEPT else d, dimension, v)] += n
    for d, partner, n in (
        referral_model.objects.order_by()
        .annotate(d=TruncDate("referred_at"))
        .values_list("d", "partner")
        .annotate(n=Count("pk"))
    ):
        counts[(d, "referred", partner)] += n
    return counts


def stored_counts(count_model=InquiryDailyCount, *, period: str = "day") -> Counter[Key]:
    """What a table holds, as ``raw_counts`` says it (``period="month"`` for the monthly table)."""
    return Counter(
        {
            (when, dimension, value): n
            for when, dimension, value, n in count_model.objects.values_list(
                period, "dimension", "value", "count"
            )
            if n
        }
    )


def durations_fill(*, inquiry_model=Inquiry, only_missing: bool = True, batch: int = 2000) -> int:
    """Store the working days to acknowledgement and to answer where a row lacks them (or all)."""
    rows = inquiry_model.objects.filter(Q(acknowledged_at__isnull=False) | Q(answered_at__isnull=False))
    if only_missing:
        rows = rows.filter(
            Q(acknowledged_at__isnull=False, working_days_to_acknowledge__isnull=True)
            | Q(answered_at__isnull=False, working_days_to_answer__isnull=True)
        )
    done = 0
    pending: list = []
    for inquiry in rows.only("pk", "submitted_at", "acknowledged_at", "answered_at").iterator(batch):
        inquiry.working_days_to_acknowledge = working_days_to(inquiry, inquiry.acknowledged_at)
        inquiry.working_days_to_answer = working_days_to(inquiry, inquiry.answered_at)
        pending.append(inquiry)
        if len(pending) == batch:
            done += _store_durations(inquiry_model, pending)
            pending = []
    return done + _store_durations(inquiry_model, pending)


def _store_durations(inquiry_model, rows: list) -> int:
    """Write a batch of stored working days. On PostgreSQL one UPDATE … FROM (VALUES …): Django's
    bulk_update writes a CASE of 2,000 branches per column, which at a million rows kept the
    migration's backfill running for over twenty minutes (bench/perf.py)."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        inquiry_model.objects.bulk_update(rows, ["working_days_to_acknowledge", "working_days_to_answer"])
        return len(rows)
    values = ", ".join(["(%s::integer, %s::integer, %s::integer)"] * len(rows))
    params = [
        v for row in rows for v in (row.pk, row.working_days_to_acknowledge, row.working_days_to_answer)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE inquiries_inquiry AS i SET working_days_to_acknowledge = v.ack, "  # noqa: S608
            f"working_days_to_answer = v.answer FROM (VALUES {values}) AS v(id, ack, answer) "
            "WHERE i.id = v.id",
            params,
        )
    return len(rows)


@transaction.atomic
def inquiry_summaries_rebuild(
    *,
    inquiry_model=Inquiry,
    referral_model=Referral,
    count_model=InquiryDailyCount,
    month_model=None,
    all_durations=False,
) -> int:
    """Recompute the tables from the raw rows (the migrations' backfill, the benchmark's seeding).

    Rows written past the services (tests that date requests by hand) pass ``all_durations``. The
    monthly table is rebuilt with the daily one, except from migration 0006 (historical models,
    before the monthly table existed: 0013 fills it).
    """
    if month_model is None and count_model is InquiryDailyCount:
        month_model = InquiryMonthlyCount
    durations_fill(inquiry_model=inquiry_model, only_missing=not all_durations)
    counts = raw_counts(inquiry_model, referral_model)
    count_model.objects.all().delete()
    rows = [
        count_model(day=day, dimension=dimension, value=value, count=n)
        for (day, dimension, value), n in counts.items()
    ]
    count_model.objects.bulk_create(rows, batch_size=5000)
    if month_model is not None:
        month_model.objects.all().delete()
        month_model.objects.bulk_create(
            (
                month_model(month=month, dimension=dimension, value=value, count=n)
                for (month, dimension, value), n in monthly(counts).items()
                if n
            ),
            batch_size=5000,
        )
    return len(rows)
