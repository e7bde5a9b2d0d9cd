"""Keeping entries true: the contact's personal link, their corrections, the secretariat's approval."""

import datetime
import re
import time

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from network import links, services
from network.models import ChangeStatus, EntryChange
from tests.conftest import sign_in
from tests.factories import directory_entry
from tests.network.conftest import login

pytestmark = pytest.mark.django_db
EVERYONE = ["owner", "colleague", "outsider", "secretariat", "steering_member", "staff_without_mfa"]


@pytest.fixture
def entry(capabilities):
    return directory_entry(
        "Cell factory Copenhagen (demo)",
        capability_codes=["gmp-manufacturing"],
        atmp_classes=["somatic_cell"],
        stages=["phase_1"],
        description_en="Makes CAR-T cells.",
        contact_email="gmp@factory.example",
    )


@pytest.fixture
def other_entry(capabilities):
    return directory_entry(
        "Apheresis unit Aalborg (demo)", region="nordjylland", contact_email="aph@aal.example"
    )


def url_for(entry):
    return reverse("network:confirm", args=[links.confirm_token(entry)])


def form_data(**changes):
    data = {
        "name": "Cell factory Copenhagen (demo)",
        "entry_type": "facility",
        "region": "hovedstaden",
        "description_da": "",
        "description_en": "Makes CAR-T cells.",
        "capabilities": ["gmp-manufacturing"],
        "atmp_classes": ["somatic_cell"],
        "stages": ["phase_1"],
        "contact_email": "gmp@factory.example",
        "website": "",
        "note": "",
        "action": "propose",
    }
    data.update(changes)
    return data


# --- Who the link opens for ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_the_link_opens_the_form_of_its_entry_for_whoever_holds_it_without_an_account(
    client, cast, entry, who
):
    login(client, cast[who])
    response = client.get(url_for(entry))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cell factory Copenhagen (demo)" in html
    assert response["Referrer-Policy"] == "same-origin"  # the link never leaves for another host
    assert "no-store" in response["Cache-Control"]


def test_a_link_for_another_entry_shows_that_entry_only(client, entry, other_entry):
    html = client.get(url_for(other_entry)).content.decode()
    assert "Apheresis unit Aalborg (demo)" in html
    assert "Cell factory Copenhagen" not in html and "gmp@factory.example" not in html


def test_a_tampered_link_gets_a_clear_page_and_no_entry_data(client, entry, other_entry):
    token = links.confirm_token(entry)
    payload, rest = token.split(":", 1)
    # Another entry's id with this entry's signature, and a flipped character.
    forged = (
        signing.dumps({"e": other_entry.pk, "v": 1}, salt=links.CONFIRM_SALT).split(":", 1)[0] + ":" + rest
    )
    for bad in (forged, token[:-1] + ("A" if token[-1] != "A" else "B"), "nonsense", token + "x"):
        response = client.get(reverse("network:confirm", args=[bad]))
        assert response.status_code == 400, bad
        html = response.content.decode()
        assert "not valid" in html or "ikke gyldigt" in html
        assert "Cell factory" not in html and "Apheresis" not in html


def test_a_link_signed_for_another_purpose_is_refused(client, entry):
    token = signing.dumps({"e": entry.pk, "v": entry.link_version}, salt="network.something-else")
    assert client.get(reverse("network:confirm", args=[token])).status_code == 400


def test_an_expired_link_gets_a_clear_page(client, entry, settings, monkeypatch):
    long_ago = time.time() - (settings.NETWORK_CONFIRM_LINK_DAYS + 1) * 86400
    monkeypatch.setattr(time, "time", lambda: long_ago)  # what TimestampSigner stamps the link with
    token = links.confirm_token(entry)
    monkeypatch.undo()
    response = client.get(reverse("network:confirm", args=[token]))
    assert response.status_code == 410
    assert "Cell factory" not in response.content.decode()


def test_a_used_or_rotated_link_no_longer_works(client, entry, secretariat):
    used = url_for(entry)
    assert client.post(used, {"action": "confirm"}).status_code == 200
    assert client.get(used).status_code == 410
    assert client.post(used, {"action": "confirm"}).status_code == 410

    entry.refresh_from_db()
    fresh = url_for(entry)
    services.entry_links_rotate(entry=entry, actor=secretariat)
    response = client.get(fresh)
    assert response.status_code == 410
    assert "Cell factory" not in response.content.decode()


# --- Confirm, correct, approve --------------------------------------------------------------------------


def test_confirming_marks_the_entry_confirmed_today(client, entry):
    assert client.post(url_for(entry), {"action": "confirm"}).status_code == 200
    entry.refresh_from_db()
    assert entry.last_confirmed == timezone.localdate()
    assert AuditEntry.objects.for_object(entry).filter(action="network.entry.confirmed", actor=None).exists()


