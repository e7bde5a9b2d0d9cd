"""A request referred to a directory entry: made in the admin, shown to the applicant, listed on the
entry's admin page with the entry's rounds and answers."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from inquiries.models import Partner, Referral, ReferralOutcome
from network import selectors, services
from network.models import EntryReferral
from tests.conftest import sign_in
from tests.factories import directory_entry, submit
from tests.network.conftest import login

pytestmark = pytest.mark.django_db

CONFIDENTIAL = "Sponsor: Nordlys Bio ApS; compound NB-117."
SHARED = "A phase I gene therapy trial looking for a site with a phase I unit."


@pytest.fixture
def inquiry(owner):
    return submit(
        owner,
        topic="clinical_trials",
        shareable_summary="A phase I gene therapy trial.",
        confidential_details=CONFIDENTIAL,
    )


@pytest.fixture
def site(capabilities):
    return directory_entry(
        "Fase I-enhed, Hovedstaden (demo)",
        capability_codes=["phase-1-unit"],
        contact_email="fase1@unit.example",
        website="https://fase1.example",
    )


@pytest.fixture
def referred(inquiry, site, secretariat):
    return services.entry_refer(inquiry=inquiry, entry=site, actor=secretariat, note=SHARED)


def test_a_referral_to_an_entry_is_the_requests_own_referral_named_after_the_entry(referred, inquiry, site):
    referral = Referral.objects.get(inquiry=inquiry)
    assert referral.partner == Partner.DIRECTORY
    assert referral.note == SHARED
    assert referred.referral == referral and referred.entry == site
    event = inquiry.events.get(kind="referred")
    assert event.is_public and event.detail == site.name
    assert AuditEntry.objects.for_object(referred).get().action == "network.entryreferral.created"


def test_the_same_entry_twice_is_refused_next_to_the_entry(referred, inquiry, site, secretariat):
    with pytest.raises(ValidationError) as refused:
        services.entry_refer(inquiry=inquiry, entry=site, actor=secretariat)
    assert "entry" in refused.value.error_dict
    assert EntryReferral.objects.count() == 1


def test_an_unpublished_entry_cannot_be_referred_to(inquiry, capabilities, secretariat):
    hidden = directory_entry("Skjult enhed (demo)", is_published=False)
    with pytest.raises(ValidationError):
        services.entry_refer(inquiry=inquiry, entry=hidden, actor=secretariat)


def test_what_is_shared_may_not_repeat_the_confidential_part(inquiry, site, secretariat):
    with pytest.raises(ValidationError) as refused:
        services.entry_refer(inquiry=inquiry, entry=site, actor=secretariat, note=f"Note: {CONFIDENTIAL}")
    assert "note" in refused.value.error_dict
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 200), ("colleague", 404), ("outsider", 302), ("secretariat", 200), ("steering_member", 404)],
)
def test_the_request_page_shows_the_referred_entry_only_to_who_may_see_the_request(
    client, cast, referred, inquiry, who, status
):
    login(client, cast[who])
    response = client.get(reverse("inquiries:detail", args=[inquiry.reference]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Fase I-enhed, Hovedstaden (demo)" in page
        assert "fase1@unit.example" in page
        assert SHARED in page
        assert CONFIDENTIAL not in page.split('id="referred-sites"')[1].split("</ul>")[0]


def test_the_danish_name_is_marked_on_the_english_request_page(client, owner, referred, inquiry, english):
    sign_in(client, owner)
    page = client.get(reverse("inquiries:detail", args=[inquiry.reference])).content.decode()
    assert 'lang="da">Fase I-enhed, Hovedstaden (demo)</a>' in page


def test_a_request_without_referrals_shows_no_referral_section(client, owner, inquiry, site):
    sign_in(client, owner)
    page = client.get(reverse("inquiries:detail", args=[inquiry.reference])).content.decode()
    assert 'id="referred-sites"' not in page


def test_the_secretariat_refers_in_the_admin_and_bad_input_keeps_what_was_typed(
    client, secretariat, inquiry, site, english
):
    sign_in(client, secretariat)
    url = reverse("admin:network_entryreferral_add")
    assert client.get(f"{url}?entry={site.pk}").status_code == 200
    refused = client.post(url, {"reference": "ATMP-1999-0001", "entry": site.pk, "note": SHARED})
    assert refused.status_code == 200
    assert "No request has this reference." in refused.content.decode()
    assert SHARED in refused.content.decode()
    response = client.post(url, {"reference": inquiry.reference.lower(), "entry": site.pk, "note": SHARED})
    assert response.status_code == 302
    link = EntryReferral.objects.get()
    assert (link.referral.inquiry, link.entry, link.referral.referred_by) == (inquiry, site, secretariat)


def test_the_secretariat_records_the_outcome_and_both_records_say_who(client, secretariat, referred, inquiry):
    sign_in(client, secretariat)
    url = reverse("admin:network_entryreferral_change", args=[referred.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"outcome": ReferralOutcome.ACCEPTED, "outcome_note": "Tog imod."})
    assert response.status_code == 302
    referred.referral.refresh_from_db()
    assert referred.referral.outcome == ReferralOutcome.ACCEPTED
    assert (
        AuditEntry.objects.for_object(referred)
        .filter(action="network.entryreferral.outcome_recorded", actor=secretariat)
        .exists()
    )
    assert inquiry.events.filter(kind="referral_outcome", is_public=False).exists()


@pytest.mark.parametrize("who", ["owner", "outsider", "steering_member", "staff_without_mfa"])
def test_only_the_secretariat_opens_the_referral_admin(client, cast, referred, who):
    login(client, cast[who])
    response = client.get(reverse("admin:network_entryreferral_change", args=[referred.pk]))
    assert response.status_code in (302, 403)
    assert "Fase I-enhed" not in response.content.decode()


def test_the_entry_admin_lists_its_rounds_answers_and_referral_outcomes(
    client, secretariat, referred, inquiry, site, english
):
    feasibility = services.round_start(inquiry=inquiry, actor=secretariat, synopsis="Fase I.", entries=[site])
    invitation = feasibility.invitations.get()
    services.round_answer(
        invitation=invitation,
        link_version=invitation.link_version,
        answer="interested",
        consent_to_share=True,
    )
    services.entry_referral_record_outcome(link=referred, actor=secretariat, outcome=ReferralOutcome.ANSWERED)
    sign_in(client, secretariat)
    page = client.get(reverse("admin:network_entry_change", args=[site.pk])).content.decode()
    rounds = page.split("Rounds this entry was asked in")[1].split("</table>")[0]
    assert inquiry.reference in rounds and "Interested" in rounds
    referrals = page.split("Requests referred to this entry")[1].split("</table>")[0]
    assert inquiry.reference in referrals and "Answered by the partner" in referrals
    # The entry's history reads the one record, its referral's lines included.
    assert "network.entryreferral.outcome_recorded" in page


def test_the_entry_admin_page_costs_the_same_queries_with_more_rounds_and_referrals(
    client, secretariat, owner, site, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        for _ in range(n):
            request = submit(owner, topic="clinical_trials")
            services.round_start(inquiry=request, actor=secretariat, synopsis="Fase I.", entries=[site])
            services.entry_refer(inquiry=request, entry=site, actor=secretariat)

    sign_in(client, secretariat)
    url = reverse("admin:network_entry_change", args=[site.pk])
    add(1)
    client.get(url)  # the first page of the process reads what Django caches (content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(5)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), "\n".join(q["sql"][:200] for q in many.captured_queries)


def test_an_entrys_history_includes_its_corrections_and_referrals_in_one_query(
    referred, site, django_assert_num_queries
):
    selectors.entry_history(site.pk).exists()  # the content types, cached for the process
    with django_assert_num_queries(1):
        actions = {e.action for e in selectors.entry_history(site.pk)}
    assert {"network.entry.created", "network.entryreferral.created"} <= actions
