"""Server-side sessions, second-factor recovery codes and the append-only audit trail."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signaalpunt.clock import utcnow
from signaalpunt.extensions import db
from signaalpunt.models.user import User


class UserSession(db.Model):
    """One logged-in browser. The cookie holds only a random token; ending the record ends the session."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class PendingLogin(db.Model):
    """A password checked a moment ago, waiting for the second factor; the cookie holds only a random token.

    The secret being enrolled lives here too, never in the (client-readable) cookie, so a forged cookie
    cannot skip the password or enrol an authenticator of its own.
    """

    __tablename__ = "pending_logins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_url: Mapped[str | None] = mapped_column(sa.String(500))
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A single-use code to log in without the authenticator app; only its hash is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(255))
    used_at: Mapped[datetime | None]


class AuditEvent(db.Model):
    """Who did what to which object, with what result, from where. Never changed or deleted by the app."""

    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_object", "object_type", "object_key"),
        sa.Index("ix_audit_events_action_time", "action", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(40))
    object_type: Mapped[str | None] = mapped_column(sa.String(20))
    # A reference, an id or (for login attempts) the e-mail address typed; never free text about a person.
    object_key: Mapped[str | None] = mapped_column(sa.String(254))
    result: Mapped[str] = mapped_column(sa.String(20))
    origin: Mapped[str | None] = mapped_column(sa.String(45))

    actor: Mapped[User | None] = relationship()


class RateLimitWindow(db.Model):
    """One rate-limit counter: how many hits its key had in the window that ends at ``expires_at``."""

    __tablename__ = "rate_limit_windows"

    # A hash of the limiter's key, which holds the visitor's address.
    key_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    count: Mapped[int]
    # Seconds since the epoch, as the limits library counts.
    expires_at: Mapped[float] = mapped_column(sa.Float, index=True)
