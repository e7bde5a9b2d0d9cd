"""The secretariat role exists only in a session that has passed a second factor.

A staff user in the Secretariat group without an authenticator (every new colleague until they
enrol), or with one but a session that skipped it, is an ordinary user to ``accounts.roles`` and
is sent from every secretariat page to set up or pass the second factor (issue 14, item 1).
"""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role, access_for, is_secretariat, is_secretariat_account, mark_second_factor
from tests.conftest import sign_in, totp_code
from tests.factories import DEFAULT_PASSWORD, pdf, plan, submit, with_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat_urls(owner, governance_bodies):
    """Every page the secretariat role opens, with something in it only the role may see."""
    inquiry = submit(owner, files=[pdf()], confidential_details="Patient cohort of 12")
    attachment = inquiry.attachments.get()
    meeting = plan(governance_bodies["reference-group"])
    draft = with_document(meeting, publish=False)
    return [
        reverse("inquiries:detail", args=[inquiry.reference]),
        reverse("inquiries:attachment", args=[inquiry.reference, attachment.uuid]),
        reverse("budget:report"),
        reverse("budget:ledger"),
        reverse("budget:applications"),
        reverse("budget:report_export", args=["csv"]),
        reverse("budget:report_export", args=["xlsx"]),
        reverse("budget:ledger_export", args=["csv"]),
        reverse("budget:ledger_export", args=["xlsx"]),
        reverse("dashboard:index"),
        reverse("governance:members_area"),
        reverse("governance:meeting", args=[meeting.pk]),
        reverse("governance:meeting_ics", args=[meeting.pk]),
        reverse("governance:document", args=[draft.pk]),
        reverse("admin:index"),
        reverse("admin:inquiries_inquiry_changelist"),
    ]


def test_staff_without_an_authenticator_is_sent_to_set_one_up_from_every_secretariat_page(
    client, staff_without_second_factor, secretariat_urls
):
    sign_in(client, staff_without_second_factor)
    for url in secretariat_urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("mfa_activate_totp") + "?next="), url


def test_staff_whose_session_skipped_the_second_factor_is_asked_for_a_code(
    client, secretariat, secretariat_urls
):
    # A session with a password or an emailed code only (force_login records no second factor).
    client.force_login(secretariat)
    for url in secretariat_urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("mfa_reauthenticate") + "?next="), url


def test_the_secretariat_with_a_second_factor_opens_every_secretariat_page(
    client, secretariat, secretariat_urls
):
    sign_in(client, secretariat)
    for url in secretariat_urls:
        assert client.get(url).status_code == 200, url


def test_entering_a_code_opens_the_page_asked_for(client, secretariat, owner):
    inquiry = submit(owner, confidential_details="Patient cohort of 12")
    url = reverse("inquiries:detail", args=[inquiry.reference])
    client.force_login(secretariat)
    asked = client.get(url)["Location"]

    response = client.post(asked, {"code": totp_code()})

    assert response.status_code == 302
    assert response["Location"] == url
    assert client.get(url).status_code == 200


def test_signing_out_and_the_two_factor_pages_stay_open(client, staff_without_second_factor):
    sign_in(client, staff_without_second_factor)
    assert client.get(reverse("mfa_activate_totp")).status_code in (200, 302)
    assert (
        not client.get(reverse("mfa_activate_totp"))
        .get("Location", "")
        .startswith(reverse("mfa_activate_totp") + "?next=")
    )
    assert client.get(reverse("account_logout")).status_code == 200
    assert client.get(reverse("health")).status_code == 200


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # allauth sends "authenticator added" on commit, as in production
def test_setting_up_an_authenticator_counts_as_the_second_factor(client, staff_without_second_factor):
    staff = staff_without_second_factor
    client.post(reverse("account_login"), {"login": staff.email, "password": DEFAULT_PASSWORD})
    # allauth asks for the password again before an authenticator is added.
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("admin:index")).status_code == 200


def test_password_login_of_staff_without_an_authenticator_leads_to_set_up(
    client, staff_without_second_factor
):
    client.post(
        reverse("account_login"), {"login": staff_without_second_factor.email, "password": DEFAULT_PASSWORD}
    )
    response = client.get(reverse("admin:index"), follow=True)
    # The set-up page (allauth asks for the password once more before it opens).
    assert any(url.startswith(reverse("mfa_activate_totp") + "?next=") for url, _ in response.redirect_chain)


def test_on_the_public_pages_staff_without_a_second_factor_is_an_ordinary_user(
    client, staff_without_second_factor
):
    from projects.models import Project, ProjectKind, TorItem

    Project.objects.create(
        code="P7",
        kind=ProjectKind.PILOT,
        tor_item=TorItem.V,
        title_da="Skjult pilot",
        purpose_da="-",
        is_public=False,
    )
    sign_in(client, staff_without_second_factor)
    assert client.get(reverse("pages:home")).status_code == 200
    listing = client.get(reverse("projects:index"))
    assert listing.status_code == 200
    assert "Skjult pilot" not in listing.content.decode()
    assert client.get(reverse("projects:detail", args=["P7"])).status_code == 404


# --- accounts.roles, the one answer ------------------------------------------------------------


def test_a_secretariat_account_without_a_passed_second_factor_has_no_secretariat_role(secretariat):
    fresh = User.objects.get(pk=secretariat.pk)  # as any code outside a request loads it
    assert is_secretariat_account(fresh)
    assert not is_secretariat(fresh)
    assert access_for(fresh).roles == {Role.APPLICANT}
    assert not access_for(fresh).sees_steering_pages

    mark_second_factor(fresh, passed=True)
    assert is_secretariat(fresh)
    assert access_for(fresh).has(Role.SECRETARIAT)


def test_the_page_menu_has_no_admin_link_for_a_session_without_a_second_factor(client, secretariat):
    sign_in(client, secretariat)
    assert reverse("admin:index") in client.get(reverse("pages:home")).content.decode()
    client.logout()
    client.force_login(secretariat)
    # Even the pages that stay open (the two-factor pages) do not offer the secretariat's menu.
    page = client.get(reverse("mfa_index")).content.decode()
    assert f'href="{reverse("admin:index")}"' not in page
