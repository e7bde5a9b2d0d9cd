import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_email_is_the_login_and_is_stored_in_lower_case():
    user = User.objects.create_user("Mette.Hansen@Region.DK", "a-long-enough-password")
    assert user.email == "mette.hansen@region.dk"
    assert user.get_username() == "mette.hansen@region.dk"


def test_two_accounts_cannot_share_an_address_in_any_case(owner):
    with pytest.raises(ValidationError):
        User.objects.create_user(owner.email.upper(), "a-long-enough-password")


def test_the_database_itself_refuses_a_case_variant_of_an_address(owner):
    # Bypasses full_clean: the constraint must hold even for a careless bulk write.
    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email=owner.email.upper())])


def test_new_users_default_to_danish():
    assert User.objects.create_user("a@example.org", "a-long-enough-password").preferred_language == "da"
