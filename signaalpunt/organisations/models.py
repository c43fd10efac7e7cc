"""The teams of a region, the partners whose people report in all of them, and the areas each team covers."""

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signaalpunt.core.clock import utcnow
from signaalpunt.core.columns import enum_column
from signaalpunt.extensions import db
from signaalpunt.organisations.enums import PartnerKind

if TYPE_CHECKING:
    from signaalpunt.accounts.models import User


def consecutive_ranges(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """PC4s as inclusive ranges of consecutive numbers: 4531, 4532, 4538 → (4531, 4532), (4538, 4538)."""
    ranges: list[tuple[int, int]] = []
    for number in sorted(numbers):
        if ranges and ranges[-1][1] == number - 1:
            ranges[-1] = (ranges[-1][0], number)
        else:
            ranges.append((number, number))
    return ranges


def ranges_text(ranges: list[tuple[int, int]]) -> str:
    """Ranges as a person types them: ``4531-4536, 4538``."""
    return ", ".join(str(first) if first == last else f"{first}-{last}" for first, last in ranges)


class ServesPostcodes:
    """For a model whose ``postcodes`` rows (each with a ``pc4``) say where it works: an area, an initiative."""

    postcodes: list

    @property
    def ranges(self) -> list[tuple[int, int]]:
        """The PC4s as inclusive ranges of consecutive numbers."""
        return consecutive_ranges(postcode.pc4 for postcode in self.postcodes)

    @property
    def ranges_text(self) -> str:
        """The ranges as a person types them: ``4531-4536, 4538``."""
        return ranges_text(self.ranges)


area_workers = sa.Table(
    "area_workers",
    db.metadata,
    sa.Column("area_id", sa.ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Organisation(db.Model):
    """A municipal team, sealed off from the others: every signal, area and team member belongs to one."""

    __tablename__ = "organisations"
    __table_args__ = (
        # At most one team receives what no area covers.
        sa.Index(
            "uq_organisations_fallback",
            "is_fallback",
            unique=True,
            sqlite_where=sa.text("is_fallback"),
            postgresql_where=sa.text("is_fallback"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Shown on the team's pages and signed under its mail, e.g. "Signaalpunt Terneuzen".
    name: Mapped[str] = mapped_column(sa.String(120))
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    # What reporters are given to reach the team that follows their signal up.
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    sla_working_days: Mapped[int] = mapped_column(default=3, server_default="3")
    sla_urgent_working_days: Mapped[int] = mapped_column(default=1, server_default="1")
    retention_months: Mapped[int] = mapped_column(default=12, server_default="12")
    # Weeks after a referral before the worker calls back whether help landed (*nabellen*).
    follow_up_weeks: Mapped[int] = mapped_column(default=6, server_default="6")
    # The team that receives signals outside every area (marked "buiten werkgebied").
    is_fallback: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def working_days(self, urgent: bool) -> int:
        """Working days to a first contact attempt."""
        return self.sla_urgent_working_days if urgent else self.sla_working_days


class Partner(db.Model):
    """An organisation whose people report signals, such as a parcel carrier or a bank: one for the whole region,
    with one link and one poster; each team sees only its own signals of it."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    kind: Mapped[PartnerKind] = mapped_column(enum_column(PartnerKind))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PartnerContact(db.Model):
    """The person a team talks to at a partner (its local store manager, the carrier's regional depot)."""

    __tablename__ = "partner_contacts"

    partner_id: Mapped[int] = mapped_column(sa.ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    email: Mapped[str | None] = mapped_column(sa.String(254))


class Area(ServesPostcodes, db.Model):
    """A working area (wijk): a set of PC4s, covered by some of the team's workers."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))

    organisation: Mapped[Organisation] = relationship()
    postcodes: Mapped[list["AreaPostcode"]] = relationship(
        back_populates="area", cascade="all, delete-orphan", order_by="AreaPostcode.pc4"
    )
    workers: Mapped[list["User"]] = relationship(secondary=area_workers, back_populates="areas", order_by="User.name")


class AreaPostcode(db.Model):
    """One four-digit postcode and the one area of the whole region it belongs to.

    A row per PC4 (there are fewer than 9,000) lets the database itself refuse a postcode in two areas, and
    makes routing a report one key look-up.
    """

    __tablename__ = "area_postcodes"

    pc4: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="CASCADE"), index=True)

    area: Mapped[Area] = relationship(back_populates="postcodes")
