"""The governance rules a secretary expects: minutes, numbers, agenda order, who may see what."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import AgendaItem, Meeting, MeetingStatus, MinutesStatus
from tests.conftest import sign_in
from tests.factories import plan, with_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def steering(governance_bodies):
    return governance_bodies["steering-group"]


def held(meeting):
    """A meeting in the past, marked as held."""
    return services.meeting_mark_held(actor=None, meeting=meeting)


def circulated(body, *, in_days):
    meeting = held(plan(body, in_days=in_days))
    meeting = services.minutes_update(actor=None, meeting=meeting, text="We met and agreed.")
    return services.minutes_circulate(actor=None, meeting=meeting)


# --- Minutes ---------------------------------------------------------------------------------------


def test_minutes_are_not_approved_at_a_planned_future_meeting(steering, english):
    earlier = circulated(steering, in_days=-30)
    future = plan(steering, in_days=10)
    with pytest.raises(ValidationError, match="held"):
        services.minutes_approve(actor=None, meeting=earlier, at_meeting=future)
    earlier.refresh_from_db()
    assert earlier.minutes_status == MinutesStatus.CIRCULATED


def test_minutes_are_approved_at_a_later_held_meeting_of_the_same_body(steering, secretariat):
    earlier = circulated(steering, in_days=-30)
    later = held(plan(steering, in_days=-2))
    approved = services.minutes_approve(actor=secretariat, meeting=earlier, at_meeting=later)
    assert approved.minutes_status == MinutesStatus.APPROVED and approved.minutes_approved_at == later


def test_a_meeting_at_which_minutes_were_approved_cannot_be_cancelled(steering, english):
    earlier = circulated(steering, in_days=-30)
    later = held(plan(steering, in_days=-2))
    services.minutes_approve(actor=None, meeting=earlier, at_meeting=later)
    # Even if it is put back to planned by hand, the approval it carries keeps it from being cancelled.
    Meeting.objects.filter(pk=later.pk).update(status=MeetingStatus.PLANNED)
    with pytest.raises(ValidationError, match="approved at this meeting"):
        services.meeting_cancel(actor=None, meeting=later)
    assert Meeting.objects.get(pk=later.pk).status == MeetingStatus.PLANNED


def test_the_admin_refuses_approval_at_a_future_meeting_with_a_clear_message(client, secretariat, steering):
    earlier = circulated(steering, in_days=-30)
    future = plan(steering, in_days=10)
    sign_in(client, secretariat)
    response = client.post(
        reverse("admin:governance_meeting_changelist"),
        {"action": "approve_previous_minutes", "_selected_action": [future.pk]},
        follow=True,
    )
    assert "ikke markeret som afholdt" in response.content.decode()
    earlier.refresh_from_db()
    assert earlier.minutes_status == MinutesStatus.CIRCULATED


# --- Numbers ---------------------------------------------------------------------------------------


def _on(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_a_meeting_added_out_of_order_is_numbered_by_date(steering):
    year = timezone.localdate().year + 1
    december = services.meeting_schedule(
        actor=None,
        body=steering,
        starts_at=_on(datetime.date(year, 12, 8)),
        ends_at=_on(datetime.date(year, 12, 8)) + datetime.timedelta(hours=2),
    )
    march = services.meeting_schedule(
        actor=None,
        body=steering,
        starts_at=_on(datetime.date(year, 3, 2)),
        ends_at=_on(datetime.date(year, 3, 2)) + datetime.timedelta(hours=2),
    )
    november = services.meeting_schedule(
        actor=None,
        body=steering,
        starts_at=_on(datetime.date(year, 11, 20)),
        ends_at=_on(datetime.date(year, 11, 20)) + datetime.timedelta(hours=2),
    )
    numbers = {m.pk: m.number for m in Meeting.objects.filter(body=steering, year=year)}
    assert [numbers[march.pk], numbers[november.pk], numbers[december.pk]] == [1, 2, 3]


def test_a_number_that_a_decision_carries_never_changes(steering):
    year = timezone.localdate().year + 1

    def schedule(month, day):
        start = _on(datetime.date(year, month, day))
        return services.meeting_schedule(
            actor=None, body=steering, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
        )

    march = schedule(3, 2)
    june = schedule(6, 1)
    decision = services.decision_record(actor=None, meeting=june, title="Budget", text="Agreed.")
    assert decision.number == f"SG-{year}-02-01"
    april = schedule(4, 15)  # before June by date, but June's number is on a decision
    june.refresh_from_db()
    april.refresh_from_db()
    march.refresh_from_db()
    assert (march.number, june.number) == (1, 2)
    assert april.number == 3
    decision.refresh_from_db()
    assert decision.number == f"SG-{year}-02-01"


def test_moving_a_meeting_renumbers_the_undecided_ones_by_date(steering):
    year = timezone.localdate().year + 1
    two_hours = datetime.timedelta(hours=2)

    def schedule(month):
        start = _on(datetime.date(year, month, 3))
        return services.meeting_schedule(
            actor=None, body=steering, starts_at=start, ends_at=start + two_hours
        )

    first, second = schedule(3), schedule(6)
    moved = _on(datetime.date(year, 9, 3))
    services.meeting_reschedule(actor=None, meeting=first, starts_at=moved, ends_at=moved + two_hours)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.number, first.number) == (1, 2)


# --- Agenda ----------------------------------------------------------------------------------------


def test_agenda_items_are_numbered_1_2_3_and_can_be_moved(steering):
    meeting = plan(steering)
    a = services.agenda_item_add(actor=None, meeting=meeting, title="Welcome")
    b = services.agenda_item_add(actor=None, meeting=meeting, title="Budget")
    c = services.agenda_item_add(actor=None, meeting=meeting, title="Any other business")
    assert [a.position, b.position, c.position] == [1, 2, 3]
    services.agenda_item_add(actor=None, meeting=meeting, title="Minutes", position=2)
    assert list(
        AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list("title", flat=True)
    ) == [
        "Welcome",
        "Minutes",
        "Budget",
        "Any other business",
    ]


def test_agenda_items_added_in_the_admin_get_positions_1_2(client, secretariat, steering):
    from tests.governance.test_admin import inline_management

    sign_in(client, secretariat)
    day = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    data = {
        "body": steering.pk,
        "starts_at_0": day,
        "starts_at_1": "10:00",
        "ends_at_0": day,
        "ends_at_1": "12:00",
        "location": "Amgros",
        "online_url": "",
        **inline_management("agenda_items", total=2),
        "agenda_items-0-title": "Welcome",
        "agenda_items-0-kind": "information",
        "agenda_items-1-title": "Budget",
        "agenda_items-1-kind": "decision",
        **inline_management("documents"),
        **inline_management("attendance"),
        **inline_management("decisions"),
    }
    response = client.post(reverse("admin:governance_meeting_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get(location="Amgros")
    assert list(meeting.agenda_items.order_by("position").values_list("position", "title")) == [
        (1, "Welcome"),
        (2, "Budget"),
    ]


# --- Access ----------------------------------------------------------------------------------------


def test_someone_who_is_not_a_member_gets_404_for_an_existing_and_a_missing_meeting(
    client, colleague, steering
):
    meeting = plan(steering)
    sign_in(client, colleague)
    assert client.get(reverse("governance:meeting", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("governance:meeting", args=[meeting.pk + 1000])).status_code == 404


def test_an_outsider_gets_the_same_answer_for_an_existing_and_a_missing_meeting(client, steering):
    meeting = plan(steering)
    existing = client.get(reverse("governance:meeting", args=[meeting.pk]))
    missing = client.get(reverse("governance:meeting", args=[meeting.pk + 1000]))
    assert existing.status_code == missing.status_code == 302  # to the sign-in page, either way
    assert existing["Location"].split("?")[0] == missing["Location"].split("?")[0]


def test_someone_who_is_not_a_member_gets_404_for_an_existing_and_a_missing_document(
    client, colleague, steering
):
    document = with_document(plan(steering))
    sign_in(client, colleague)
    assert client.get(reverse("governance:document", args=[document.pk])).status_code == 404
    assert client.get(reverse("governance:document", args=[document.pk + 1000])).status_code == 404


def test_a_member_opens_the_meeting_and_its_published_document(client, steering_member, steering):
    meeting = plan(steering)
    document = with_document(meeting)
    sign_in(client, steering_member)
    assert client.get(reverse("governance:meeting", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("governance:document", args=[document.pk])).status_code == 200
