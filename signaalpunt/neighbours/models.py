"""A call for good neighbours, the partners it went to, the volunteers who signed up, and postcode centroids."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signaalpunt.accounts.models import User
from signaalpunt.core.clock import utcnow
from signaalpunt.core.columns import enum_column
from signaalpunt.extensions import db
from signaalpunt.neighbours.enums import Availability, NeighbourHelp
from signaalpunt.referrals.enums import Landed
from signaalpunt.signals.models import Signal
from signaalpunt.socialmap.models import Initiative


class PostcodeCentroid(db.Model):
    """Where a six-position postcode lies, from the national address register: to rank volunteers by distance."""

    __tablename__ = "postcode_centroids"

    postcode: Mapped[str] = mapped_column(sa.String(6), primary_key=True)
    latitude: Mapped[float]
    longitude: Mapped[float]


class NeighbourCall(db.Model):
    """An anonymised call: a situation in a PC4, the kind of neighbour sought and how many. Never a name, an
    address, an age or a health detail."""

    __tablename__ = "neighbour_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(sa.ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    pc4: Mapped[str] = mapped_column(sa.String(4))
    # Values of NeighbourHelp, comma-separated.
    kinds: Mapped[str] = mapped_column(sa.String(100), default="")
    wanted: Mapped[int] = mapped_column(default=3)
    # How many PC4 numbers either side of the person's the call reaches.
    radius: Mapped[int] = mapped_column(default=0)
    # Every sign-up ever received, for the figures: sign-ups themselves are deleted 30 days after the call.
    signups_received: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    # When the worker picked the neighbours: the network stands from then on.
    filled_at: Mapped[datetime | None]
    follow_up: Mapped[Landed | None] = mapped_column(enum_column(Landed))
    follow_up_reason: Mapped[str | None] = mapped_column(sa.Text)
    followed_up_at: Mapped[datetime | None]

    signal: Mapped[Signal] = relationship(
        backref=sa.orm.backref("calls", cascade="all, delete-orphan", order_by="NeighbourCall.id")
    )
    created_by: Mapped[User] = relationship()
    invites: Mapped[list["CallInvite"]] = relationship(cascade="all, delete-orphan", order_by="CallInvite.id")
    signups: Mapped[list["VolunteerSignup"]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="VolunteerSignup.id"
    )

    @property
    def sought(self) -> list[NeighbourHelp]:
        return [NeighbourHelp(value) for value in self.kinds.split(",") if value]

    def is_open(self, now: datetime) -> bool:
        return self.closed_at is None and self.expires_at > now

    @property
    def picked(self) -> list["VolunteerSignup"]:
        return [signup for signup in self.signups if signup.picked_at is not None]


class CallInvite(db.Model):
    """The call as sent to one network partner, with the public sign-up link it forwards to people it trusts."""

    __tablename__ = "call_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(sa.ForeignKey("neighbour_calls.id", ondelete="CASCADE"), index=True)
    initiative_id: Mapped[int | None] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="SET NULL"))
    # Public on purpose: it is forwarded; it opens only the sign-up form of this call.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[NeighbourCall] = relationship(back_populates="invites")
    initiative: Mapped[Initiative | None] = relationship()


class VolunteerSignup(db.Model):
    """A volunteer for one call, with their consent to be kept for it. Deleted 30 days after the call closes unless
    picked; a picked volunteer's details follow the signal's retention."""

    __tablename__ = "volunteer_signups"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(sa.ForeignKey("neighbour_calls.id", ondelete="CASCADE"), index=True)
    invite_id: Mapped[int | None] = mapped_column(sa.ForeignKey("call_invites.id", ondelete="SET NULL"))
    name: Mapped[str | None] = mapped_column(sa.String(120))
    postcode: Mapped[str | None] = mapped_column(sa.String(7))
    house_number: Mapped[int | None]
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    # Values of Availability and codes of SpokenLanguage, comma-separated.
    availability: Mapped[str] = mapped_column(sa.String(100), default="")
    languages: Mapped[str] = mapped_column(sa.String(100), default="")
    motivation: Mapped[str | None] = mapped_column(sa.String(500))
    language: Mapped[str] = mapped_column(sa.String(5), default="nl")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdraw_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    picked_at: Mapped[datetime | None]
    address_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    address_link_expires_at: Mapped[datetime | None]
    address_seen_at: Mapped[datetime | None]

    call: Mapped[NeighbourCall] = relationship(back_populates="signups")
    invite: Mapped[CallInvite | None] = relationship()

    @property
    def available(self) -> list[Availability]:
        return [Availability(value) for value in self.availability.split(",") if value]

    @property
    def pc4(self) -> str | None:
        return self.postcode[:4] if self.postcode else None
