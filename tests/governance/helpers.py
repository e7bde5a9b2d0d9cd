"""Building meetings for the governance tests, through the same services the admin uses."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from governance import services
from governance.models import AgendaItem, MeetingDocument


def at(days: float, hour: int = 10) -> datetime.datetime:
    """A Copenhagen wall-clock time ``days`` from today."""
    day = timezone.localdate() + datetime.timedelta(days=int(days))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def plan(body, *, in_days: int = 20, hours: int = 2, **fields):
    starts = at(in_days)
    return services.meeting_schedule(
        body=body, starts_at=starts, ends_at=starts + datetime.timedelta(hours=hours), **fields
    )


def with_agenda(meeting, *titles):
    for position, title in enumerate(titles or ("Opening", "Analysis II")):
        AgendaItem.objects.create(meeting=meeting, position=position, title=title, duration_minutes=30)
    return meeting


def with_document(meeting, *, title="Board pack", name="pack.pdf", publish=True):
    document = MeetingDocument.objects.create(
        meeting=meeting, title=title, file=ContentFile(b"%PDF-1.4\nboard pack\n", name=name)
    )
    if publish:
        services.documents_publish(meeting=meeting)
    return document
