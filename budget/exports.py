"""CSV and XLSX exports of the ledger and of the budget report.

The ledger export streams because the ledger only grows: 200,000 entries must cost the memory of
a few thousand. Rows come from one ``values_list`` query read in chunks (a server-side cursor on
PostgreSQL), never as model instances or a list, and each CSV line goes to the client as soon as
it is written. An XLSX file cannot be streamed (a zip's directory comes last), so openpyxl's
write-only mode writes the rows to a temporary file as they come and the file is sent from disk.

CSV is for machines: UTF-8 with a BOM (so Excel reads æøå), commas, amounts as plain decimals
("-1234.50"), ISO dates. Text that a spreadsheet would run as a formula (OWASP "CSV injection")
gets a leading apostrophe in CSV; in XLSX it is stored as a text cell, which is never run.
"""

from __future__ import annotations

import csv
import datetime
import io
import tempfile
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO
from zoneinfo import ZoneInfo

from django.db import connections, transaction
from django.db.models import F, Field, Func, QuerySet, TextField, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from budget.models import LedgerEntry
from budget.reports import Figures, Report, Row

CHUNK_SIZE = 2000
CENT = Decimal("0.01")
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
SHARE_FORMAT = "0.0%"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)

# The ledger's columns after the entry number, as model fields: the headers are their verbose
# names, so the export and the admin speak the same words in both languages.
LEDGER_FIELDS = (
    "date",
    "year",
    "grant",
    "category",
    "project",
    "decision",
    "kind",
    "amount",
    "committed_effect",
    "spent_effect",
    "commitment",
    "reverses",
    "voucher",
    "description",
    "posted_by",
    "posted_at",
)
# What one ledger line reads: related rows by their code or number, never as instances.
LEDGER_VALUES = (
    "pk",
    "date",
    "year",
    "grant__code",
    "category__code",
    "project__code",
    "decision__number",
    "kind",
    "amount",
    "committed_effect",
    "spent_effect",
    "commitment_id",
    "reverses_id",
    "voucher",
    "description",
    "posted_by__full_name",
    "posted_by__email",
    "posted_at",
)
LEDGER_MONEY_COLUMNS = (8, 9, 10)  # amount, committed_effect, spent_effect (0-based)
LEDGER_TEXT_COLUMNS = (3, 4, 5, 6, 13, 14, 15)  # codes, numbers, voucher, description, posted by
LEDGER_WIDTHS = (9, 11, 8, 22, 20, 8, 16, 12, 15, 15, 15, 11, 9, 14, 50, 24, 20)


def _ledger_headers() -> list[str]:
    """The ledger's column headers in the active language."""
    return [capfirst(_("entry number"))] + [capfirst(_verbose_name(name)) for name in LEDGER_FIELDS]


def _verbose_name(field_name: str) -> str:
    field = LedgerEntry._meta.get_field(field_name)
    assert isinstance(field, Field), field_name  # a column of the entry, not a reverse relation
    return str(field.verbose_name)


def _ledger_rows(entries: QuerySet[LedgerEntry]) -> Iterator[tuple]:
    """One typed tuple per entry, in the queryset's order, read ``CHUNK_SIZE`` rows at a time.

    ``posted_at`` is given as Copenhagen local time (naive in XLSX, which has no time zones).
    """
    for *head, full_name, email, posted_at in entries.values_list(*LEDGER_VALUES).iterator(CHUNK_SIZE):
        yield (*head, full_name or email, posted_at.astimezone(COPENHAGEN))


# --- CSV --------------------------------------------------------------------------------------


class _Echo:
    """A file that hands back what is written to it, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def _neutralised(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv_value(value):
    if isinstance(value, str):
        return _neutralised(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, Decimal):
        return format(value, "f")  # never "1E+6", never grouped
    return value  # int, date (ISO by str()), None (empty)


CSV_CHUNK_CHARS = 64 * 1024


def _csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV in pieces of about 64 KB: one piece per line costs the server a write per line."""
    writer = csv.writer(_Echo())
    lines, size = ["\ufeff" + writer.writerow(header)], 0
    for row in rows:
        line = writer.writerow([_csv_value(value) for value in row])
        lines.append(line)
        size += len(line)
        if size >= CSV_CHUNK_CHARS:
            yield "".join(lines)
            lines, size = [], 0
    if lines:
        yield "".join(lines)


