"""Feasibility rounds: matching, the sites' links, the deadline, release to the applicant."""

import datetime
import re
import time

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inquiries.clock import add_working_days
from inquiries.models import Event, EventKind
from network import links, selectors, services
from network.models import InterestProfile, Invitation, Round, RoundStatus
from network.tasks import close_due_rounds
from tests.conftest import sign_in
from tests.factories import directory_entry, submit
from tests.network.conftest import login

pytestmark = pytest.mark.django_db
EVERYONE = ["owner", "colleague", "outsider", "secretariat", "steering_member", "staff_without_mfa"]
CONFIDENTIAL = "Our unpublished potency assay data."


@pytest.fixture
def inquiry(owner):
    return submit(
        owner,
        topic="clinical_trials",
        atmp_class="somatic_cell",
        development_stage="phase_1",
        subject="Sites for a CAR-T phase I trial",
        shareable_summary="A phase I trial of an autologous CAR-T product in lymphoma.",
        confidential_details=CONFIDENTIAL,
    )


@pytest.fixture
def sites(capabilities):
    gmp = directory_entry(
        "Cell factory Copenhagen (demo)",
        capability_codes=["gmp-manufacturing", "apheresis"],
        atmp_classes=["somatic_cell"],
        stages=["phase_1"],
        contact_email="gmp@factory.example",
    )
    aph = directory_entry(
        "Apheresis unit Aalborg (demo)",
        region="nordjylland",
        capability_codes=["apheresis"],
        contact_email="aph@aal.example",
        contact_language="en",
    )
    keen = directory_entry("Keen trial unit (demo)", region="syddanmark", capability_codes=["phase-1-unit"])
    InterestProfile.objects.create(entry=keen, atmp_class="somatic_cell")
    silent = directory_entry("No contact (demo)", capability_codes=["apheresis"], contact_email="")
    return {"gmp": gmp, "aph": aph, "keen": keen, "silent": silent}


@pytest.fixture
def started(inquiry, sites, secretariat, capabilities):
    matches = selectors.round_matches(
        capability_ids=[capabilities["apheresis"].pk], atmp_class="somatic_cell"
    )
    return services.round_start(
        inquiry=inquiry,
        actor=secretariat,
        synopsis="A phase I CAR-T trial in lymphoma needs apheresis close to patients.",
        entries=[m.entry for m in matches],
        reasons={m.entry.pk: m.reason for m in matches},
        atmp_class="somatic_cell",
        capabilities=[capabilities["apheresis"]],
    )


def invitation_of(feasibility, site) -> Invitation:
    return feasibility.invitations.get(entry=site)


def answer_url(invitation):
    return reverse("network:answer", args=[links.answer_token(invitation)])


def answer_data(**changes):
    data = {
        "answer": "interested",
        "capacity": "Two patients a month",
        "time_frame": "From March",
        "contact_person": "Dr. Demo",
        "comments": "",
        "consent_to_share": "on",
    }
    data.update(changes)
    return data


# --- Matching ---------------------------------------------------------------------------------------


def test_standing_interest_is_proposed_first_and_every_match_says_why(sites, capabilities):
    matches = selectors.round_matches(
        capability_ids=[capabilities["apheresis"].pk], atmp_class="somatic_cell"
    )
    names = [m.entry.name for m in matches]
    assert names[0] == "Keen trial unit (demo)"
    assert set(names) == {
        "Keen trial unit (demo)",
        "Cell factory Copenhagen (demo)",
        "Apheresis unit Aalborg (demo)",
    }
    by_name = {m.entry.name: m.reason for m in matches}
    assert (
        "Apheresis" in by_name["Apheresis unit Aalborg (demo)"]
        or "Aferese" in by_name["Apheresis unit Aalborg (demo)"]
    )
    assert by_name["Keen trial unit (demo)"]  # the standing interest is named
    assert "No contact (demo)" not in names  # nobody to ask


