import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import ApplicantType, User
from accounts.roles import SECRETARIAT_GROUP

DEFAULT_PASSWORD = "correct-horse-battery-staple"


def _verified_address(user: User, create: bool, extracted: object, **kwargs: object) -> None:
    """A verified primary address, as after the email confirmation (pass verified=False to skip)."""
    if create and extracted is not False:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def _in_secretariat_group(user: User, create: bool, extracted: object, **kwargs: object) -> None:
    if create:
        user.groups.add(secretariat_group())


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="da_DK")
    organisation = "Aarhus Universitetshospital"
    applicant_type: str = ApplicantType.CLINICIAN
    preferred_language = "da"
    password = factory.django.Password(DEFAULT_PASSWORD)

    verified = factory.post_generation(_verified_address)


class SecretariatUserFactory(UserFactory):
    is_staff = True
    applicant_type = ""
    organisation = "Amgros"

    secretariat_group = factory.post_generation(_in_secretariat_group)


# The data migrations that build the Secretariat group, in the order they run.
SECRETARIAT_MIGRATIONS = [
    "accounts.migrations.0002_secretariat_group",
    "governance.migrations.0002_secretariat_permissions",
    "governance.migrations.0005_secretariat_governance_permissions",
    "inquiries.migrations.0002_secretariat_permissions",
    "projects.migrations.0002_secretariat_project_permissions",
    "budget.migrations.0003_secretariat_budget_permissions",
]


def secretariat_group() -> Group:
    """The group the migrations created; rebuilt by those same migrations after a flush.

    A transactional test (live server, browser) empties every table when it ends, data
    migrations' rows included; the next test gets them back from here.
    """
    group = Group.objects.filter(name=SECRETARIAT_GROUP).first()
    if group is None:
        from importlib import import_module

        from django.apps import apps

        for module in SECRETARIAT_MIGRATIONS:
            import_module(module).forwards(apps, None)
        group = Group.objects.get(name=SECRETARIAT_GROUP)
    return group


def membership_for(user, body, *, seat_code: str | None = None, role: str = "member", start=None, end=None):
    """An appointment of ``user`` to ``body`` (active today unless dates say otherwise)."""
    import datetime

    from django.utils import timezone

    from governance.models import Membership, Seat

    seat = Seat.objects.get(body=body, code=seat_code) if seat_code else None
    return Membership.objects.create(
        body=body,
        seat=seat,
        user=user,
        full_name=user.full_name or user.email,
        role=role,
        start_date=start or timezone.localdate() - datetime.timedelta(days=30),
        end_date=end,
    )
