"""The service clock counts Danish working days: weekends and public holidays are off."""

from datetime import date

import pytest

from inquiries.clock import add_working_days, is_working_day, working_days_between


def test_a_weekend_is_skipped():
    friday = date(2026, 11, 20)
    assert add_working_days(friday, 1) == date(2026, 11, 23)  # Monday
    assert add_working_days(friday, 2) == date(2026, 11, 24)


def test_ten_working_days_are_two_weeks_in_an_ordinary_fortnight():
    assert add_working_days(date(2026, 11, 2), 10) == date(2026, 11, 16)


def test_easter_is_off_from_maundy_thursday_to_easter_monday():
    # 2026: Maundy Thursday 2 April, Good Friday 3 April, Easter Monday 6 April.
    assert add_working_days(date(2026, 4, 1), 1) == date(2026, 4, 7)
    assert not is_working_day(date(2026, 4, 2))
    assert not is_working_day(date(2026, 4, 6))


def test_christmas_and_new_year_are_off():
    # 23 Dec 2026 is a Wednesday; 24, 25, 26 (Sat), 31 Dec and 1 Jan are off.
    assert add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 28)
    assert add_working_days(date(2026, 12, 23), 4) == date(2027, 1, 4)
    assert add_working_days(date(2026, 12, 23), 10) == date(2027, 1, 12)


@pytest.mark.parametrize(
    "day",
    [date(2026, 5, 14), date(2026, 5, 25), date(2026, 6, 5), date(2026, 1, 1)],
    ids=["ascension", "whit-monday", "constitution-day", "new-year"],
)
def test_other_danish_holidays_are_off(day):
    assert not is_working_day(day)


def test_may_day_and_the_abolished_great_prayer_day_are_working_days():
    assert is_working_day(date(2026, 5, 1))
    assert is_working_day(date(2024, 4, 26))  # Store Bededag, abolished from 2024


def test_working_days_between_counts_the_days_after_the_start():
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 23)) == 1
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 23)) == 0
    assert working_days_between(date(2026, 12, 23), date(2027, 1, 4)) == 4


def _walked(start: date, end: date) -> int:
    """The definition, day by day: working days after ``start`` up to and including ``end``."""
    from datetime import timedelta

    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


def test_working_days_between_agrees_with_walking_the_days_across_years_and_holidays():
    from datetime import timedelta

    first = date(2024, 12, 1)
    starts = [first + timedelta(days=n) for n in range(0, 500, 7)]
    for start in starts:
        for length in (0, 1, 2, 3, 6, 13, 40, 400):
            end = start + timedelta(days=length)
            assert working_days_between(start, end) == _walked(start, end), (start, end)
    assert working_days_between(date(2025, 12, 31), date(2026, 1, 2)) == 1  # 1 January is off
    assert working_days_between(date(2025, 3, 5), date(2025, 3, 3)) == 0  # backwards counts nothing