def test_regions_narrow_the_matches(sites, capabilities):
    matches = selectors.round_matches(capability_ids=[capabilities["apheresis"].pk], regions=["nordjylland"])
    assert [m.entry.name for m in matches] == ["Apheresis unit Aalborg (demo)"]


# --- Starting a round ----------------------------------------------------------------------------------


def test_a_round_has_a_deadline_in_working_days_and_shows_in_the_request_history(started, inquiry, settings):
    assert started.deadline == add_working_days(timezone.localdate(), settings.NETWORK_ROUND_WORKING_DAYS)
    assert started.invitations.count() == 3
    event = Event.objects.get(inquiry=inquiry, kind=EventKind.FEASIBILITY)
    assert event.is_public and "3" in event.detail


def test_the_synopsis_may_not_repeat_the_confidential_part(inquiry, sites, secretariat):
    with pytest.raises(ValidationError) as refused:
        services.round_start(
            inquiry=inquiry, actor=secretariat, synopsis=f"Trial. {CONFIDENTIAL}", entries=[sites["gmp"]]
        )
    assert "synopsis" in refused.value.message_dict
    assert not Round.objects.exists()


# --- The site's link -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_the_answer_link_shows_the_synopsis_and_never_the_confidential_part(
    client, cast, started, sites, who
):
    login(client, cast[who])
    response = client.get(answer_url(invitation_of(started, sites["gmp"])))
    assert response.status_code == 200
    html = response.content.decode()
    assert "apheresis close to patients" in html
    assert CONFIDENTIAL not in html and "Sites for a CAR-T phase I trial" not in html
    assert response["Referrer-Policy"] == "same-origin"  # the link never leaves for another host


def test_a_site_never_sees_another_sites_answer(client, started, sites):
    client.post(
        answer_url(invitation_of(started, sites["gmp"])), answer_data(comments="Our secret slot plan")
    )
    html = client.get(answer_url(invitation_of(started, sites["aph"]))).content.decode()
    assert "Apheresis unit Aalborg" in html
    assert "Our secret slot plan" not in html and "Cell factory Copenhagen" not in html


def test_tampered_and_expired_answer_links_get_a_clear_page(client, started, sites, settings, monkeypatch):
    invitation = invitation_of(started, sites["gmp"])
    token = links.answer_token(invitation)
    other = signing.dumps({"i": invitation_of(started, sites["aph"]).pk, "v": 1}, salt=links.CONFIRM_SALT)
    for bad in (token[:-2] + "xx", other, "nonsense"):
        response = client.get(reverse("network:answer", args=[bad]))
        assert response.status_code == 400
        assert "apheresis close to patients" not in response.content.decode()
    long_ago = time.time() - (settings.NETWORK_ANSWER_LINK_DAYS + 1) * 86400
    monkeypatch.setattr(time, "time", lambda: long_ago)
    old = links.answer_token(invitation)
    monkeypatch.undo()
    assert client.get(reverse("network:answer", args=[old])).status_code == 410


