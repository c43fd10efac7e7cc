"""Typed SQLAlchemy models, one module per aggregate; rules live in workflow.py."""

from signaalpunt.models.organisation import Area, AreaRange, Organisation, Partner, area_workers
from signaalpunt.models.outbox import OutboxMessage
from signaalpunt.models.signal import ContactAttempt, Signal, SignalObservation, SignalView, TimelineEvent
from signaalpunt.models.user import User, UserToken

__all__ = [
    "Area",
    "AreaRange",
    "ContactAttempt",
    "Organisation",
    "OutboxMessage",
    "Partner",
    "Signal",
    "SignalObservation",
    "SignalView",
    "TimelineEvent",
    "User",
    "UserToken",
    "area_workers",
]
