"""The one source of "now", so that every stored time is naive UTC; and the Dutch calendar days that people
mean when they pick a date, count per day or read one."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    """The current time in UTC, without tzinfo, as the database columns store it."""
    return datetime.now(UTC).replace(tzinfo=None)


def dutch_today() -> date:
    return datetime.now(AMSTERDAM).date()


def dutch_day(moment: datetime) -> date:
    """The Dutch calendar day of a stored (naive UTC) moment: a report at 23:30 UTC in winter was made the next
    day."""
    return moment.replace(tzinfo=UTC).astimezone(AMSTERDAM).date()


def dutch_midnight(day: date) -> datetime:
    """The start of a Dutch calendar day, as naive UTC like the stored times (23:00 or, in summer, 22:00 UTC the
    day before)."""
    return from_dutch(datetime.combine(day, time.min))


def from_dutch(wall_clock: datetime) -> datetime:
    """A Dutch wall-clock time (as typed, or as a rule says: "the end of the day") as naive UTC, as stored."""
    return wall_clock.replace(tzinfo=AMSTERDAM).astimezone(UTC).replace(tzinfo=None)


def dutch_now_to_minute() -> datetime:
    """Dutch wall-clock time now, as a form's date-time field shows it."""
    return datetime.now(AMSTERDAM).replace(tzinfo=None, second=0, microsecond=0)
