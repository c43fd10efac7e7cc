"""The first-contact deadline: N Dutch working days after the report, weekends and public holidays excluded; and
which signals the figures judge on it."""

from datetime import date, datetime, time, timedelta
from functools import cache

import holidays
import sqlalchemy as sa

from signaalpunt.core.clock import dutch_day, from_dutch
from signaalpunt.signals.enums import SignalStatus


@cache
def _dutch_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Dutch public holiday."""
    return day.weekday() < 5 and day not in _dutch_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (a report on Friday plus 1 is due on Monday)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def first_contact_due(reported_at: datetime, working_days: int) -> datetime:
    """The last second of the Nth working day after the report, Dutch time, returned as naive UTC like stored times."""
    due_day = add_working_days(dutch_day(reported_at), working_days)
    return from_dutch(datetime.combine(due_day, time(23, 59, 59)))


def judged_on_deadline(status: SignalStatus, due_at: datetime | None) -> bool:
    """A signal with a deadline that is followed up counts in the figures' "first contact in time" once it was
    contacted or its deadline passed; one not pursued or a duplicate never does."""
    return due_at is not None and status not in SignalStatus.not_followed_up()


def judged_on_deadline_clause(status: sa.ColumnElement, due_at: sa.ColumnElement) -> sa.ColumnElement[bool]:
    """``judged_on_deadline`` as a condition for a query."""
    return sa.and_(due_at.is_not(None), status.not_in(SignalStatus.not_followed_up()))


def contacted_in_time(first_contact_at: datetime, due_at: datetime) -> bool:
    return first_contact_at <= due_at
