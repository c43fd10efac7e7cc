"""Which team follows a new signal up: the one whose area has its PC4, else the team the reporter chose, else
the region's fallback team."""

from dataclasses import dataclass

import sqlalchemy as sa

from signaalpunt.extensions import db
from signaalpunt.organisations.areas import area_of_pc4
from signaalpunt.organisations.models import Organisation


@dataclass(frozen=True)
class Destination:
    organisation_id: int
    area_id: int | None


def fallback_organisation_id() -> int:
    """The team that receives signals outside every area."""
    found = db.session.scalar(sa.select(Organisation.id).where(Organisation.is_fallback))
    if found is None:
        raise RuntimeError("No fallback organisation; run the database migrations")
    return found


def destination(pc4: str | None, chosen_organisation_id: int | None = None) -> Destination:
    """Where a signal goes. A postcode decides when there is one (outside every area: the fallback team);
    without one, the team the reporter (or the staff member taking the call) chose, else the fallback team."""
    if pc4 is not None:
        found = area_of_pc4(pc4)
        return Destination(*found) if found else Destination(fallback_organisation_id(), None)
    return Destination(chosen_organisation_id or fallback_organisation_id(), None)


def organisation_for_slug(slug: str | None) -> int | None:
    """The id of the team with this slug (as a form or an API names it), or ``None``."""
    if not slug:
        return None
    return db.session.scalar(sa.select(Organisation.id).where(Organisation.slug == slug))


def all_organisations() -> list[Organisation]:
    """Every team of the region, by name."""
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name)))


def municipalities_to_offer() -> list[sa.Row[tuple[str, str]]]:
    """The teams a reporter without a postcode can choose from, slug and name, by name: none when the installation
    has only one. Rows, not objects: the public form asks for them on every post."""
    teams = list(db.session.execute(sa.select(Organisation.slug, Organisation.name).order_by(Organisation.name)))
    return teams if len(teams) > 1 else []
