"""The user admin: the secretariat corrects profiles, it cannot hand out access or set passwords,
and a changed email or password is told to the person at their old address (issue 14, item 2)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.conftest import TOTP_SECRET, sign_in
from tests.factories import DEFAULT_PASSWORD, secretariat_group

pytestmark = pytest.mark.django_db


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def form_data(user, **overrides):
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "organisation": user.organisation,
        "applicant_type": user.applicant_type,
        "preferred_language": user.preferred_language,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "10:00:00",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def superuser(db):
    user = User.objects.create_superuser(email="root@example.org", password=DEFAULT_PASSWORD)
    TOTP.activate(user, TOTP_SECRET)
    return user


def test_the_secretariat_cannot_make_itself_superuser_or_add_groups_and_permissions(client, secretariat):
    sign_in(client, secretariat)
    from django.contrib.auth.models import Group, Permission

    other_group = Group.objects.create(name="Other")
    permission = Permission.objects.get(codename="delete_user")
    response = client.post(
        change_url(secretariat),
        form_data(
            secretariat,
            is_staff="on",
            is_superuser="on",
            groups=[other_group.pk],
            user_permissions=[permission.pk],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    secretariat.refresh_from_db()
    assert not secretariat.is_superuser
    assert set(secretariat.groups.all()) == {secretariat_group()}
    assert not secretariat.user_permissions.exists()


def test_the_secretariat_cannot_give_an_applicant_staff_status(client, secretariat, owner):
    sign_in(client, secretariat)
    response = client.post(
        change_url(owner), form_data(owner, is_staff="on", groups=[secretariat_group().pk])
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert not owner.is_staff
    assert not owner.groups.exists()


def test_the_secretariat_has_no_set_password_view_and_no_link_to_one(client, secretariat, owner):
    sign_in(client, secretariat)
    page = client.get(change_url(owner)).content.decode()
    assert "../password/" not in page
    assert 'name="is_superuser"' not in page
    assert (
        'value="send_password_reset"'
        in client.get(reverse("admin:accounts_user_changelist")).content.decode()
    )
    response = client.post(
        reverse("admin:auth_user_password_change", args=[owner.pk]),
        {"password1": "new-pass-for-takeover-1", "password2": "new-pass-for-takeover-1"},
    )
    assert response.status_code == 403
    owner.refresh_from_db()
    assert owner.check_password(DEFAULT_PASSWORD)


def test_the_secretariat_cannot_change_a_superusers_account(client, secretariat, superuser):
    sign_in(client, secretariat)
    client.post(change_url(superuser), form_data(superuser, email="attacker@example.org"))
    superuser.refresh_from_db()
    assert superuser.email == "root@example.org"


def test_the_secretariat_sends_a_password_reset_email_instead(
    client, secretariat, owner, django_capture_on_commit_callbacks
):
    sign_in(client, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "send_password_reset", "_selected_action": [owner.pk]},
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    from audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="accounts.user.password_reset_sent", actor=secretariat).exists()


def test_an_email_changed_in_the_admin_is_told_at_the_old_address(
    client, secretariat, owner, django_capture_on_commit_callbacks
):
    sign_in(client, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(owner), form_data(owner, email="new.address@example.org"))
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.email == "new.address@example.org"
    assert [m.to for m in mail.outbox] == [["owner@example.org"]]
    assert "new.address@example.org" in mail.outbox[0].body


def test_a_password_set_by_a_superuser_is_told_to_the_person(
    client, superuser, owner, django_capture_on_commit_callbacks
):
    sign_in(client, superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:auth_user_password_change", args=[owner.pk]),
            {
                "password1": "a-new-sound-passphrase",
                "password2": "a-new-sound-passphrase",
                "usable_password": "true",
            },
        )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("a-new-sound-passphrase")
    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_a_superuser_still_manages_access(client, superuser, owner):
    sign_in(client, superuser)
    response = client.post(
        change_url(owner), form_data(owner, is_staff="on", groups=[secretariat_group().pk])
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.is_staff and owner.groups.filter(pk=secretariat_group().pk).exists()


def test_a_password_changed_on_the_account_page_is_told_to_the_person(
    client, owner, django_capture_on_commit_callbacks
):
    sign_in(client, owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_change_password"),
            {
                "oldpassword": DEFAULT_PASSWORD,
                "password1": "another-sound-phrase",
                "password2": "another-sound-phrase",
            },
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_an_email_changed_on_the_account_page_is_told_at_the_old_address(
    client, owner, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    sign_in(client, owner)
    new = EmailAddress.objects.create(user=owner, email="second@example.org", verified=True, primary=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_email"), {"action_primary": "", "email": new.email})
    assert ["owner@example.org"] in [m.to for m in mail.outbox]
    assert any("second@example.org" in m.body for m in mail.outbox if m.to == ["owner@example.org"])
