"""Alerts shown at the top of every staff page to the people who must act on them."""

from flask import Flask
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from signaalpunt.accounts.enums import Role
from signaalpunt.core.clock import utcnow
from signaalpunt.core.mail import mail_stalled_since


def alerts_for_current_user() -> list[str]:
    """What the logged-in staff member should know now; empty for everyone else."""
    if not current_user.is_authenticated or current_user.role not in (Role.ADMIN, Role.REGION_ADMIN):
        return []
    stalled = mail_stalled_since(utcnow())
    if stalled is None:
        return []
    return [
        _(
            "E-mail wordt niet bezorgd: er wacht mail sinds %(since)s. Controleer de mailserver; "
            "de berichten worden opnieuw geprobeerd.",
            since=format_datetime(stalled, "d MMMM HH:mm"),
        )
    ]


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"staff_alerts": alerts_for_current_user})