def test_an_answer_can_be_changed_until_the_deadline_and_after_it_is_kept_as_late(client, started, sites):
    url = answer_url(invitation_of(started, sites["gmp"]))
    assert client.post(url, answer_data(answer="more_information")).status_code == 200
    assert client.post(url, answer_data(answer="interested")).status_code == 200
    invitation = invitation_of(started, sites["gmp"])
    assert (invitation.answer, invitation.is_late) == ("interested", False)

    Round.objects.filter(pk=started.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert close_due_rounds() == 1
    assert close_due_rounds() == 0  # closing claims the row: a second run does nothing
    late = answer_url(invitation_of(started, sites["aph"]))
    assert client.post(late, answer_data(answer="interested")).status_code == 200
    assert invitation_of(started, sites["aph"]).is_late
    started.refresh_from_db()
    assert started.status == RoundStatus.CLOSED


def test_a_malformed_answer_is_a_400_that_keeps_the_text(client, started, sites):
    url = answer_url(invitation_of(started, sites["gmp"]))
    response = client.post(url, answer_data(answer="maybe", comments="Kept comment"))
    assert response.status_code == 400
    assert "Kept comment" in response.content.decode()
    assert invitation_of(started, sites["gmp"]).answered_at is None


# --- Release to the applicant -----------------------------------------------------------------------


def _answer_all(client, started, sites):
    client.post(answer_url(invitation_of(started, sites["gmp"])), answer_data(comments="Shared comment"))
    client.post(
        answer_url(invitation_of(started, sites["aph"])),
        answer_data(consent_to_share="", comments="Not for the applicant"),
    )


def test_only_consenting_answers_reach_the_applicant_and_only_after_release(
    client, started, sites, inquiry, owner, secretariat
):
    _answer_all(client, started, sites)
    detail = reverse("inquiries:detail", args=[inquiry.reference])
    sign_in(client, owner)
    assert "Shared comment" not in client.get(detail).content.decode()
    with pytest.raises(ValidationError):
        services.round_release(round=started, actor=secretariat)  # not before the deadline

    Round.objects.filter(pk=started.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    close_due_rounds()
    assert services.round_release(round=started, actor=secretariat) == 1
    html = client.get(detail).content.decode()
    assert "Shared comment" in html and "gmp@factory.example" in html
    assert "Not for the applicant" not in html and "Apheresis unit Aalborg" not in html
    public_steps = Event.objects.filter(inquiry=inquiry, kind=EventKind.FEASIBILITY, is_public=True)
    assert public_steps.count() == 2
    assert all(step.detail in html for step in public_steps)  # the history on the request page names them


@pytest.mark.parametrize(("who", "status"), [("colleague", 404), ("steering_member", 404), ("outsider", 302)])
def test_other_people_never_see_the_released_answers(
    client, cast, started, sites, inquiry, secretariat, who, status
):
    _answer_all(client, started, sites)
    Round.objects.filter(pk=started.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    close_due_rounds()
    services.round_release(round=started, actor=secretariat)
    login(client, cast[who])
    assert client.get(reverse("inquiries:detail", args=[inquiry.reference])).status_code == status


# --- The secretariat's admin -----------------------------------------------------------------------


def test_the_secretariat_starts_a_round_from_a_request_and_sees_who_matched_and_why(
    client, secretariat, inquiry, sites, capabilities
):
    sign_in(client, secretariat)
    client.cookies["atmp_language"] = "en"
    start = reverse("admin:network_round_start")
    query = {
        "reference": inquiry.reference,
        "atmp_class": "somatic_cell",
        "capabilities": [capabilities["apheresis"].pk],
    }
    page = client.get(start, query).content.decode()
    assert "Keen trial unit (demo)" in page and "standing interest" in page
    assert "The confidential part of the request is never sent" in page
    assert inquiry.shareable_summary in page and CONFIDENTIAL not in page
    response = client.post(
        start,
        {
            **query,
            "synopsis": "A CAR-T trial needs apheresis.",
            "entries": [sites["gmp"].pk, sites["keen"].pk],
        },
    )
    assert response.status_code == 302
    feasibility = Round.objects.get()
    assert {i.entry.name for i in feasibility.invitations.all()} == {
        "Cell factory Copenhagen (demo)",
        "Keen trial unit (demo)",
    }
    assert all(i.reason for i in feasibility.invitations.all())
    collated = client.get(reverse("admin:network_round_change", args=[feasibility.pk])).content.decode()
    tokens = re.findall(r"/directory/answer/([^/\"]+)/", collated)
    assert {links.invitation_for_answer_token(t) for t in tokens} == set(feasibility.invitations.all())


@pytest.mark.parametrize("who", ["owner", "steering_member", "staff_without_mfa"])
def test_only_the_secretariat_reaches_the_round_admin(client, request, who):
    sign_in(client, request.getfixturevalue(who))
    assert client.get(reverse("admin:network_round_start")).status_code == 302