def test_a_correction_waits_for_the_secretariat_and_is_public_only_when_approved(client, entry, secretariat):
    response = client.post(
        url_for(entry),
        form_data(
            name="Cell factory Copenhagen North (demo)", capabilities=["gmp-manufacturing", "qp-release"]
        ),
    )
    assert response.status_code == 200
    change = EntryChange.objects.get(entry=entry)
    assert change.status == ChangeStatus.PENDING
    public = client.get(reverse("network:entry", args=[entry.slug])).content.decode()
    assert "Copenhagen North" not in public and "QP" not in public

    services.entry_change_approve(change=change, actor=secretariat)
    entry.refresh_from_db()
    assert entry.name == "Cell factory Copenhagen North (demo)"
    assert sorted(c.code for c in entry.capabilities.all()) == ["gmp-manufacturing", "qp-release"]
    assert entry.last_confirmed == timezone.localdate()
    assert (
        AuditEntry.objects.for_object(change)
        .filter(action="network.entrychange.approved", actor=secretariat)
        .exists()
    )
    with pytest.raises(ValidationError) as refused:
        services.entry_change_approve(change=change, actor=secretariat)
    assert refused.value.code == "decided"


def test_a_rejected_correction_leaves_the_entry_as_it_was(client, entry, secretariat):
    client.post(url_for(entry), form_data(description_en="Something wrong."))
    change = EntryChange.objects.get(entry=entry)
    services.entry_change_reject(change=change, actor=secretariat, reason="Not theirs to change")
    entry.refresh_from_db()
    assert entry.description_en == "Makes CAR-T cells."
    assert EntryChange.objects.get().status == ChangeStatus.REJECTED


def test_sending_the_entry_unchanged_counts_as_a_confirmation(client, entry):
    client.post(url_for(entry), form_data())
    entry.refresh_from_db()
    assert not EntryChange.objects.exists()
    assert entry.last_confirmed == timezone.localdate()


def test_a_later_correction_replaces_one_still_waiting(client, entry, secretariat):
    client.post(url_for(entry), form_data(description_en="First."))
    entry.refresh_from_db()
    client.post(url_for(entry), form_data(description_en="Second."))
    assert list(EntryChange.objects.order_by("pk").values_list("status", flat=True)) == [
        ChangeStatus.SUPERSEDED,
        ChangeStatus.PENDING,
    ]


def test_two_answers_through_one_link_make_one_change(entry):
    version = entry.link_version
    services.entry_change_propose(
        entry=entry, link_version=version, proposed=services.entry_as_proposal(entry) | {"name": "A (demo)"}
    )
    with pytest.raises(services.LinkAlreadyUsed):
        services.entry_change_propose(
            entry=entry,
            link_version=version,
            proposed=services.entry_as_proposal(entry) | {"name": "B (demo)"},
        )
    assert EntryChange.objects.count() == 1


def test_bad_input_is_a_400_that_keeps_what_was_typed_and_uses_up_nothing(client, entry):
    url = url_for(entry)
    response = client.post(url, form_data(contact_email="not an address", description_en="Kept text."))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kept text." in html and "form-error-message" in html
    assert not EntryChange.objects.exists()
    assert client.get(url).status_code == 200  # the link still works


def test_the_admin_compares_and_approves_through_the_service(client, secretariat, entry):
    anonymous = client
    anonymous.post(url_for(entry), form_data(description_en="Now also makes TILs."))
    change = EntryChange.objects.get()
    sign_in(client, secretariat)
    client.cookies["atmp_language"] = "en"
    page = client.get(reverse("admin:network_entrychange_change", args=[change.pk])).content.decode()
    assert "Now also makes TILs." in page and "Makes CAR-T cells." in page
    response = client.post(
        reverse("admin:network_entrychange_changelist"),
        {"action": "approve", "_selected_action": [change.pk]},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.description_en == "Now also makes TILs."
    record = AuditEntry.objects.for_object(entry).get(action="network.entry.updated")
    assert record.actor == secretariat


def test_the_entry_admin_offers_the_personal_link(client, secretariat, entry):
    sign_in(client, secretariat)
    page = client.get(reverse("admin:network_entry_change", args=[entry.pk])).content.decode()
    # The token carries a timestamp, so compare what it opens, not its text.
    found = re.search(r"/directory/confirm/([^/\"]+)/", page)
    assert found is not None
    assert links.entry_for_confirm_token(found.group(1)) == entry


@pytest.mark.parametrize("who", ["owner", "steering_member", "staff_without_mfa"])
def test_only_the_secretariat_reaches_the_corrections(client, request, who):
    sign_in(client, request.getfixturevalue(who))
    response = client.get(reverse("admin:network_entrychange_changelist"))
    assert response.status_code == 302


def test_a_long_overdue_entry_is_marked_until_its_contact_confirms(client, entry, settings):
    overdue = settings.NETWORK_CONFIRM_EVERY_DAYS + settings.NETWORK_CONFIRM_GRACE_DAYS + 5
    services.entry_confirm(
        entry=entry, actor=None, on=timezone.localdate() - datetime.timedelta(days=overdue)
    )
    client.cookies["atmp_language"] = "en"
    assert "Not confirmed since" in client.get(reverse("network:entry", args=[entry.slug])).content.decode()
    entry.refresh_from_db()
    client.post(url_for(entry), {"action": "confirm"})
    assert (
        "Not confirmed since" not in client.get(reverse("network:entry", args=[entry.slug])).content.decode()
    )
