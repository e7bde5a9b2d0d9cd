import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import ApplicantType, User
from accounts.roles import SECRETARIAT_GROUP

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="da_DK")
    organisation = "Aarhus Universitetshospital"
    applicant_type = ApplicantType.CLINICIAN
    preferred_language = "da"
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """A verified primary address, as after the email confirmation (pass verified=False to skip)."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class SecretariatUserFactory(UserFactory):
    is_staff = True
    applicant_type = ""
    organisation = "Amgros"

    @factory.post_generation
    def secretariat_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(secretariat_group())


def secretariat_group() -> Group:
    """The group that every migrate (and every flush of the test database) brings up to date."""
    return Group.objects.get(name=SECRETARIAT_GROUP)


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
