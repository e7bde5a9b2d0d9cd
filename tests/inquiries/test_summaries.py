"""Any sequence of request writes keeps the per-day counts equal to the requests (hypothesis, issue 21).

Each example runs a random sequence of the services the applicant and the secretariat use
(submit, assign, change status, reply, withdraw, refer, record a referral's outcome), with the
clock moving forward between them by hours or days, so that requests span days, weekends,
Easter and quarters, and clocks pause and resume. At the end the table the services kept
(``stored_counts``) must equal what grouping the raw rows in the database says
(``raw_counts``, another road to the same figures), and the working days stored on each row must
equal the working days between its dates worked out again.
"""

from __future__ import annotations

import contextlib
import datetime
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import ApplicantType
from inquiries import services, summaries
from inquiries.clock import working_days_between
from inquiries.models import AtmpClass, Inquiry, InquiryDailyCount, Partner, Referral, Status, Topic
from tests.factories import SecretariatUserFactory, UserFactory, submit

pytestmark = pytest.mark.django_db

START = datetime.datetime(2025, 3, 27, 9, 0, tzinfo=datetime.UTC)  # a Thursday, Easter three weeks on

pick = st.integers(min_value=0, max_value=40)
operation = st.one_of(
    st.tuples(
        st.just("submit"),
        st.sampled_from(Topic.values),
        st.sampled_from(ApplicantType.values),
        st.sampled_from(AtmpClass.values),
    ),
    st.tuples(st.just("assign"), pick),
    st.tuples(st.just("transition"), pick, st.sampled_from(Status.values)),
    st.tuples(st.just("reply"), pick),
    st.tuples(st.just("withdraw"), pick),
    st.tuples(st.just("refer"), pick, st.sampled_from(Partner.values)),
    st.tuples(st.just("outcome"), pick, st.sampled_from(Partner.values)),
    st.tuples(st.just("wait"), st.integers(min_value=1, max_value=24 * 12)),  # hours
)


class Clock:
    """``django.utils.timezone`` as the services see it, with ``now`` moved by the test."""

    def __init__(self):
        self.moment = START

    def now(self):
        return self.moment

    def __getattr__(self, name):
        return getattr(timezone, name)


@contextlib.contextmanager
def services_clock():
    clock, real = Clock(), services.timezone
    services.timezone = clock  # type: ignore[assignment]  # the services' view of the clock
    try:
        yield clock
    finally:
        services.timezone = real


def apply(cast, clock: Clock, op) -> None:
    applicant, staff = cast
    kind = op[0]
    if kind == "wait":
        clock.moment += datetime.timedelta(hours=op[1])
        return
    if kind == "submit":
        submit(applicant, topic=op[1], applicant_type=op[2], atmp_class=op[3])
        return
    inquiries = list(Inquiry.objects.order_by("pk"))
    if not inquiries:
        return
    inquiry = inquiries[op[1] % len(inquiries)]
    try:
        if kind == "assign":
            services.inquiry_assign(inquiry=inquiry, assignee=staff, actor=staff)
        elif kind == "transition":
            services.inquiry_transition(inquiry=inquiry, to=op[2], actor=staff)
        elif kind == "reply":
            services.inquiry_reply_by_applicant(inquiry=inquiry, actor=applicant, body="More detail.")
        elif kind == "withdraw":
            services.inquiry_withdraw(inquiry=inquiry, actor=applicant)
        elif kind == "refer":
            services.referral_create(inquiry=inquiry, actor=staff, partner=op[2])
        elif kind == "outcome":
            referral = Referral.objects.filter(inquiry=inquiry).first()
            if referral is not None:
                referral.partner = op[2]  # the admin's inline form may change it with the outcome
                services.referral_record_outcome(referral=referral, actor=staff, outcome="answered")
    except ValidationError:
        pass  # refused, as the rules say: nothing was written


def assert_counts_match_the_requests() -> None:
    raw = summaries.raw_counts()
    assert summaries.stored_counts() == raw
    assert summaries.stored_counts(summaries.InquiryMonthlyCount, period="month") == +summaries.monthly(raw)
    for inquiry in Inquiry.objects.all():
        day = timezone.localdate(inquiry.submitted_at)
        for moment, stored in (
            (inquiry.acknowledged_at, inquiry.working_days_to_acknowledge),
            (inquiry.answered_at, inquiry.working_days_to_answer),
        ):
            expected = None if moment is None else working_days_between(day, timezone.localdate(moment))
            assert stored == expected, (inquiry.reference, moment, stored, expected)


