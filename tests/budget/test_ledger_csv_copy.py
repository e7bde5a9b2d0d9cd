"""The ledger's CSV written by PostgreSQL (COPY) is byte for byte the CSV Python writes (issue 21).

Entries hold what CSV quoting and formula neutralising must get right: commas, quotes, line
breaks, a leading =, +, -, @, tab or carriage return, Danish letters, an empty voucher, a poster
with no name. On PostgreSQL the served CSV comes from COPY and is compared with Python's; on any
database it must read back to exactly the values posted.
"""

import csv
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.db.models import Value

from budget import services
from budget.exports import _LocalIso, ledger_csv_copy, ledger_csv_python, ledger_csv_response
from budget.models import EntryKind, LedgerEntry
from budget.selectors import ledger_entries
from tests.factories import SecretariatUserFactory

pytestmark = pytest.mark.django_db

TRICKY = [
    ("A-1", "Plain description"),
    ("", 'Says "hello", then stops'),
    ("B;2", "Two\nlines"),
    ("=1+1", "=SUM(A1:A3)"),
    ("+45 70 10 10 10", "-minus first"),
    ("@handle", "\ttab first"),
    ("\rCR", "Carriage\r\nreturn inside"),
    ("Ærø", "æøå ÆØÅ, “quotes” and ‘apostrophes’"),
    ("'", "' already an apostrophe"),
    ("  spaced", "  leading and trailing spaces  "),
]


@pytest.fixture
def tricky_ledger(grant, categories, tor_projects, poster):
    nameless = SecretariatUserFactory.create(email="=nameless@example.org", full_name="")
    entries = []
    for n, (voucher, description) in enumerate(TRICKY):
        result = services.ledger_post(
            grant=grant,
            year=2025 + n % 2,
            kind=EntryKind.EXPENSE,
            amount=Decimal("1234.50") + n,
            category=categories["involvement"],
            project=tor_projects["II"] if n % 3 else None,
            description=description,
            voucher=voucher,
            actor=nameless if n % 2 else poster,
            date=datetime.date(2025 + n % 2, 1 + n, 28),
        )
        entries.append(result.entry)
    services.ledger_reverse(entry=entries[0], reason="Forkert konto", actor=poster)
    return entries


def _bytes(pieces) -> bytes:
    return b"".join(piece if isinstance(piece, bytes) else piece.encode() for piece in pieces)


def served(entries) -> bytes:
    return _bytes(ledger_csv_response(entries, filename="l.csv").streaming_content)


def test_the_served_csv_reads_back_to_exactly_the_posted_values(tricky_ledger):
    rows = list(csv.reader(io.StringIO(served(ledger_entries().order_by("pk")).decode("utf-8-sig"))))
    by_pk = {int(row[0]): row for row in rows[1:]}
    neutral = tuple("=+-@\t\r")
    for entry in LedgerEntry.objects.filter(pk__in=[e.pk for e in tricky_ledger]):
        row = by_pk[entry.pk]
        for column, text in ((13, entry.voucher), (14, entry.description)):
            assert row[column] == ("'" + text if text.startswith(neutral) else text)
    assert {row[15] for row in rows[1:]} >= {"'=nameless@example.org"}  # no name: the email, neutralised
    assert served(ledger_entries().order_by("pk")).count(b"\r\n") >= len(rows)


@pytest.mark.postgres
def test_copy_writes_the_same_bytes_as_python(tricky_ledger):
    for entries in (
        ledger_entries().order_by("pk"),
        ledger_entries().order_by("-date", "-pk").filter(year=2025),
        ledger_entries().filter(year=1999),  # nothing: the header alone
    ):
        copied = _bytes(ledger_csv_copy(entries))
        assert copied == _bytes(ledger_csv_python(entries))
        assert served(entries) == copied
    # The export's session settings stayed inside it: timestamps read afterwards are right.
    entry = LedgerEntry.objects.get(pk=tricky_ledger[0].pk)
    assert entry.posted_at == tricky_ledger[0].posted_at
    with connection.cursor() as cursor:
        cursor.execute("SHOW TimeZone")
        assert cursor.fetchone()[0] == "UTC"


@pytest.mark.postgres
def test_copy_and_python_agree_over_pieces_of_64_kb(grant, categories, tor_projects, poster):
    from tests.budget.test_reports import bulk_entries

    bulk_entries(grant, categories, tor_projects, poster, 1500)
    entries = ledger_entries().order_by("date", "pk")
    pieces = list(ledger_csv_copy(entries))
    assert len(pieces) > 2 and all(len(piece) >= 64 * 1024 for piece in pieces[:-1])
    assert b"".join(pieces) == _bytes(ledger_csv_python(entries))


@pytest.mark.postgres
@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2026, 1, 15, 12, 0, 59, 999_999, tzinfo=datetime.UTC),  # winter: +01:00
        datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC),  # summer, past midnight local
        datetime.datetime(2026, 3, 29, 0, 59, 59, tzinfo=datetime.UTC),  # just before the switch
        datetime.datetime(2026, 3, 29, 1, 0, 0, tzinfo=datetime.UTC),  # just after it
        datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC),  # the hour that comes twice
        datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC),
    ],
)
def test_the_posting_time_is_copenhagen_time_with_its_offset_as_python_writes_it(tricky_ledger, moment):
    with transaction.atomic(), connection.cursor() as cursor:
        savepoint = transaction.savepoint()
        cursor.execute("SET LOCAL TimeZone = 'Europe/Copenhagen'")  # as ledger_csv_copy does
        written = LedgerEntry.objects.annotate(at=_LocalIso(Value(moment))).values_list("at", flat=True)[0]
        transaction.savepoint_rollback(savepoint)
    assert written == moment.astimezone(ZoneInfo("Europe/Copenhagen")).isoformat(timespec="seconds")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # no transaction around the download
def test_a_download_stopped_half_way_leaves_the_connection_usable(grant, categories, tor_projects, poster):
    from tests.budget.test_reports import bulk_entries

    bulk_entries(grant, categories, tor_projects, poster, 1500)
    pieces = ledger_csv_copy(ledger_entries().order_by("pk"))
    assert next(pieces).startswith("\ufeff".encode())
    assert next(pieces)  # COPY is under way
    pieces.close()  # the client went away: psycopg cancels the COPY and reads what was in flight

    assert LedgerEntry.objects.count() == 1500
