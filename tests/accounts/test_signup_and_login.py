"""Sign-up with mandatory email verification, login by password or emailed code, no enumeration."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new.person@example.org",
    "password1": "a-sound-passphrase-2026",
    "password2": "a-sound-passphrase-2026",
    "full_name": "Nina Nielsen",
    "organisation": "Odense Universitetshospital",
    "applicant_type": "researcher",
    "preferred_language": "en",
}


def _sign_up(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("account_signup"), {**SIGNUP, **overrides})


def test_signup_stores_the_profile_and_sends_a_confirmation_email(client, django_capture_on_commit_callbacks):
    response = _sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.person@example.org")
    assert (user.full_name, user.organisation, user.applicant_type, user.preferred_language) == (
        "Nina Nielsen",
        "Odense Universitetshospital",
        "researcher",
        "en",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_signup_email_is_sent_only_after_the_transaction_commits(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("account_signup"), SIGNUP)
    assert mail.outbox == []  # nothing left the building before commit
    assert callbacks, "the email task was not queued on commit"
    # The email is a row of the outbox, marked sensitive: its link is blanked once it is sent.
    from outbox.models import OutboundEmail

    row = OutboundEmail.objects.get(to=["new.person@example.org"])
    assert row.key.startswith("accounts:email_confirmation_signup:")
    assert "/accounts/confirm-email/" in row.text and row.headers.get("X-ATMP-Sensitive") == "1"


def test_unverified_account_cannot_log_in_until_the_link_is_followed(
    client, django_capture_on_commit_callbacks
):
    _sign_up(client, django_capture_on_commit_callbacks)
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    found = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", str(mail.outbox[-1].body))
    assert found is not None, mail.outbox[-1].body
    link = found.group(1)
    client.post(link)
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified
    response = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=SIGNUP["email"]).pk)


def test_a_failed_signup_keeps_what_was_typed_and_says_what_to_fix(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "password2": "something-else-entirely"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Nina Nielsen"' in html and 'value="Odense Universitetshospital"' in html
    assert 'value="new.person@example.org"' in html
    assert "form-error-message" in html
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


def test_signup_with_a_taken_address_does_not_reveal_the_account(
    client, owner, django_capture_on_commit_callbacks
):
    response = _sign_up(client, django_capture_on_commit_callbacks, email=owner.email)
    # Same answer as a fresh address; the owner gets a notice instead of a second account.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email=owner.email).count() == 1


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(
    client, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("account_reset_password"), {"email": owner.email})
        unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # The unknown address is told (by email, to itself only) that it has no account.
    by_recipient = {tuple(m.to): m.body for m in mail.outbox}
    assert "/accounts/password/reset/key/" in by_recipient[(owner.email,)]
    assert "/accounts/password/reset/key/" not in by_recipient[("nobody@example.org",)]


def test_login_by_emailed_code(client, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_request_login_code"), {"email": owner.email})
    assert response.status_code == 302
    found = re.search(r"^\s*([A-Z0-9]{3,5}-?[A-Z0-9]{3,5})\s*$", str(mail.outbox[-1].body), re.MULTILINE)
    assert found is not None, mail.outbox[-1].body
    code = found.group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_repeated_failed_logins_are_rate_limited(client, owner):
    from allauth.account.adapter import get_adapter
    from django.utils import translation

    with translation.override("da"):
        too_many = str(get_adapter().error_messages["too_many_login_attempts"])
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": owner.email, "password": "wrong-password"})
        assert too_many not in response.content.decode()
    # The sixth try within five minutes is refused, even with the right password.
    response = client.post(reverse("account_login"), {"login": owner.email, "password": DEFAULT_PASSWORD})
    assert too_many in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_after_login_the_portal_speaks_the_profile_language(client, owner):
    owner.preferred_language = "en"
    owner.save()
    response = client.post(
        reverse("account_login"), {"login": owner.email, "password": DEFAULT_PASSWORD}, follow=True
    )
    assert response.wsgi_request.LANGUAGE_CODE == "en"
    assert client.cookies["atmp_language"].value == "en"
