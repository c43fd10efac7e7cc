"""Alerts shown at the top of every staff page to the people who must act on them."""

from dataclasses import dataclass

from flask import Flask, url_for
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from signaalpunt.accounts.enums import Role
from signaalpunt.core.clock import utcnow
from signaalpunt.core.mail import mail_stalled_since
from signaalpunt.signals.urgent import urgent_waiting


@dataclass(frozen=True)
class StaffAlert:
    text: str
    link: str | None = None
    link_text: str | None = None


def _stalled_mail() -> StaffAlert | None:
    stalled = mail_stalled_since(utcnow())
    if stalled is None:
        return None
    return StaffAlert(
        _(
            "E-mail wordt niet bezorgd: er wacht mail sinds %(since)s. Controleer de mailserver; "
            "de berichten worden opnieuw geprobeerd.",
            since=format_datetime(stalled, "d MMMM HH:mm"),
        )
    )


def _urgent_unassigned() -> StaffAlert | None:
    waiting = urgent_waiting(current_user)
    if not waiting:
        return None
    return StaffAlert(
        ngettext(
            "%(num)s urgente melding wacht op iemand die haar oppakt.",
            "%(num)s urgente meldingen wachten op iemand die ze oppakt.",
            waiting,
        ),
        url_for("board.board", tab="new", urgent="1"),
        _("Naar de urgente meldingen"),
    )


def alerts_for_current_user() -> list[StaffAlert]:
    """What the logged-in staff member should know now; empty for everyone else."""
    if not current_user.is_authenticated:
        return []
    found: list[StaffAlert | None] = []
    if current_user.role in (Role.ADMIN, Role.REGION_ADMIN):
        found.append(_stalled_mail())
    # Coordinators assign, workers may take a new one in their area: both see it until someone has.
    if current_user.role in (Role.COORDINATOR, Role.WORKER):
        found.append(_urgent_unassigned())
    return [alert for alert in found if alert is not None]


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"staff_alerts": alerts_for_current_user})
