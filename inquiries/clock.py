"""The service clock in Danish working days: weekends and Danish public holidays are off.

Besides the public holidays (``holidays.Denmark``), the secretariat is closed on Constitution
Day (5 June), Christmas Eve and New Year's Eve, as Danish public bodies usually are; those
three come from the library's "optional" category, without 1 May, which is a working day.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

_CLOSED_OPTIONAL_DAYS = {(6, 5), (12, 24), (12, 31)}


@lru_cache(maxsize=64)
def _closed_days(year: int) -> frozenset[date]:
    public = holidays.Denmark(years=year)
    optional = holidays.Denmark(years=year, categories=("optional",))
    extra = {day for day in optional if (day.month, day.day) in _CLOSED_OPTIONAL_DAYS}
    return frozenset(set(public) | extra)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _closed_days(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


@lru_cache(maxsize=64)
def _working_days_through(year: int) -> tuple[int, ...]:
    """For each day of ``year`` (index 0 = 1 January): the working days from 1 January up to it."""
    counts, total, day = [], 0, date(year, 1, 1)
    while day.year == year:
        total += is_working_day(day)
        counts.append(total)
        day += timedelta(days=1)
    return tuple(counts)


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start).

    Two table lookups (and one per new year crossed), not a walk through the days: the
    dashboard asks this for thousands of pairs of dates.
    """
    if end <= start:
        return 0
    count = _working_days_through(end.year)[end.timetuple().tm_yday - 1]
    count -= _working_days_through(start.year)[start.timetuple().tm_yday - 1]
    for year in range(start.year, end.year):
        count += _working_days_through(year)[-1]
    return count
