"""The ledger is append-only: in the ORM everywhere, and on PostgreSQL in the database itself.

A mistake is put right by a reversal; nothing else changes or removes a posted entry.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from budget import services
from budget.models import Allocation, EntryKind, ImmutableEntryError, LedgerEntry
from tests.factories import post

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def entry(grant, categories, poster):
    return post(grant, categories["secretariat"], poster, amount="1000.00", description="Venue").entry


def unchanged(entry):
    """The row as posted: same amount, effects and description, and still there."""
    row = LedgerEntry.objects.get(pk=entry.pk)
    return (row.amount, row.committed_effect, row.spent_effect, row.description) == (
        D("1000.00"),
        D("1000.00"),
        D("0.00"),
        "Venue",
    )


# --- The ORM ---------------------------------------------------------------------------------


def test_saving_a_changed_entry_is_refused(entry):
    entry.amount = D("1.00")
    entry.description = "Changed"

    with pytest.raises(ImmutableEntryError, match="cannot be changed; post a reversal instead"):
        entry.save()

    assert unchanged(entry)


def test_saving_only_some_fields_is_refused_too(entry):
    entry.description = "Changed"

    with pytest.raises(ImmutableEntryError):
        entry.save(update_fields=["description"])

    assert unchanged(entry)


def test_a_new_instance_with_the_id_of_a_posted_entry_cannot_overwrite_it(entry, poster):
    impostor = LedgerEntry(
        pk=entry.pk,
        date=entry.date,
        year=entry.year,
        grant_id=entry.grant_id,
        category_id=entry.category_id,
        kind=EntryKind.COMMITMENT,
        amount=D("1.00"),
        committed_effect=D("1.00"),
        spent_effect=D("0.00"),
        description="Changed",
        posted_by=poster,
        posted_at=timezone.now(),
    )

    # Without forcing an INSERT, Django would UPDATE the row that has this id.
    with pytest.raises(IntegrityError), transaction.atomic():
        impostor.save()

    assert unchanged(entry)


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(ImmutableEntryError, match="cannot be deleted; post a reversal instead"):
        entry.delete()

    assert unchanged(entry)


def test_a_queryset_update_is_refused(entry):
    with pytest.raises(ImmutableEntryError, match="cannot be changed"):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=D("1.00"), description="Changed")

    assert unchanged(entry)


def test_a_queryset_delete_is_refused(entry):
    with pytest.raises(ImmutableEntryError, match="cannot be deleted"):
        LedgerEntry.objects.all().delete()

    assert unchanged(entry)


def test_a_bulk_update_is_refused(entry):
    entry.description = "Changed"

    with pytest.raises(ImmutableEntryError, match="cannot be changed"):
        LedgerEntry.objects.bulk_update([entry], ["description"])

    assert unchanged(entry)


def test_the_grants_related_manager_cannot_change_or_delete_entries_either(entry, grant):
    with pytest.raises(ImmutableEntryError):
        grant.entries.update(description="Changed")
    with pytest.raises(ImmutableEntryError):
        grant.entries.all().delete()

    assert unchanged(entry)


def test_a_reversal_is_the_way_to_correct_an_entry(entry, poster):
    services.ledger_reverse(entry=entry, actor=poster, reason="Booked twice")

    assert unchanged(entry)
    assert LedgerEntry.objects.count() == 2


# --- The database, on PostgreSQL -----------------------------------------------------------------


@pytest.mark.postgres
def test_postgresql_refuses_an_sql_update_of_an_entry(entry):
    with pytest.raises(IntegrityError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE budget_ledgerentry SET description = 'Changed' WHERE id = %s", [entry.pk])

    assert (
        f"Ledger entry {entry.pk} cannot be changed or deleted: the ledger is append-only; post a reversal."
        in str(error.value)
    )
    assert unchanged(entry)


@pytest.mark.postgres
def test_postgresql_refuses_an_sql_delete_of_an_entry(entry):
    with pytest.raises(IntegrityError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM budget_ledgerentry")

    assert "the ledger is append-only" in str(error.value)
    assert unchanged(entry)


@pytest.mark.postgres
def test_postgresql_refuses_an_update_even_of_a_column_that_changes_nothing(entry):
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE budget_ledgerentry SET amount = amount WHERE id = %s", [entry.pk])


INSERT = """
    INSERT INTO budget_ledgerentry
        (date, year, grant_id, category_id, project_id, decision_id, kind, amount, committed_effect,
         spent_effect, commitment_id, reverses_id, voucher, description, posted_by_id, posted_at)
    VALUES (%s, %s, %s, %s, NULL, NULL, 'reversal', %s, %s, %s, NULL, %s, '', 'raw', %s, %s)
