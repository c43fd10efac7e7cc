"""Staff accounts, their link tokens and reset requests, sessions, second-factor state and the audit trail."""

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signaalpunt.accounts.enums import Role
from signaalpunt.core.clock import utcnow
from signaalpunt.core.columns import enum_column
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Area, Organisation, area_workers


class User(UserMixin, db.Model):
    """A staff member. Reporters never have an account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for the region's own roles (region administrator, region viewer), which belong to no team.
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    # Empty until the invited colleague sets a password through the e-mailed link.
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Base32 TOTP secret; set once the colleague has confirmed a code from their authenticator app.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    # The 30-second step of the last code accepted: a code is good for one login, never replayed.
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)

    organisation: Mapped[Organisation | None] = relationship()
    areas: Mapped[list[Area]] = relationship(secondary=area_workers, back_populates="workers", order_by="Area.name")

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses sessions of deactivated accounts and of accounts without a password yet."""
        return self.active and self.password_hash is not None


class UserToken(db.Model):
    """A single-use, expiring link token (invitation or password reset); only its hash is stored."""

    __tablename__ = "user_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(20))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class PasswordResetRequest(db.Model):
    """An address typed on the forgotten-password page, waiting for the mail worker.

    The page only stores this, whether or not an account exists, so it answers alike in the same time;
    the worker looks the account up, sends the link if there is one, and deletes the row either way.
    """

    __tablename__ = "password_reset_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


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