def _attachment(filename: str) -> dict[str, str]:
    header = content_disposition_header(True, filename)
    assert header is not None  # always given for an attachment
    return {"Content-Disposition": header}


def ledger_csv_response(entries: QuerySet[LedgerEntry], *, filename: str) -> StreamingHttpResponse:
    """The ledger as CSV, streamed in pieces of about 64 KB while the rows are read.

    On PostgreSQL the database writes the lines itself (``COPY … TO STDOUT``, see
    ``ledger_csv_copy``): Python formatting each value was the whole cost (200,000 entries took
    about 20 s). Elsewhere (SQLite) Python writes them (``ledger_csv_python``). Both give the same
    bytes: tests/budget/test_ledger_csv_copy.py compares them on PostgreSQL.
    """
    if connections[entries.db].vendor == "postgresql":
        pieces: Iterator[str] | Iterator[bytes] = ledger_csv_copy(entries)
    else:
        pieces = ledger_csv_python(entries)
    return StreamingHttpResponse(pieces, content_type=CSV_TYPE, headers=_attachment(filename))


def ledger_csv_python(entries: QuerySet[LedgerEntry]) -> Iterator[str]:
    """The ledger's CSV, each value formatted by ``_csv_value``."""
    return _csv_lines(_ledger_headers(), _ledger_rows(entries))


# --- The ledger's CSV written by PostgreSQL -------------------------------------------------------
#
# The SELECT gives each column as _csv_value() writes it: text with a formula's first character
# neutralised and an empty text as NULL (COPY quotes an empty string, csv.writer does not), dates
# in ISO, amounts as their two-place decimals, the posting time in Copenhagen with its offset.
# COPY's CSV quoting is csv.writer's QUOTE_MINIMAL (a field holding a comma, a quote or a line
# break is quoted, its quotes doubled); only the line ends differ ("\n" where csv writes "\r\n").


class _Neutralised(Func):
    """SQL's ``_neutralised()``: a leading apostrophe on text a spreadsheet would run; "" as NULL."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        sql, params = compiler.compile(self.source_expressions[0])
        starts = ", ".join(f"chr({ord(c)})" for c in FORMULA_STARTS)
        quote = "''''"  # one apostrophe, as an SQL literal
        return (
            f"NULLIF(CASE WHEN left({sql}, 1) IN ({starts}) THEN {quote} || {sql} ELSE {sql} END, '')",
            (*params, *params, *params),
        )


class _LocalIso(Func):
    """SQL's ``posted_at.astimezone(COPENHAGEN).isoformat(timespec="seconds")``, in a session whose
    time zone is Copenhagen (``ledger_csv_copy`` sets it for its transaction): one conversion a
    row, where spelling the zone out in the SQL took four (0.45 s more at 200,000 entries)."""

    function = "to_char"
    template = "%(function)s(%(expressions)s, 'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM')"
    output_field = TextField()


def ledger_csv_select(entries: QuerySet[LedgerEntry]) -> QuerySet:
    """``entries`` as the CSV's columns, each formatted as ``_csv_value`` would (PostgreSQL only)."""
    columns = {
        "csv_pk": F("pk"),
        "csv_date": Cast("date", TextField()),  # ISO: the transaction's DateStyle
        "csv_year": F("year"),
        **{
            f"csv_{name}": _Neutralised(F(name))
            for name in ("grant__code", "category__code", "project__code", "decision__number", "kind")
        },
        "csv_amount": F("amount"),
        "csv_committed": F("committed_effect"),
        "csv_spent": F("spent_effect"),
        "csv_commitment": F("commitment_id"),
        "csv_reverses": F("reverses_id"),
        "csv_voucher": _Neutralised(F("voucher")),
        "csv_description": _Neutralised(F("description")),
        "csv_posted_by": _Neutralised(
            Coalesce(NullIf(F("posted_by__full_name"), Value("")), F("posted_by__email"))
        ),
        "csv_posted_at": _LocalIso(F("posted_at")),
    }
    return entries.annotate(**columns).values_list(*columns)


