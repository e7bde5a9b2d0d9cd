"""The CSV for Danish Excel: semicolons, decimal commas, labels in the reader's language, a BOM.

It stands next to the machine CSV (tests/budget/test_exports.py), which keeps its exact format.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from budget import reports
from budget.models import LedgerEntry
from budget.spreadsheet_csv import ledger_spreadsheet_csv_response, report_spreadsheet_csv_response
from tests.budget.test_exports import DANISH_HEADERS, ENGLISH_HEADERS
from tests.budget.test_exports import export_decision as export_decision  # noqa: F401 (fixture)
from tests.budget.test_exports import export_ledger as export_ledger  # noqa: F401 (fixture)
from tests.budget.test_exports import export_poster as export_poster  # noqa: F401 (fixture)
from tests.conftest import totp_code
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def spreadsheet_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8, æøå survive
    text = content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def ledger(language: str) -> list[list[str]]:
    with translation.override(language):
        response = ledger_spreadsheet_csv_response(
            LedgerEntry.objects.order_by("pk"), filename="hovedbog.csv"
        )
        return spreadsheet_rows(response)


def test_danish_excel_gets_semicolons_decimal_commas_and_danish_labels(export_ledger):
    header, *rows = ledger("da")
    by_pk = {int(row[0]): row for row in rows}
    expense = by_pk[export_ledger["expense"].pk]

    assert header == DANISH_HEADERS
    assert expense[8] == "12345,67"  # amount: a number to Danish Excel, no thousands separator
    assert expense[7] == "Udgift"  # the kind's label, not the code "expense"
    assert expense[4] == "Sekretariatsbetjening af samarbejdsstrukturen"  # not the code "secretariat"
    assert expense[3].startswith("Strategi for life science")  # the grant's name, not its code
    assert expense[14] == "'=SUM(A1:A3)"  # a formula stays text, as in the machine CSV
    assert sum(Decimal(row[8].replace(",", ".")) for row in rows) == Decimal("142345.67")


def test_an_english_reader_gets_english_labels_in_the_same_shape(export_ledger):
    header, *rows = ledger("en")
    expense = {int(row[0]): row for row in rows}[export_ledger["expense"].pk]

    assert header == ENGLISH_HEADERS
    assert (expense[7], expense[4], expense[8]) == (
        "Expense",
        "Secretariat services for the collaboration structure",
        "12345,67",
    )


def test_the_report_for_excel_has_the_same_tables_with_decimal_commas(export_ledger):
    with translation.override("da"):
        built = reports.build()
        rows = spreadsheet_rows(report_spreadsheet_csv_response(built, filename="rapport.csv"))
    numbers = [cell for row in rows for cell in row if cell[:1].isdigit() and "," in cell]
    assert numbers, rows[:5]
    assert not [
        cell for row in rows for cell in row if cell.count(".") == 1 and cell.replace(".", "").isdigit()
    ]


def test_the_ledger_page_offers_both_csvs_and_says_which_is_which(client, secretariat, export_ledger):
    client.post(reverse("account_login"), {"login": secretariat.email, "password": DEFAULT_PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    page = client.get(reverse("budget:ledger")).content.decode()
    assert reverse("budget:ledger_export", args=["excel.csv"]) in page
    assert reverse("budget:ledger_export", args=["csv"]) in page
    assert "Excel" in page and "semikolon" in page

    response = client.get(reverse("budget:ledger_export", args=["excel.csv"]))
    assert response.status_code == 200
    assert 'filename="atmp-budget-ledger-excel-' in response["Content-Disposition"]
    assert spreadsheet_rows(response)[0] == DANISH_HEADERS
