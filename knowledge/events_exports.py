"""Participants of events, for the secretariat: a CSV that Danish Excel opens as columns, and XLSX.

The CSV follows the budget's spreadsheet CSV: semicolons, a UTF-8 BOM so æøå survive, local
date and time, labels in the reader's language, and any cell that Excel would take for a formula
(``=``, ``+``, ``-``, ``@``, tab, carriage return: a participant types their own name) starts with
an apostrophe, so it is shown as text and never run.
"""

from __future__ import annotations

import csv
import datetime
import io
import tempfile
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from knowledge.models import Registration, RegistrationStatus

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WIDTHS = (40, 18, 30, 30, 34, 10, 22, 18, 18, 18, 18)


def _headers() -> list[str]:
    return [
        _("Event"),
        _("Event starts"),
        _("Name"),
        _("Organisation"),
        _("Email"),
        _("Language"),
        _("Status"),
        _("Registered"),
        _("Email confirmed"),
        _("Moved up from the waiting list"),
        _("Cancelled"),
    ]


def participants(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """Everyone who confirmed (registered, waiting or later cancelled), by event and queue order."""
    return (
        queryset.exclude(status=RegistrationStatus.PENDING)
        .select_related("event")
        .order_by("event__starts_at", "event_id", "status", "queued_at", "pk")
    )


def _local(value: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def rows(queryset: QuerySet[Registration]) -> Iterator[list]:
    statuses = dict(RegistrationStatus.choices)
    languages = {"da": _("Danish"), "en": _("English")}
    for registration in participants(queryset).iterator(chunk_size=2000):
        yield [
            registration.event.title_da,
            _local(registration.event.starts_at),
            registration.name,
            registration.organisation,
            registration.email,
            languages.get(registration.language, registration.language),
            str(statuses.get(registration.status, registration.status)),
            _local(registration.created_at),
            _local(registration.queued_at),
            _local(registration.promoted_at),
            _local(registration.cancelled_at),
        ]


def neutralised(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv_value(value):
    if isinstance(value, str):
        return neutralised(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if value is None:
        return ""
    return value


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": content_disposition_header(True, filename) or ""}


def csv_response(queryset: QuerySet[Registration], *, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_headers())
    writer.writerows([_csv_value(value) for value in row] for row in rows(queryset))
    return HttpResponse(buffer.getvalue(), content_type=CSV_TYPE, headers=_attachment(filename))


def _xlsx_cell(sheet, value, *, bold: bool = False):
    if value is None:
        return None
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS) or value in ERROR_CODES):
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True
    if isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_response(queryset: QuerySet[Registration], *, filename: str) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Participants")[:31])
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_xlsx_cell(sheet, text, bold=True) for text in _headers()])
    for row in rows(queryset):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    file = tempfile.TemporaryFile()  # closed by the response once it is sent
    try:
        workbook.save(file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def filename(events: Iterable, suffix: str) -> str:
    slugs = [event.slug for event in events]
    stem = slugs[0] if len(slugs) == 1 else f"events-{timezone.localdate().isoformat()}"
    return f"participants-{stem}.{suffix}"
