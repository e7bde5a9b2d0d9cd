"""Posting to the ledger and correcting it: the rules of ``budget.services`` (ToR §5)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budget import services
from budget.models import Allocation, EntryKind, Grant, GrantHolder, LedgerEntry
from tests.factories import post

pytestmark = pytest.mark.django_db

D = Decimal


def balance(grant, year=2025):
    figures = services.year_balance(grant, year)
    return figures.allocated, figures.committed, figures.spent


# --- What each kind does to the balances ----------------------------------------------------------


def test_a_commitment_adds_to_committed(grant, categories, poster):
    result = post(grant, categories["secretariat"], poster, amount="1200.50")

    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.amount, entry.committed_effect, entry.spent_effect) == (
        EntryKind.COMMITMENT,
        D("1200.50"),
        D("1200.50"),
        D("0.00"),
    )
    assert entry.posted_by == poster
    assert balance(grant) == (D("3500000.00"), D("1200.50"), D("0.00"))
    assert (result.balance.committed, result.balance.spent) == (D("1200.50"), D("0.00"))
    assert result.warning == ""


def test_an_expense_without_a_commitment_adds_to_spent(grant, categories, poster):
    post(grant, categories["communication"], poster, kind=EntryKind.EXPENSE, amount="800.00")

    entry = LedgerEntry.objects.get()
    assert (entry.amount, entry.committed_effect, entry.spent_effect) == (D("800.00"), D("0.00"), D("800.00"))
    assert balance(grant) == (D("3500000.00"), D("0.00"), D("800.00"))


def test_an_expense_against_a_commitment_moves_money_from_committed_to_spent(grant, categories, poster):
    commitment = post(grant, categories["secretariat"], poster, amount="1000.00").entry

    result = post(
        grant,
        categories["secretariat"],
        poster,
        kind=EntryKind.EXPENSE,
        amount="300.00",
        commitment=commitment,
    )

    assert (result.entry.amount, result.entry.committed_effect, result.entry.spent_effect) == (
        D("300.00"),
        D("-300.00"),
        D("300.00"),
    )
    assert balance(grant) == (D("3500000.00"), D("700.00"), D("300.00"))
    assert services.commitment_open(commitment) == D("700.00")


def test_a_release_is_stored_negative_and_lowers_committed(grant, categories, poster):
    commitment = post(grant, categories["secretariat"], poster, amount="1000.00").entry

    result = post(
        grant,
        categories["secretariat"],
        poster,
        kind=EntryKind.RELEASE,
        amount="250.00",
        commitment=commitment,
    )

    assert (result.entry.amount, result.entry.committed_effect, result.entry.spent_effect) == (
        D("-250.00"),
        D("-250.00"),
        D("0.00"),
    )
    assert balance(grant) == (D("3500000.00"), D("750.00"), D("0.00"))
    assert services.commitment_open(commitment) == D("750.00")


def test_postings_in_one_year_leave_the_other_years_alone(grant, categories, poster):
    post(grant, categories["secretariat"], poster, amount="1000.00", year=2026)

    assert balance(grant, 2026) == (D("5000000.00"), D("1000.00"), D("0.00"))
    assert balance(grant, 2025) == (D("3500000.00"), D("0.00"), D("0.00"))


def test_voucher_and_description_are_stored_without_surrounding_spaces(grant, categories, poster):
    post(grant, categories["secretariat"], poster, description="  Venue, March meeting ", voucher=" B-17 ")

    entry = LedgerEntry.objects.get()
    assert (entry.description, entry.voucher) == ("Venue, March meeting", "B-17")


# --- Commitments drawn on ----------------------------------------------------------------------


def test_a_release_must_name_its_commitment(grant, categories, poster):
    with pytest.raises(ValidationError) as error:
        post(grant, categories["secretariat"], poster, kind=EntryKind.RELEASE, amount="100.00")

    assert error.value.message_dict == {"commitment": ["Choose the commitment that is released."]}
    assert LedgerEntry.objects.count() == 0


def test_a_commitment_cannot_draw_on_another_commitment(grant, categories, poster):
    first = post(grant, categories["secretariat"], poster).entry

    with pytest.raises(ValidationError) as error:
        post(grant, categories["secretariat"], poster, commitment=first)

    assert error.value.message_dict == {"commitment": ["A commitment does not draw on another commitment."]}


def test_an_expense_larger_than_what_is_open_on_the_commitment_is_refused_with_the_open_amount(
    grant, categories, poster
):
    commitment = post(grant, categories["secretariat"], poster, amount="1000.00").entry
    post(
        grant,
        categories["secretariat"],
        poster,
        kind=EntryKind.EXPENSE,
        amount="600.00",
        commitment=commitment,
    )

    with pytest.raises(ValidationError) as error:
        post(
            grant,
            categories["secretariat"],
            poster,
            kind=EntryKind.EXPENSE,
            amount="400.01",
            commitment=commitment,
        )

    assert error.value.message_dict == {
        "amount": [
            f"Only DKK 400.00 is still open on commitment #{commitment.pk}. Post the rest as an expense "
            "without a commitment, or commit more first."
        ]
    }
    assert LedgerEntry.objects.count() == 2
    assert services.commitment_open(commitment) == D("400.00")


def test_exactly_what_is_open_can_be_spent_against_a_commitment(grant, categories, poster):
    commitment = post(grant, categories["secretariat"], poster, amount="1000.00").entry
    post(
        grant,
        categories["secretariat"],
        poster,
        kind=EntryKind.EXPENSE,
        amount="600.00",
        commitment=commitment,
    )

    post(
        grant,
        categories["secretariat"],
        poster,
        kind=EntryKind.RELEASE,
        amount="400.00",
        commitment=commitment,
    )

    assert services.commitment_open(commitment) == D("0.00")
    assert balance(grant) == (D("3500000.00"), D("0.00"), D("600.00"))


def test_a_release_larger_than_what_is_open_is_refused(grant, categories, poster):
    commitment = post(grant, categories["secretariat"], poster, amount="1000.00").entry

    with pytest.raises(ValidationError) as error:
        post(
            grant,
            categories["secretariat"],
            poster,
            kind=EntryKind.RELEASE,
            amount="1000.01",
            commitment=commitment,
        )

    assert error.value.message_dict["amount"][0].startswith(
        f"Only DKK 1,000.00 is still open on commitment #{commitment.pk}."
    )


@pytest.fixture
def other_grant(budget_data):
    grant = Grant.objects.create(
        code="novo-pilot",
        name_da="Pilotmidler",
        name_en="Pilot funds",
        source="Foundation",
        holder=GrantHolder.AMGROS,
    )
    Allocation.objects.create(grant=grant, year=2025, amount=D("100000.00"))
    return grant


@pytest.mark.parametrize(
    ("change", "label"),
    [
        ("grant", "grant"),
        ("year", "year"),
        ("category", "cost category"),
        ("project", "project"),
    ],
)
def test_an_entry_cannot_draw_on_a_commitment_of_another_grant_year_category_or_project(
    grant, other_grant, categories, tor_projects, poster, change, label
):
    commitment = post(grant, categories["secretariat"], poster, project=tor_projects["II"]).entry
    fields = {
        "grant": grant,
        "year": 2025,
        "category": categories["secretariat"],
        "project": tor_projects["II"],
    }
    fields[change] = {
        "grant": other_grant,
        "year": 2026,
        "category": categories["communication"],
        "project": tor_projects["III"],
    }[change]

    with pytest.raises(ValidationError) as error:
        services.ledger_post(
            **fields,
            kind=EntryKind.EXPENSE,
            amount=D("10.00"),
            description="Drawn on the wrong commitment",
            actor=poster,
            commitment=commitment,
        )

    assert error.value.message_dict == {
        "commitment": [f"The commitment #{commitment.pk} has another {label} than this entry."]
    }
    assert LedgerEntry.objects.count() == 1


def test_an_entry_without_a_project_cannot_draw_on_a_project_commitment(
    grant, categories, tor_projects, poster
):
    commitment = post(grant, categories["secretariat"], poster, project=tor_projects["II"]).entry

    with pytest.raises(ValidationError) as error:
        post(
            grant,
            categories["secretariat"],
            poster,
            kind=EntryKind.EXPENSE,
            amount="5.00",
            commitment=commitment,
        )

    assert error.value.message_dict == {
        "commitment": [f"The commitment #{commitment.pk} has another project than this entry."]
    }


def test_an_entry_cannot_draw_on_a_reversed_commitment(grant, categories, poster):
    commitment = post(grant, categories["secretariat"], poster).entry
    services.ledger_reverse(entry=commitment, actor=poster, reason="Booked twice")

    with pytest.raises(ValidationError) as error:
        post(
            grant,
            categories["secretariat"],
            poster,
            kind=EntryKind.EXPENSE,
            amount="5.00",
            commitment=commitment,
        )

    assert error.value.message_dict == {"commitment": ["Choose a commitment that has not been reversed."]}


def test_an_entry_cannot_draw_on_an_expense(grant, categories, poster):
    expense = post(grant, categories["secretariat"], poster, kind=EntryKind.EXPENSE).entry

    with pytest.raises(ValidationError) as error:
        post(
            grant,
            categories["secretariat"],
            poster,
            kind=EntryKind.RELEASE,
            amount="5.00",
            commitment=expense,
        )

    assert error.value.message_dict == {"commitment": ["Choose a commitment that has not been reversed."]}


# --- What cannot be posted at all ----------------------------------------------------------------


def test_a_year_without_an_allocation_is_refused(grant, categories, poster):
    with pytest.raises(ValidationError) as error:
        post(grant, categories["secretariat"], poster, year=2028)

    assert error.value.message_dict == {
        "year": [f"{grant} has no allocation for 2028 (it has 2024, 2025, 2026, 2027)."]
    }
    assert LedgerEntry.objects.count() == 0


def test_nothing_can_be_posted_to_the_danish_medicines_agency_grant(dkma_grant, categories, poster):
    with pytest.raises(ValidationError) as error:
        post(dkma_grant, categories["secretariat"], poster, kind=EntryKind.EXPENSE)

    assert error.value.message_dict == {
        "grant": [
            "Strategy for life science 2024–2027: better early regulatory advice (Danish Medicines Agency) "
            "is not managed in this ledger; nothing can be posted to it."
        ]
    }
    assert LedgerEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("100.005", "Give the amount in kroner with at most two decimals (øre)."),
        ("0.00", "Give the amount as a positive number of kroner."),
        ("0", "Give the amount as a positive number of kroner."),
        ("-100.00", "Give the amount as a positive number of kroner."),
    ],
)
@pytest.mark.parametrize("kind", [EntryKind.COMMITMENT, EntryKind.EXPENSE])
def test_amounts_with_three_decimals_zero_or_negative_are_refused(
    grant, categories, poster, kind, amount, message
):
    with pytest.raises(ValidationError) as error:
        post(grant, categories["secretariat"], poster, kind=kind, amount=amount)

    assert error.value.message_dict == {"amount": [message]}
    assert LedgerEntry.objects.count() == 0


def test_a_negative_release_is_refused_rather_than_turned_into_a_commitment(grant, categories, poster):
    commitment = post(grant, categories["secretariat"], poster).entry

    with pytest.raises(ValidationError) as error:
        post(
            grant,
            categories["secretariat"],
            poster,
            kind=EntryKind.RELEASE,
            amount="-50.00",
            commitment=commitment,
        )

    assert error.value.message_dict == {"amount": ["Give the amount as a positive number of kroner."]}


@pytest.mark.parametrize("description", ["", "   \n"])
def test_an_entry_must_say_what_it_is_for(grant, categories, poster, description):
    with pytest.raises(ValidationError) as error:
        post(grant, categories["secretariat"], poster, description=description)

    assert error.value.message_dict == {"description": ["Say what the entry is for."]}
    assert LedgerEntry.objects.count() == 0


def test_a_reversal_cannot_be_posted_directly(grant, categories, poster):
    with pytest.raises(ValidationError) as error:
        post(grant, categories["secretariat"], poster, kind=EntryKind.REVERSAL)

    assert error.value.message_dict == {
        "kind": ["Reverse an entry with the “Reverse” action on the ledger instead."]
    }


# --- The allocation ----------------------------------------------------------------------------


def test_going_over_the_years_allocation_is_refused_without_a_decision(grant, categories, poster):
    post(grant, categories["project-management"], poster, amount="3400000.00")

    with pytest.raises(ValidationError) as error:
        post(grant, categories["involvement"], poster, kind=EntryKind.EXPENSE, amount="100000.01")

    assert error.value.message_dict == {
        "decision": [
            f"This would take {grant} 2025 DKK 0.01 over its allocation of DKK 3,500,000.00; "
            "name the steering group decision that approves the overspend."
        ]
    }
    assert balance(grant) == (D("3500000.00"), D("3400000.00"), D("0.00"))


def test_the_whole_allocation_can_be_used_without_a_decision(grant, categories, poster):
    post(grant, categories["project-management"], poster, amount="3400000.00")

    result = post(grant, categories["involvement"], poster, kind=EntryKind.EXPENSE, amount="100000.00")

    assert result.balance.remaining == D("0.00")


def test_going_over_is_accepted_with_a_steering_group_decision_and_recorded_on_the_entry(
    grant, categories, poster, steering_decision
):
    post(grant, categories["project-management"], poster, amount="3400000.00")

    result = post(grant, categories["involvement"], poster, amount="250000.00", decision=steering_decision)

    assert LedgerEntry.objects.get(pk=result.entry.pk).decision == steering_decision
    assert result.balance.remaining == D("-150000.00")
    assert balance(grant) == (D("3500000.00"), D("3650000.00"), D("0.00"))


def test_a_reference_group_decision_cannot_approve_an_overspend(
    grant, categories, poster, reference_decision
):
    post(grant, categories["project-management"], poster, amount="3400000.00")

    with pytest.raises(ValidationError) as error:
        post(grant, categories["involvement"], poster, amount="250000.00", decision=reference_decision)

    assert error.value.message_dict == {
        "decision": [f"Choose a decision of the steering group; {reference_decision.number} is not one."]
    }
    assert LedgerEntry.objects.count() == 1


def test_being_over_in_one_year_does_not_block_another(grant, categories, poster, steering_decision):
    post(grant, categories["project-management"], poster, amount="3600000.00", decision=steering_decision)

    result = post(grant, categories["project-management"], poster, amount="4000000.00", year=2026)

    assert result.balance.remaining == D("1000000.00")


def test_what_lowers_the_used_amount_is_never_refused_even_when_over(
    grant, categories, poster, steering_decision
):
    commitment = post(
        grant, categories["project-management"], poster, amount="3600000.00", decision=steering_decision
    ).entry
    expense = post(
        grant,
        categories["secretariat"],
        poster,
        kind=EntryKind.EXPENSE,
        amount="10000.00",
        decision=steering_decision,
    ).entry
    assert balance(grant) == (D("3500000.00"), D("3600000.00"), D("10000.00"))

    post(
        grant,
        categories["project-management"],
        poster,
        kind=EntryKind.RELEASE,
        amount="50000.00",
        commitment=commitment,
    )
    services.ledger_reverse(entry=expense, actor=poster, reason="Paid by the region")
    # An expense against the commitment moves money from committed to spent: the used amount stays.
    post(
        grant,
        categories["project-management"],
        poster,
        kind=EntryKind.EXPENSE,
        amount="20000.00",
        commitment=commitment,
    )

    assert balance(grant) == (D("3500000.00"), D("3530000.00"), D("20000.00"))
    assert LedgerEntry.objects.filter(decision__isnull=True).count() == 2


def test_more_spending_while_over_still_needs_a_decision(grant, categories, poster, steering_decision):
    post(grant, categories["project-management"], poster, amount="3600000.00", decision=steering_decision)

    with pytest.raises(ValidationError) as error:
        post(grant, categories["secretariat"], poster, kind=EntryKind.EXPENSE, amount="1.00")

    assert error.value.message_dict["decision"][0].startswith(
        f"This would take {grant} 2025 DKK 100,001.00 over"
    )


def test_reversing_a_release_that_would_take_the_year_over_needs_a_decision(
    grant, categories, poster, steering_decision
):
    commitment = post(grant, categories["project-management"], poster, amount="3500000.00").entry
    release = post(
        grant,
        categories["project-management"],
        poster,
        kind=EntryKind.RELEASE,
        amount="500000.00",
        commitment=commitment,
    ).entry
    post(grant, categories["involvement"], poster, amount="500000.00")

    with pytest.raises(ValidationError) as error:
        services.ledger_reverse(entry=release, actor=poster, reason="Released by mistake")

    assert error.value.message_dict == {
        "decision": [
            f"This would take {grant} 2025 DKK 500,000.00 over its allocation of DKK 3,500,000.00; "
            "name the steering group decision that approves the overspend."
        ]
    }
    assert balance(grant) == (D("3500000.00"), D("3500000.00"), D("0.00"))

    result = services.ledger_reverse(
        entry=release, actor=poster, reason="Released by mistake", decision=steering_decision
    )

    assert result.entry.decision == steering_decision
    assert balance(grant) == (D("3500000.00"), D("4000000.00"), D("0.00"))


# --- The warning threshold ---------------------------------------------------------------------


def test_no_warning_below_the_threshold(grant, categories, poster, settings):
    settings.BUDGET_WARNING_PERCENT = 90

    result = post(grant, categories["secretariat"], poster, amount="3149999.99")

    assert result.warning == ""


def test_a_warning_at_the_threshold_says_what_is_left(grant, categories, poster, settings):
    settings.BUDGET_WARNING_PERCENT = 90
    post(grant, categories["secretariat"], poster, amount="3149999.99")

    result = post(grant, categories["secretariat"], poster, kind=EntryKind.EXPENSE, amount="0.01")

    assert result.warning == (
        f"{grant} 2025 is now 90 % committed or spent: DKK 350,000.00 left of DKK 3,500,000.00."
    )


def test_the_threshold_follows_the_setting(grant, categories, poster, settings):
    settings.BUDGET_WARNING_PERCENT = 50

    below = post(grant, categories["secretariat"], poster, amount="1749999.99")
    at = post(grant, categories["secretariat"], poster, amount="0.01")

    assert below.warning == ""
    assert (
        at.warning
        == f"{grant} 2025 is now 50 % committed or spent: DKK 1,750,000.00 left of DKK 3,500,000.00."
    )


def test_the_warning_is_computed_on_the_year_posted_to(grant, categories, poster, settings):
    settings.BUDGET_WARNING_PERCENT = 90
    post(grant, categories["secretariat"], poster, amount="3200000.00")

    result = post(grant, categories["secretariat"], poster, amount="3200000.00", year=2026)

    assert result.warning == ""


# --- Reversals -----------------------------------------------------------------------------------


def test_a_reversal_negates_the_entry_and_its_effects(grant, categories, tor_projects, poster, secretariat):
    commitment = post(
        grant, categories["involvement"], poster, amount="1500.00", project=tor_projects["II"]
    ).entry
    expense = post(
        grant,
        categories["involvement"],
        poster,
        kind=EntryKind.EXPENSE,
        amount="400.00",
        project=tor_projects["II"],
        commitment=commitment,
        voucher="B-9",
    ).entry

    result = services.ledger_reverse(entry=expense, actor=secretariat, reason="  Wrong invoice ")

    reversal = LedgerEntry.objects.get(pk=result.entry.pk)
    assert (reversal.kind, reversal.amount, reversal.committed_effect, reversal.spent_effect) == (
        EntryKind.REVERSAL,
        D("-400.00"),
        D("400.00"),
        D("-400.00"),
    )
    assert (reversal.grant, reversal.year, reversal.category, reversal.project, reversal.voucher) == (
        grant,
        2025,
        categories["involvement"],
        tor_projects["II"],
        "B-9",
    )
    assert reversal.reverses == expense
    assert reversal.commitment is None
    assert reversal.description == f"Reversal of #{expense.pk}: Wrong invoice"
    assert LedgerEntry.objects.get(pk=expense.pk).is_reversed
    assert services.commitment_open(commitment) == D("1500.00")
    assert balance(grant) == (D("3500000.00"), D("1500.00"), D("0.00"))
    assert (result.balance.committed, result.balance.spent) == (D("1500.00"), D("0.00"))


def test_a_reversal_cannot_be_reversed(grant, categories, poster):
    entry = post(grant, categories["secretariat"], poster).entry
    reversal = services.ledger_reverse(entry=entry, actor=poster, reason="Booked twice").entry

    with pytest.raises(ValidationError) as error:
        services.ledger_reverse(entry=reversal, actor=poster, reason="Undo")

    assert error.value.messages == [
        f"Entry #{reversal.pk} is itself a reversal; post the entry again instead."
    ]
    assert LedgerEntry.objects.count() == 2


def test_an_entry_is_reversed_at_most_once(grant, categories, poster):
    entry = post(grant, categories["secretariat"], poster, kind=EntryKind.EXPENSE).entry
    services.ledger_reverse(entry=entry, actor=poster, reason="Booked twice")

    with pytest.raises(ValidationError) as error:
        services.ledger_reverse(entry=entry, actor=poster, reason="Again")

    assert error.value.messages == [f"Entry #{entry.pk} has already been reversed."]
    assert balance(grant) == (D("3500000.00"), D("0.00"), D("0.00"))


def test_a_commitment_with_entries_against_it_cannot_be_reversed_until_those_are(grant, categories, poster):
    commitment = post(grant, categories["secretariat"], poster, amount="1000.00").entry
    expense = post(
        grant,
        categories["secretariat"],
        poster,
        kind=EntryKind.EXPENSE,
        amount="100.00",
        commitment=commitment,
    ).entry
    release = post(
        grant,
        categories["secretariat"],
        poster,
        kind=EntryKind.RELEASE,
        amount="200.00",
        commitment=commitment,
    ).entry

    with pytest.raises(ValidationError) as error:
        services.ledger_reverse(entry=commitment, actor=poster, reason="Wrong supplier")

    # Listed as the ledger lists them, newest first.
    assert error.value.messages == [
        f"Expenses or releases are booked against commitment #{commitment.pk} "
        f"(#{release.pk}, #{expense.pk}). Reverse those first, or release what is left of the commitment."
    ]

    services.ledger_reverse(entry=expense, actor=poster, reason="Wrong supplier")
    services.ledger_reverse(entry=release, actor=poster, reason="Wrong supplier")
    services.ledger_reverse(entry=commitment, actor=poster, reason="Wrong supplier")

    assert services.commitment_open(commitment) == D("0.00")
    assert balance(grant) == (D("3500000.00"), D("0.00"), D("0.00"))


@pytest.mark.parametrize("reason", ["", "  "])
def test_a_reversal_must_say_why(grant, categories, poster, reason):
    entry = post(grant, categories["secretariat"], poster).entry

    with pytest.raises(ValidationError) as error:
        services.ledger_reverse(entry=entry, actor=poster, reason=reason)

    assert error.value.message_dict == {"reason": ["Say why the entry is reversed."]}
    assert LedgerEntry.objects.count() == 1


def test_a_long_reason_is_cut_to_fit_the_description(grant, categories, poster):
    entry = post(grant, categories["secretariat"], poster).entry

    reversal = services.ledger_reverse(entry=entry, actor=poster, reason="x" * 400).entry

    assert len(reversal.description) == 300
    assert reversal.description.startswith(f"Reversal of #{entry.pk}: xxx")


# --- Sums to the øre --------------------------------------------------------------------------


def test_balances_are_exact_to_the_ore_on_every_database(grant, categories, poster):
    # SQLite adds decimals as floats: without rounding, 0.15 − 0.14 would be 0.00999999999999998.
    commitment = post(grant, categories["secretariat"], poster, amount="0.15").entry
    post(
        grant, categories["secretariat"], poster, kind=EntryKind.EXPENSE, amount="0.14", commitment=commitment
    )

    figures = services.year_balance(grant, 2025)

    assert [str(figures.committed), str(figures.spent)] == ["0.01", "0.14"]
    assert str(services.commitment_open(commitment)) == "0.01"
