"""Passwords: the portal's own words and common passwords with digits are refused (issue 14, item 9)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    [
        "atmpdanmark2026",
        "ATMP-Danmark-2026!",
        "Amgros2025!!",
        "atmp.denmark.1",
        "sekretariat2026",
        "summer2026!",
    ],
)
def test_guessable_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, User(email="someone@example.org"))


@pytest.mark.parametrize(
    "password", ["correct-horse-battery-staple", "atmp-gene-therapy-trials", "Hospital exemption CAR-T 2026"]
)
def test_a_sound_passphrase_passes_even_with_a_site_word_in_it(password):
    validate_password(password, User(email="someone@example.org"))


def test_signup_says_why_a_site_word_password_is_refused(client):
    client.cookies["atmp_language"] = "en"
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.person@example.org",
            "password1": "atmpdanmark2026",
            "password2": "atmpdanmark2026",
            "full_name": "Nina Nielsen",
            "applicant_type": "researcher",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 200
    assert "too close to the portal" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()
