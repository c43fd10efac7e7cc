"""The one source of "now", so that every stored time is naive UTC."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time in UTC, without tzinfo, as the database columns store it."""
    return datetime.now(UTC).replace(tzinfo=None)
