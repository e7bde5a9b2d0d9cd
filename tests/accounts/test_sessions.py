"""Session lifetimes: idle and absolute timeouts, and a password change ends the other sessions
(issue 14, item 5). The ``__Host-`` cookie names are pinned in tests/test_settings.py."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from accounts.middleware import SessionLifetimeMiddleware
from tests.conftest import sign_in
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

PAGE = reverse("inquiries:list")


def _age(client, *, idle_minutes=0, started_hours_ago=0):
    session = client.session
    now = int(time.time())
    session[SessionLifetimeMiddleware.SEEN] = now - int(idle_minutes * 60)
    session[SessionLifetimeMiddleware.STARTED] = now - int(started_hours_ago * 3600)
    session.save()


def _signed_out(client) -> bool:
    response = client.get(PAGE)
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_secretariat_session_ends_after_30_idle_minutes(client, secretariat):
    sign_in(client, secretariat)
    _age(client, idle_minutes=29)
    assert client.get(PAGE).status_code == 200
    _age(client, idle_minutes=31)
    assert _signed_out(client)
    assert "_auth_user_id" not in client.session


def test_an_applicant_session_lasts_longer_idle_but_not_for_ever(client, owner):
    sign_in(client, owner)
    _age(client, idle_minutes=31)
    assert client.get(PAGE).status_code == 200
    _age(client, idle_minutes=121)
    assert _signed_out(client)


def test_the_idle_time_is_configurable(client, secretariat, settings):
    settings.SESSION_IDLE_MINUTES_SECRETARIAT = 5
    sign_in(client, secretariat)
    _age(client, idle_minutes=6)
    assert _signed_out(client)


def test_an_active_session_still_ends_after_the_absolute_lifetime(client, owner):
    sign_in(client, owner)
    _age(client, idle_minutes=1, started_hours_ago=11)
    assert client.get(PAGE).status_code == 200
    _age(client, idle_minutes=1, started_hours_ago=13)
    assert _signed_out(client)


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(owner):
    here, elsewhere = Client(), Client()
    sign_in(here, owner)
    sign_in(elsewhere, owner)
    assert elsewhere.get(PAGE).status_code == 200
    response = here.post(
        reverse("account_change_password"),
        {
            "oldpassword": DEFAULT_PASSWORD,
            "password1": "another-sound-phrase",
            "password2": "another-sound-phrase",
        },
    )
    assert response.status_code == 302
    assert here.get(PAGE).status_code == 200
    assert _signed_out(elsewhere)
