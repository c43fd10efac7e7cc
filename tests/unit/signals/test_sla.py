from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from signaalpunt.core.clock import dutch_now_to_minute
from signaalpunt.signals.sla import add_working_days, first_contact_due, is_working_day


def test_weekends_and_dutch_holidays_are_not_working_days() -> None:
    assert is_working_day(date(2026, 11, 23))  # a Monday
    assert not is_working_day(date(2026, 11, 21))  # Saturday
    assert not is_working_day(date(2026, 11, 22))  # Sunday
    assert not is_working_day(date(2026, 4, 27))  # Koningsdag
    assert not is_working_day(date(2026, 12, 25))  # Eerste Kerstdag
    assert is_working_day(date(2026, 12, 24))  # Christmas Eve is an ordinary working day


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 11, 23), 3, date(2026, 11, 26)),  # Monday + 3 = Thursday
        (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Friday + 1 = Monday
        (date(2026, 11, 21), 1, date(2026, 11, 23)),  # Saturday + 1 = Monday
        (date(2026, 12, 23), 3, date(2026, 12, 29)),  # Wednesday: 24, (25-27 off), 28, 29
        (date(2026, 4, 24), 1, date(2026, 4, 28)),  # Friday before Koningsdag (Monday 27th)
    ],
)
def test_working_days_skip_weekends_and_holidays(start: date, days: int, due: date) -> None:
    assert add_working_days(start, days) == due


def test_deadline_is_end_of_the_dutch_working_day_in_utc() -> None:
    # Reported Friday 20 Nov 2026 at 16:00 Dutch time (15:00 UTC); urgent: due end of Monday, Dutch time.
    due = first_contact_due(datetime(2026, 11, 20, 15, 0), 1)
    assert due == datetime(2026, 11, 23, 22, 59, 59)  # 23:59:59 in Amsterdam (UTC+1)


def test_the_deadline_counts_from_the_dutch_date_and_summer_time() -> None:
    # 23:30 UTC on Thursday 25 June 2026 is already Friday 01:30 in Amsterdam (UTC+2): one working day on is Monday.
    assert first_contact_due(datetime(2026, 6, 25, 23, 30), 1) == datetime(2026, 6, 29, 21, 59, 59)
    # The same moment in winter (UTC+1): Friday 00:30 Dutch time, so Monday too.
    assert first_contact_due(datetime(2026, 11, 26, 23, 30), 1) == datetime(2026, 11, 30, 22, 59, 59)


def test_the_form_time_is_dutch_wall_clock_time_to_the_minute() -> None:
    shown = dutch_now_to_minute()
    dutch = datetime.now(ZoneInfo("Europe/Amsterdam")).replace(tzinfo=None)
    assert (shown.second, shown.microsecond, shown.tzinfo) == (0, 0, None)
    assert timedelta(0) <= dutch - shown < timedelta(minutes=1)
