"""The dashboard's figures: counts, rates and sums over requests, governance, projects and budget.

Aggregates only. Nothing here reads an applicant's name, email, organisation or text; the
request figures come from grouped counts, so no applicant row ever reaches the template.
Every section costs a fixed number of queries whatever the volume of data: grouped counts in
the database, then small dictionaries in Python. The one thing Python computes group by group
is working days (weekends and Danish holidays are not in the database): once per distinct
submitted date, answered date (and days paused), with two table lookups each
(``inquiries.clock.working_days_between``).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear, TruncDate, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import ApplicantType
from budget import reports
from budget.models import ZERO, Allocation, FundingApplication, LedgerEntry, kroner
from dashboard.periods import Period
from governance.models import ActionItem, Body, BodyKind, Meeting, MeetingStatus, Membership, Seat
from governance.selectors import ENDING_SOON_DAYS, seats_filled, visible_body_ids
from inquiries.clock import working_days_between
from inquiries.models import CLOCK_RUNNING, FINISHED, AtmpClass, Inquiry, Partner, Referral, Status, Topic
from projects import timeline
from projects.models import Milestone, Project, ProjectStatus
from projects.selectors import projects_for

# --- Shared shapes ----------------------------------------------------------------------------


@dataclass
class Line:
    label: str
    count: int
    url: str | None = None
    key: str = ""
    share: float | None = None  # of the breakdown's total


@dataclass
class Breakdown:
    """Counts by one attribute, every choice listed (zeros too), largest first, with shares."""

    lines: list[Line]

    def __post_init__(self):
        total = self.total
        for line in self.lines:
            line.share = line.count / total if total else None

    @property
    def total(self) -> int:
        return sum(line.count for line in self.lines)

    @property
    def largest(self) -> int:
        return max([line.count for line in self.lines] + [0])

    def __iter__(self):
        return iter(self.lines)


def breakdown(counts: dict[str, int], choices, url=None) -> Breakdown:
    lines = [
        Line(label=str(label), count=counts.get(value, 0), key=value, url=url(value) if url else None)
        for value, label in choices
    ]
    lines.sort(key=lambda line: -line.count)  # stable: equal counts keep the choices' order
    return Breakdown(lines)


def median(counter: Counter) -> float | None:
    """The median of values given as {value: how many}."""
    total = sum(counter.values())
    if not total:
        return None
    ordered = sorted(counter.items())

    def nth(n: int) -> int:  # 0-based
        seen = 0
        for value, count in ordered:
            seen += count
            if n < seen:
                return value
        raise IndexError(n)

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


# --- Requests ---------------------------------------------------------------------------------


@dataclass
class InquiryFigures:
    period: Period
    received: int
    per_month: list[Line]
    by_topic: Breakdown
    by_applicant_type: Breakdown
    by_atmp_class: Breakdown
    acknowledged: int
    median_days_to_acknowledge: float | None
    answered: int
    median_days_to_answer: float | None
    answered_on_time: int
    answer_due_passed: int  # answered, or past the answer date without an answer
    referrals: Breakdown
    list_url: str | None = None

    @property
    def on_time_share(self) -> float | None:
        return self.answered_on_time / self.answer_due_passed if self.answer_due_passed else None


class InquiryLinks:
    """Where a request figure leads: the secretariat's queue in the admin, filtered; else nowhere.

    Steering members do not see individual requests (they hold applicants' personal data), so
    for them the figures are not links.
    """

    def __init__(self, enabled: bool, period: Period | None = None):
        self.enabled = enabled
        self.received = (
            {
                "submitted_at__date__gte": period.start.isoformat(),
                "submitted_at__date__lte": period.end.isoformat(),
            }
            if period
            else {}
        )

    def __call__(self, in_period: bool = True, **params) -> str | None:
        if not self.enabled:
            return None
        query = {**(self.received if in_period else {}), **params}
        return admin_url("inquiries", "inquiry", **query)


def inquiry_figures(
    period: Period, *, received=None, links_enabled: bool, today: datetime.date | None = None
) -> InquiryFigures:
    """The request figures for ``period``; ``received`` is the period's requests if already filtered."""
    today = today or timezone.localdate()
    begin, after = period.bounds()
    if received is None:
        received = Inquiry.objects.filter(submitted_at__gte=begin, submitted_at__lt=after)
    link = InquiryLinks(links_enabled, period)

    def grouped(field_name: str) -> dict[str, int]:
        return dict(received.order_by().values_list(field_name).annotate(n=Count("pk")))

    months = {
        (month.date() if isinstance(month, datetime.datetime) else month): n
        for month, n in received.order_by()
        .annotate(month=TruncMonth("submitted_at"))
        .values_list("month")
        .annotate(n=Count("pk"))
    }
    per_month = [
        Line(
            label=_month_label(month),
            count=months.get(month, 0),
            key=month.isoformat(),
            url=link(
                False,
                submitted_at__date__gte=max(month, period.start).isoformat(),
                submitted_at__date__lte=min(_month_end(month), period.end).isoformat(),
            ),
        )
        for month in period.months()
    ]

    totals = received.aggregate(
        received=Count("pk"),
        acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        # The first answer on or before the answer date, both in Danish time.
        on_time=Count("pk", filter=Q(answered_at__date__lte=F("answer_due"))),
        late_unanswered=Count(
            "pk", filter=Q(answered_at__isnull=True, status__in=CLOCK_RUNNING, answer_due__lt=today)
        ),
    )

    to_acknowledge: Counter = Counter()
    for submitted, acknowledged, n in (
        received.filter(acknowledged_at__isnull=False)
        .order_by()
        .annotate(s=TruncDate("submitted_at"), a=TruncDate("acknowledged_at"))
        .values_list("s", "a")
        .annotate(n=Count("pk"))
    ):
        to_acknowledge[working_days_between(submitted, acknowledged)] += n

    to_answer: Counter = Counter()
    for submitted, answered, paused, n in (
        received.filter(answered_at__isnull=False)
        .order_by()
        .annotate(s=TruncDate("submitted_at"), d=TruncDate("answered_at"))
        .values_list("s", "d", "paused_working_days")
        .annotate(n=Count("pk"))
    ):
        to_answer[max(working_days_between(submitted, answered) - paused, 0)] += n

    referred = dict(
        Referral.objects.filter(referred_at__gte=begin, referred_at__lt=after)
        .order_by()
        .values_list("partner")
        .annotate(n=Count("pk"))
    )
    referral_params = {
        "referrals__referred_at__date__gte": period.start.isoformat(),
        "referrals__referred_at__date__lte": period.end.isoformat(),
    }

    return InquiryFigures(
        period=period,
        received=totals["received"],
        per_month=per_month,
        by_topic=breakdown(grouped("topic"), Topic.choices, lambda v: link(topic__exact=v)),
        by_applicant_type=breakdown(
            grouped("applicant_type"), ApplicantType.choices, lambda v: link(applicant_type__exact=v)
        ),
        by_atmp_class=breakdown(
            grouped("atmp_class"), AtmpClass.choices, lambda v: link(atmp_class__exact=v)
        ),
        acknowledged=totals["acknowledged"],
        median_days_to_acknowledge=median(to_acknowledge),
        answered=totals["answered"],
        median_days_to_answer=median(to_answer),
        answered_on_time=totals["on_time"],
        answer_due_passed=totals["answered"] + totals["late_unanswered"],
        referrals=breakdown(
            referred,
            Partner.choices,
            lambda v: link(False, referrals__partner=v, **referral_params),
        ),
        list_url=link(),
    )


OPEN_STATUSES = [value for value in Status.values if value not in FINISHED]


@dataclass
class OpenNow:
    """Requests still open, by status, and those past their answer date: now, whatever the period."""

    by_status: Breakdown
    overdue: int
    overdue_url: str | None


def open_now(*, links_enabled: bool, today: datetime.date | None = None) -> OpenNow:
    today = today or timezone.localdate()
    link = InquiryLinks(links_enabled)
    # "status IN (the open ones)" rather than "NOT IN (finished)": it uses the status index and
    # reads the open requests only, however many finished ones pile up.
    by_status = dict(
        Inquiry.objects.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return OpenNow(
        by_status=breakdown(
            by_status,
            [(value, label) for value, label in Status.choices if value in OPEN_STATUSES],
            lambda v: link(False, status=v),
        ),
        overdue=Inquiry.objects.filter(status__in=CLOCK_RUNNING, answer_due__lt=today).count(),
        overdue_url=link(False, clock="overdue"),
    )


def _month_end(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def _month_label(month: datetime.date) -> str:
    from django.utils.dateformat import format as date_format

    return date_format(month, "M Y")


def admin_url(app: str, model: str, **params) -> str:
    """The admin's list of ``app.model``, filtered by ``params``."""
    base = reverse(f"admin:{app}_{model}_changelist")
    return f"{base}?{urlencode(params)}" if params else base


# --- Governance -------------------------------------------------------------------------------


@dataclass
class BodyLine:
    body: Body
    next_meeting: Meeting | None
    next_meeting_url: str | None
    held: int
    planned: int  # still to come in the year
    target: int
    seats: int
    vacant: int
    ending_soon: int
    actions_open: int
    actions_overdue: int
    meetings_url: str | None = None
    seats_url: str | None = None
    terms_url: str | None = None
    actions_url: str | None = None
    overdue_url: str | None = None

    @property
    def behind_target(self) -> bool:
        return bool(self.target) and self.held + self.planned < self.target


@dataclass
class GovernanceFigures:
    year: int
    bodies: list[BodyLine]
    ending_soon_days: int = ENDING_SOON_DAYS

    @property
    def steering(self) -> BodyLine | None:
        return next((b for b in self.bodies if b.body.kind == BodyKind.STEERING_GROUP), None)


def governance_figures(user, year: int, *, secretariat: bool, today: datetime.date | None = None):
    today = today or timezone.localdate()
    now = timezone.now()
    upcoming = Meeting.objects.filter(
        body=OuterRef("pk"), status=MeetingStatus.PLANNED, ends_at__gte=now
    ).order_by("starts_at")
    bodies = list(
        Body.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .annotate(
            next_meeting_id=Subquery(upcoming.values("pk")[:1]),
            held=Count("meetings", filter=Q(meetings__year=year, meetings__status=MeetingStatus.HELD)),
            planned=Count(
                "meetings",
                filter=Q(
                    meetings__year=year, meetings__status=MeetingStatus.PLANNED, meetings__ends_at__gte=now
                ),
            ),
        )
        .order_by("position", "name_da")
    )
    meetings = Meeting.objects.in_bulk([b.next_meeting_id for b in bodies if b.next_meeting_id])

    seats: dict[int, list[int]] = {}
    for body_id, count, filled in (
        Seat.objects.filter(body__in=bodies)
        .annotate(filled=seats_filled(today))
        .values_list("body_id", "count", "filled")
    ):
        totals = seats.setdefault(body_id, [0, 0])
        totals[0] += count
        totals[1] += max(count - filled, 0)
    ending = dict(
        Membership.objects.ending_within(ENDING_SOON_DAYS, today)
        .order_by()
        .values_list("body_id")
        .annotate(n=Count("pk"))
    )
    actions = {
        body_id: (n_open, n_overdue)
        for body_id, n_open, n_overdue in ActionItem.objects.open()
        .order_by()
        .values_list("decision__meeting__body_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_date__lt=today)))
    }

    may_open = visible_body_ids(user)
    lines = []
    for body in bodies:
        meeting = meetings.get(body.next_meeting_id)
        may_see = may_open is None or body.pk in may_open
        line = BodyLine(
            body=body,
            next_meeting=meeting,
            next_meeting_url=reverse("governance:meeting", args=[meeting.pk])
            if meeting and may_see
            else None,
            held=body.held,
            planned=body.planned,
            target=body.target_meetings_per_year,
            seats=seats.get(body.pk, [0, 0])[0],
            vacant=seats.get(body.pk, [0, 0])[1],
            ending_soon=ending.get(body.pk, 0),
            actions_open=actions.get(body.pk, (0, 0))[0],
            actions_overdue=actions.get(body.pk, (0, 0))[1],
        )
        if secretariat:
            body_filter = {"body__id__exact": body.pk}
            action_filter = {"decision__meeting__body__id__exact": body.pk}
            line.meetings_url = admin_url("governance", "meeting", **body_filter, year=year)
            line.seats_url = admin_url("governance", "seat", **body_filter, vacancy="vacant")
            line.terms_url = admin_url("governance", "membership", **body_filter, term="ending")
            line.actions_url = admin_url("governance", "actionitem", **action_filter, due="open")
            line.overdue_url = admin_url("governance", "actionitem", **action_filter, due="overdue")
        elif body.is_public:
            line.meetings_url = line.seats_url = line.terms_url = reverse("governance:index")
        lines.append(line)
    return GovernanceFigures(year=year, bodies=lines)


# --- Projects ---------------------------------------------------------------------------------


@dataclass
class ProjectLine:
    project: Project
    next_milestone: Milestone | None
    overdue: list[Milestone] = field(default_factory=list)
    past_planned_end: bool = False

    @property
    def is_late(self) -> bool:
        return bool(self.overdue) or self.past_planned_end


@dataclass
class ProjectFigures:
    lines: list[ProjectLine]
    timeline: timeline.Timeline

    @property
    def late(self) -> list[ProjectLine]:
        return [line for line in self.lines if line.is_late]

    @property
    def overdue_milestones(self) -> int:
        return sum(len(line.overdue) for line in self.lines)


FINISHED_PROJECTS = (ProjectStatus.COMPLETED, ProjectStatus.STOPPED)


def project_figures(user, today: datetime.date | None = None) -> ProjectFigures:
    today = today or timezone.localdate()
    projects = list(projects_for(user, deliverables=False))
    lines = []
    for project in projects:
        running = project.status not in FINISHED_PROJECTS
        lines.append(
            ProjectLine(
                project=project,
                next_milestone=project.next_milestone(),
                overdue=[m for m in project.milestones.all() if running and m.is_overdue(today)],
                past_planned_end=running and bool(project.planned_end and project.planned_end < today),
            )
        )
    return ProjectFigures(lines=lines, timeline=timeline.build(projects, today))


# --- Budget -----------------------------------------------------------------------------------


@dataclass
class BurnPoint:
    year: int
    quarter: int
    planned: Decimal  # the allocations up to here, spread evenly over each year's quarters
    spent: Decimal | None  # cumulative, None for quarters still to come
    used: Decimal | None  # spent plus open commitments, cumulative

    @property
    def label(self) -> str:
        return _("Q%(quarter)s %(year)s") % {"quarter": self.quarter, "year": self.year}


@dataclass
class BudgetFigures:
    report: reports.Report
    year: int
    burn: list[BurnPoint]
    pipeline: list[FundingApplication]
    today: datetime.date

    @property
    def this_year(self) -> reports.Figures:
        return self.report.by_year.get(self.year) or reports.Figures()

    @property
    def pipeline_amount(self) -> Decimal:
        return sum((a.amount for a in self.pipeline), ZERO)

    @property
    def elapsed_share(self) -> float | None:
        """How far through the strategy's years today is, to read the burn against."""
        if not self.report.years:
            return None
        start = datetime.date(self.report.years[0], 1, 1)
        end = datetime.date(self.report.years[-1] + 1, 1, 1)
        return min(max((self.today - start).days / (end - start).days, 0.0), 1.0)


def budget_figures(year: int, today: datetime.date | None = None) -> BudgetFigures:
    today = today or timezone.localdate()
    report = reports.build(year=year)
    return BudgetFigures(
        report=report,
        year=year,
        burn=burn(today),
        pipeline=list(FundingApplication.objects.in_pipeline().order_by("deadline", "pk")),
        today=today,
    )


def burn(today: datetime.date) -> list[BurnPoint]:
    """Cumulative spending per quarter (by voucher date) against the allocations spread over time."""
    allocated = dict(
        Allocation.objects.filter(grant__is_managed=True)
        .order_by()
        .values_list("year")
        .annotate(total=Sum("amount"))
    )
    if not allocated:
        return []
    by_quarter = {
        (y, q): (kroner(spent), kroner(committed))
        for y, q, spent, committed in LedgerEntry.objects.managed()
        .order_by()
        .annotate(y=ExtractYear("date"), q=ExtractQuarter("date"))
        .values_list("y", "q")
        .annotate(spent=Sum("spent_effect"), committed=Sum("committed_effect"))
    }
    first, last = min(allocated), max(allocated)
    now = (today.year, (today.month - 1) // 3 + 1)
    # Entries dated before the first budget year count from the start.
    spent = sum((s for (y, _q), (s, _c) in by_quarter.items() if y < first), ZERO)
    committed = sum((c for (y, _q), (_s, c) in by_quarter.items() if y < first), ZERO)
    planned = ZERO
    points = []
    for year in range(first, last + 1):
        for quarter in range(1, 5):
            planned += kroner(allocated.get(year, ZERO)) / 4
            quarter_spent, quarter_committed = by_quarter.get((year, quarter), (ZERO, ZERO))
            spent += quarter_spent
            committed += quarter_committed
            future = (year, quarter) > now
            points.append(
                BurnPoint(
                    year=year,
                    quarter=quarter,
                    planned=planned.quantize(Decimal("0.01")),
                    spent=None if future else spent,
                    used=None if future else spent + committed,
                )
            )
    return points
