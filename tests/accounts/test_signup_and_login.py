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


def test_a_reader_who_chose_english_before_logging_in_stays_in_english_and_the_profile_follows(client, owner):
    assert owner.preferred_language == "da"
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/accounts/login/"})
    response = client.post(
        reverse("account_login"), {"login": owner.email, "password": DEFAULT_PASSWORD}, follow=True
    )
    assert response.wsgi_request.LANGUAGE_CODE == "en"
    assert client.cookies["atmp_language"].value == "en"
    owner.refresh_from_db()
    assert owner.preferred_language == "en"  # so emails sent later by a worker are English too


def test_signing_up_from_ask_atmp_danmark_leads_back_to_the_request_form(
    client, django_capture_on_commit_callbacks
):
    new_request = reverse("inquiries:new")
    login = client.get(new_request)
    assert login.status_code == 302 and f"next={new_request}" in login["Location"]
    login_page = client.get(login["Location"]).content.decode()
    signup_link = re.search(r'href="(/accounts/signup/[^"]*)"', login_page)
    assert signup_link and "next=" in signup_link.group(1), "the login page's sign-up link drops the way back"
    signup_url = signup_link.group(1).replace("&amp;", "&")
    assert 'name="next"' in client.get(signup_url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(signup_url, {**SIGNUP, "next": new_request})
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^\s]+)", str(mail.outbox[-1].body))
    assert link
    client.get(link.group(1))
    confirmed = client.post(link.group(1))
    assert confirmed["Location"] == f"{reverse('account_login')}?next=%2Frequests%2Fnew%2F"
    response = client.post(
        confirmed["Location"], {"login": SIGNUP["email"], "password": SIGNUP["password1"]}, follow=True
    )
    assert response.redirect_chain[-1][0] == new_request


def test_the_confirmation_email_carries_no_text_the_requester_typed(
    client, django_capture_on_commit_callbacks
):
    """Signing up with someone else's address must not let a stranger write to them from our address."""
    message = "URGENT pay invoice at https://evil.example/pay"
    _sign_up(
        client,
        django_capture_on_commit_callbacks,
        email="victim@example.org",
        full_name=message,
        organisation="Call +45 12 34 56 78",
    )
    (email,) = mail.outbox
    assert email.to == ["victim@example.org"]
    alternatives = getattr(email, "alternatives", [])
    for text in (str(email.subject), str(email.body), *(str(content) for content, _type in alternatives)):
        assert "evil.example" not in text
        assert "URGENT" not in text
        assert "12 34 56 78" not in text
    assert "/accounts/confirm-email/" in email.body


# --- Login rate limits (issue 14, item 4) ------------------------------------------------------


def _fail_logins(client, email, times, **headers):
    for _ in range(times):
        client.post(reverse("account_login"), {"login": email, "password": "wrong-password-1"}, **headers)


def _login(client, email, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": DEFAULT_PASSWORD}, **headers)


def test_a_stranger_guessing_cannot_lock_the_owner_out(client, owner):
    from django.test import Client

    _fail_logins(client, owner.email, 8, REMOTE_ADDR="203.0.113.9")
    blocked = _login(client, owner.email, REMOTE_ADDR="203.0.113.9")
    assert blocked.status_code == 200  # the guesser's address is slowed down ...
    assert "_auth_user_id" not in client.session

    response = _login(Client(), owner.email, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302  # ... the owner elsewhere signs in


def test_behind_the_proxy_one_client_cannot_block_everyone(settings, owner):
    from django.test import Client

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for n in range(25):
        attacker.post(
            reverse("account_login"),
            {"login": f"nobody{n}@example.org", "password": "wrong-password-1"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
            REMOTE_ADDR="10.0.0.2",  # the proxy
        )
    assert "_auth_user_id" not in attacker.session
    response = _login(Client(), owner.email, HTTP_X_FORWARDED_FOR="198.51.100.7", REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


def test_behind_the_proxy_the_client_address_is_the_one_the_proxy_saw(settings, owner):
    """A client cannot choose its address by sending its own X-Forwarded-For: the proxy appends."""
    from django.test import Client

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for n in range(25):
        attacker.post(
            reverse("account_login"),
            {"login": f"nobody{n}@example.org", "password": "wrong-password-1"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9",  # forged first entry, real last one
            REMOTE_ADDR="10.0.0.2",
        )
    blocked = _login(
        attacker, owner.email, HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.9", REMOTE_ADDR="10.0.0.2"
    )
    assert blocked.status_code == 200
