"""An initiative on a team's social map, and the PC4s it serves."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signaalpunt.core.clock import utcnow
from signaalpunt.core.columns import enum_column
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Organisation, ServesPostcodes
from signaalpunt.socialmap.enums import InitiativeKind, SpokenLanguage, TargetGroup


class Initiative(ServesPostcodes, db.Model):
    """A local initiative a person can be referred to: a buddy project, a club, debt help, a mosque."""

    __tablename__ = "initiatives"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "name", name="uq_initiatives_organisation_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[InitiativeKind] = mapped_column(enum_column(InitiativeKind))
    offer: Mapped[str] = mapped_column(sa.String(500), default="")
    # True: the whole municipality, and no PC4 rows.
    whole_municipality: Mapped[bool] = mapped_column(default=False)
    # Codes of SpokenLanguage and values of TargetGroup, comma-separated, in the enums' order.
    languages: Mapped[str] = mapped_column(sa.String(100), default="nl")
    target_groups: Mapped[str] = mapped_column(sa.String(100), default="everyone")
    contact_name: Mapped[str | None] = mapped_column(sa.String(120))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    website: Mapped[str | None] = mapped_column(sa.String(200))
    # Where a person can go: printed on the card a worker gives them.
    address: Mapped[str | None] = mapped_column(sa.String(200))
    warm_handover: Mapped[bool] = mapped_column(default=False)
    # A network partner forwards calls for good neighbours to people it trusts, for the PC4s it serves.
    network_partner: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    call_email: Mapped[str | None] = mapped_column(sa.String(254))
    active: Mapped[bool] = mapped_column(default=True)
    # When the initiative last said its details are right (or a coordinator entered them).
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped["Organisation"] = relationship()
    postcodes: Mapped[list["InitiativePostcode"]] = relationship(
        cascade="all, delete-orphan", order_by="InitiativePostcode.pc4"
    )

    @property
    def spoken(self) -> list[SpokenLanguage]:
        return [SpokenLanguage(code) for code in self.languages.split(",") if code]

    @property
    def groups(self) -> list[TargetGroup]:
        return [TargetGroup(value) for value in self.target_groups.split(",") if value]


class InitiativePostcode(db.Model):
    """One PC4 an initiative serves (unlike areas, several initiatives may serve the same one)."""

    __tablename__ = "initiative_postcodes"

    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True)
    pc4: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, index=True)


class InitiativeCheck(db.Model):
    """A link e-mailed to an initiative to confirm or correct its details, without an account: single use,
    expiring; only the token's hash is stored."""

    __tablename__ = "initiative_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    initiative: Mapped[Initiative] = relationship()
