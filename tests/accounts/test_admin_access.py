"""The admin: allauth's login, two-factor required for staff, the secretariat's permissions."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.conftest import sign_in, totp_code
from tests.factories import DEFAULT_PASSWORD, SecretariatUserFactory

pytestmark = pytest.mark.django_db


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_outsider_is_sent_to_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_applicant_does_not_reach_the_admin(client, owner):
    sign_in(client, owner)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_staff_without_two_factor_is_sent_to_set_it_up(client, db):
    staff = SecretariatUserFactory(email="new.staff@example.org")
    sign_in(client, staff)
    response = client.get(reverse("admin:governance_organisation_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_secretariat_with_two_factor_reaches_the_admin_that_says_atmp_danmark(client, secretariat):
    sign_in(client, secretariat)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "ATMP Danmark" in response.content.decode()


def test_secretariat_sees_the_organisations_but_may_not_delete_them(client, secretariat):
    from pages.loading import run_loaders

    run_loaders("reference_data")
    sign_in(client, secretariat)
    response = client.get(reverse("admin:governance_organisation_changelist"))
    assert response.status_code == 200
    assert "Lægemiddelstyrelsen" in response.content.decode()
    assert secretariat.has_perm("governance.change_organisation")
    assert not secretariat.has_perm("governance.delete_organisation")


def test_password_login_of_staff_with_two_factor_asks_for_the_code(client, secretariat):
    response = client.post(
        reverse("account_login"), {"login": secretariat.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(secretariat.pk)
    assert Authenticator.objects.filter(user=secretariat, type="totp").exists()
