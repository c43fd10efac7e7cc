"""The daily digest of overdue signals for coordinators: references and links, no personal data."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.core.links import public_url
from signaalpunt.core.mail import queue_mail
from signaalpunt.extensions import db
from signaalpunt.signals.queries import overdue_signals


def digest_recipients() -> list[int]:
    """The active coordinators, team by team: each may get a digest."""
    query = (
        sa.select(User.id).where(User.role == Role.COORDINATOR, User.active.is_(True)).order_by(User.organisation_id)
    )
    return list(db.session.scalars(query))


def queue_digest(coordinator_id: int, now: datetime) -> bool:
    """Queue the coordinator's digest if their team has overdue signals; whether one was queued."""
    coordinator = db.session.get(User, coordinator_id)
    overdue = overdue_signals(coordinator.organisation_id, now)
    if not overdue:
        return False
    queue_mail(
        coordinator.email,
        _("%(count)s meldingen over de termijn", count=len(overdue)),
        "digest",
        coordinator=coordinator,
        organisation=coordinator.organisation,
        signals=overdue,
        now=now,
        links={s.reference: public_url("board.signal_page", reference=s.reference) for s in overdue},
    )
    return True
