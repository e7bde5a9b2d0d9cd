"""The dashboard's figures: counts, rates and sums over requests, governance, projects and budget.

Aggregates only. Nothing here reads an applicant's name, email, organisation or text. The request
figures come from the per-day counts ``inquiries.services`` keeps in the same transaction as each
write (``inquiries.summaries``), the money from the ledger summary ``budget.services`` keeps
(``budget.summaries``): a period reads a few thousand small rows at most, never the requests or
the ledger themselves, so the page costs the same at 1,000 requests as at 1,000,000 (issue 21;
bench/perf.py). Medians of working days come from per-day histograms of the working days each
request's service stored once, when it was acknowledged or answered.
"""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import ApplicantType
from audit import stamps
from budget import reports
from budget.models import ZERO, FundingApplication, kroner
from dashboard.periods import Period
from governance import models as governance_models
from governance.models import ActionItem, Body, BodyKind, Meeting, MeetingStatus, Membership, Seat
from governance.selectors import ENDING_SOON_DAYS, seats_filled, visible_body_ids
from inquiries import summaries
from inquiries.clock import working_days_between
from inquiries.models import FINISHED, AtmpClass, Partner, Status, Topic
from network.models import AnswerChoice, Capability, Entry, Region, Round
from network.selectors import entries_not_confirmed
from projects import models as project_models
from projects import timeline
from projects.models import Milestone, Project, ProjectStatus
from projects.selectors import projects_for, sees_full_status

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


def request_counts(
    *periods: Period, today: datetime.date | None = None
) -> tuple[list[summaries.Counts], summaries.Counts]:
    """The per-day counts summed over each period, and over all days for the open requests: one query.

    Due dates come back as ``summaries.PAST_DUE`` or ``NOT_PAST_DUE`` against ``today``."""
    read = summaries.counts_for(
        {str(i): (p.start, p.end) for i, p in enumerate(periods)},
        PERIOD_DIMENSIONS,
        NOW_DIMENSIONS,
        today=today or timezone.localdate(),
    )
    return [read[str(i)] for i in range(len(periods))], read["all"]


def inquiry_figures(
    period: Period,
    *,
    links_enabled: bool,
    today: datetime.date | None = None,
    counts: summaries.Counts | None = None,
) -> InquiryFigures:
    """The request figures for ``period``, from the per-day counts the services keep (``counts`` if
    already read with ``request_counts``, else one query)."""
    today = today or timezone.localdate()
    link = InquiryLinks(links_enabled, period)
    read = counts if counts is not None else request_counts(period, today=today)[0][0]
    months = read.received_per_month
    totals = read.totals
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

    def grouped(dimension: str) -> dict[str, int]:
        return {value: n for (d, value), n in totals.items() if d == dimension}

    def histogram(dimension: str) -> Counter:
        return Counter({int(value): n for value, n in grouped(dimension).items()})

    answered = totals.get(("answered", ""), 0)
    late_unanswered = grouped("running_unanswered_due").get(summaries.PAST_DUE, 0)
    referral_params = {
        "referrals__referred_at__date__gte": period.start.isoformat(),
        "referrals__referred_at__date__lte": period.end.isoformat(),
    }
    return InquiryFigures(
        period=period,
        received=totals.get(("received", ""), 0),
        per_month=per_month,
        by_topic=breakdown(grouped("topic"), Topic.choices, lambda v: link(topic__exact=v)),
        by_applicant_type=breakdown(
            grouped("applicant_type"), ApplicantType.choices, lambda v: link(applicant_type__exact=v)
        ),
        by_atmp_class=breakdown(
            grouped("atmp_class"), AtmpClass.choices, lambda v: link(atmp_class__exact=v)
        ),
        acknowledged=totals.get(("acknowledged", ""), 0),
        median_days_to_acknowledge=median(histogram("ack_days")),
        answered=answered,
        median_days_to_answer=median(histogram("answer_days")),
        answered_on_time=totals.get(("on_time", ""), 0),
        answer_due_passed=answered + late_unanswered,
        referrals=breakdown(
            grouped("referred"),
            Partner.choices,
            lambda v: link(False, referrals__partner=v, **referral_params),
        ),
        list_url=link(),
    )


PERIOD_DIMENSIONS = (
    "received",
    "topic",
    "applicant_type",
    "atmp_class",
    "acknowledged",
    "ack_days",
    "answered",
    "answer_days",
    "on_time",
    "running_unanswered_due",
    "referred",
)
NOW_DIMENSIONS = ("status", "running_due")


