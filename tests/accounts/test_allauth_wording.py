"""allauth's screens speak the portal's words (accounts/allauth_wording.py)."""

import gettext
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.allauth_wording import ALLAUTH_MSGIDS

pytestmark = pytest.mark.django_db

ALLAUTH_DA = Path(allauth.__file__).parent / "locale" / "da" / "LC_MESSAGES" / "django.mo"


def test_every_reworded_string_is_still_one_of_allauths():
    with ALLAUTH_DA.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    assert [msgid for msgid in ALLAUTH_MSGIDS if msgid not in catalog] == []


@pytest.mark.parametrize("msgid", ALLAUTH_MSGIDS)
def test_danish_says_adgangskode_and_to_faktor_godkendelse(msgid):
    with translation.override("da"):
        danish = translation.gettext(msgid)
    assert "password" not in danish.lower()
    assert "autentific" not in danish.lower()
    assert "Bekæftet" not in danish


def test_english_logs_in_as_the_rest_of_the_portal_does():
    with translation.override("en"):
        assert translation.gettext("Sign In") == "Log in"
        assert translation.gettext("Sign Up") == "Create account"


def test_the_email_page_says_bekraeftet_and_the_password_page_adgangskode(client, owner):
    client.force_login(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    assert "Bekræftet" in client.get(reverse("account_email")).content.decode()
    page = client.get(reverse("account_change_password")).content.decode()
    assert "Skift adgangskode" in page
    assert "Ændr password" not in page
