"""A referral of a signal's person to an initiative on the map, or to somewhere not on it."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signaalpunt.consent.enums import SharedDetail
from signaalpunt.core.clock import utcnow
from signaalpunt.core.columns import enum_column
from signaalpunt.extensions import db
from signaalpunt.referrals.enums import HandoverAnswer, Landed
from signaalpunt.signals.models import Signal
from signaalpunt.socialmap.enums import InitiativeKind
from signaalpunt.socialmap.models import Initiative

# An initiative that has not answered a warm handover by then is flagged to the worker.
UNCONFIRMED_AFTER = timedelta(days=14)


class Referral(db.Model):
    """Where the person was sent, whether the initiative was told (warm handover) and answered, and whether help
    landed. The handover link is single use and expiring; only its token's hash is stored."""

    __tablename__ = "referrals"
    __table_args__ = (
        # The six-week check: a team's referrals nobody called back about yet, oldest first.
        sa.Index("ix_referrals_follow_up", "organisation_id", "landed", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(sa.ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    initiative_id: Mapped[int | None] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="SET NULL"), index=True)
    # The initiative's name when referred, or what the worker typed for a place not on the map.
    name: Mapped[str] = mapped_column(sa.String(120))
    # The initiative's kind, for the figures; none for a place not on the map.
    kind: Mapped[InitiativeKind | None] = mapped_column(enum_column(InitiativeKind))
    # The language the person's card is written in.
    language: Mapped[str] = mapped_column(sa.String(5), default="nl")
    # Warm handover: what was sent (values of SharedDetail) and the worker's message; personal, anonymised.
    handover: Mapped[bool] = mapped_column(default=False)
    shared: Mapped[str] = mapped_column(sa.String(40), default="")
    message: Mapped[str | None] = mapped_column(sa.Text)
    token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    link_expires_at: Mapped[datetime | None]
    answer: Mapped[HandoverAnswer | None] = mapped_column(enum_column(HandoverAnswer))
    answer_reason: Mapped[str | None] = mapped_column(sa.Text)
    answered_at: Mapped[datetime | None]
    # The six-week check by the worker.
    landed: Mapped[Landed | None] = mapped_column(enum_column(Landed))
    landed_reason: Mapped[str | None] = mapped_column(sa.Text)
    landed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    signal: Mapped[Signal] = relationship(
        backref=sa.orm.backref("referrals", cascade="all, delete-orphan", order_by="Referral.id")
    )
    initiative: Mapped[Initiative | None] = relationship()

    @hybrid_method
    def is_unconfirmed(self, now: datetime) -> bool:
        """A warm handover the initiative has not answered in two weeks (in Python and in SQL alike)."""
        return self.handover and self.answered_at is None and self.created_at <= now - UNCONFIRMED_AFTER

    @is_unconfirmed.inplace.expression
    @classmethod
    def _is_unconfirmed_expression(cls, now: datetime) -> sa.ColumnElement[bool]:
        return sa.and_(cls.handover.is_(True), cls.answered_at.is_(None), cls.created_at <= now - UNCONFIRMED_AFTER)

    @property
    def shared_details(self) -> list[SharedDetail]:
        return [SharedDetail(value) for value in self.shared.split(",") if value]
