"""iCalendar (RFC 5545) for meetings: one meeting, or a member's whole feed.

icalendar does the escaping and folding; times carry TZID=Europe/Copenhagen with the
VTIMEZONE that calendar programs need to place them right across summer time.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Meeting, MeetingStatus

PRODID = "-//Amgros//ATMP Danmark portal//DA"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "atmp.local"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{_host()}"


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse("governance:meeting", args=[meeting.pk])


def _event(meeting: Meeting) -> icalendar.Event:
    zone = ZoneInfo(settings.TIME_ZONE)
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", meeting.label)
    event.add("sequence", meeting.schedule_version + (1 if meeting.status == MeetingStatus.CANCELLED else 0))
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    location = ", ".join(part for part in (meeting.location, meeting.online_url) if part)
    if location:
        event.add("location", location)
    url = meeting_url(meeting)
    event.add("url", url)
    lines = [_("Agenda:")] if meeting.agenda_items.all() else []
    for index, item in enumerate(meeting.agenda_items.all(), start=1):
        lines.append(f"{index}. {item.title}")
    if meeting.online_url:
        lines += ["", _("Join online: %(url)s") % {"url": meeting.online_url}]
    lines += ["", _("Meeting page: %(url)s") % {"url": url}]
    event.add("description", "\n".join(lines).strip())
    return event


def calendar_bytes(meetings: Iterable[Meeting], *, name: str, method: str = "PUBLISH") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meeting_ics(meeting: Meeting) -> bytes:
    method = "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "PUBLISH"
    return calendar_bytes([meeting], name=meeting.label, method=method)
