"""iCalendar (RFC 5545) for events: one event's ``.ics`` and the public feed of all of them.

icalendar does the escaping and folding; times carry TZID=Europe/Copenhagen with the VTIMEZONE
calendar programs need across summer time. The online link is never in the public files: only
a confirmed participant's own ``.ics`` (attached to the confirmation) carries it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledge.models import Event, EventFormat, EventStatus

PRODID = "-//Amgros//ATMP Danmark portal//DA"


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{urlsplit(settings.SITE_URL).hostname or 'atmp.local'}"


def event_url(event: Event) -> str:
    return settings.SITE_URL + reverse("events:detail", args=[event.slug])


def _component(event: Event, language: str, *, for_participant: bool) -> icalendar.Event:
    zone = ZoneInfo(settings.TIME_ZONE)
    title, _lang = event.text("title", language)
    summary, _lang = event.text("summary", language)
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    component.add("dtstamp", timezone.now())
    component.add("dtstart", event.starts_at.astimezone(zone))
    component.add("dtend", event.ends_at.astimezone(zone))
    component.add("summary", title)
    cancelled = event.status == EventStatus.CANCELLED
    component.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    component.add("sequence", 1 if cancelled else 0)
    places = []
    if event.format != EventFormat.ONLINE and event.venue:
        places.append(event.venue)
    if event.format != EventFormat.PHYSICAL:
        places.append(event.online_url if for_participant and event.online_url else _("Online"))
    if places:
        component.add("location", ", ".join(places))
    url = event_url(event)
    component.add("url", url)
    lines = [summary, "", _("Organiser: %(organiser)s") % {"organiser": event.organiser}]
    if for_participant and event.online_url and event.format != EventFormat.PHYSICAL:
        lines += [_("Join online: %(url)s") % {"url": event.online_url}]
    lines += [_("Event page: %(url)s") % {"url": url}]
    component.add("description", "\n".join(lines).strip())
    return component


@functools.lru_cache(maxsize=1)
def _vtimezone() -> icalendar.Timezone:
    """Europe/Copenhagen as a VTIMEZONE, built once per process: icalendar derives it from every
    transition since 1970, about 70 ms each time, which every confirmation email used to pay."""
    return icalendar.Timezone.from_tzid(settings.TIME_ZONE)


def calendar_bytes(
    events: Iterable[Event], *, name: str, language: str, for_participant: bool = False, method="PUBLISH"
) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        calendar.add_component(_component(event, language, for_participant=for_participant))
    calendar.add_component(_vtimezone())
    return calendar.to_ical()


def event_ics(event: Event, language: str, *, for_participant: bool = False) -> bytes:
    title, _lang = event.text("title", language)
    method = "CANCEL" if event.status == EventStatus.CANCELLED else "PUBLISH"
    return calendar_bytes(
        [event], name=title, language=language, for_participant=for_participant, method=method
    )
