"""Staff accounts and the single-use tokens that let them set a password."""

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signaalpunt.clock import utcnow
from signaalpunt.enums import Role
from signaalpunt.extensions import db
from signaalpunt.models.columns import enum_column
from signaalpunt.models.organisation import Area, Organisation, area_workers


class User(UserMixin, db.Model):
    """A staff member. Reporters never have an account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
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

    organisation: Mapped[Organisation] = relationship()
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