def ledger_csv_copy(entries: QuerySet[LedgerEntry]) -> Generator[bytes, None, None]:
    """The ledger's CSV written by PostgreSQL's ``COPY (SELECT …) TO STDOUT WITH (FORMAT csv)``."""
    connection = connections[entries.db]
    sql, params = ledger_csv_select(entries).query.sql_with_params()
    # The parameters bound on the client: COPY takes none of its own.
    statement = connection.ops.compose_sql(  # type: ignore[attr-defined]  # PostgreSQL's operations
        f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params
    )
    header = "\ufeff" + csv.writer(_Echo()).writerow(_ledger_headers())
    pieces, size = [header.encode()], 0
    # The time zone and date style are set inside a savepoint that is always rolled back (COPY TO
    # writes nothing): they never outlive the export, even inside a caller's transaction, where
    # Django would read every later timestamp in the wrong zone. A download the client abandons
    # (psycopg cancels the COPY) is rolled back the same way.
    with transaction.atomic(using=entries.db), connection.cursor() as cursor:
        savepoint = transaction.savepoint(using=entries.db)
        try:
            cursor.execute(f"SET LOCAL TimeZone = '{COPENHAGEN.key}'; SET LOCAL DateStyle = 'ISO'")
            with cursor.cursor.copy(statement) as copy:
                # One row per read: libpq hands over COPY's output a line at a time.
                for row in copy:
                    pieces.append(bytes(row[:-1]) + b"\r\n")
                    size += len(row) + 1
                    if size >= CSV_CHUNK_CHARS:
                        yield b"".join(pieces)
                        pieces, size = [], 0
        finally:
            transaction.savepoint_rollback(savepoint, using=entries.db)
    if pieces:
        yield b"".join(pieces)


def report_csv_response(report: Report, *, filename: str) -> HttpResponse:
    """The report's tables one after the other, each under its title, a blank line between."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for index, table in enumerate(_report_tables(report)):
        if index:
            writer.writerow([])
        writer.writerow([_neutralised(table.title)])
        writer.writerow(table.header)
        writer.writerows([_csv_value(value) for value in row] for row in table.all_rows())
    return HttpResponse(buffer.getvalue(), content_type=CSV_TYPE, headers=_attachment(filename))


# --- The report as tables ---------------------------------------------------------------------


@dataclass
class _Table:
    """One section of the report: a sheet in XLSX, a titled block in CSV."""

    title: str
    header: list[str]
    rows: list[list]
    total: list | None = None
    share_column: int | None = None

    def all_rows(self) -> list[list]:
        return self.rows + ([self.total] if self.total else [])


def _money(amount: Decimal | None) -> Decimal | None:
    # Two places always: a sum over SQLite comes back as Decimal("5000000").
    return None if amount is None else amount.quantize(CENT)


def _share(figures: Figures) -> Decimal | None:
    share = figures.used_share
    return None if share is None else share.quantize(Decimal("0.0001"))


def _year_cells(label, f: Figures) -> list:
    return [label, _money(f.allocated), _money(f.committed), _money(f.spent), _money(f.remaining), _share(f)]


def _breakdown(title: str, label: str, rows: list[Row], years: list[int]) -> _Table:
    committed, spent = _("Committed"), _("Spent")
    header = [label]
    for year in years:
        header += [f"{committed} {year}", f"{spent} {year}"]
    header += [_("%(figure)s in total") % {"figure": committed}, _("%(figure)s in total") % {"figure": spent}]
    lines = []
    for row in rows:
        cells: list = [row.label]
        for year in years:
            cells += [_money(row.cell(year).committed), _money(row.cell(year).spent)]
        lines.append([*cells, _money(row.total.committed), _money(row.total.spent)])
    return _Table(title=title, header=header, rows=lines)


def _report_tables(report: Report) -> list[_Table]:
    """The report by year (with a total row), by cost category and by project, each year and in total."""
    by_year = _Table(
        title=_("By year"),
        header=[_("Year"), _("Allocated"), _("Committed"), _("Spent"), _("Remaining"), _("Share used")],
        rows=[_year_cells(year, figures) for year, figures in report.year_rows()],
        total=_year_cells(_("Total"), report.total),
        share_column=5,
    )
    return [
        by_year,
        _breakdown(_("By cost category"), _("Cost category"), report.by_category, report.years),
        _breakdown(_("By project"), _("Project"), report.by_project, report.years),
    ]


# --- XLSX -------------------------------------------------------------------------------------


def _xlsx_text(sheet, text: str):
    """Text as text: what Excel or openpyxl would take for a formula or an error becomes a text cell."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)  # control characters openpyxl refuses
    if not text.startswith(FORMULA_STARTS) and text not in ERROR_CODES:
        return text
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    cell.quotePrefix = True  # as when someone types '=… in Excel: shown and edited as text
    return cell


