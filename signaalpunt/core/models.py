"""Platform tables: mail waiting to be delivered, rate-limit counters, and the row the health check writes."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signaalpunt.core.clock import utcnow
from signaalpunt.extensions import db


class OutboxMessage(db.Model):
    """An e-mail waiting to be delivered; written in the same transaction as what caused it."""

    __tablename__ = "outbox_messages"
    __table_args__ = (sa.Index("ix_outbox_messages_due", "sent_at", "failed_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The signal the mail is about, so anonymisation can remove it with the signal's personal data.
    signal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("signals.id", ondelete="SET NULL"), index=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    # Set while a mail worker is sending it, so no other worker sends it too.
    claimed_until: Mapped[datetime | None]

    signal: Mapped["Signal | None"] = relationship()  # noqa: F821 - registered in models/__init__


class HealthCheck(db.Model):
    """One row the health check rewrites, to prove the database still takes writes."""

    __tablename__ = "health_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)


class RateLimitWindow(db.Model):
    """One rate-limit counter: how many hits its key had in the window that ends at ``expires_at``."""

    __tablename__ = "rate_limit_windows"

    # A hash of the limiter's key, which holds the visitor's address.
    key_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    count: Mapped[int]
    # Seconds since the epoch, as the limits library counts.
    expires_at: Mapped[float] = mapped_column(sa.Float, index=True)
