"""The secretariat's handling of a data-subject request, and a superuser's delete of a person."""

import pytest
from django.urls import reverse

from inquiries.models import Inquiry
from privacy.models import Handling, HandlingKind
from tests.conftest import TOTP_SECRET, sign_in
from tests.factories import UserFactory
from tests.privacy.conftest import MARKER

pytestmark = pytest.mark.django_db

URL = "admin:privacy_handling_person"


def test_the_secretariat_finds_everything_about_an_email_address(
    owners_requests, secretariat, client, english
):
    sign_in(client, secretariat)
    page = client.get(reverse(URL), {"email": "OWNER@example.org"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "There is an account with this address." in html
    assert "Your requests, their public threads and history, and your attachments" in html
    assert "withdrawn first" in html


def test_a_malformed_address_is_a_400_that_keeps_what_was_typed(secretariat, client, english):
    sign_in(client, secretariat)
    page = client.get(reverse(URL), {"email": "not-an-address"})
    assert page.status_code == 400
    assert 'value="not-an-address"' in page.content.decode()


def test_the_secretariat_exports_for_someone_who_wrote_in_and_owns_the_file(
    owners_requests, secretariat, client, django_capture_on_commit_callbacks
):
    sign_in(client, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(URL), {"email": "owner@example.org", "export": "1"})
    assert response.status_code == 302
    handling = Handling.objects.get(kind=HandlingKind.EXPORT)
    assert handling.actor == secretariat and not handling.self_service


def test_erasure_needs_the_address_typed_again(owners_requests, secretariat, client, english):
    sign_in(client, secretariat)
    response = client.post(reverse(URL), {"email": "owner@example.org", "erase": "1", "confirm": "x@y.z"})
    assert response.status_code == 200
    assert "Type the email address again" in response.content.decode()
    assert not Handling.objects.exists()


def test_the_secretariat_erases_a_person_with_the_same_service(
    owners_requests, marked_owner, secretariat, client, django_capture_on_commit_callbacks
):
    sign_in(client, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(URL), {"email": "owner@example.org", "erase": "1", "confirm": "owner@example.org"}
        )
    handling = Handling.objects.get(kind=HandlingKind.ERASURE)
    assert response.status_code == 302
    assert handling.actor == secretariat and handling.counts["inquiries.requests"] == 2
    marked_owner.refresh_from_db()
    assert not marked_owner.is_active and MARKER not in marked_owner.full_name
    assert Inquiry.objects.filter(anonymised_at__isnull=False).count() == 2


def test_the_secretariats_erasure_withdraws_open_requests_in_its_own_name(
    owners_requests, marked_owner, secretariat, client, django_capture_on_commit_callbacks
):
    from inquiries.models import Event, Status

    sign_in(client, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(URL), {"email": "owner@example.org", "erase": "1", "confirm": "owner@example.org"}
        )
    withdrawn = Event.objects.get(to_status=Status.WITHDRAWN)
    assert withdrawn.actor == secretariat
    assert withdrawn.detail in (
        "The applicant's data was erased at their request.",
        "Ansøgerens data blev slettet efter deres anmodning.",
    )


def test_only_the_applicant_or_the_secretariat_erasing_may_withdraw(owners_requests, colleague, secretariat):
    from django.core.exceptions import ValidationError

    from inquiries import services as inquiry_services
    from inquiries.models import Status

    open_one = Inquiry.objects.exclude(status=Status.CLOSED).get()
    for attempt in (
        {"actor": colleague, "erasure": True},
        {"actor": secretariat, "erasure": False},
    ):
        with pytest.raises(ValidationError):
            inquiry_services.inquiry_withdraw(inquiry=open_one, **attempt)


def test_an_address_without_an_account_is_erased_where_it_is_named(secretariat, client, governance_bodies):
    from governance.models import Membership

    body = governance_bodies["reference-group"]
    Membership.objects.create(
        body=body, full_name="Walt Writer", email="walt@example.org", start_date="2026-01-01"
    )
    sign_in(client, secretariat)
    client.post(reverse(URL), {"email": "walt@example.org", "erase": "1", "confirm": "walt@example.org"})
    membership = Membership.objects.get(full_name="Walt Writer")
    assert membership.email == ""  # the name stays: the body's record


@pytest.mark.parametrize("who", ["owner", "staff_without_second_factor"])
def test_the_person_finder_is_for_the_secretariat_only(who, request, client, owners_requests):
    sign_in(client, request.getfixturevalue(who))
    response = client.post(
        reverse(URL), {"email": "owner@example.org", "erase": "1", "confirm": "owner@example.org"}
    )
    assert response.status_code in (302, 403)
    assert not Handling.objects.exists()


def test_an_outsider_is_sent_to_sign_in_from_the_person_finder(client):
    response = client.get(reverse(URL))
    assert response.status_code == 302


def test_a_superusers_delete_of_an_applicant_with_requests_erases_instead_of_failing(
    owners_requests, marked_owner, client, django_capture_on_commit_callbacks
):
    from allauth.mfa.totp.internal.auth import TOTP

    root = UserFactory.create(email="root@example.org", is_staff=True, is_superuser=True)
    TOTP.activate(root, TOTP_SECRET)
    sign_in(client, root)
    url = reverse("admin:accounts_user_delete", args=[marked_owner.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    marked_owner.refresh_from_db()
    assert not marked_owner.is_active and marked_owner.email.endswith("@erased.invalid")
    assert Inquiry.objects.count() == 2
    assert Handling.objects.get(kind=HandlingKind.ERASURE).actor == root
