"""Who sees what: members of the body, members of another body, ended members, the public,
the secretariat — on every governance page and document download."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role, access_for, has_role
from governance.models import CalendarFeed, Membership
from tests.conftest import sign_in
from tests.factories import UserFactory, membership_for, plan, with_agenda, with_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(governance_bodies):
    meeting = with_agenda(plan(governance_bodies["steering-group"]), "Secret agenda item")
    meeting.document = with_document(meeting)
    return meeting


@pytest.fixture
def ended_member(governance_bodies):
    user = UserFactory(email="ended@example.org", full_name="Erik Ended")
    today = timezone.localdate()
    membership_for(
        user,
        governance_bodies["steering-group"],
        start=today - datetime.timedelta(days=400),
        end=today - datetime.timedelta(days=1),
    )
    return user


def member_urls(meeting):
    return [
        reverse("governance:members_area"),
        reverse("governance:meeting", args=[meeting.pk]),
        reverse("governance:meeting_ics", args=[meeting.pk]),
        reverse("governance:document", args=[meeting.document.pk]),
    ]


def test_an_active_membership_gives_the_body_role_and_an_ended_one_nothing(steering_member, ended_member):
    assert has_role(steering_member, Role.STEERING_GROUP)
    assert not has_role(ended_member, Role.STEERING_GROUP)
    assert access_for(ended_member).bodies == ()


def test_a_membership_that_has_not_started_grants_nothing(governance_bodies):
    user = UserFactory()
    membership_for(
        user, governance_bodies["steering-group"], start=timezone.localdate() + datetime.timedelta(days=3)
    )
    assert not has_role(user, Role.STEERING_GROUP)


def test_the_member_of_the_body_opens_every_page_and_the_document(client, steering_member, meeting):
    sign_in(client, steering_member)
    for url in member_urls(meeting):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("governance:meeting", args=[meeting.pk])).content.decode()
    assert "Secret agenda item" in page
    download = client.get(reverse("governance:document", args=[meeting.document.pk]))
    assert download["Content-Disposition"].startswith('attachment; filename="pack')
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("who", ["reference_member", "ended_member", "owner"])
def test_others_who_are_signed_in_get_a_reason_or_not_found(client, request, meeting, who):
    user = request.getfixturevalue(who)
    sign_in(client, user)
    area = client.get(reverse("governance:members_area"))
    if who == "reference_member":
        assert area.status_code == 200  # their own area, without the steering group's meetings
        assert "Secret agenda item" not in area.content.decode()
    else:
        assert area.status_code == 403
        assert "bede sekretariatet om at knytte dit medlemskab" in area.content.decode()
    detail = client.get(reverse("governance:meeting", args=[meeting.pk]))
    assert detail.status_code == 404  # as for a meeting that does not exist: ids cannot be listed
    assert "Secret agenda item" not in detail.content.decode()
    assert client.get(reverse("governance:meeting_ics", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("governance:document", args=[meeting.document.pk])).status_code == 404


def test_the_public_is_sent_to_login(client, meeting):
    for url in member_urls(meeting):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login"))


def test_the_secretariat_sees_every_body_and_unpublished_documents(client, secretariat, governance_bodies):
    meeting = plan(governance_bodies["reference-group"])
    draft = with_document(meeting, publish=False)
    sign_in(client, secretariat)
    assert client.get(reverse("governance:members_area")).status_code == 200
    assert client.get(reverse("governance:meeting", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("governance:document", args=[draft.pk])).status_code == 200


def test_members_do_not_get_documents_before_the_pack_is_published(
    client, steering_member, governance_bodies
):
    meeting = plan(governance_bodies["steering-group"])
    draft = with_document(meeting, title="Draft pack", publish=False)
    sign_in(client, steering_member)
    assert "Draft pack" not in client.get(reverse("governance:meeting", args=[meeting.pk])).content.decode()
    assert client.get(reverse("governance:document", args=[draft.pk])).status_code == 404


def test_the_public_page_shows_groups_seats_members_and_only_public_decisions(
    client, steering_member, meeting
):
    from governance import services

    meeting.refresh_from_db()
    services.decision_record(
        actor=None, meeting=meeting, title="Start analysis II", text="Go.", is_public=True
    )
    services.decision_record(
        actor=None, meeting=meeting, title="Confidential budget matter", text="No.", is_public=False
    )
    page = client.get(reverse("governance:index")).content.decode()
    assert "Styregruppen for ATMP Danmark" in page
    assert "Referencegruppen for ATMP Danmark" in page
    assert "Stine Steering" in page
    assert "Start analysis II" in page
    assert "Confidential budget matter" not in page
    assert "Secret agenda item" not in page


def test_the_decisions_register_filters_and_hides_members_only_decisions(client, steering_member, meeting):
    from governance import services

    services.decision_record(
        actor=None, meeting=meeting, title="Start analysis II", text="Go.", is_public=True
    )
    services.decision_record(actor=None, meeting=meeting, title="Confidential budget matter", text="No.")
    public = client.get(reverse("governance:decisions"), {"q": "analysis"}).content.decode()
    assert "Start analysis II" in public and "Confidential" not in public
    sign_in(client, steering_member)
    member = client.get(reverse("governance:decisions")).content.decode()
    assert "Confidential budget matter" in member


def test_the_calendar_feed_needs_the_current_token_only(client, steering_member, meeting):
    sign_in(client, steering_member)
    client.post(reverse("governance:feed_reset"))
    first = CalendarFeed.objects.get(user=steering_member).token
    client.logout()
    feed = client.get(reverse("governance:feed", args=[first]))
    assert feed.status_code == 200 and b"BEGIN:VEVENT" in feed.content
    sign_in(client, steering_member)
    client.post(reverse("governance:feed_reset"))
    client.logout()
    assert client.get(reverse("governance:feed", args=[first])).status_code == 404
    assert client.get(reverse("governance:feed", args=["guess"])).status_code == 404


def test_an_ended_member_s_feed_no_longer_lists_the_body_s_meetings(client, steering_member, meeting):
    feed = CalendarFeed.objects.create(user=steering_member)
    Membership.objects.filter(user=steering_member).update(
        end_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    body = client.get(reverse("governance:feed", args=[feed.token])).content
    assert b"BEGIN:VEVENT" not in body


def test_the_public_page_and_members_area_do_not_grow_queries_with_data(
    client, steering_member, governance_bodies, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    sign_in(client, steering_member)
    plan(governance_bodies["steering-group"])
    small = (count(reverse("governance:index")), count(reverse("governance:members_area")))
    for days in range(21, 31):
        with_document(with_agenda(plan(governance_bodies["steering-group"], in_days=days)))
    for _ in range(10):
        membership_for(UserFactory(), governance_bodies["reference-group"], seat_code="trial-nation")
    large = (count(reverse("governance:index")), count(reverse("governance:members_area")))
    assert large == small


def test_staff_without_a_second_factor_is_sent_to_set_it_up(
    client, staff_without_second_factor, meeting, governance_bodies
):
    draft = with_document(plan(governance_bodies["reference-group"]), publish=False)
    sign_in(client, staff_without_second_factor)
    for url in [*member_urls(meeting), reverse("governance:document", args=[draft.pk])]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("mfa_activate_totp")), url
