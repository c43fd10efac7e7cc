"""An API key of a partner app: shown once, stored hashed, revoked for good."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signaalpunt.accounts.models import User
from signaalpunt.core.clock import utcnow
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Organisation, Partner


class ApiKey(db.Model):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("partners.id"), index=True)
    # The team whose coordinator made it; none when the region administrator did.
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(120))
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The key's first characters, so people can tell keys apart without the key.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    partner: Mapped[Partner] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])

    @property
    def active(self) -> bool:
        return self.revoked_at is None
