"""The secretariat's budget work in the admin: posting, refusals that keep the form, reversal,
applications."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budget.models import (
    ApplicationStatus,
    EntryKind,
    FundingApplication,
    Grant,
    LedgerEntry,
)
from tests.conftest import sign_in
from tests.factories import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, secretariat):
    client.cookies["atmp_language"] = "en"
    sign_in(client, secretariat)
    return client


def entry_form(grant, category, **changes):
    data = {
        "date": "2026-03-02",
        "year": "2026",
        "grant": grant.pk,
        "category": category.pk,
        "kind": EntryKind.COMMITMENT,
        "amount": "900000.00",
        "commitment": "",
        "project": "",
        "decision": "",
        "voucher": "K-2026-004",
        "description": "Consultancy for analysis I",
    }
    data.update(changes)
    return data


def test_the_secretariat_opens_every_budget_list_and_the_add_form(admin_client, budget_data):
    for name in ("ledgerentry", "grant", "fundingapplication", "costcategory"):
        assert admin_client.get(reverse(f"admin:budget_{name}_changelist")).status_code == 200, name
    assert admin_client.get(reverse("admin:budget_ledgerentry_add")).status_code == 200
    assert admin_client.get(reverse("admin:budget_fundingapplication_add")).status_code == 200


def test_applicants_and_steering_members_do_not_reach_the_budget_admin(
    client, owner, steering_member, budget_data
):
    for user in (owner, steering_member):
        sign_in(client, user)
        response = client.get(reverse("admin:budget_ledgerentry_changelist"))
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_posting_in_the_admin_goes_through_the_service(
    admin_client, grant, categories, tor_projects, secretariat
):
    response = admin_client.post(
        reverse("admin:budget_ledgerentry_add"),
        entry_form(grant, categories["project-management"], project=tor_projects["I"].pk),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.amount, entry.committed_effect, entry.spent_effect) == (
        EntryKind.COMMITMENT,
        Decimal("900000.00"),
        Decimal("900000.00"),
        Decimal("0.00"),
    )
    assert entry.posted_by == secretariat
    assert entry.project == tor_projects["I"]


def test_a_release_typed_as_a_positive_amount_is_booked_as_a_reduction(
    admin_client, grant, categories, poster
):
    commitment = post(grant, categories["involvement"], poster, amount="250000.00", year=2026).entry
    response = admin_client.post(
        reverse("admin:budget_ledgerentry_add"),
        entry_form(
            grant,
            categories["involvement"],
            kind=EntryKind.RELEASE,
            amount="50000.00",
            commitment=commitment.pk,
            description="Seminar cheaper than agreed",
        ),
    )
    assert response.status_code == 302
    release = LedgerEntry.objects.get(kind=EntryKind.RELEASE)
    assert release.amount == Decimal("-50000.00")
    assert release.committed_effect == Decimal("-50000.00")


def test_an_overspend_without_a_decision_is_refused_and_the_form_keeps_what_was_typed(
    admin_client, grant, categories, steering_decision
):
    data = entry_form(
        grant, categories["secretariat"], amount="5000000.01", description="Too much, typed carefully"
    )
    response = admin_client.post(reverse("admin:budget_ledgerentry_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "over its allocation of DKK 5,000,000.00" in page
    assert "name the steering group decision that approves the overspend" in page
    assert 'value="Too much, typed carefully"' in page
    assert 'value="5000000.01"' in page
    assert not LedgerEntry.objects.exists()

    data["decision"] = steering_decision.pk
    response = admin_client.post(reverse("admin:budget_ledgerentry_add"), data, follow=True)
    assert LedgerEntry.objects.get().decision == steering_decision
    assert "is now 100 % committed or spent" in response.content.decode()


def test_posting_to_the_agency_grant_is_not_offered(admin_client, dkma_grant, categories):
    response = admin_client.post(
        reverse("admin:budget_ledgerentry_add"), entry_form(dkma_grant, categories["secretariat"])
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_a_ledger_entry_cannot_be_changed_or_deleted_in_the_admin(admin_client, grant, categories, poster):
    entry = post(grant, categories["secretariat"], poster, amount="1000.00").entry
    change_url = reverse("admin:budget_ledgerentry_change", args=[entry.pk])
    page = admin_client.get(change_url).content.decode()
    assert 'name="amount"' not in page  # read-only
    assert "Reverse this entry" in page
    admin_client.post(change_url, {"amount": "1.00", "description": "edited"})
    assert admin_client.get(reverse("admin:budget_ledgerentry_delete", args=[entry.pk])).status_code == 403
    entry.refresh_from_db()
    assert (entry.amount, entry.description) == (Decimal("1000.00"), "commitment 1000.00")
    actions = admin_client.get(reverse("admin:budget_ledgerentry_changelist")).content.decode()
    assert "delete_selected" not in actions
    assert "reverse_selected" in actions


def test_reversing_from_the_entry_page_asks_why_and_posts_the_reversal(
    admin_client, grant, categories, poster
):
    entry = post(grant, categories["communication"], poster, kind=EntryKind.EXPENSE, amount="48000.00").entry
    url = reverse("admin:budget_ledgerentry_reverse", args=[entry.pk])
    assert "Why is it reversed?" in admin_client.get(url).content.decode()
    refused = admin_client.post(url, {"reason": "", "date": "2025-03-20"})
    assert refused.status_code == 200
    assert not LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).exists()
    response = admin_client.post(
        url, {"reason": "booked on the wrong category", "date": "2025-03-20"}, follow=True
    )
    assert "1 entry reversed." in response.content.decode()
    reversal = LedgerEntry.objects.get(kind=EntryKind.REVERSAL)
    assert reversal.reverses == entry
    assert reversal.amount == Decimal("-48000.00")
    assert "booked on the wrong category" in reversal.description
    again = admin_client.post(url, {"reason": "twice", "date": "2025-03-20"}, follow=True)
    assert "has already been reversed" in again.content.decode()
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 1


def test_the_reverse_action_reverses_the_selected_entries(admin_client, grant, categories, poster):
    first = post(grant, categories["secretariat"], poster, kind=EntryKind.EXPENSE, amount="10.00").entry
    second = post(grant, categories["secretariat"], poster, kind=EntryKind.EXPENSE, amount="20.00").entry
    changelist = reverse("admin:budget_ledgerentry_changelist")
    selection = {"action": "reverse_selected", "_selected_action": [first.pk, second.pk]}
    confirm = admin_client.post(changelist, selection)
    assert confirm.status_code == 200
    assert "Why is it reversed?" in confirm.content.decode()
    admin_client.post(changelist, {**selection, "reason": "duplicate invoices", "date": "2025-04-01"})
    assert set(LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).values_list("reverses", flat=True)) == {
        first.pk,
        second.pk,
    }


def application_form(**changes):
    data = {
        "foundation": "Eksempelfonden",
        "title": "Nordic network",
        "purpose": "Two seminars a year.",
        "amount": "500000.00",
        "project": "",
        "deadline": "",
        "new_status": "",
        "decision": "",
        "granted_per_year": "",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_an_application_goes_through_the_steering_group_to_a_grant_in_the_admin(
    admin_client, budget_data, steering_decision
):
    assert (
        admin_client.post(reverse("admin:budget_fundingapplication_add"), application_form()).status_code
        == 302
    )
    application = FundingApplication.objects.get()
    url = reverse("admin:budget_fundingapplication_change", args=[application.pk])

    admin_client.post(url, application_form(new_status=ApplicationStatus.TO_STEERING_GROUP))
    refused = admin_client.post(url, application_form(new_status=ApplicationStatus.APPROVED_FOR_SUBMISSION))
    assert "Name the steering group decision that cleared the application" in refused.content.decode()
    admin_client.post(
        url,
        application_form(new_status=ApplicationStatus.APPROVED_FOR_SUBMISSION, decision=steering_decision.pk),
    )
    admin_client.post(url, application_form(new_status=ApplicationStatus.SUBMITTED))
    bad = admin_client.post(
        url, application_form(new_status=ApplicationStatus.GRANTED, granted_per_year="2026 lots")
    )
    assert "Line 1: write the year, a colon and the amount" in bad.content.decode()
    admin_client.post(
        url,
        application_form(
            new_status=ApplicationStatus.GRANTED, granted_per_year="2026: 250.000,00\n2027: 250000"
        ),
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    assert application.amount_granted == Decimal("500000.00")
    grant = Grant.objects.get(application=application)
    assert grant.is_managed
    assert dict(grant.allocations.values_list("year", "amount")) == {
        2026: Decimal("250000.00"),
        2027: Decimal("250000.00"),
    }
    assert list(application.events.values_list("to_status", flat=True)) == [
        "draft",
        "to_steering_group",
        "approved",
        "submitted",
        "granted",
    ]


def test_the_tor_allocations_are_read_only_in_the_admin(admin_client, grant):
    page = admin_client.get(reverse("admin:budget_grant_change", args=[grant.pk])).content.decode()
    assert 'name="allocations-0-amount"' not in page
    assert "5,000,000.00" in page or "5000000.00" in page


def test_a_reversal_that_takes_the_year_over_needs_a_decision_on_the_reverse_page(
    admin_client, grant, categories, poster, steering_decision
):
    commitment = post(grant, categories["involvement"], poster, amount="3500000.00").entry
    release = post(
        grant,
        categories["involvement"],
        poster,
        kind=EntryKind.RELEASE,
        amount="500000.00",
        commitment=commitment,
    ).entry
    post(grant, categories["secretariat"], poster, amount="500000.00")
    url = reverse("admin:budget_ledgerentry_reverse", args=[release.pk])
    refused = admin_client.post(url, {"reason": "release was a mistake", "date": "2025-05-01"}, follow=True)
    assert "over its allocation of DKK 3,500,000.00" in refused.content.decode()
    assert not LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).exists()
    admin_client.post(
        url, {"reason": "release was a mistake", "date": "2025-05-01", "decision": steering_decision.pk}
    )
    reversal = LedgerEntry.objects.get(kind=EntryKind.REVERSAL)
    assert (reversal.reverses, reversal.decision) == (release, steering_decision)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_posting_overtaken_by_another_is_refused_next_to_the_field_with_the_text_kept(
    admin_client, grant, categories, colleague, monkeypatch
):
    """Two people post to the same year at once. The form's check passes; then a colleague, on
    another connection, posts and commits before the locked posting runs. The second is refused
    next to the field, with what was typed, instead of an error page."""
    import threading

    from django.db import connection

    from budget import services

    real_check = services.ledger_check
    raced: list[bool] = []

    def colleague_posts():
        try:
            post(grant, categories["secretariat"], colleague, amount="4500000.00", year=2026)
        finally:
            connection.close()

    def check_then_colleague_posts(**kwargs):
        balance = real_check(**kwargs)
        if not raced:
            raced.append(True)
            other = threading.Thread(target=colleague_posts)
            other.start()
            other.join()
        return balance

    monkeypatch.setattr(services, "ledger_check", check_then_colleague_posts)
    data = entry_form(
        grant, categories["involvement"], amount="1000000.00", description="Seminar, typed once"
    )
    response = admin_client.post(reverse("admin:budget_ledgerentry_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "over its allocation of DKK 5,000,000.00" in page
    assert 'value="Seminar, typed once"' in page
    assert list(LedgerEntry.objects.values_list("amount", flat=True)) == [Decimal("4500000.00")]
