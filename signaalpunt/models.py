"""Typed SQLAlchemy models: columns, relations and small derived properties; rules live in workflow.py."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signaalpunt.clock import utcnow
from signaalpunt.enums import (
    AgeBand,
    Channel,
    EventKind,
    LabelledEnum,
    Observation,
    PartnerKind,
    PersonAwareness,
    ReporterRole,
    SignalStatus,
)
from signaalpunt.extensions import db


def enum_column(enum_class: type[LabelledEnum]) -> sa.Enum:
    """Store an enum by its value in a plain string column, portable across SQLite and PostgreSQL."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Organisation(db.Model):
    """The team that runs a Signaalpunt; every signal and partner belongs to one."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Partner(db.Model):
    """An organisation whose people report signals, such as a parcel carrier or a bank."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(sa.String(120))
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    kind: Mapped[PartnerKind] = mapped_column(enum_column(PartnerKind))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()


class Signal(db.Model):
    """One reported concern about one person: the unit of follow-up."""

    __tablename__ = "signals"
    __table_args__ = (sa.Index("ix_signals_postcode_house_number", "postcode", "house_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    reference: Mapped[str] = mapped_column(sa.String(12), unique=True)
    # The random token of the form that created this signal; a second post of the same form finds it.
    submission_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    status: Mapped[SignalStatus] = mapped_column(enum_column(SignalStatus), default=SignalStatus.NEW, index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel), default=Channel.WEB)
    urgent: Mapped[bool] = mapped_column(default=False)

    reporter_role: Mapped[ReporterRole] = mapped_column(enum_column(ReporterRole))
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partners.id"), index=True)

    postcode: Mapped[str | None] = mapped_column(sa.String(7))
    pc4: Mapped[str | None] = mapped_column(sa.String(4), index=True)
    house_number: Mapped[int | None]
    house_number_suffix: Mapped[str | None] = mapped_column(sa.String(10))
    street: Mapped[str | None] = mapped_column(sa.String(120))
    town: Mapped[str | None] = mapped_column(sa.String(80))
    place_description: Mapped[str | None] = mapped_column(sa.String(500))

    description: Mapped[str] = mapped_column(sa.Text)
    person_name: Mapped[str | None] = mapped_column(sa.String(120))
    age_band: Mapped[AgeBand | None] = mapped_column(enum_column(AgeBand))
    person_aware: Mapped[PersonAwareness] = mapped_column(enum_column(PersonAwareness), default=PersonAwareness.UNKNOWN)

    reporter_name: Mapped[str | None] = mapped_column(sa.String(120))
    reporter_phone: Mapped[str | None] = mapped_column(sa.String(20))
    reporter_email: Mapped[str | None] = mapped_column(sa.String(254))
    keep_informed: Mapped[bool] = mapped_column(default=False)

    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()
    partner: Mapped[Partner | None] = relationship()
    observations: Mapped[list["SignalObservation"]] = relationship(
        back_populates="signal", cascade="all, delete-orphan", order_by="SignalObservation.observation"
    )
    events: Mapped[list["TimelineEvent"]] = relationship(
        back_populates="signal", cascade="all, delete-orphan", order_by="TimelineEvent.id"
    )


class SignalObservation(db.Model):
    """One observed sign ticked on the form; a table of its own so figures can group by it."""

    __tablename__ = "signal_observations"

    signal_id: Mapped[int] = mapped_column(sa.ForeignKey("signals.id", ondelete="CASCADE"), primary_key=True)
    observation: Mapped[Observation] = mapped_column(enum_column(Observation), primary_key=True)

    signal: Mapped[Signal] = relationship(back_populates="observations")


class TimelineEvent(db.Model):
    """One entry in a signal's append-only history."""

    __tablename__ = "timeline_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(sa.ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    detail: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    signal: Mapped[Signal] = relationship(back_populates="events")


class OutboxMessage(db.Model):
    """An e-mail waiting to be delivered; written in the same transaction as what caused it."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
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

    __table_args__ = (sa.Index("ix_outbox_messages_due", "sent_at", "failed_at", "next_attempt_at"),)
