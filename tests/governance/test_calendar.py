"""The .ics files parse with a calendar library and carry Copenhagen times."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.calendar import meeting_ics
from tests.conftest import sign_in
from tests.factories import with_agenda

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")


def _meeting(body, when):
    return services.meeting_schedule(
        actor=None,
        body=body,
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2),
        location="Amgros; Dampfærgevej 22, København",
        online_url="https://meet.example.dk/sg",
    )


@pytest.mark.parametrize(
    "wall_clock, utc_hour",
    [(datetime.datetime(2027, 1, 14, 10, 0), 9), (datetime.datetime(2027, 6, 10, 10, 0), 8)],
    ids=["winter-time", "summer-time"],
)
def test_a_meeting_ics_carries_the_copenhagen_time_and_zone(governance_bodies, wall_clock, utc_hour):
    meeting = with_agenda(
        _meeting(governance_bodies["steering-group"], wall_clock.replace(tzinfo=CPH)), "Analyse II"
    )
    calendar = icalendar.Calendar.from_ical(meeting_ics(meeting).decode())
    event = calendar.walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert start.tzinfo is not None and str(event["dtstart"].params["TZID"]) == "Europe/Copenhagen"
    assert start.astimezone(CPH).replace(tzinfo=None) == wall_clock
    assert start.astimezone(datetime.UTC).hour == utc_hour
    assert event.decoded("dtend") - start == datetime.timedelta(hours=2)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Copenhagen"
    # Commas and semicolons are escaped by the library and come back intact.
    assert str(event["location"]) == "Amgros; Dampfærgevej 22, København, https://meet.example.dk/sg"
    assert "1. Analyse II" in str(event["description"])
    assert str(event["uid"]) == f"meeting-{meeting.pk}@testserver"


def test_a_moved_meeting_keeps_its_uid_and_raises_the_sequence(governance_bodies):
    when = timezone.now() + datetime.timedelta(days=30)
    meeting = _meeting(governance_bodies["steering-group"], when)
    before = icalendar.Calendar.from_ical(meeting_ics(meeting).decode()).walk("VEVENT")[0]
    moved = services.meeting_reschedule(
        actor=None,
        meeting=meeting,
        starts_at=when + datetime.timedelta(days=1),
        ends_at=when + datetime.timedelta(days=1, hours=2),
    )
    after = icalendar.Calendar.from_ical(meeting_ics(moved).decode()).walk("VEVENT")[0]
    assert after["uid"] == before["uid"]
    assert int(after["sequence"]) == int(before["sequence"]) + 1
    cancelled = services.meeting_cancel(actor=None, meeting=moved)
    calendar = icalendar.Calendar.from_ical(meeting_ics(cancelled).decode())
    assert calendar["method"] == "CANCEL" and calendar.walk("VEVENT")[0]["status"] == "CANCELLED"


def test_the_meeting_download_is_a_calendar_file(client, steering_member, governance_bodies):
    meeting = _meeting(governance_bodies["steering-group"], timezone.now() + datetime.timedelta(days=3))
    sign_in(client, steering_member)
    response = client.get(reverse("governance:meeting_ics", args=[meeting.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="atmp-meeting-{meeting.pk}.ics"'
    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == 1
