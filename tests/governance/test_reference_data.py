"""The Terms of Reference's organisations load idempotently."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from governance.models import Organisation, OrganisationKind
from governance.reference_data import ORGANISATIONS

pytestmark = pytest.mark.django_db


def _load() -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue()


def test_loads_every_organisation_of_the_terms_of_reference():
    report = _load()
    assert "21 in the reference data, 21 created, 0 updated" in report
    names = set(Organisation.objects.values_list("name_en", flat=True))
    for expected in (
        "Ministry of the Interior and Health",
        "Danish Regions",
        "Amgros",
        "Danish Medicines Agency",
        "Danish Medicines Council",
        "Universities Denmark",
        "Danish Comprehensive Cancer Center",
        "Danish Chamber of Commerce",
        "Confederation of Danish Industry",
        "Danish Society for Clinical Pharmacology",
        "Danish Patients",
        "Danish Association of the Pharmaceutical Industry",
        "Danish Health Authority",
        "Trial Nation",
    ):
        assert expected in names
    assert Organisation.objects.filter(kind=OrganisationKind.REGION).count() == 5
    assert Organisation.objects.get(code="dskf").appointed_through.code == "lvs"


def test_a_second_run_changes_nothing():
    _load()
    before = list(Organisation.objects.order_by("pk").values())
    report = _load()
    assert "0 created, 0 updated" in report
    assert list(Organisation.objects.order_by("pk").values()) == before


def test_a_drifted_name_is_put_back_and_reported():
    _load()
    Organisation.objects.filter(code="dkma").update(name_en="Medicines Agency (typo)")
    assert "0 created, 1 updated" in _load()
    assert Organisation.objects.get(code="dkma").name_en == "Danish Medicines Agency"


def test_codes_are_unique_in_the_source():
    codes = [row[0] for row in ORGANISATIONS]
    assert len(codes) == len(set(codes))


def test_organisation_name_follows_the_page_language():
    _load()
    from django.utils import translation

    dkma = Organisation.objects.get(code="dkma")
    with translation.override("da"):
        assert str(dkma) == "Lægemiddelstyrelsen"
    with translation.override("en"):
        assert str(dkma) == "Danish Medicines Agency"


def test_demo_data_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo_data")


def test_demo_data_is_idempotent_and_creates_the_three_demo_logins(settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=__import__("io").StringIO())
    call_command("load_demo_data", stdout=__import__("io").StringIO())
    assert set(User.objects.values_list("email", flat=True)) == {
        "ansoeger@atmp-demo.example",
        "sekretariat@atmp-demo.example",
        "styregruppe@atmp-demo.example",
    }
    staff = User.objects.get(email="sekretariat@atmp-demo.example")
    assert staff.is_staff and staff.groups.filter(name="Secretariat").exists()
    assert staff.authenticator_set.count() == 2  # TOTP + recovery codes, not duplicated
