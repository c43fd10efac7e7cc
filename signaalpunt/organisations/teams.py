"""The region's rules for its teams: a new team always comes with its first administrator, each team keeps its
own settings, and exactly one team receives what no area covers."""

import sqlalchemy as sa
from flask_babel import gettext as _

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.accounts.service import create_user, invite_user
from signaalpunt.core.errors import DomainError
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Organisation
from signaalpunt.organisations.slugs import check_slug


def organisation_by_id(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)


def create_organisation(
    name: str,
    slug: str,
    admin_name: str,
    admin_email: str,
    invited_by: User | None = None,
    admin_password: str | None = None,
) -> Organisation:
    """A new team with its first administrator: invited by e-mail from the web page, or (from the command line)
    given a password at once. A team nobody can manage is never made."""
    check_slug(slug, taken=db.session.scalar(sa.select(Organisation.id).where(Organisation.slug == slug)) is not None)
    organisation = Organisation(name=name, slug=slug)
    db.session.add(organisation)
    if invited_by is not None:
        invite_user(organisation, admin_email, admin_name, Role.ADMIN, invited_by)
    else:
        create_user(organisation, admin_email, admin_name, Role.ADMIN, admin_password)
    return organisation


def update_settings(
    organisation: Organisation,
    name: str,
    phone: str | None,
    email: str | None,
    sla_working_days: int,
    sla_urgent_working_days: int,
    retention_months: int,
    follow_up_weeks: int,
) -> Organisation:
    """Change what the team shows reporters and how it works; deadlines already given keep their day."""
    if sla_urgent_working_days > sla_working_days:
        raise DomainError(
            _(
                "Een urgente melding kan niet langer wachten dan een gewone. Kies hoogstens %(days)s.",
                days=sla_working_days,
            ),
            field="sla_urgent_working_days",
        )
    organisation.name = name
    organisation.phone = phone or None
    organisation.email = email or None
    organisation.sla_working_days = sla_working_days
    organisation.sla_urgent_working_days = sla_urgent_working_days
    organisation.retention_months = retention_months
    organisation.follow_up_weeks = follow_up_weeks
    return organisation


def make_fallback(organisation: Organisation) -> Organisation:
    """From now on this team receives the signals no area covers (those already received stay where they are)."""
    db.session.execute(sa.update(Organisation).where(Organisation.id != organisation.id).values(is_fallback=False))
    db.session.flush()
    organisation.is_fallback = True
    return organisation