def _xlsx_cell(sheet, value, *, number_format: str = "", bold: bool = False):
    if value is None:
        return None
    cell = _xlsx_text(sheet, value) if isinstance(value, str) else value
    if not isinstance(cell, Cell):
        cell = WriteOnlyCell(sheet, cell)
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = BOLD
    return cell


def _xlsx_sheet(workbook: Workbook, title: str, header: list[str], widths: Iterable[int]):
    # Excel's limits on a sheet's name: 31 characters, none of []:*?/\
    sheet = workbook.create_sheet(title=title.translate(str.maketrans("[]:*?/\\", "()_____"))[:31])
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_xlsx_cell(sheet, text, bold=True) for text in header])
    return sheet


def _xlsx_response(workbook: Workbook, filename: str) -> FileResponse:
    file = tempfile.TemporaryFile()  # closed by the response once it is sent
    try:
        workbook.save(file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def ledger_xlsx_write(
    entries: QuerySet[LedgerEntry], out: BinaryIO, progress: Callable[[int, int], None] | None = None
) -> None:
    """The ledger as one XLSX sheet into ``out``, the same columns as the CSV, written row by row.

    openpyxl's write-only mode keeps a row in memory at a time (the sheet goes to a temporary
    file), so a million entries cost the memory of a few. ``progress(done, total)`` is called every
    ``CHUNK_SIZE`` rows when given (the downloads app's progress bar)."""
    total = entries.count() if progress else 0
    workbook = Workbook(write_only=True)
    sheet = _xlsx_sheet(workbook, _("Ledger"), _ledger_headers(), LEDGER_WIDTHS)
    for done, entry in enumerate(_ledger_rows(entries)):
        row = list(entry)
        for index in LEDGER_MONEY_COLUMNS:
            row[index] = _xlsx_cell(sheet, row[index], number_format=MONEY_FORMAT)
        for index in LEDGER_TEXT_COLUMNS:
            if row[index]:
                row[index] = _xlsx_text(sheet, row[index])
        row[-1] = row[-1].replace(tzinfo=None, microsecond=0)  # Excel has no time zones: local wall time
        sheet.append(row)
        if progress and done % CHUNK_SIZE == 0:
            progress(done, total)
    workbook.save(out)


def ledger_xlsx_response(entries: QuerySet[LedgerEntry], *, filename: str) -> FileResponse:
    """The ledger as one XLSX sheet, built on disk and sent from there (selections up to
    ``budget.views.XLSX_MAX_ENTRIES``; larger ones are built by a worker, see budget.downloads)."""
    file = tempfile.TemporaryFile()  # closed by the response once it is sent
    try:
        ledger_xlsx_write(entries, file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def report_xlsx_response(report: Report, *, filename: str) -> FileResponse:
    """The report's tables, one sheet each, the total row in bold."""
    workbook = Workbook(write_only=True)
    for table in _report_tables(report):
        sheet = _xlsx_sheet(workbook, table.title, table.header, [40] + [16] * (len(table.header) - 1))
        formats = [""] + [MONEY_FORMAT] * (len(table.header) - 1)
        if table.share_column is not None:
            formats[table.share_column] = SHARE_FORMAT
        for row in table.all_rows():
            bold = row is table.total
            sheet.append(
                [_xlsx_cell(sheet, v, number_format=f, bold=bold) for v, f in zip(row, formats, strict=True)]
            )
    return _xlsx_response(workbook, filename)
