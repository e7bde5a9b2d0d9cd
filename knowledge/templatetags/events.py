from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format

from knowledge.models import Event

register = template.Library()


def when(event: Event) -> str:
    """ "tirsdag 3. marts 2027, 13:00–15:00" (or across days: "… 09:00 – onsdag 4. marts 2027, 16:00"),
    in Copenhagen time and the active language."""
    starts = timezone.localtime(event.starts_at)
    ends = timezone.localtime(event.ends_at)
    day = get_format("DATE_FORMAT")
    start_text = f"{date_format(starts, 'l')} {date_format(starts, day)}, {date_format(starts, 'H:i')}"
    if starts.date() == ends.date():
        return f"{start_text}–{date_format(ends, 'H:i')}"
    return f"{start_text} – {date_format(ends, 'l')} {date_format(ends, day)}, {date_format(ends, 'H:i')}"


@register.simple_tag
def event_when(event: Event) -> str:
    return when(event)
