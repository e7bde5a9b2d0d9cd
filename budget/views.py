"""The budget pages: the report, the ledger and the funding applications, with their exports.

For the steering group and the secretariat only (``accounts.decorators.steering_pages_only``):
anonymous visitors are sent to sign in; anyone else signed in gets the 403 page saying why. Nothing here
writes: the secretariat posts and reverses in the admin.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.decorators import steering_pages_only
from budget import chart, exports, reports, selectors, spreadsheet_csv
from budget import downloads as budget_downloads
from budget.filters import LedgerFilter
from budget.forms import ReportForm
from budget.models import OPEN_APPLICATION_STATUSES, LedgerEntry
from downloads.services import download_request

BUDGET_ONLY = gettext_lazy(
    "The budget is for the ATMP Danmark steering group and the secretariat at Amgros. "
    "If you are a member of the steering group, ask the secretariat to link your membership to this account."
)
LEDGER_PAGE_SIZE = 50
# openpyxl writes about 6,000 rows a second here (bench/budget_ledger.py): 50,000 rows keep an XLSX
# download under ten seconds, well inside the web worker's timeout. A larger selection is built
# by a worker and handed over by the downloads app (ledger_xlsx_prepare). CSV streams any number.
XLSX_MAX_ENTRIES = 50_000


budget_reader = steering_pages_only(BUDGET_ONLY)


def _report_for(request) -> tuple[ReportForm, reports.Report]:
    form = ReportForm(request.GET or None)
    year = grant = None
    if form.is_bound and form.is_valid():
        year, grant = form.cleaned_data["year"], form.cleaned_data["grant"]
    return form, reports.build(year=year, grant=grant)


# /budget/ledger.excel.csv: the CSV for Danish Excel (budget/spreadsheet_csv.py); .csv is for machines.
SPREADSHEET_CSV = "excel.csv"


def _filename(stem: str, fmt: str) -> str:
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"


@budget_reader
def report(request):
    form, built = _report_for(request)
    return render(
        request,
        "budget/report.html",
        {
            "form": form,
            "report": built,
            "chart": chart.build(built.year_rows()),
            "query": request.GET.urlencode(),
            "pipeline": list(selectors.applications().in_pipeline()),
        },
    )


@budget_reader
def report_export(request, fmt: str):
    _, built = _report_for(request)
    if fmt == "csv":
        return exports.report_csv_response(built, filename=_filename("atmp-budget-report", fmt))
    if fmt == SPREADSHEET_CSV:
        return spreadsheet_csv.report_spreadsheet_csv_response(
            built, filename=_filename("atmp-budget-report-excel", "csv")
        )
    if fmt == "xlsx":
        return exports.report_xlsx_response(built, filename=_filename("atmp-budget-report", fmt))
    raise Http404


def _filtered_ledger(request: HttpRequest) -> tuple[LedgerFilter, QuerySet[LedgerEntry]]:
    """The ledger filter from the query string, and the entries it lets through (all when unbound)."""
    entries = selectors.ledger_entries()
    ledger_filter = LedgerFilter(request.GET or None, queryset=entries)
    if ledger_filter.is_bound and ledger_filter.is_valid():
        entries = ledger_filter.qs
    return ledger_filter, entries


@budget_reader
def ledger(request):
    ledger_filter, entries = _filtered_ledger(request)
    totals = _ledger_totals(ledger_filter, entries)
    paginator = Paginator(selectors.ledger_listed(entries), LEDGER_PAGE_SIZE)
    paginator.count = totals.entries  # counted with the totals: no second pass over the entries
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "budget/ledger.html",
        {
            "filter": ledger_filter,
            "page": page,
            "totals": totals,
            "query": query.urlencode(),
            "filtered": ledger_filter.is_bound,
            "xlsx_in_background": totals.entries > XLSX_MAX_ENTRIES,
        },
    )


# Filters the ledger summary can answer (it is kept per grant, year, category and project).
SUMMARY_FILTERS = {"grant": "grant", "year": "year", "category": "category", "project": "project"}


def _ledger_totals(ledger_filter: LedgerFilter, entries) -> reports.LedgerTotals:
    """Count and totals of what the page lists: from the summary when the filters allow, else one pass."""
    data = ledger_filter.form.cleaned_data if ledger_filter.is_bound and ledger_filter.is_valid() else {}
    chosen = {name: value for name, value in data.items() if value not in (None, "")}
    if set(chosen) <= set(SUMMARY_FILTERS):
        return reports.ledger_summary_totals(
            **{SUMMARY_FILTERS[name]: value for name, value in chosen.items()}
        )
    return reports.ledger_totals(entries)


@budget_reader
def ledger_export(request, fmt: str):
    ledger_filter, entries = _filtered_ledger(request)
    entries = entries.order_by("date", "pk")
    if fmt == "csv":
        return exports.ledger_csv_response(entries, filename=_filename("atmp-budget-ledger", fmt))
    if fmt == SPREADSHEET_CSV:
        return spreadsheet_csv.ledger_spreadsheet_csv_response(
            entries, filename=_filename("atmp-budget-ledger-excel", "csv")
        )
    if fmt == "xlsx":
        if entries.count() > XLSX_MAX_ENTRIES:
            # Too many to build while the browser waits: a worker builds it (budget/downloads.py).
            query = request.GET.urlencode()
            return redirect(reverse("budget:ledger_xlsx_prepare") + (f"?{query}" if query else ""))
        return exports.ledger_xlsx_response(entries, filename=_filename("atmp-budget-ledger", fmt))
    raise Http404


@budget_reader
def ledger_xlsx_prepare(request):
    """A large selection's workbook: asked for here (POST), built by a worker, announced by email."""
    ledger_filter, entries = _filtered_ledger(request)
    if request.method == "POST":
        download = download_request(
            actor=request.user,
            owner=request.user,
            kind=budget_downloads.LEDGER_XLSX,
            params=budget_downloads.ledger_params(request.GET),
        )
        return redirect("downloads:status", uuid=download.uuid)
    totals = _ledger_totals(ledger_filter, entries)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "budget/ledger_xlsx_prepare.html",
        {"count": totals.entries, "query": query.urlencode(), "filtered": ledger_filter.is_bound},
    )


@budget_reader
def applications(request):
    rows = list(selectors.applications().order_by("-created_at"))
    return render(
        request,
        "budget/applications.html",
        {
            "pipeline": [a for a in rows if a.status in OPEN_APPLICATION_STATUSES],
            "finished": [a for a in rows if a.status not in OPEN_APPLICATION_STATUSES],
        },
    )
