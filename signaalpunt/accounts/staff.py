"""Changing accounts and areas; the rules an admin must not break live here."""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.accounts.service import end_all_sessions
from signaalpunt.core.errors import DomainError
from signaalpunt.extensions import db
from signaalpunt.organisations.areas import AreaRangeError, area_holding, parse_ranges, set_area_ranges
from signaalpunt.organisations.models import Area
from signaalpunt.signals import tallies
from signaalpunt.signals.enums import SignalStatus
from signaalpunt.signals.models import Signal


def organisation_users(admin: User) -> list[User]:
    return list(
        db.session.scalars(sa.select(User).where(User.organisation_id == admin.organisation_id).order_by(User.name))
    )


def organisation_areas(admin: User) -> list[Area]:
    return list(
        db.session.scalars(sa.select(Area).where(Area.organisation_id == admin.organisation_id).order_by(Area.name))
    )


def colleague(admin: User, user_id: int) -> User | None:
    user = db.session.get(User, user_id)
    return user if user is not None and user.organisation_id == admin.organisation_id else None


def area_of(admin: User, area_id: int) -> Area | None:
    area = db.session.get(Area, area_id)
    return area if area is not None and area.organisation_id == admin.organisation_id else None


def update_user(admin: User, user: User, role: Role, active: bool) -> User:
    """Change a colleague's role or deactivate them; an admin cannot lock themselves out."""
    if user.id == admin.id and (role != Role.ADMIN or not active):
        raise DomainError(_("U kunt uw eigen beheerdersrechten niet intrekken."), field="role")
    if role.is_regional:
        raise DomainError(_("Deze rol hoort bij de regio."), field="role")
    user.role = role
    user.active = active
    if not active:
        end_all_sessions(user)
    return user


def save_area(admin: User, area: Area | None, name: str, ranges_text: str, worker_ids: list[int]) -> Area:
    """Create or update an area with its PC4 ranges and the workers who cover it."""
    try:
        ranges = parse_ranges(ranges_text)
    except AreaRangeError as error:
        raise DomainError(
            _("Deze postcodes kunnen wij niet lezen: %(part)s. Schrijf ze zoals 4531-4536, 4538.", part=str(error)),
            field="ranges",
        ) from error
    holder = area_holding(ranges, other_than=area)
    if holder is not None:
        # Another team's area is named too: the admin has to agree the border with that team, and no
        # personal data is in a team's or an area's name.
        raise DomainError(
            _(
                "Een deel van deze postcodes hoort al bij werkgebied %(area)s van %(organisation)s. "
                "Een postcode kan maar in één werkgebied liggen.",
                area=holder.name,
                organisation=holder.organisation.name,
            ),
            field="ranges",
        )
    if area is None:
        area = Area(organisation_id=admin.organisation_id, name=name)
        db.session.add(area)
    area.name = name
    set_area_ranges(area, ranges)
    area.workers = [u for u in organisation_users(admin) if u.id in set(worker_ids)]
    try:
        # The database holds each PC4 once: an admin of another team who saved the same postcodes a moment
        # ago is found here, not as an error page.
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise DomainError(
            _("Een ander werkgebied kreeg zojuist een deel van deze postcodes. Kijk opnieuw."), field="ranges"
        ) from error
    return area


def delete_area(admin: User, area: Area) -> None:
    """Remove an area that has no open signals; its closed signals keep their PC4 and lose only the area."""
    open_signals = db.session.scalar(
        sa.select(sa.func.count(Signal.id)).where(
            Signal.area_id == area.id, Signal.status.in_(SignalStatus.open_statuses())
        )
    )
    if open_signals:
        raise DomainError(
            _(
                "Werkgebied %(name)s heeft nog %(count)s open meldingen. Een werkgebied kan pas weg als "
                "die zijn afgerond.",
                name=area.name,
                count=open_signals,
            )
        )
    tallies.forget_area(db.session.connection(), area.id)
    db.session.delete(area)
