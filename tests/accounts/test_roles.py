"""accounts.roles: the one answer to "what may this user see"."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from accounts.roles import Role, access_for, has_role, is_secretariat
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    # access_for caches on the instance (once per request); a new request loads a new user.
    return User.objects.get(pk=user.pk)


def test_outsider_has_no_role():
    assert access_for(AnonymousUser()).roles == frozenset()


def test_signed_in_person_is_an_applicant_only(owner):
    assert access_for(owner).roles == {Role.APPLICANT}


def test_secretariat_group_member_is_secretariat(secretariat):
    assert has_role(secretariat, Role.SECRETARIAT)
    assert is_secretariat(secretariat)


def test_staff_outside_the_secretariat_group_is_not_secretariat():
    staff = UserFactory(is_staff=True)
    assert not has_role(staff, Role.SECRETARIAT)


def test_deactivated_secretariat_user_loses_every_role(secretariat):
    secretariat.is_active = False
    secretariat.save()
    assert access_for(_fresh(secretariat)).roles == frozenset()


def test_active_membership_grants_that_bodys_role(steering_member, colleague, governance_bodies):
    access = access_for(steering_member)
    assert access.has(Role.STEERING_GROUP)
    assert access.is_member_of(governance_bodies["steering-group"].pk)
    assert not access.is_member_of(governance_bodies["reference-group"].pk)
    assert not has_role(colleague, Role.STEERING_GROUP)


def test_membership_rights_end_with_the_membership(db):
    from accounts.roles import BodyMembership, register_membership_provider, unregister_membership_provider

    member = UserFactory.create()
    active = {member.pk}

    def provider(user):
        return [BodyMembership(body_id=7, body_kind="reference_group")] if user.pk in active else []

    register_membership_provider(provider)
    try:
        assert has_role(_fresh(member), Role.REFERENCE_GROUP)
        active.clear()  # the membership ends
        assert not has_role(_fresh(member), Role.REFERENCE_GROUP)
        assert access_for(_fresh(member)).roles == {Role.APPLICANT}
    finally:
        unregister_membership_provider(provider)