"""


def insert_reversal(original, *, amount, committed, spent, year=None, category_id=None):
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT,
            [
                datetime.date(2025, 3, 14),
                year or original.year,
                original.grant_id,
                category_id or original.category_id,
                D(amount),
                D(committed),
                D(spent),
                original.pk,
                original.posted_by_id,
                timezone.now(),
            ],
        )


@pytest.mark.postgres
def test_postgresql_accepts_a_raw_reversal_that_mirrors_its_original(entry):
    insert_reversal(entry, amount="-1000.00", committed="-1000.00", spent="0.00")

    assert LedgerEntry.objects.get(reverses=entry).amount == D("-1000.00")


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("amount", "committed", "spent", "year"),
    [
        ("-999.00", "-999.00", "0.00", None),
        ("-1000.00", "0.00", "-1000.00", None),
        ("-1000.00", "-1000.00", "0.00", 2026),
    ],
    ids=["other-amount", "other-effects", "other-year"],
)
def test_postgresql_refuses_a_raw_reversal_that_does_not_mirror_its_original(
    entry, amount, committed, spent, year
):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        insert_reversal(entry, amount=amount, committed=committed, spent=spent, year=year)

    assert (
        f"A reversal must negate entry {entry.pk} exactly (same grant, year, category and project)."
        in str(error.value)
    )
    assert LedgerEntry.objects.count() == 1


@pytest.mark.postgres
def test_postgresql_refuses_a_raw_reversal_in_another_category(entry, categories):
    with pytest.raises(IntegrityError, match="must negate entry"), transaction.atomic():
        insert_reversal(
            entry,
            amount="-1000.00",
            committed="-1000.00",
            spent="0.00",
            category_id=categories["communication"].pk,
        )


@pytest.mark.postgres
def test_postgresql_refuses_a_raw_reversal_of_a_reversal(entry, poster):
    reversal = services.ledger_reverse(entry=entry, actor=poster, reason="Booked twice").entry

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        insert_reversal(reversal, amount="-1000.00", committed="-1000.00", spent="0.00")

    assert f"Entry {reversal.pk} is a reversal and cannot be reversed." in str(error.value)
    assert LedgerEntry.objects.count() == 2


# --- Check constraints: a readable message in Python, an IntegrityError in the database -----------


def entry_fields(grant, categories, poster, **fields):
    values = {
        "date": datetime.date(2025, 3, 14),
        "year": 2025,
        "grant": grant,
        "category": categories["secretariat"],
        "kind": EntryKind.COMMITMENT,
        "amount": D("100.00"),
        "committed_effect": D("100.00"),
        "spent_effect": D("0.00"),
        "description": "Made by hand",
        "posted_by": poster,
    }
    values.update(fields)
    return values


SIGN = (
    "Commitments and expenses are positive, a release is negative and names its commitment, "
    "and a reversal names the entry it reverses."
)
EFFECTS = "The entry's effect on the balances does not match its kind."


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount": D("-100.00"), "committed_effect": D("-100.00")}, SIGN),
        ({"kind": EntryKind.EXPENSE, "amount": D("0.00"), "committed_effect": D("0.00")}, SIGN),
        ({"kind": EntryKind.RELEASE, "amount": D("-100.00"), "committed_effect": D("-100.00")}, SIGN),
        ({"kind": EntryKind.REVERSAL, "amount": D("-100.00"), "committed_effect": D("-100.00")}, SIGN),
        ({"committed_effect": D("0.00"), "spent_effect": D("100.00")}, EFFECTS),
        ({"kind": EntryKind.EXPENSE, "committed_effect": D("0.00"), "spent_effect": D("0.00")}, EFFECTS),
    ],
    ids=[
        "negative-commitment",
        "zero-expense",
        "release-without-commitment",
        "reversal-without-original",
        "commitment-that-spends",
        "expense-that-spends-nothing",
    ],
)
def test_an_entry_against_the_rules_gets_a_readable_message_and_the_database_refuses_it(
    grant, categories, poster, fields, message
):
    wrong = LedgerEntry(**entry_fields(grant, categories, poster, **fields))

    with pytest.raises(ValidationError) as error:
        wrong.validate_constraints()
    assert error.value.messages == [message]

    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert message in error.value.messages

    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(**entry_fields(grant, categories, poster, **fields))
    assert LedgerEntry.objects.count() == 0


def test_an_entry_by_the_rules_passes_the_constraints(grant, categories, poster):
    LedgerEntry(**entry_fields(grant, categories, poster)).validate_constraints()


def test_a_negative_commitment_is_refused_by_the_database_naming_the_constraint(grant, categories, poster):
    fields = entry_fields(grant, categories, poster, amount=D("-100.00"), committed_effect=D("-100.00"))

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        LedgerEntry.objects.create(**fields)

    assert "budget_entry_sign_per_kind" in str(error.value)


def test_a_negative_allocation_gets_a_readable_message_and_the_database_refuses_it(grant):
    wrong = Allocation(grant=grant, year=2030, amount=D("-1.00"))

    with pytest.raises(ValidationError) as error:
        wrong.validate_constraints()
    assert error.value.messages == ["An allocation cannot be negative."]

    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Allocation.objects.create(grant=grant, year=2030, amount=D("-1.00"))
    assert "budget_allocation_not_negative" in str(refused.value)


def test_a_grant_has_one_allocation_per_year(grant):
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(grant=grant, year=2025, amount=D("1.00"))

    assert Allocation.objects.get(grant=grant, year=2025).amount == D("3500000.00")
