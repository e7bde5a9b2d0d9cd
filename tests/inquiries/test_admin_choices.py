"""The change page offers its staff, organisations and canned replies from the cache
(accounts.choices, issue 21), and what it offers follows every change to those rows."""

import re

import pytest
from django.conf import settings

from accounts.models import User
from governance.models import Organisation
from inquiries.models import CannedReply
from tests.conftest import sign_in
from tests.factories import SecretariatUserFactory, UserFactory, submit
from tests.inquiries.test_admin import change_data, change_url

pytestmark = pytest.mark.django_db


def _options(html, name):
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


def test_a_new_staff_member_is_offered_as_assignee_on_the_next_view(client, owner, secretariat):
    inquiry = submit(owner)
    sign_in(client, secretariat)
    assert "Nina Newcomer" not in _options(client.get(change_url(inquiry)).content.decode(), "assignee")
    SecretariatUserFactory(full_name="Nina Newcomer")
    assert "Nina Newcomer" in _options(client.get(change_url(inquiry)).content.decode(), "assignee")


def test_a_staff_member_who_leaves_is_no_longer_offered(client, owner, secretariat):
    SecretariatUserFactory(full_name="Leo Leaving")
    leaving = User.objects.get(full_name="Leo Leaving")
    inquiry = submit(owner)
    sign_in(client, secretariat)
    assert "Leo Leaving" in _options(client.get(change_url(inquiry)).content.decode(), "assignee")
    leaving.is_active = False
    leaving.save()
    assert "Leo Leaving" not in _options(client.get(change_url(inquiry)).content.decode(), "assignee")


def test_a_deactivated_canned_reply_disappears_and_a_stale_page_cannot_send_it(client, owner, secretariat):
    reply = CannedReply.objects.create(title="We need more", body_da="Mere.", body_en="More.")
    inquiry = submit(owner)
    sign_in(client, secretariat)
    assert "We need more" in _options(client.get(change_url(inquiry)).content.decode(), "canned_reply")
    reply.is_active = False
    reply.save()
    assert "We need more" not in _options(client.get(change_url(inquiry)).content.decode(), "canned_reply")

    # A page opened before the change still offers it: the form checks the table, not the cache.
    response = client.post(change_url(inquiry), change_data(inquiry, canned_reply=reply.pk))
    assert response.status_code == 200
    assert inquiry.messages.count() == 0


def test_organisations_are_offered_by_their_name_in_the_page_language(client, owner, secretariat):
    Organisation.objects.create(
        code="testorg", name_da="Testregionen", name_en="The Test Region", kind="region"
    )
    inquiry = submit(owner)
    sign_in(client, secretariat)
    html = client.get(change_url(inquiry)).content.decode()
    assert "Testregionen" in _options(html, "refer_organisation")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(change_url(inquiry)).content.decode()
    assert "The Test Region" in _options(english, "refer_organisation")
    assert "Testregionen" not in _options(english, "refer_organisation")


def test_the_cache_serves_no_one_a_list_from_another_model(client, owner, secretariat):
    """Staff and canned replies are kept under keys of their own models."""
    CannedReply.objects.create(title="Sara Secretariat", body_da="x", body_en="x", is_active=False)
    UserFactory(full_name="An Applicant")
    inquiry = submit(owner)
    sign_in(client, secretariat)
    html = client.get(change_url(inquiry)).content.decode()
    assert "An Applicant" not in _options(html, "assignee")
    assert "Sara Secretariat" not in _options(html, "canned_reply")


def test_a_list_drawn_before_the_change_was_committed_is_not_kept_after_it(
    client, owner, secretariat, django_capture_on_commit_callbacks
):
    """A page drawn between a save and its commit (in another connection) reads the table as it
    was, under the version the save drew: the commit must draw another, so that list is not kept."""
    from django.core.cache import cache

    from accounts.choices import _version_key

    inquiry = submit(owner)
    sign_in(client, secretariat)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        SecretariatUserFactory(full_name="Nina Newcomer")
        at_save = cache.get(_version_key(User))
    for callback in pending:
        callback()
    assert cache.get(_version_key(User)) != at_save
    assert "Nina Newcomer" in _options(client.get(change_url(inquiry)).content.decode(), "assignee")
