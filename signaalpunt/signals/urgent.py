"""Urgent signals get attention now: every coordinator of the team is e-mailed at once, and staff pages
show the urgent signals nobody has taken yet."""

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from signaalpunt.accounts.models import User
from signaalpunt.accounts.service import active_coordinators
from signaalpunt.core.links import public_url
from signaalpunt.core.mail import render_mail
from signaalpunt.extensions import db
from signaalpunt.signals.enums import SignalStatus
from signaalpunt.signals.models import Signal
from signaalpunt.signals.permissions import visible_signals_clause


def coordinator_alerts(organisation_id: int, reference: str) -> list[dict[str, str]]:
    """The mail to each active coordinator of the team, rendered: the reference and a link, nothing about
    the person (mail passes through servers we do not control)."""
    coordinators = active_coordinators(organisation_id)
    link = public_url("board.signal_page", reference=reference)
    # Staff read Dutch, whatever language the reporter used.
    with force_locale("nl"):
        subject = _("Urgent: melding %(reference)s wacht op toewijzing", reference=reference)
        return [render_mail(user.email, subject, "urgent", reference=reference, link=link) for user in coordinators]


def urgent_waiting(user: User) -> int:
    """How many urgent signals that ``user`` may see are new and with nobody yet."""
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            visible_signals_clause(user),
            Signal.status == SignalStatus.NEW,
            Signal.urgent.is_(True),
            Signal.assignee_id.is_(None),
        )
    )
