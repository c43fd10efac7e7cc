"""Typed SQLAlchemy models, one module per aggregate; rules live in workflow.py."""

from signaalpunt.models.organisation import Area, AreaRange, Organisation, Partner, area_workers
from signaalpunt.models.outbox import HealthCheck, OutboxMessage
from signaalpunt.models.security import AuditEvent, PendingLogin, RateLimitWindow, RecoveryCode, UserSession
from signaalpunt.models.signal import ContactAttempt, Signal, SignalObservation, TimelineEvent
from signaalpunt.models.user import PasswordResetRequest, User, UserToken

__all__ = [
    "Area",
    "AreaRange",
    "AuditEvent",
    "ContactAttempt",
    "HealthCheck",
    "Organisation",
    "OutboxMessage",
    "Partner",
    "PasswordResetRequest",
    "PendingLogin",
    "RateLimitWindow",
    "RecoveryCode",
    "Signal",
    "SignalObservation",
    "TimelineEvent",
    "User",
    "UserSession",
    "UserToken",
    "area_workers",
]
