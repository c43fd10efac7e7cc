"""Twice a year each initiative is asked, by an e-mailed link that needs no account, whether its details on
the map are still right; one that does not answer is marked stale on the map."""

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext

from signaalpunt.core.links import public_url
from signaalpunt.core.tokens import hashed
from signaalpunt.extensions import db
from signaalpunt.socialmap.models import Initiative, InitiativeCheck
from signaalpunt.socialmap.service import InitiativeDetails, mail_initiative, save_initiative

CHECK_EVERY = timedelta(days=182)
LINK_VALID = timedelta(days=30)
# Asked, and the month to answer has passed: the map says so.
STALE_AFTER = CHECK_EVERY + LINK_VALID


def ask_initiatives(now: datetime) -> int:
    """E-mail a link to every active initiative with an address whose details were last confirmed half a year
    ago and that was not asked since; returns how many were asked."""
    asked_since_confirmed = sa.exists().where(
        InitiativeCheck.initiative_id == Initiative.id, InitiativeCheck.sent_at > Initiative.confirmed_at
    )
    due = db.session.scalars(
        sa.select(Initiative).where(
            Initiative.active.is_(True),
            Initiative.email.is_not(None),
            Initiative.confirmed_at < now - CHECK_EVERY,
            ~asked_since_confirmed,
        )
    ).all()
    for initiative in due:
        token = secrets.token_urlsafe(32)
        db.session.add(
            InitiativeCheck(initiative=initiative, token_hash=hashed(token), sent_at=now, expires_at=now + LINK_VALID)
        )
        mail_initiative(
            initiative,
            lazy_gettext("Kloppen uw gegevens op de sociale kaart van %(team)s?", team=initiative.organisation.name),
            "initiative_check",
            link=public_url("initiatives.check", token=token),
            valid_days=LINK_VALID.days,
        )
    return len(due)


def check_for(token: str, now: datetime) -> InitiativeCheck | None:
    """The open check this token belongs to; ``None`` alike for unknown, used and expired links."""
    check = check_of_any_state(token)
    if check is None or check.used_at is not None or check.expires_at < now:
        return None
    return check


def check_of_any_state(token: str) -> InitiativeCheck | None:
    """The check this token belongs to, even used or expired: to say whom to contact instead."""
    return db.session.scalar(sa.select(InitiativeCheck).where(InitiativeCheck.token_hash == hashed(token)))


def answer_check(check: InitiativeCheck, now: datetime, corrected: InitiativeDetails | None = None) -> None:
    """The initiative confirms its details as they are, or sends them corrected; the link is then used up."""
    if corrected is None:
        check.initiative.confirmed_at = now
    else:
        save_initiative(check.initiative.organisation_id, check.initiative, corrected)
    check.used_at = now


def is_stale(initiative: Initiative, now: datetime) -> bool:
    return initiative.confirmed_at < now - STALE_AFTER
