"""The admin site keeps the sidebar's app list per set of permissions (accounts.admin_site)."""

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.admin_site import PortalAdminSite
from tests.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _plain(app_list):
    """What the sidebar shows of an app list, as plain values."""
    return [
        (
            str(app["name"]),
            app["app_url"],
            [(str(m["name"]), m.get("admin_url"), m.get("add_url"), m["perms"]) for m in app["models"]],
        )
        for app in app_list
    ]


def test_the_portal_admin_site_is_the_admin_site():
    assert admin.site.__class__ is PortalAdminSite  # the lazy admin.site answers for what it wraps


def test_the_kept_list_is_the_fresh_list_for_every_kind_of_user_in_both_languages(
    secretariat, staff_without_second_factor
):
    superuser = UserFactory.create(is_staff=True, is_superuser=True, email="root@example.org")
    colleague = UserFactory.create(is_staff=True, email="colleague@example.org")
    colleague.user_permissions.set(
        Permission.objects.filter(codename__in=["view_ledgerentry", "add_ledgerentry", "view_meeting"])
    )
    applicant = UserFactory.create(email="applicant@example.org")
    site = admin.site
    for user in (secretariat, staff_without_second_factor, superuser, colleague, applicant):
        for language in ("da", "en"):
            with translation.override(language):
                for app_label in (None, "budget"):
                    fresh = _plain(
                        AdminSite.get_app_list(site, _request(type(user).objects.get(pk=user.pk)), app_label)
                    )
                    kept_once = _plain(
                        site.get_app_list(_request(type(user).objects.get(pk=user.pk)), app_label)
                    )
                    kept_again = _plain(
                        site.get_app_list(_request(type(user).objects.get(pk=user.pk)), app_label)
                    )
                    assert kept_once == fresh == kept_again, (user.email, language, app_label)
    colleague_list = _plain(site.get_app_list(_request(type(colleague).objects.get(pk=colleague.pk))))
    # Only what the colleague may see: the ledger and the meetings.
    assert [[m[1] for m in models] for _app, _url, models in colleague_list] == [
        [reverse("admin:budget_ledgerentry_changelist")],
        [reverse("admin:governance_meeting_changelist")],
    ]


def test_a_new_permission_shows_on_the_next_page_and_a_page_cannot_change_the_kept_list():
    colleague = UserFactory.create(is_staff=True, email="colleague@example.org")
    colleague.user_permissions.set(Permission.objects.filter(codename="view_meeting"))
    site = admin.site

    def listed(user_pk):
        user = type(colleague).objects.get(pk=user_pk)
        return [m["object_name"] for app in site.get_app_list(_request(user)) for m in app["models"]]

    assert listed(colleague.pk) == ["Meeting"]
    colleague.user_permissions.add(Permission.objects.get(codename="view_ledgerentry"))
    assert sorted(listed(colleague.pk)) == ["LedgerEntry", "Meeting"]

    given = site.get_app_list(_request(type(colleague).objects.get(pk=colleague.pk)))
    given[0]["models"].clear()
    given.clear()
    assert sorted(listed(colleague.pk)) == ["LedgerEntry", "Meeting"]


def test_the_sidebar_shows_each_user_their_own_models(client, secretariat):
    from allauth.mfa.totp.internal.auth import TOTP

    from accounts.roles import mark_second_factor
    from tests.conftest import TOTP_SECRET

    colleague = UserFactory.create(is_staff=True, email="colleague@example.org")
    colleague.user_permissions.set(Permission.objects.filter(codename="view_meeting"))
    TOTP.activate(colleague, TOTP_SECRET)
    mark_second_factor(colleague, passed=True)
    sign_in(client, secretariat)
    assert (
        reverse("admin:budget_ledgerentry_changelist") in client.get(reverse("admin:index")).content.decode()
    )
    client.logout()
    sign_in(client, colleague)
    page = client.get(reverse("admin:governance_meeting_changelist")).content.decode()
    assert reverse("admin:budget_ledgerentry_changelist") not in page
    assert reverse("admin:governance_meeting_changelist") in page
