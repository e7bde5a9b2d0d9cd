"""The steering group's dashboard: the whole initiative at a glance, aggregates only (issue 7).

For active steering group members and the secretariat. Anonymous visitors are sent to sign in;
anyone else signed in (applicants, reference and working group members) gets the 403 page with
the reason. The page reads; it never writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy

from accounts.decorators import steering_pages_only
from accounts.roles import Role, access_for
from budget import chart as budget_chart
from dashboard import charts, figures
from dashboard.filters import PeriodFilter
from dashboard.periods import Period
from inquiries.models import Inquiry

T = TypeVar("T")

STEERING_ONLY = gettext_lazy(
    "The dashboard is for the members of the ATMP Danmark steering group and the secretariat at Amgros. "
    "If you are a member of the steering group, ask the secretariat to link your membership to this account."
)


@steering_pages_only(STEERING_ONLY)
def index(request):
    today = timezone.localdate()
    secretariat = access_for(request.user).has(Role.SECRETARIAT)
    period_filter = PeriodFilter(request.GET, queryset=Inquiry.objects.none(), today=today)
    period = period_filter.period
    year = period.year or period.end.year

    quarter = Period.quarter_of(today)
    (in_period, in_quarter), all_days = figures.request_counts(period, quarter, today=today)  # one query
    # Kept in the cache while the governance and project models' change stamps stay (audit.stamps).
    stamped = figures.stamp()
    governance_read = figures.governance_read(request.user, year, today=today, stamped=stamped)
    project_read = figures.project_read(request.user, stamped=stamped)
    budget = figures.budget_figures(year, today=today)
    network = figures.network_figures(period, links_enabled=secretariat, today=today)

    # Each section is drawn once per set of what was read for it ({% memo %} on these keys): the
    # figures below are worked out from the reads only when a section is drawn (issue 21).
    keys = {
        "requests": (period, today, secretariat, in_period, all_days),
        "quarter": (quarter, today, secretariat, in_quarter),
        "governance": (governance_read, secretariat),
        "projects": (today, figures.project_key(project_read)),
    }

    def period_figures():
        return figures.inquiry_figures(period, links_enabled=secretariat, today=today, counts=in_period)

    def quarter_figures():
        if period == quarter:
            return requests
        return figures.inquiry_figures(quarter, links_enabled=secretariat, today=today, counts=in_quarter)

    requests = _later(period_figures)
    now = _later(lambda: figures.open_now(links_enabled=secretariat, today=today, counts=all_days))
    projects = _later(lambda: figures.project_figures(request.user, today=today, projects=project_read))
    return render(
        request,
        "dashboard/index.html",
        {
            "filter": period_filter,
            "period": period,
            "year": year,
            "today": today,
            "shortcuts": _shortcuts(today),
            "keys": keys,
            "requests": requests,
            "this_quarter": _later(quarter_figures),
            "open_now": now,
            "governance": _later(
                lambda: figures.governance_figures(
                    request.user, year, secretariat=secretariat, today=today, read=governance_read
                )
            ),
            "projects": projects,
            "budget": budget,
            "network": network,
            "budget_this_year": budget.report.by_year.get(today.year),
            "request_charts": _later(
                lambda: {
                    "per_month": charts.columns(requests.per_month),
                    "open_by_status": charts.bars(now.by_status),
                    "by_topic": charts.bars(requests.by_topic),
                    "by_applicant_type": charts.bars(requests.by_applicant_type),
                    "by_atmp_class": charts.bars(requests.by_atmp_class),
                    "referrals": charts.bars(requests.referrals),
                }
            ),
            "charts": {
                "network_regions": charts.bars(network.by_region),
                "network_capabilities": charts.bars(network.by_capability),
                "burn": charts.burn(budget.burn, elapsed_share=budget.elapsed_share),
            },
            "chart": budget_chart.build(budget.report.year_rows()),
            "timeline": _later(lambda: projects.timeline),
            "secretariat": secretariat,
        },
    )


def _later(build: Callable[[], T]) -> T:
    """``build()``, worked out on first use: a section drawn from its memo never needs it."""
    return cast(T, SimpleLazyObject(build))


def _shortcuts(today):
    """One-click periods: this quarter, the previous quarter, this year, last year."""
    quarter = (today.month - 1) // 3 + 1
    previous = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    base = reverse("dashboard:index")
    return [
        (Period.of_quarter(today.year, quarter), f"{base}?year={today.year}&quarter={quarter}"),
        (Period.of_quarter(*previous), f"{base}?year={previous[0]}&quarter={previous[1]}"),
        (Period.of_year(today.year), f"{base}?year={today.year}"),
        (Period.of_year(today.year - 1), f"{base}?year={today.year - 1}"),
    ]
