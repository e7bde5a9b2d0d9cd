"""The signed-in user's second factor, group and permissions, read in fewer queries (issue 21)."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.backends import HAS_AUTHENTICATOR, IN_SECRETARIAT_GROUP, PortalModelBackend
from accounts.roles import SECRETARIAT_GROUP
from tests.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:inquiries_inquiry_changelist")


def test_the_loaded_user_knows_their_authenticator_and_group(secretariat, owner):
    staff = PortalModelBackend().get_user(secretariat.pk)
    applicant = PortalModelBackend().get_user(owner.pk)
    assert staff is not None and applicant is not None
    assert getattr(staff, HAS_AUTHENTICATOR) and getattr(staff, IN_SECRETARIAT_GROUP)
    assert not getattr(applicant, HAS_AUTHENTICATOR) and not getattr(applicant, IN_SECRETARIAT_GROUP)


def test_an_inactive_or_unknown_user_is_not_loaded(owner):
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert PortalModelBackend().get_user(owner.pk) is None
    assert PortalModelBackend().get_user(999_999) is None


def test_a_removed_authenticator_ends_the_role_on_the_next_request(client, secretariat):
    sign_in(client, secretariat)
    assert client.get(QUEUE).status_code == 200
    Authenticator.objects.filter(user=secretariat).delete()
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/2fa/" in response["Location"]


def test_leaving_the_secretariat_group_ends_the_role_on_the_next_request(client, secretariat):
    sign_in(client, secretariat)
    assert client.get(reverse("dashboard:index")).status_code == 200
    secretariat.groups.remove(Group.objects.get(name=SECRETARIAT_GROUP))
    assert client.get(reverse("dashboard:index")).status_code == 403


def test_permissions_in_one_query_are_the_users_and_their_groups(django_assert_num_queries):
    user = UserFactory.create(is_staff=True)
    group = Group.objects.create(name="Readers")
    group.permissions.add(Permission.objects.get(codename="view_inquiry"))
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="change_inquiry"))
    expected = ModelBackend().get_all_permissions(UserFactory._meta.model.objects.get(pk=user.pk))

    fresh = UserFactory._meta.model.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        found = PortalModelBackend().get_all_permissions(fresh)
        assert fresh.has_perm("inquiries.view_inquiry") and fresh.has_perm("inquiries.change_inquiry")
    assert found == expected == {"inquiries.view_inquiry", "inquiries.change_inquiry"}
    assert not fresh.has_perm("inquiries.delete_inquiry")
