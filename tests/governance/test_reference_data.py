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
    assert (
        Organisation.objects.filter(code="dskf").values_list("appointed_through__code", flat=True).get()
        == "lvs"
    )


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


def test_demo_data_refuses_a_database_that_holds_real_accounts(settings):
    """Issue 14, item 12: demo users have a published password; never next to real accounts."""
    from tests.factories import UserFactory

    settings.DEBUG = True
    UserFactory(email="real.person@region.dk")
    with pytest.raises(CommandError, match="1 account.*not demo accounts"):
        call_command("load_demo_data", stdout=__import__("io").StringIO())
    assert not User.objects.filter(email__endswith="@atmp-demo.example").exists()


def test_demo_data_runs_again_where_the_only_accounts_are_demo_ones(settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=__import__("io").StringIO())
    User.objects.create_user(email="extra@atmp-demo.example", password="x")
    call_command("load_demo_data", stdout=__import__("io").StringIO())
    assert User.objects.filter(email="extra@atmp-demo.example").exists()


def test_demo_data_is_idempotent_and_creates_the_three_demo_logins(settings):
    settings.DEBUG = True
    call_command("load_demo_data", stdout=__import__("io").StringIO())
    call_command("load_demo_data", stdout=__import__("io").StringIO())
    assert set(User.objects.values_list("email", flat=True)) == {
        "ansoeger@atmp-demo.example",
        "sekretariat@atmp-demo.example",
        "styregruppe@atmp-demo.example",
    }
    from inquiries.models import Referral

    # One demo request is referred to Trial Nation (the change page's referrals table), once.
    assert list(Referral.objects.values_list("partner", "inquiry__status")) == [("trial_nation", "referred")]
    staff = User.objects.get(email="sekretariat@atmp-demo.example")
    assert staff.is_staff and staff.groups.filter(name="Secretariat").exists()
    assert staff.authenticator_set.count() == 2  # TOTP + recovery codes, not duplicated


def test_the_steering_and_reference_group_seats_of_the_terms_of_reference_load():
    report = _load()
    assert "2 bodies, 29 seats (steering group 11 members, reference group 20)" in report
    from governance.models import Body, MembershipRole, Seat

    steering = Body.objects.get(code="steering-group")
    reference = Body.objects.get(code="reference-group")
    assert steering.target_meetings_per_year == 4
    assert sum(s.count for s in steering.seats.all()) == 11
    # Co-chaired by the ministry and a health director appointed by the Regions (ToR §3).
    co_chairs = Seat.objects.filter(body=steering, role=MembershipRole.CO_CHAIR)
    assert {s.organisation.code for s in co_chairs} == {"ism", "danske-regioner"}
    assert Seat.objects.get(body=steering, code="medical-directors").count == 3
    # One from each region, and DSKF appointed through LVS.
    assert reference.seats.filter(organisation__kind=OrganisationKind.REGION).count() == 5
    assert reference.seats.count() == 20
    assert (
        reference.seats.filter(code="dskf")
        .values_list("organisation__appointed_through__code", flat=True)
        .get()
        == "lvs"
    )


def test_a_second_run_leaves_bodies_and_seats_alone():
    from governance.models import Body, Seat

    _load()
    before = (list(Body.objects.order_by("pk").values()), list(Seat.objects.order_by("pk").values()))
    report = _load()
    counted = [line for line in report.splitlines() if "created" in line]
    assert len(counted) >= 2 and all("0 created, 0 updated" in line for line in counted), report
    assert (list(Body.objects.order_by("pk").values()), list(Seat.objects.order_by("pk").values())) == before


def test_governance_demo_data_links_the_demo_steering_user_and_is_idempotent(settings):
    from accounts.roles import Role, has_role
    from governance.models import Decision, Meeting, Membership

    settings.DEBUG = True
    call_command("load_demo_data", stdout=__import__("io").StringIO())
    counts = (Membership.objects.count(), Meeting.objects.count(), Decision.objects.count())
    call_command("load_demo_data", stdout=__import__("io").StringIO())
    assert (Membership.objects.count(), Meeting.objects.count(), Decision.objects.count()) == counts
    demo = User.objects.get(email="styregruppe@atmp-demo.example")
    assert has_role(demo, Role.STEERING_GROUP)
    numbers = list(Decision.objects.values_list("number", flat=True))
    assert numbers and all(number.startswith("SG-") for number in numbers)


def test_with_the_file_backend_demo_emails_go_to_the_folder_and_the_output_stays_short(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    # As `make run` loads the demo: EMAIL_BACKEND=file, so the logins are not buried under emails.
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    mail = tmp_path / "mail"
    settings.EMAIL_FILE_PATH = str(mail)
    out = __import__("io").StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the emails are queued after commit
        call_command("load_demo_data", stdout=out)
    printed = out.getvalue()
    assert "Demo logins (password for all: atmp-demo-2026" in printed
    assert f"Emails the demo data caused are files in {mail}/." in printed
    assert "Content-Type" not in printed and len(printed.splitlines()) < 40
    written = "".join(path.read_text() for path in mail.iterdir())
    assert "ansoeger@atmp-demo.example" in written and "Content-Type" in written
