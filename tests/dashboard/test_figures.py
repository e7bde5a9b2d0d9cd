"""Each dashboard figure against records made in the test, with the expected values worked out by hand."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from budget.models import EntryKind
from dashboard import figures
from dashboard.periods import Period
from governance import services as governance
from governance.models import ActionItemStatus, Seat
from projects import services as projects
from projects.models import ProjectStatus
from tests.factories import (
    ActionItemFactory,
    FundingApplicationFactory,
    MilestoneFactory,
    UserFactory,
    membership_for,
    plan,
    post,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)  # a fixed "today" for the clock-dependent request figures


def counts(breakdown) -> dict[str, int]:
    return {line.key: line.count for line in breakdown if line.count}


# --- Requests ---------------------------------------------------------------------------------


def test_requests_received_in_2025_by_month_topic_type_and_class(requests_2025):
    got = figures.inquiry_figures(Period.of_year(2025), links_enabled=False, today=TODAY)

    # r1–r4, r6 (23:30 on New Year's Eve) and r7; not r5 (2024) nor r8 (00:30 on 1 January 2026).
    assert got.received == 6
    assert {line.key: line.count for line in got.per_month if line.count} == {
        "2025-03-01": 2,
        "2025-04-01": 1,
        "2025-06-01": 1,
        "2025-09-01": 1,
        "2025-12-01": 1,
    }
    assert len(got.per_month) == 12
    assert counts(got.by_topic) == {"regulatory": 3, "hta": 1, "hospital_exemption": 2}
    assert counts(got.by_applicant_type) == {"clinician": 3, "company": 2, "researcher": 1}
    assert counts(got.by_atmp_class) == {"gene_therapy": 2, "somatic_cell": 3, "tissue_engineered": 1}
    assert got.by_topic.lines[0].key == "regulatory"  # largest first
    assert got.by_topic.lines[0].share == pytest.approx(0.5)
    assert len(got.by_topic.lines) == 9  # every topic listed, zeros too


def test_median_working_days_skip_weekends_easter_and_waiting(requests_2025):
    got = figures.inquiry_figures(Period.of_year(2025), links_enabled=False, today=TODAY)

    assert got.acknowledged == 3
    assert got.median_days_to_acknowledge == 2  # of 2, 0, 2
    assert got.answered == 3
    assert got.median_days_to_answer == 5  # of 5, 2 (Easter) and 12 (15 less 3 waiting)
    first_quarter = figures.inquiry_figures(Period.of_quarter(2025, 1), links_enabled=False, today=TODAY)
    assert first_quarter.median_days_to_answer == 8.5  # of r1's 5 and r3's 12: the wait is not counted


def test_share_within_the_service_promise_counts_answers_and_passed_answer_dates(requests_2025):
    got = figures.inquiry_figures(Period.of_year(2025), links_enabled=False, today=TODAY)

    # r1 and r2 on time; r3 late; r4 and r6 past their answer date unanswered; r7 withdrawn.
    assert (got.answered_on_time, got.answer_due_passed) == (2, 5)
    assert got.on_time_share == pytest.approx(0.4)


def test_open_requests_and_overdue_answers_are_counted_now(requests_2025):
    got = figures.open_now(links_enabled=False, today=TODAY)

    assert counts(got.by_status) == {"answered": 3, "submitted": 2}
    assert got.by_status.total == 5
    assert got.overdue == 2  # r4 and r6
    assert got.overdue_url is None
    assert figures.inquiry_figures(Period.of_year(2024), links_enabled=False, today=TODAY).received == 1  # r5


def test_overdue_counts_a_request_from_the_day_after_its_answer_date_as_the_raw_rows_say(requests_2025):
    """The due dates are grouped in the database as passed / not passed against ``today``."""
    from inquiries.models import CLOCK_RUNNING, Inquiry

    running = Inquiry.objects.filter(status__in=CLOCK_RUNNING)
    due_dates = sorted(set(running.values_list("answer_due", flat=True)))
    assert due_dates, "the fixture has running requests"
    for due in due_dates:
        for today in (due, due + datetime.timedelta(days=1)):
            expected = running.filter(answer_due__lt=today).count()
            assert figures.open_now(links_enabled=False, today=today).overdue == expected, today
            late = figures.inquiry_figures(Period.of_year(2025), links_enabled=False, today=today)
            unanswered = Inquiry.objects.filter(
                status__in=CLOCK_RUNNING,
                answered_at__isnull=True,
                answer_due__lt=today,
                submitted_at__date__gte="2025-01-01",
                submitted_at__date__lte="2025-12-31",
            ).count()
            assert late.answer_due_passed - late.answered == unanswered, today


def test_referrals_are_counted_by_partner_in_the_period_they_were_made(requests_2025):
    got = figures.inquiry_figures(Period.of_year(2025), links_enabled=False, today=TODAY)

    assert counts(got.referrals) == {"medicines_agency": 2, "trial_nation": 1}


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (Period.of_quarter(2025, 1), 2),  # r1, r3
        (Period.of_quarter(2025, 2), 2),  # r2, r4
        (Period.of_quarter(2025, 3), 1),  # r7
        (Period.of_quarter(2025, 4), 1),  # r6, late on 31 December
        (Period(datetime.date(2025, 12, 31), datetime.date(2026, 1, 1)), 2),  # r6 and r8
        (Period(datetime.date(2024, 1, 1), datetime.date(2026, 12, 31)), 8),
    ],
)
def test_quarters_and_ranges_count_by_danish_calendar_days(requests_2025, period, expected):
    assert figures.inquiry_figures(period, links_enabled=False, today=TODAY).received == expected


def test_an_empty_period_has_no_medians_and_no_share(db):
    got = figures.inquiry_figures(Period.of_year(2025), links_enabled=False, today=TODAY)

    assert got.received == 0
    assert got.median_days_to_answer is None
    assert got.median_days_to_acknowledge is None
    assert got.on_time_share is None


@pytest.mark.parametrize(
    ("values", "expected"),
    [({}, None), ({3: 1}, 3), ({1: 1, 4: 1}, 2.5), ({0: 2, 9: 1}, 0), ({1: 2, 2: 2}, 1.5), ({5: 3, 1: 1}, 5)],
)
def test_median_of_counted_values(values, expected):
    from collections import Counter

    assert figures.median(Counter(values)) == expected


# --- Governance -------------------------------------------------------------------------------


@pytest.fixture
def meetings(governance_bodies, steering_member):
    steering = governance_bodies["steering-group"]
    held = plan(steering, in_days=-40)
    governance.meeting_mark_held(actor=None, meeting=held)
    cancelled = plan(steering, in_days=-20)
    governance.meeting_cancel(actor=None, meeting=cancelled)
    upcoming = plan(steering, in_days=10)
    later = plan(steering, in_days=30)
    reference = plan(governance_bodies["reference-group"], in_days=5)
    decision = governance.decision_record(
        actor=None, meeting=held, title="Analysis I starts", text="Approved."
    )
    today = timezone.localdate()
    ActionItemFactory.create(
        decision=decision, title="Brief the regions", due_date=today - datetime.timedelta(3)
    )
    ActionItemFactory.create(
        decision=decision, title="Draft the terms", due_date=today + datetime.timedelta(14)
    )
    ActionItemFactory.create(
        decision=decision,
        title="Book a room",
        due_date=today - datetime.timedelta(9),
        status=ActionItemStatus.DONE,
    )
    # Two more members of the steering group: one term ends within 60 days, one after.
    membership_for(UserFactory(), steering, seat_code="amgros", end=today + datetime.timedelta(days=30))
    membership_for(UserFactory(), steering, seat_code="dkma", end=today + datetime.timedelta(days=90))
    return {"held": held, "upcoming": upcoming, "later": later, "reference": reference, "decision": decision}


def test_governance_per_body(meetings, governance_bodies, steering_member):
    year = meetings["held"].year
    got = figures.governance_figures(steering_member, year, secretariat=False)
    steering = got.steering

    assert steering.next_meeting == meetings["upcoming"]
    assert steering.held == 1  # the cancelled one does not count
    assert steering.planned == sum(1 for m in (meetings["upcoming"], meetings["later"]) if m.year == year)
    assert steering.target == 4
    seats = sum(Seat.objects.filter(body=governance_bodies["steering-group"]).values_list("count", flat=True))
    assert (steering.seats, steering.vacant) == (seats, seats - 3)
    assert steering.ending_soon == 1
    assert (steering.actions_open, steering.actions_overdue) == (2, 1)

    reference = next(line for line in got.bodies if line.body.code == "reference-group")
    assert reference.next_meeting == meetings["reference"]


def test_meeting_links_only_where_the_viewer_may_open_the_meeting(meetings, steering_member, secretariat):
    year = meetings["held"].year
    as_member = {
        line.body.code: line
        for line in figures.governance_figures(steering_member, year, secretariat=False).bodies
    }
    as_secretariat = {
        line.body.code: line
        for line in figures.governance_figures(secretariat, year, secretariat=True).bodies
    }

    assert as_member["steering-group"].next_meeting_url == f"/governance/meetings/{meetings['upcoming'].pk}/"
    assert as_member["reference-group"].next_meeting_url is None  # not the steering member's body
    assert as_member["steering-group"].actions_url is None  # the action list is the secretariat's admin
    assert (
        as_secretariat["reference-group"].next_meeting_url
        == f"/governance/meetings/{meetings['reference'].pk}/"
    )
    assert as_secretariat["steering-group"].overdue_url.startswith("/admin/governance/actionitem/?")


# --- Projects ---------------------------------------------------------------------------------


@pytest.fixture
def analyses(governance_bodies, steering_member):
    from projects.models import Project
    from projects.reference_data import load

    load()
    meeting = plan(governance_bodies["steering-group"], in_days=-30)
    decision = governance.decision_record(
        actor=None, meeting=meeting, title="Start analysis I", text="Approved."
    )
    today = timezone.localdate()
    first = Project.objects.get(code="I")
    projects.project_approve(actor=None, project=first, decision=decision)
    projects.project_transition(actor=None, project=first, to_status=ProjectStatus.IN_PROGRESS)
    MilestoneFactory.create(
        project=first, title_da="Kickoff", due_date=today - datetime.timedelta(60), done_date=today
    )
    MilestoneFactory.create(project=first, title_da="Interviews", due_date=today - datetime.timedelta(5))
    MilestoneFactory.create(project=first, title_da="Rapport", due_date=today + datetime.timedelta(40))
    second = Project.objects.get(code="II")
    Project.objects.filter(pk=second.pk).update(
        planned_start=today - datetime.timedelta(200), planned_end=today - datetime.timedelta(1)
    )
    third = Project.objects.get(code="III")
    MilestoneFactory.create(project=third, title_da="Afsluttet", due_date=today - datetime.timedelta(1))
    projects.project_transition(actor=None, project=third, to_status=ProjectStatus.STOPPED, decision=decision)
    return {"I": first, "II": second, "III": third}


def test_projects_behind_schedule_are_those_with_overdue_milestones_or_past_their_end(
    analyses, steering_member
):
    got = figures.project_figures(steering_member)
    lines = {line.project.code: line for line in got.lines}

    assert [line.project.code for line in got.late] == ["I", "II"]  # III is stopped: nothing is late
    assert [m.title_da for m in lines["I"].overdue] == ["Interviews"]
    next_milestone = lines["I"].next_milestone
    assert next_milestone is not None and next_milestone.title_da == "Interviews"  # the first not reached
    assert lines["II"].past_planned_end and not lines["II"].overdue
    assert got.overdue_milestones == 1
    assert len(got.timeline.rows) == len(got.lines)


# --- Budget -----------------------------------------------------------------------------------


@pytest.fixture
def spending(grant, categories, poster, tor_projects):
    year = timezone.localdate().year
    commitment = post(
        grant,
        categories["project-management"],
        poster,
        amount="900000.00",
        year=year,
        date=datetime.date(year, 2, 10),
        project=tor_projects["I"],
    ).entry
    post(
        grant,
        categories["project-management"],
        poster,
        kind=EntryKind.EXPENSE,
        amount="360000.00",
        year=year,
        date=datetime.date(year, 5, 5),
        commitment=commitment,
        project=tor_projects["I"],
    )
    FundingApplicationFactory.create(
        foundation="Novo Nordisk Fonden", title="Nordic network", purpose="Network", amount=Decimal("250000")
    )
    FundingApplicationFactory.create(
        foundation="Lundbeckfonden",
        title="Withdrawn idea",
        purpose="Idea",
        amount=Decimal("90000"),
        status="withdrawn",
    )
    return year


def test_budget_per_year_burn_and_pipeline(spending):
    year = spending
    got = figures.budget_figures(year)

    this_year = got.this_year
    assert this_year.allocated == Decimal("5000000.00")  # ToR §5 for 2026
    assert (this_year.committed, this_year.spent) == (Decimal("540000.00"), Decimal("360000.00"))
    assert this_year.remaining == Decimal("4100000.00")

    points = {(p.year, p.quarter): p for p in got.burn}
    assert len(points) == 16  # 2024–2027
    assert points[(2024, 4)].planned == Decimal("5000000.00")
    assert points[(2025, 4)].planned == Decimal("8500000.00")  # 5.0 + 3.5 million
    assert points[(year, 1)].spent == 0 and points[(year, 1)].used == Decimal("900000.00")
    assert points[(year, 2)].spent == Decimal("360000.00") and points[(year, 2)].used == Decimal("900000.00")
    assert points[(2027, 4)].spent is None  # the future is not drawn

    assert [a.title for a in got.pipeline] == ["Nordic network"]
    assert got.pipeline_amount == Decimal("250000")
