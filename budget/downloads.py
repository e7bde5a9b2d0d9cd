"""The ledger as an Excel workbook of any size, built by a worker (issue 21).

Up to ``budget.views.XLSX_MAX_ENTRIES`` entries the workbook is built while the browser waits;
above that the web worker's timeout would cut it off, so the ledger page hands the selection to
the downloads app: a Celery task builds the file with a progress bar, and the person who asked
gets an email with a link that works once, for them only (docs/downloads.md).
"""

from __future__ import annotations

from typing import BinaryIO

from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import access_for, is_secretariat_account
from budget import exports, selectors
from budget.filters import LedgerFilter
from downloads.builders import Builder, Progress
from downloads.models import Download

LEDGER_XLSX = "budget.ledger_xlsx"


def may_read_budget(user) -> bool:
    """The budget's readers, as a worker sees them: steering group members and the secretariat's
    accounts (the second factor was checked when they asked, in their session)."""
    return user.is_active and (access_for(user).sees_steering_pages or is_secretariat_account(user))


def ledger_params(query: QueryDict) -> dict[str, list[str]]:
    """The ledger filter's query string as JSON for ``Download.params``."""
    return {key: query.getlist(key) for key in query if key != "page"}


def build_ledger_xlsx(download: Download, out: BinaryIO, progress: Progress) -> tuple[str, str]:
    if not may_read_budget(download.owner):
        raise PermissionDenied("The owner no longer reads the budget.")
    query = QueryDict(mutable=True)
    for key, values in (download.params or {}).items():
        query.setlist(key, [str(value) for value in values])
    entries = selectors.ledger_entries()
    ledger_filter = LedgerFilter(query or None, queryset=entries)
    if ledger_filter.is_bound and ledger_filter.is_valid():
        entries = ledger_filter.qs
    exports.ledger_xlsx_write(entries.order_by("date", "pk"), out, progress)
    return f"atmp-budget-ledger-{timezone.localdate():%Y-%m-%d}.xlsx", exports.XLSX_TYPE


BUILDER = Builder(
    kind=LEDGER_XLSX,
    label=_("The budget ledger as an Excel workbook"),
    build=build_ledger_xlsx,
    back_url_name="budget:ledger",
)
