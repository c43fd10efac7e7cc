"""One consent of the person behind a signal: what, for whom, how given, by whom recorded, and its withdrawal."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signaalpunt.accounts.models import User
from signaalpunt.consent.enums import ConsentKind, ConsentMethod, SharedDetail
from signaalpunt.core.clock import utcnow
from signaalpunt.core.columns import enum_column
from signaalpunt.extensions import db
from signaalpunt.signals.models import Signal
from signaalpunt.socialmap.models import Initiative


class Consent(db.Model):
    """Kept with the signal for as long as the signal is kept; a withdrawal ends it, it is never deleted."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(sa.ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ConsentKind] = mapped_column(enum_column(ConsentKind))
    # The named initiative the person's details may go to (sharing only).
    initiative_id: Mapped[int | None] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="SET NULL"))
    # Values of SharedDetail, comma-separated (sharing only).
    details: Mapped[str] = mapped_column(sa.String(40), default="")
    method: Mapped[ConsentMethod] = mapped_column(enum_column(ConsentMethod))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    signal: Mapped[Signal] = relationship(
        backref=sa.orm.backref("consents", cascade="all, delete-orphan", order_by="Consent.id")
    )
    initiative: Mapped[Initiative | None] = relationship()
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def shared_details(self) -> list[SharedDetail]:
        return [SharedDetail(value) for value in self.details.split(",") if value]