def run(cast, operations) -> None:
    with transaction.atomic(), services_clock() as clock:
        for op in operations:
            apply(cast, clock, op)
        assert_counts_match_the_requests()
        transaction.set_rollback(True)
    assert not InquiryDailyCount.objects.exists()


@pytest.fixture
def cast(db):
    return UserFactory(email="applicant@example.org"), SecretariatUserFactory(email="staff@example.org")


EXAMPLES = hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,  # nothing written to .hypothesis/ in the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@EXAMPLES
@given(operations=st.lists(operation, min_size=3, max_size=25))
def test_any_request_writes_keep_the_daily_counts_equal_to_the_requests(cast, operations):
    run(cast, operations)


@pytest.mark.postgres
@EXAMPLES
@given(operations=st.lists(operation, min_size=3, max_size=25))
def test_on_postgresql_any_request_writes_keep_the_daily_counts_equal_to_the_requests(cast, operations):
    run(cast, operations)


def test_a_submitted_then_answered_request_is_counted_on_its_day_with_its_working_days(cast):
    applicant, staff = cast
    with transaction.atomic(), services_clock() as clock:
        clock.moment = datetime.datetime(2025, 4, 16, 8, 0, tzinfo=datetime.UTC)  # Wed before Easter
        inquiry = submit(applicant)
        services.inquiry_assign(inquiry=inquiry, assignee=staff, actor=staff)
        clock.moment = datetime.datetime(2025, 4, 23, 9, 0, tzinfo=datetime.UTC)  # 17, 18, 21 April off
        services.inquiry_transition(inquiry=inquiry, to=Status.ANSWERED, actor=staff)

    counts = summaries.totals(
        datetime.date(2025, 4, 16), datetime.date(2025, 4, 16), ["answer_days", "on_time"]
    )
    assert counts == {("answer_days", "2"): 1, ("on_time", ""): 1}
    inquiry.refresh_from_db()
    assert (inquiry.working_days_to_acknowledge, inquiry.working_days_to_answer) == (0, 2)


# --- Periods read from whole months and edge days -----------------------------------------------

DAYS = st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2026, 12, 31))


@EXAMPLES
@given(
    rows=st.lists(
        st.tuples(
            DAYS, st.sampled_from(["received", "topic", "answer_days"]), st.sampled_from(["", "a", "3"])
        ),
        min_size=1,
        max_size=40,
    ),
    bounds=st.lists(DAYS, min_size=2, max_size=2),
)
def test_any_period_sums_the_same_as_its_days(db, rows, bounds):
    """Whole months from the monthly table plus the edge days from the daily one = the days' sum."""
    start, end = sorted(bounds)
    with transaction.atomic():
        delta = Counter(rows)
        summaries._add(delta)
        got = summaries.counts_for({"p": (start, end)}, ["received", "topic", "answer_days"])["p"]
        expected: Counter = Counter()
        months: Counter = Counter()
        for (day, dimension, value), n in delta.items():
            if start <= day <= end:
                expected[(dimension, value)] += n
                if dimension == "received":
                    months[day.replace(day=1)] += n
        transaction.set_rollback(True)
    assert got.totals == dict(+expected)
    assert got.received_per_month == dict(+months)


@pytest.mark.parametrize(
    "start, end, months, edges",
    [
        ("2025-01-01", "2025-12-31", ("2025-01-01", "2025-12-01"), []),
        (
            "2025-01-15",
            "2025-03-10",
            ("2025-02-01", "2025-02-01"),
            [("2025-01-15", "2025-01-31"), ("2025-03-01", "2025-03-10")],
        ),
        ("2025-01-15", "2025-01-20", None, [("2025-01-15", "2025-01-20")]),
        ("2025-01-15", "2025-02-10", None, [("2025-01-15", "2025-02-10")]),
        ("2024-02-01", "2024-02-29", ("2024-02-01", "2024-02-01"), []),
        ("2025-12-02", "2026-01-31", ("2026-01-01", "2026-01-01"), [("2025-12-02", "2025-12-31")]),
    ],
)
def test_a_period_is_split_into_whole_months_and_edge_days(start, end, months, edges):
    day = datetime.date.fromisoformat
    got_months, got_edges = summaries._split(day(start), day(end))
    assert got_months == (tuple(map(day, months)) if months else None)
    assert got_edges == [(day(a), day(b)) for a, b in edges]
