"""The ledger and report exports read back with the same figures as the ledger and the report.

Entries are posted through ``budget.services`` (a commitment, an expense against it, a release of
it, an expense without a commitment, a reversal, over 2025 and 2026, with and without a project);
the exports are read back with ``csv`` and ``openpyxl`` and compared with hand-written figures and
with ``budget.reports.build()``.
"""

import csv
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.http import StreamingHttpResponse
from django.utils import translation
from openpyxl import load_workbook

from budget import reports, services
from budget.exports import (
    ledger_csv_response,
    ledger_xlsx_response,
    report_csv_response,
    report_xlsx_response,
)
from budget.models import CostCategory, EntryKind, Grant, LedgerEntry
from budget.reference_data import load as load_budget
from governance import services as governance
from projects.models import Project
from projects.reference_data import load as load_projects
from tests.factories import SecretariatUserFactory, plan

pytestmark = pytest.mark.django_db

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
ENGLISH_HEADERS = [
    "Entry number",
    "Date",
    "Budget year",
    "Grant",
    "Cost category",
    "Project",
    "Decision",
    "Kind",
    "Amount (DKK)",
    "Change in open commitments",
    "Change in spent",
    "Against commitment",
    "Reverses",
    "Voucher reference",
    "Description",
    "Posted by",
    "Posted",
]
DANISH_HEADERS = [
    "Posteringsnummer",
    "Dato",
    "Budgetår",
    "Bevilling",
    "Omkostningskategori",
    "Projekt",
    "Beslutning",
    "Type",
    "Beløb (kr.)",
    "Ændring i åbne disponeringer",
    "Ændring i forbrug",
    "Mod disponering",
    "Tilbagefører",
    "Bilagsnummer",
    "Beskrivelse",
    "Bogført af",
    "Bogført",
]
AMOUNT, COMMITTED, SPENT = 8, 9, 10  # columns of the ledger export


@pytest.fixture
def export_poster(db):
    return SecretariatUserFactory(email="bogholder@example.org", full_name="Søren Ærø-Åberg")


@pytest.fixture
def export_decision(governance_bodies):
    meeting = plan(governance_bodies["steering-group"], in_days=-10)
    return governance.decision_record(
        actor=None, meeting=meeting, title="Analysis II", text="The steering group starts II."
    )