OPEN_STATUSES = [value for value in Status.values if value not in FINISHED]


@dataclass
class OpenNow:
    """Requests still open, by status, and those past their answer date: now, whatever the period."""

    by_status: Breakdown
    overdue: int
    overdue_url: str | None


def open_now(
    *, links_enabled: bool, today: datetime.date | None = None, counts: summaries.Counts | None = None
) -> OpenNow:
    today = today or timezone.localdate()
    link = InquiryLinks(links_enabled)
    totals = (counts if counts is not None else request_counts(today=today)[1]).totals
    by_status = {value: n for (d, value), n in totals.items() if d == "status" and value in OPEN_STATUSES}
    return OpenNow(
        by_status=breakdown(
            by_status,
            [(value, label) for value, label in Status.choices if value in OPEN_STATUSES],
            lambda v: link(False, status=v),
        ),
        overdue=totals.get(("running_due", summaries.PAST_DUE), 0),
        overdue_url=link(False, clock="overdue"),
    )


def _month_end(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def _month_label(month: datetime.date) -> str:
    from django.utils.dateformat import format as date_format

    return date_format(month, "M Y")


def admin_url(app: str, model: str, **params) -> str:
    """The admin's list of ``app.model``, filtered by ``params``."""
    base = _changelist(app, model, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return f"{base}?{urlencode(params)}" if params else base


@functools.lru_cache(maxsize=64)
def _changelist(app: str, model: str, script_prefix: str, urlconf: str) -> str:
    """The page links ~100 filtered lists: one reverse() per list, prefix and URLconf, not per link."""
    return reverse(f"admin:{app}_{model}_changelist", urlconf=urlconf)


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


@dataclass
class GovernanceRead:
    """What the governance figures are drawn from: one read of the bodies with what they count,
    one of their seats, and the bodies the viewer may open (the dashboard keys its drawing on it)."""

    year: int
    bodies: list[Any]  # Body, with what it counts annotated
    seats: dict[int, list[int]]  # body → [seats, vacant]
    may_open: set[int] | None


def governance_figures(
    user,
    year: int,
    *,
    secretariat: bool,
    today: datetime.date | None = None,
    read: GovernanceRead | None = None,
):
    read = read or governance_read(user, year, today=today)
    return GovernanceFigures(
        year=read.year, bodies=[_body_line(body, read, secretariat) for body in read.bodies]
    )


T = TypeVar("T")
KEPT = 24 * 60 * 60  # seconds; a key that depends on the day names it
NEVER = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def stamp() -> str:
    """The change stamps of everything the kept reads come from (governance and projects), one query."""
    return ".".join(str(n) for n in stamps.read(*governance_models.STAMPED, *project_models.STAMPED))


def _kept(key: str, read: Callable[[], T], still_true: Callable[[T], bool] = lambda kept: True) -> T:
    """``read()``, kept in the cache under ``key`` (which names the change stamps it was read at)."""
    kept = cache.get(key)
    if kept is None or not still_true(kept):
        kept = read()
        cache.set(key, kept, KEPT)
    return kept


def governance_read(
    user, year: int, *, today: datetime.date | None = None, stamped: str | None = None
) -> GovernanceRead:
    """The bodies with what they count, and their seats: kept while the governance models' change
    stamps (audit.stamps) and the day stay the same and no planned meeting has ended (a meeting
    ending moves "planned" and "next meeting" with no write). Which bodies the viewer may open is
    worked out for each viewer. One query when kept (none with ``stamped``), three when read."""
    today = today or timezone.localdate()
    now = timezone.now()
    stamped = stamped or stamp()  # read before the figures (audit.stamps)
    bodies, seats, _until = _kept(
        f"dashboard:governance:{year}:{today.isoformat()}:{stamped}",
        lambda: _governance_bodies(year, today, now),
        still_true=lambda kept: now < kept[2],
    )
    return GovernanceRead(year=year, bodies=bodies, seats=seats, may_open=visible_body_ids(user))


def _governance_bodies(year: int, today: datetime.date, now: datetime.datetime):
    """(bodies with what they count, body → [seats, vacant], when the first planned meeting ends)."""
    upcoming = Meeting.objects.filter(
        body=OuterRef("pk"), status=MeetingStatus.PLANNED, ends_at__gte=now
    ).order_by("starts_at")

    def per_body(queryset, body_path: str, **counts) -> dict:
        """Scalar subqueries counting ``queryset``'s rows of each body (0 when none)."""
        grouped = queryset.filter(**{body_path: OuterRef("pk")}).order_by().values(body_path)
        return {
            name: Coalesce(Subquery(grouped.annotate(n=count).values("n")[:1]), 0)
            for name, count in counts.items()
        }

    # One read for the bodies and what they count (issue 21: the terms ending and the action
    # items were two more grouped queries).
    bodies = list(
        Body.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .annotate(
            next_meeting_id=Subquery(upcoming.values("pk")[:1]),
            next_meeting_starts_at=Subquery(upcoming.values("starts_at")[:1]),
            # The same for every body: until then, what was read stays true (not correlated, so
            # PostgreSQL works it out once).
            first_planned_end=Subquery(
                Meeting.objects.filter(status=MeetingStatus.PLANNED, ends_at__gte=now)
                .order_by("ends_at")
                .values("ends_at")[:1]
            ),
            # Subqueries, not a join with the meetings: a join made PostgreSQL group by the other
            # subqueries and run each once per meeting row instead of once per body (12 ms → 1 ms).
            **per_body(
                Meeting.objects.filter(year=year),
                "body",
                held=Count("pk", filter=Q(status=MeetingStatus.HELD)),
                planned=Count("pk", filter=Q(status=MeetingStatus.PLANNED, ends_at__gte=now)),
            ),
            **per_body(Membership.objects.ending_within(ENDING_SOON_DAYS, today), "body", ending=Count("pk")),
            **per_body(
                ActionItem.objects.open(),
                "decision__meeting__body",
                actions_open=Count("pk"),
                actions_late=Count("pk", filter=Q(due_date__lt=today)),
            ),
        )
        .order_by("position", "name_da")
    )
    seats: dict[int, list[int]] = {}
    for body_id, count, filled in (
        Seat.objects.filter(body__in=bodies)
        .annotate(filled=seats_filled(today))
        .values_list("body_id", "count", "filled")
    ):
        totals = seats.setdefault(body_id, [0, 0])
        totals[0] += count
        totals[1] += max(count - filled, 0)
    until = bodies[0].first_planned_end if bodies else None
    return bodies, seats, until or NEVER


def _body_line(body: Any, read: GovernanceRead, secretariat: bool) -> BodyLine:
    # The page shows the next meeting's time and links to it: its id and start, read with the body.
    meeting = (
        Meeting(pk=body.next_meeting_id, body=body, starts_at=body.next_meeting_starts_at)
        if body.next_meeting_id
        else None
    )
    may_see = read.may_open is None or body.pk in read.may_open
    seats, vacant = read.seats.get(body.pk, [0, 0])
    line = BodyLine(
        body=body,
        next_meeting=meeting,
        next_meeting_url=reverse("governance:meeting", args=[meeting.pk]) if meeting and may_see else None,
        held=body.held,
        planned=body.planned,
        target=body.target_meetings_per_year,
        seats=seats,
        vacant=vacant,
        ending_soon=body.ending,
        actions_open=body.actions_open,
        actions_overdue=body.actions_late,
    )
    if secretariat:
        body_filter = {"body__id__exact": body.pk}
        action_filter = {"decision__meeting__body__id__exact": body.pk}
        line.meetings_url = admin_url("governance", "meeting", **body_filter, year=read.year)
        line.seats_url = admin_url("governance", "seat", **body_filter, vacancy="vacant")
        line.terms_url = admin_url("governance", "membership", **body_filter, term="ending")
        line.actions_url = admin_url("governance", "actionitem", **action_filter, due="open")
        line.overdue_url = admin_url("governance", "actionitem", **action_filter, due="overdue")
    elif body.is_public:
        line.meetings_url = line.seats_url = line.terms_url = reverse("governance:index")
    return line


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


def project_read(user, *, stamped: str | None = None) -> list[Project]:
    """The projects the viewer may see, with their milestones: what the project figures are drawn from.

    With ``stamped`` (``stamp()``, read before), kept in the cache under it, for the full view and the
    public one apart."""
    if stamped is None:
        return list(projects_for(user, deliverables=False))
    return _kept(
        f"dashboard:projects:{sees_full_status(user)}:{stamped}",
        lambda: list(projects_for(user, deliverables=False)),
    )


def project_key(projects: list[Project]) -> list:
    """The projects and their milestones as plain field values: what the project section is drawn
    from, to key its drawing on (pickling the instances with their milestones took ~2 ms)."""
    return [(_values(p), [_values(m) for m in p.milestones.all()]) for p in projects]


def _values(instance) -> dict:
    return {name: value for name, value in vars(instance).items() if not name.startswith("_")}


def project_figures(
    user, today: datetime.date | None = None, projects: list[Project] | None = None
) -> ProjectFigures:
    today = today or timezone.localdate()
    projects = project_read(user) if projects is None else projects
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
    """The years and quarters of the report over the managed grants (the page shows no breakdown)."""
    today = today or timezone.localdate()
    report = reports.build(year=year, breakdowns=False)
    return BudgetFigures(
        report=report,
        year=year,
        burn=burn(today, report),
        pipeline=list(FundingApplication.objects.in_pipeline().order_by("deadline", "pk")),
        today=today,
    )


def burn(today: datetime.date, report: reports.Report | None = None) -> list[BurnPoint]:
    """Cumulative spending per quarter (by voucher date) against the allocations spread over time.

    Read from the report over the managed grants (its allocations and its sums by quarter)."""
    report = report if report is not None and report.grant is None else reports.build(breakdowns=False)
    allocated = {year: figures.allocated for year, figures in report.by_year.items() if figures.allocated}
    if not allocated:
        return []
    by_quarter = {key: (f.spent, f.committed) for key, f in report.by_quarter.items()}
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


# --- Network: the directory and feasibility rounds --------------------------------------------


@dataclass
class NetworkFigures:
    rounds_started: int
    sites_asked: int
    sites_answered: int
    median_days_to_interest: float | None  # working days from a round's start to its first "interested"
    entries: int
    not_confirmed: int
    by_region: Breakdown
    by_capability: Breakdown

    @property
    def answer_rate(self) -> float | None:
        return self.sites_answered / self.sites_asked if self.sites_asked else None


def network_figures(
    period: Period, *, links_enabled: bool, today: datetime.date | None = None
) -> NetworkFigures:
    """Rounds started in ``period`` and how they were answered; the directory as it stands today.

    Three queries whatever the volume (issue 21): one row per round started in the period (its
    invitations, answers and first "interested"; working days are counted in Python, two table
    lookups each), one grouped read of the published entries by region (with those not confirmed
    in time), and the active capabilities with their published entries.
    """
    today = today or timezone.localdate()
    begin, after = period.bounds()
    rounds = list(
        Round.objects.filter(started_at__gte=begin, started_at__lt=after)
        .order_by()
        .values("pk", "started_at")
        .annotate(
            asked=Count("invitations"),
            answered=Count("invitations", filter=~Q(invitations__answer="")),
            first=Min("invitations__answered_at", filter=Q(invitations__answer=AnswerChoice.INTERESTED)),
        )
    )
    days = Counter(
        working_days_between(timezone.localdate(row["started_at"]), timezone.localdate(row["first"]))
        for row in rounds
        if row["first"] is not None
    )
    stale = entries_not_confirmed(today).filter(pk=OuterRef("pk"))
    regions: dict[str, int] = {}
    not_confirmed = 0
    for region, n, late in (
        Entry.objects.filter(is_published=True)
        .order_by()
        .values_list("region")
        .annotate(n=Count("pk"), late=Count("pk", filter=Exists(stale)))
    ):
        regions[region] = n
        not_confirmed += late
    active = list(
        Capability.objects.filter(is_active=True)
        .annotate(published=Count("entries", filter=Q(entries__is_published=True)))
        .order_by("position", "name_en")
    )
    capabilities = {str(c.pk): c.published for c in active}
    capability_choices = [(str(c.pk), c.name) for c in active]
    codes = {c.pk: c.code for c in active}
    directory = reverse("network:directory")
    return NetworkFigures(
        rounds_started=len(rounds),
        sites_asked=sum(row["asked"] for row in rounds),
        sites_answered=sum(row["answered"] for row in rounds),
        median_days_to_interest=median(days),
        entries=sum(regions.values()),
        not_confirmed=not_confirmed,
        by_region=breakdown(regions, Region.choices, url=lambda value: f"{directory}?region={value}"),
        by_capability=breakdown(
            capabilities, capability_choices, url=lambda value: f"{directory}?capability={codes[int(value)]}"
        ),
    )
