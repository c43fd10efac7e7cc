"""A signal with what was observed, its timeline, its contact attempts and who looked at it."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_method, hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signaalpunt.accounts.models import User
from signaalpunt.core.clock import utcnow
from signaalpunt.core.columns import enum_column
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Area, Organisation, Partner
from signaalpunt.signals.enums import (
    AgeBand,
    CallTime,
    Channel,
    ContactMethod,
    EventKind,
    Observation,
    Outcome,
    PersonAwareness,
    ReferralTarget,
    RejectionReason,
    ReporterRole,
    SignalStatus,
)


class Signal(db.Model):
    """One reported concern about one person: the unit of follow-up."""

    __tablename__ = "signals"
    __table_args__ = (
        sa.Index("ix_signals_postcode_house_number", "postcode", "house_number"),
        # The board: open signals by urgency and deadline (and first contact, which decides "overdue"), so a
        # page is chosen from the index; (postcode, street) so that a text search and the tab counts read
        # only the index, not every row; the assignee for the open caseload per worker on the figures page.
        sa.Index(
            "ix_signals_board",
            "organisation_id",
            "status",
            "urgent",
            "due_at",
            "first_contact_at",
            "postcode",
            "street",
            "assignee_id",
        ),
        # The same for the finished tabs, which show the last 30 days.
        sa.Index(
            "ix_signals_recently_finished", "organisation_id", "status", "updated_at", "urgent", "postcode", "street"
        ),
        sa.Index("ix_signals_assignee_status", "assignee_id", "status"),
        # The open signals outside every area, which the coordinator's board looks for on every load, with
        # their PC4 so that those an area now covers are found from this small index alone.
        sa.Index(
            "ix_signals_outside_areas",
            "organisation_id",
            "status",
            "pc4",
            sqlite_where=sa.text("area_id IS NULL"),
            postgresql_where=sa.text("area_id IS NULL"),
        ),
        # Covers every figures query, so they read the index instead of the wide rows.
        sa.Index(
            "ix_signals_figures",
            "organisation_id",
            "created_at",
            "status",
            "reporter_role",
            "partner_id",
            "area_id",
            "outcome",
            "first_contact_at",
            "due_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The columns the figures count load their old value before a change (active_history), so that the
    # running totals can move a signal from its old keys to its new ones (signals.tallies).
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True, active_history=True)
    reference: Mapped[str] = mapped_column(sa.String(12), unique=True)
    # The random token of the form that created this signal; a second post of the same form finds it.
    submission_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # Bumped on every change; a stale form or a concurrent writer is refused instead of overwriting.
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[SignalStatus] = mapped_column(
        enum_column(SignalStatus), default=SignalStatus.NEW, index=True, active_history=True
    )
    channel: Mapped[Channel] = mapped_column(enum_column(Channel), default=Channel.WEB)
    urgent: Mapped[bool] = mapped_column(default=False)

    reporter_role: Mapped[ReporterRole] = mapped_column(enum_column(ReporterRole), active_history=True)
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partners.id"), index=True, active_history=True)
    # Sent by a partner app with this key (Open311): the app lists only its own requests.
    api_key_id: Mapped[int | None] = mapped_column(sa.ForeignKey("api_keys.id"), index=True)

    postcode: Mapped[str | None] = mapped_column(sa.String(7))
    pc4: Mapped[str | None] = mapped_column(sa.String(4), index=True)
    house_number: Mapped[int | None]
    house_number_suffix: Mapped[str | None] = mapped_column(sa.String(10))
    street: Mapped[str | None] = mapped_column(sa.String(120))
    town: Mapped[str | None] = mapped_column(sa.String(80))
    place_description: Mapped[str | None] = mapped_column(sa.String(500))
    area_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("areas.id", ondelete="SET NULL"), index=True, active_history=True
    )

    description: Mapped[str] = mapped_column(sa.Text)
    person_name: Mapped[str | None] = mapped_column(sa.String(120))
    age_band: Mapped[AgeBand | None] = mapped_column(enum_column(AgeBand))
    person_aware: Mapped[PersonAwareness] = mapped_column(enum_column(PersonAwareness), default=PersonAwareness.UNKNOWN)

    reporter_name: Mapped[str | None] = mapped_column(sa.String(120))
    reporter_phone: Mapped[str | None] = mapped_column(sa.String(20))
    reporter_email: Mapped[str | None] = mapped_column(sa.String(254))
    keep_informed: Mapped[bool] = mapped_column(default=False)
    # The language the reporter used, so that mail to them later is written in it too.
    reporter_language: Mapped[str] = mapped_column(sa.String(5), default="nl")
    # Someone reporting about themselves says when they would rather be called.
    call_time: Mapped[CallTime | None] = mapped_column(enum_column(CallTime))

    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    due_at: Mapped[datetime | None] = mapped_column(index=True, active_history=True)
    first_contact_at: Mapped[datetime | None] = mapped_column(active_history=True)
    # When the signal ended: closed with an outcome, or not pursued. The retention period counts from here.
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome), active_history=True)
    referral_target: Mapped[ReferralTarget | None] = mapped_column(enum_column(ReferralTarget))
    rejection_reason: Mapped[RejectionReason | None] = mapped_column(enum_column(RejectionReason))
    duplicate_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("signals.id"), index=True)

    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True, active_history=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    anonymised_at: Mapped[datetime | None]

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's declarative API

    organisation: Mapped[Organisation] = relationship()
    partner: Mapped[Partner | None] = relationship()
    area: Mapped[Area | None] = relationship()
    assignee: Mapped[User | None] = relationship()
    duplicate_of: Mapped["Signal | None"] = relationship(remote_side=[id], back_populates="duplicates")
    duplicates: Mapped[list["Signal"]] = relationship(back_populates="duplicate_of", order_by="Signal.id")
    observations: Mapped[list["SignalObservation"]] = relationship(
        back_populates="signal", cascade="all, delete-orphan", order_by="SignalObservation.observation"
    )
    events: Mapped[list["TimelineEvent"]] = relationship(
        back_populates="signal", cascade="all, delete-orphan", order_by="TimelineEvent.id"
    )
    contact_attempts: Mapped[list["ContactAttempt"]] = relationship(
        back_populates="signal", cascade="all, delete-orphan", order_by="ContactAttempt.attempted_at"
    )

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    @hybrid_property
    def outside_area(self) -> bool:
        """A postcode was given but it lies in none of the team's areas (in Python and in SQL alike)."""
        return self.pc4 is not None and self.area_id is None

    @outside_area.inplace.expression
    @classmethod
    def _outside_area_expression(cls) -> sa.ColumnElement[bool]:
        return sa.and_(cls.pc4.is_not(None), cls.area_id.is_(None))

    @hybrid_method
    def is_overdue(self, now: datetime) -> bool:
        """Open, no contact attempt yet, and past the first-contact deadline (in Python and in SQL alike)."""
        return self.is_open and self.first_contact_at is None and self.due_at is not None and self.due_at < now

    @is_overdue.inplace.expression
    @classmethod
    def _is_overdue_expression(cls, now: datetime) -> sa.ColumnElement[bool]:
        return sa.and_(cls.status.in_(SignalStatus.open_statuses()), cls.first_contact_at.is_(None), cls.due_at < now)


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
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Structured facts of the event (assignee, method, outcome…), rendered in the reader's language.
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Free text a staff member wrote; personal data, removed by anonymisation.
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    signal: Mapped[Signal] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class ContactAttempt(db.Model):
    """A try to reach the person: when, how, and whether it worked."""

    __tablename__ = "contact_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(sa.ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    attempted_at: Mapped[datetime]
    method: Mapped[ContactMethod] = mapped_column(enum_column(ContactMethod))
    reached: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    signal: Mapped[Signal] = relationship(back_populates="contact_attempts")
    actor: Mapped[User] = relationship()


class SignalTally(db.Model):
    """A running total behind the figures: how many of a team's signals reported on one day (or in one week)
    count under one key of one measure. Kept by ``signals.tallies`` in the same transaction as each change."""

    __tablename__ = "signal_tallies"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 - SQLAlchemy's declarative API

    # A team, or 0 for the whole region (so no foreign key).
    organisation_id: Mapped[int] = mapped_column(primary_key=True)
    # 0 for the team as a whole; an area's own rows repeat its signals' counts for the area filter.
    area_id: Mapped[int] = mapped_column(primary_key=True)
    measure: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    # "d" for a day, "w" for the week from that Monday, "m" for the month from its first day.
    span: Mapped[str] = mapped_column(sa.String(1), primary_key=True)
    starts_on: Mapped[date] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    count: Mapped[int]