@pytest.fixture
def export_ledger(export_poster, export_decision):
    """Six entries: name → entry. Amounts: 100,000 committed, 40,000 spent on it, 10,000 released."""
    load_budget()
    load_projects()
    grant = Grant.objects.get(code="ls-2024-2027-amgros")
    category = {c.code: c for c in CostCategory.objects.all()}
    analysis = Project.objects.get(code="II")

    def post(kind, amount, year, category_code, description, **fields):
        return services.ledger_post(
            grant=grant,
            year=year,
            kind=kind,
            amount=Decimal(amount),
            category=category[category_code],
            description=description,
            actor=export_poster,
            **fields,
        ).entry

    commitment = post(
        EntryKind.COMMITMENT,
        "100000.00",
        2025,
        "project-management",
        "Konsulent: regulatoriske forhold, første fase (æøå ÆØÅ)",
        project=analysis,
        decision=export_decision,
        voucher="K-2025-001",
        date=datetime.date(2025, 2, 3),
    )
    entries = {
        "commitment": commitment,
        "expense_on_commitment": post(
            EntryKind.EXPENSE,
            "40000.00",
            2025,
            "project-management",
            "Faktura 1 af 3",
            project=analysis,
            commitment=commitment,
            voucher="F-1001",
            date=datetime.date(2025, 3, 15),
        ),
        "expense": post(
            EntryKind.EXPENSE,
            "12345.67",
            2026,
            "secretariat",
            "=SUM(A1:A3)",
            voucher="+45 70 10 10 10",
            date=datetime.date(2026, 1, 10),
        ),
        "release": post(
            EntryKind.RELEASE,
            "10000.00",
            2025,
            "project-management",
            "Frigivet: fase 2 udgår",
            project=analysis,
            commitment=commitment,
            date=datetime.date(2025, 6, 30),
        ),
        "mistake": post(EntryKind.EXPENSE, "800.00", 2026, "involvement", "Mødeforplejning, 12 personer"),
    }
    entries["reversal"] = services.ledger_reverse(
        entry=entries["mistake"], actor=export_poster, reason="Forkert konto"
    ).entry
    return entries


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def xlsx_book(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    response.close()
    return book


def dec(value) -> Decimal:
    """A number read back from XLSX (int or float) as an exact Decimal."""
    return Decimal(str(value))


def ledger_csv():
    return ledger_csv_response(LedgerEntry.objects.order_by("pk"), filename="hovedbog.csv")


def ledger_sheet():
    book = xlsx_book(ledger_xlsx_response(LedgerEntry.objects.order_by("pk"), filename="hovedbog.xlsx"))
    return book.worksheets[0]


# --- The ledger as CSV ----------------------------------------------------------------------------


def test_ledger_csv_is_streamed_as_an_attachment(export_ledger):
    response = ledger_csv_response(LedgerEntry.objects.all(), filename="hovedbog-2025.csv")

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="hovedbog-2025.csv"'


def test_a_danish_filename_reaches_the_browser_encoded(export_ledger):
    response = ledger_csv_response(LedgerEntry.objects.all(), filename="hovedbog-år.csv")

    assert response["Content-Disposition"] == "attachment; filename*=utf-8''hovedbog-%C3%A5r.csv"


def test_an_empty_selection_exports_the_header_alone(export_ledger):
    nothing = LedgerEntry.objects.filter(year=2027)

    assert csv_rows(ledger_csv_response(nothing, filename="tom.csv")) == [ENGLISH_HEADERS]
    sheet = xlsx_book(ledger_xlsx_response(nothing, filename="tom.xlsx")).worksheets[0]
    assert list(sheet.iter_rows(values_only=True)) == [tuple(ENGLISH_HEADERS)]


def test_ledger_csv_has_a_line_per_entry_and_the_ledgers_sums(export_ledger):
    header, *rows = csv_rows(ledger_csv())

    assert header == ENGLISH_HEADERS
    assert len(rows) == 6
    assert sum(Decimal(row[AMOUNT]) for row in rows) == Decimal("142345.67")
    assert sum(Decimal(row[COMMITTED]) for row in rows) == Decimal("50000.00")
    assert sum(Decimal(row[SPENT]) for row in rows) == Decimal("52345.67")


def test_ledger_csv_writes_every_column_of_an_entry_machine_readably(export_ledger, export_decision):
    commitment, release = export_ledger["commitment"], export_ledger["release"]
    posted_at = release.posted_at.astimezone(COPENHAGEN).replace(microsecond=0).isoformat()

    rows = {int(row[0]): row for row in csv_rows(ledger_csv())[1:]}

    assert rows[release.pk] == [
        str(release.pk),
        "2025-06-30",
        "2025",
        "ls-2024-2027-amgros",
        "project-management",
        "II",
        "",
        "release",
        "-10000.00",
        "-10000.00",
        "0.00",
        str(commitment.pk),
        "",
        "",
        "Frigivet: fase 2 udgår",
        "Søren Ærø-Åberg",
        posted_at,
    ]
    assert posted_at[-6:] in {"+01:00", "+02:00"}
    assert rows[commitment.pk][6] == export_decision.number


def test_ledger_csv_names_what_a_reversal_reverses_and_leaves_no_project_empty(export_ledger):
    mistake, reversal = export_ledger["mistake"], export_ledger["reversal"]

    rows = {int(row[0]): row for row in csv_rows(ledger_csv())[1:]}

    assert rows[reversal.pk][4:13] == [
        "involvement",
        "",
        "",
        "reversal",
        "-800.00",
        "0.00",
        "-800.00",
        "",
        str(mistake.pk),
    ]
    assert rows[reversal.pk][14] == f"Reversal of #{mistake.pk}: Forkert konto"


def test_ledger_csv_neutralises_text_a_spreadsheet_would_run_as_a_formula(export_ledger):
    expense = export_ledger["expense"]

    rows = {int(row[0]): row for row in csv_rows(ledger_csv())[1:]}

    assert rows[expense.pk][13:15] == ["'+45 70 10 10 10", "'=SUM(A1:A3)"]
    assert rows[export_ledger["release"].pk][AMOUNT] == "-10000.00"  # numbers keep their minus


def test_ledger_csv_keeps_danish_letters(export_ledger):
    rows = {int(row[0]): row for row in csv_rows(ledger_csv())[1:]}

    assert (
        rows[export_ledger["commitment"].pk][14] == "Konsulent: regulatoriske forhold, første fase (æøå ÆØÅ)"
    )
    assert {row[15] for row in rows.values()} == {"Søren Ærø-Åberg"}


def test_ledger_headers_follow_the_active_language(export_ledger):
    with translation.override("da"):
        danish = csv_rows(ledger_csv())[0]
    with translation.override("en"):
        english = csv_rows(ledger_csv())[0]

    assert english == ENGLISH_HEADERS
    assert danish == DANISH_HEADERS


def test_ledger_csv_follows_the_querysets_filter_and_order(export_ledger):
    entries = LedgerEntry.objects.filter(year=2025).order_by("-pk")

    rows = csv_rows(ledger_csv_response(entries, filename="2025.csv"))[1:]

    assert [int(row[0]) for row in rows] == [
        export_ledger["release"].pk,
        export_ledger["expense_on_commitment"].pk,
        export_ledger["commitment"].pk,
    ]


# --- The ledger as XLSX ---------------------------------------------------------------------------


def test_ledger_xlsx_holds_the_same_lines_and_sums_as_the_ledger(export_ledger):
    response = ledger_xlsx_response(LedgerEntry.objects.order_by("pk"), filename="hovedbog.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="hovedbog.xlsx"'
    sheet = xlsx_book(response).worksheets[0]

    header, *rows = list(sheet.iter_rows(values_only=True))

    assert list(header) == ENGLISH_HEADERS
    assert len(rows) == 6
    assert sum(dec(row[AMOUNT]) for row in rows) == Decimal("142345.67")
    assert sum(dec(row[COMMITTED]) for row in rows) == Decimal("50000.00")
    assert sum(dec(row[SPENT]) for row in rows) == Decimal("52345.67")


def test_ledger_xlsx_has_typed_cells_a_bold_frozen_header_and_danish_letters(export_ledger):
    commitment, release = export_ledger["commitment"], export_ledger["release"]
    sheet = ledger_sheet()
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    line = rows[release.pk]

    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert line[1].value == datetime.datetime(2025, 6, 30) and line[1].is_date
    assert (line[2].value, line[3].value, line[5].value, line[6].value) == (
        2025,
        "ls-2024-2027-amgros",
        "II",
        None,
    )
    assert [dec(line[i].value) for i in (AMOUNT, COMMITTED, SPENT)] == [
        Decimal("-10000.00"),
        Decimal("-10000.00"),
        Decimal("0.00"),
    ]
    assert {line[i].number_format for i in (AMOUNT, COMMITTED, SPENT)} == {"#,##0.00"}
    assert (line[11].value, line[12].value) == (commitment.pk, None)
    assert line[16].value == release.posted_at.astimezone(COPENHAGEN).replace(tzinfo=None, microsecond=0)
    assert rows[commitment.pk][14].value == "Konsulent: regulatoriske forhold, første fase (æøå ÆØÅ)"
    assert line[15].value == "Søren Ærø-Åberg"


def test_ledger_xlsx_stores_formula_like_text_as_text_not_as_a_formula(export_ledger):
    rows = {row[0].value: row for row in ledger_sheet().iter_rows(min_row=2)}
    voucher, description = rows[export_ledger["expense"].pk][13:15]

    assert (description.value, description.data_type, description.quotePrefix) == ("=SUM(A1:A3)", "s", True)
    assert (voucher.value, voucher.data_type, voucher.quotePrefix) == ("+45 70 10 10 10", "s", True)


def test_ledger_xlsx_drops_control_characters_excel_cannot_hold(export_ledger, export_poster):
    grant = Grant.objects.get(code="ls-2024-2027-amgros")
    entry = services.ledger_post(
        grant=grant,
        year=2025,
        kind=EntryKind.EXPENSE,
        amount=Decimal("10.00"),
        category=CostCategory.objects.get(code="communication"),
        description="Kopieret\x0bfra\x07PDF",
        actor=export_poster,
    ).entry

    rows = {row[0].value: row for row in ledger_sheet().iter_rows(min_row=2)}

    assert rows[entry.pk][14].value == "KopieretfraPDF"


# --- The report ---------------------------------------------------------------------------------


def report_sections_from_csv(response) -> dict[str, list[list[str]]]:
    """Title → [header, *rows], from the titled blocks separated by blank lines."""
    sections, block = {}, []
    for row in [*csv_rows(response), []]:
        if row:
            block.append(row)
        elif block:
            sections[block[0][0]] = block[1:]
            block = []
    return sections


def figures_of(f) -> list[Decimal | None]:
    share = None if f.used_share is None else f.used_share.quantize(Decimal("0.0001"))
    return [f.allocated, f.committed, f.spent, f.remaining, share]


def report_by_year(report) -> list[tuple[str, list]]:
    """(label, figures) per year and for the total, straight from ``build()``."""
    return [(str(year), figures_of(f)) for year, f in report.year_rows()] + [
        ("Total", figures_of(report.total))
    ]


def report_breakdown(rows, years) -> list[tuple[str, list]]:
    """(label, committed and spent per year, then in total) per row, straight from ``build()``."""
    return [
        (
            row.label,
            [v for y in years for v in (row.cell(y).committed, row.cell(y).spent)]
            + [row.total.committed, row.total.spent],
        )
        for row in rows
    ]


def read_csv_table(rows) -> list[tuple[str, list]]:
    return [(row[0], [Decimal(v) if v else None for v in row[1:]]) for row in rows]


def read_xlsx_table(rows) -> list[tuple[str, list]]:
    return [(str(row[0]), [None if v is None else dec(v) for v in row[1:]]) for row in rows]


def test_report_csv_figures_equal_the_report(export_ledger):
    report = reports.build()

    sections = report_sections_from_csv(report_csv_response(report, filename="budget.csv"))

    assert list(sections) == ["By year", "By cost category", "By project"]
    assert sections["By year"][0] == ["Year", "Allocated", "Committed", "Spent", "Remaining", "Share used"]
    assert sections["By year"][1:] == [
        ["2024", "5000000.00", "0.00", "0.00", "5000000.00", "0.0000"],
        ["2025", "3500000.00", "50000.00", "40000.00", "3410000.00", "0.0257"],
        ["2026", "5000000.00", "0.00", "12345.67", "4987654.33", "0.0025"],
        ["2027", "5000000.00", "0.00", "0.00", "5000000.00", "0.0000"],
        ["Total", "18500000.00", "50000.00", "52345.67", "18397654.33", "0.0055"],
    ]
    assert read_csv_table(sections["By year"][1:]) == report_by_year(report)
    assert sections["By cost category"][0] == [
        "Cost category",
        *[f"{figure} {year}" for year in (2024, 2025, 2026, 2027) for figure in ("Committed", "Spent")],
        "Committed in total",
        "Spent in total",
    ]
    by_category = read_csv_table(sections["By cost category"][1:])
    assert by_category == report_breakdown(report.by_category, report.years)
    assert sections["By project"][0][0] == "Project"
    assert read_csv_table(sections["By project"][1:]) == report_breakdown(report.by_project, report.years)


def test_report_csv_puts_a_blank_line_between_titled_sections(export_ledger):
    content = report_csv_response(reports.build(), filename="budget.csv").content.decode("utf-8-sig")

    assert content.startswith(
        "By year\r\nYear,Allocated,Committed,Spent,Remaining,Share used\r\n2024,5000000.00,"
    )
    assert "\r\nTotal,18500000.00,50000.00,52345.67,18397654.33,0.0055\r\n\r\nBy cost category\r\n" in content


def test_report_csv_by_category_and_project_hold_the_posted_figures(export_ledger):
    sections = report_sections_from_csv(report_csv_response(reports.build(), filename="budget.csv"))
    by_category = {row[0]: row[1:] for row in sections["By cost category"][1:]}
    by_project = {row[0]: row[1:] for row in sections["By project"][1:]}
    nothing = ["0.00", "0.00"]

    assert by_category["Project management and completion of analyses, pilot projects, etc."] == [
        *nothing,
        "50000.00",
        "40000.00",
        *nothing * 2,
        "50000.00",
        "40000.00",
    ]
    assert by_category["Secretariat services for the collaboration structure"] == [
        *nothing * 2,
        "0.00",
        "12345.67",
        *nothing,
        "0.00",
        "12345.67",
    ]
    assert (
        by_category["Involvement and collaboration with relevant actors (meetings, travel and events)"]
        == nothing * 5
    )
    assert by_project["II. Regulatory conditions"] == [
        *nothing,
        "50000.00",
        "40000.00",
        *nothing * 2,
        "50000.00",
        "40000.00",
    ]
    assert by_project["Not tied to a project"] == [
        *nothing * 2,
        "0.00",
        "12345.67",
        *nothing,
        "0.00",
        "12345.67",
    ]


def test_report_xlsx_has_a_sheet_per_section_with_the_reports_figures(export_ledger):
    report = reports.build()
    response = report_xlsx_response(report, filename="budget.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="budget.xlsx"'
    book = xlsx_book(response)

    assert book.sheetnames == ["By year", "By cost category", "By project"]
    by_year = list(book["By year"].iter_rows(values_only=True))
    assert list(by_year[0]) == ["Year", "Allocated", "Committed", "Spent", "Remaining", "Share used"]
    assert read_xlsx_table(by_year[1:]) == report_by_year(report)
    assert read_xlsx_table(by_year[-1:]) == [
        (
            "Total",
            [
                Decimal("18500000.00"),
                Decimal("50000.00"),
                Decimal("52345.67"),
                Decimal("18397654.33"),
                Decimal("0.0055"),
            ],
        )
    ]
    by_category = list(book["By cost category"].iter_rows(values_only=True))
    assert read_xlsx_table(by_category[1:]) == report_breakdown(report.by_category, report.years)
    by_project = list(book["By project"].iter_rows(values_only=True))
    assert read_xlsx_table(by_project[1:]) == report_breakdown(report.by_project, report.years)


def test_report_xlsx_formats_money_and_shares_and_bolds_the_total(export_ledger):
    sheet = xlsx_book(report_xlsx_response(reports.build(), filename="budget.xlsx"))["By year"]
    total = sheet[sheet.max_row]

    assert [cell.number_format for cell in sheet[3]] == [
        "General",
        "#,##0.00",
        "#,##0.00",
        "#,##0.00",
        "#,##0.00",
        "0.0%",
    ]
    assert total[0].value == "Total"
    assert all(cell.font.b for cell in total)
    assert not any(cell.font.b for cell in sheet[3])
    assert sheet.freeze_panes == "A2"


def test_report_titles_headers_and_totals_follow_the_active_language(export_ledger):
    with translation.override("da"):
        sections = report_sections_from_csv(report_csv_response(reports.build(), filename="budget.csv"))
        book = xlsx_book(report_xlsx_response(reports.build(), filename="budget.xlsx"))

    assert list(sections) == ["Pr. år", "Pr. omkostningskategori", "Pr. projekt"]
    assert book.sheetnames == ["Pr. år", "Pr. omkostningskategori", "Pr. projekt"]
    assert sections["Pr. år"][0] == ["År", "Bevilget", "Disponeret", "Forbrugt", "Tilbage", "Andel brugt"]
    assert sections["Pr. år"][-1][0] == "I alt"
    assert sections["Pr. omkostningskategori"][0][:3] == [
        "Omkostningskategori",
        "Disponeret 2024",
        "Forbrugt 2024",
    ]
    assert sections["Pr. omkostningskategori"][0][-2:] == ["Disponeret i alt", "Forbrugt i alt"]
    assert sections["Pr. projekt"][0][0] == "Projekt"


def test_the_ledger_csv_is_sent_in_pieces_of_about_64_kb_not_a_piece_per_line(
    grant, categories, tor_projects, poster
):
    from budget.exports import ledger_csv_response
    from budget.selectors import ledger_entries
    from tests.budget.test_reports import bulk_entries

    bulk_entries(grant, categories, tor_projects, poster, 1500)

    response = ledger_csv_response(ledger_entries().order_by("date", "pk"), filename="ledger.csv")
    pieces = [bytes(piece) for piece in response.streaming_content]  # type: ignore[union-attr]

    assert sum(len(piece) for piece in pieces) > 2 * 64 * 1024  # enough lines for several pieces
    assert all(len(piece) >= 64 * 1024 for piece in pieces[:-1])
    assert len(pieces) < 10
    assert len(csv_rows(ledger_csv_response(ledger_entries(), filename="l.csv"))) == 1 + 1500
