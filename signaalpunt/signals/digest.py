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


def send_overdue_digests(now: datetime) -> int:
    """Queue one digest per active coordinator whose team has overdue signals; returns how many were queued."""
    coordinators = db.session.scalars(
        sa.select(User).where(User.role == Role.COORDINATOR, User.active.is_(True)).order_by(User.organisation_id)
    )
    queued = 0
    for coordinator in coordinators:
        overdue = overdue_signals(coordinator.organisation_id, now)
        if not overdue:
            continue
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
        queued += 1
    return queued
