import pytest

from tests.conftest import sign_in


@pytest.fixture
def capabilities(db):
    """The capability taxonomy as the reference data seeds it, by code."""
    from network.models import Capability
    from network.reference_data import load_capabilities

    load_capabilities()
    return {c.code: c for c in Capability.objects.all()}


@pytest.fixture
def staff_without_mfa(db):
    """A secretariat staff user who has not set up a second factor."""
    from tests.factories import SecretariatUserFactory

    return SecretariatUserFactory(email="staff-no-mfa@example.org", full_name="Nils NoMFA")


@pytest.fixture
def cast(owner, colleague, outsider, secretariat, steering_member, staff_without_mfa):
    return {
        "owner": owner,
        "colleague": colleague,
        "outsider": outsider,
        "secretariat": secretariat,
        "steering_member": steering_member,
        "staff_without_mfa": staff_without_mfa,
    }


def login(client, user):
    if user.is_authenticated:
        sign_in(client, user)
