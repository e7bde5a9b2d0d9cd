"""The period a dashboard shows: a year, a quarter of a year, or a range of days chosen by hand."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    year: int | None = None
    quarter: int | None = None

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), year=year)

    @classmethod
    def of_quarter(cls, year: int, quarter: int) -> Period:
        first = datetime.date(year, 3 * quarter - 2, 1)
        last = (
            datetime.date(year, 12, 31)
            if quarter == 4
            else datetime.date(year, 3 * quarter + 1, 1) - datetime.timedelta(days=1)
        )
        return cls(first, last, year=year, quarter=quarter)

    @classmethod
    def quarter_of(cls, day: datetime.date) -> Period:
        return cls.of_quarter(day.year, (day.month - 1) // 3 + 1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        if self.quarter:
            return _("Q%(quarter)s %(year)s") % {"quarter": self.quarter, "year": self.year}
        if self.year:
            return str(self.year)
        short = "SHORT_DATE_FORMAT"
        return f"{formats.date_format(self.start, short)}–{formats.date_format(self.end, short)}"

    @property
    def span(self) -> str:
        """ "1 October 2026 – 31 December 2026", for the heading under the label."""
        return f"{formats.date_format(self.start)} – {formats.date_format(self.end)}"

    def months(self) -> list[datetime.date]:
        """The first day of each month the period touches."""
        months, current = [], self.start.replace(day=1)
        while current <= self.end:
            months.append(current)
            current = (current + datetime.timedelta(days=32)).replace(day=1)
        return months

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """Aware datetimes [start, end + 1 day) in the portal's time zone, for ``*_at`` columns."""
        from django.utils import timezone

        zone = timezone.get_current_timezone()
        begin = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        after = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return begin, after
