"""The team, the partners whose people report, and the areas the team covers."""

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

area_workers = sa.Table(
    "area_workers",
    db.metadata,
    sa.Column("area_id", sa.ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Organisation(db.Model):
    """The team that runs a Signaalpunt; every signal, partner, area and staff member belongs to one."""

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


class Area(db.Model):
    """A working area (wijk): a set of PC4 ranges, covered by some of the team's workers."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))

    organisation: Mapped[Organisation] = relationship()
    ranges: Mapped[list["AreaRange"]] = relationship(
        back_populates="area", cascade="all, delete-orphan", order_by="AreaRange.first_pc4"
    )
    workers: Mapped[list["User"]] = relationship(secondary=area_workers, back_populates="areas", order_by="User.name")

    @property
    def ranges_text(self) -> str:
        """The ranges as an admin types them: ``4531-4536, 4538``."""
        return ", ".join(
            str(r.first_pc4) if r.first_pc4 == r.last_pc4 else f"{r.first_pc4}-{r.last_pc4}" for r in self.ranges
        )


class AreaRange(db.Model):
    """One inclusive range of four-digit postcodes belonging to an area."""

    __tablename__ = "area_ranges"
    __table_args__ = (sa.Index("ix_area_ranges_bounds", "first_pc4", "last_pc4"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    first_pc4: Mapped[int]
    last_pc4: Mapped[int]

    area: Mapped[Area] = relationship(back_populates="ranges")
