"""The CSV that Danish Excel opens as columns, next to the exact machine-readable one.

Excel set to Danish splits a CSV on semicolons and reads "1234,50" as a number; given the
machine CSV (commas, "1234.50") it puts each line in one cell. So the portal offers two:

- ``exports.ledger_csv_response``: for programs. Commas, decimal points, codes (``expense``,
  ``secretariat``), ISO dates; it never changes shape.
- this module's: for people with a spreadsheet. Semicolons, decimal commas, the names and labels
  in the reader's language ("Udgift", "Sekretariat"), a BOM so æøå survive, no thousands
  separators (Excel would read "1.234,50" as text in some set-ups).

Both stream the same rows (``exports._ledger_rows``) and neutralise formulas the same way.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse

from budget import exports
from budget.models import CostCategory, EntryKind, Grant, LedgerEntry
from budget.reports import Report

# Positions in ``exports._ledger_rows``'s tuples of the columns that hold codes.
GRANT, CATEGORY, KIND = 3, 4, 7


class _Echo:
    def write(self, value: str) -> str:
        return value


def spreadsheet_value(value):
    """A value as Danish Excel reads it: decimal comma, local date and time, formulas neutralised."""
    if isinstance(value, str):
        return exports._neutralised(value)
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value


def _writer(target) -> csv.Writer:  # type: ignore[name-defined]
    return csv.writer(target, delimiter=";", lineterminator="\r\n")


def _labelled(rows: Iterable[tuple]) -> Iterator[list]:
    """The ledger's codes replaced by names and labels in the active language."""
    grants = {grant.code: grant.name for grant in Grant.objects.all()}
    categories = {category.code: category.name for category in CostCategory.objects.all()}
    kinds = {str(value): str(label) for value, label in EntryKind.choices}
    for row in rows:
        line = list(row)
        line[GRANT] = grants.get(line[GRANT], line[GRANT])
        line[CATEGORY] = categories.get(line[CATEGORY], line[CATEGORY])
        line[KIND] = kinds.get(line[KIND], line[KIND])
        yield line


def _lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    writer = _writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([spreadsheet_value(value) for value in row])


def ledger_spreadsheet_csv_response(
    entries: QuerySet[LedgerEntry], *, filename: str
) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        _lines(exports._ledger_headers(), _labelled(exports._ledger_rows(entries))),
        content_type=exports.CSV_TYPE,
        headers=exports._attachment(filename),
    )


def report_spreadsheet_csv_response(report: Report, *, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = _writer(buffer)
    for index, table in enumerate(exports._report_tables(report)):
        if index:
            writer.writerow([])
        writer.writerow([exports._neutralised(table.title)])
        writer.writerow(table.header)
        writer.writerows([spreadsheet_value(value) for value in row] for row in table.all_rows())
    return HttpResponse(
        buffer.getvalue(), content_type=exports.CSV_TYPE, headers=exports._attachment(filename)
    )
