"""The person's address for a neighbour who was picked: shown once through the link in their mail, then gone."""

from datetime import datetime

import sqlalchemy as sa

from signaalpunt.accounts import audit
from signaalpunt.core.tokens import hashed
from signaalpunt.extensions import db
from signaalpunt.neighbours.models import VolunteerSignup
from signaalpunt.organisations.models import Organisation
from signaalpunt.signals.postcode import postal_address


def open_address(token: str, now: datetime) -> tuple[VolunteerSignup | None, Organisation | None]:
    """The picked volunteer this link belongs to, the first time it is opened within its days; otherwise
    ``None`` and the team to call instead (when the link was ever real)."""
    signup = db.session.scalar(sa.select(VolunteerSignup).where(VolunteerSignup.address_token_hash == hashed(token)))
    if signup is None:
        return None, None
    team = signup.call.signal.organisation
    if signup.address_seen_at is not None or signup.address_link_expires_at < now:
        return None, team
    signup.address_seen_at = now
    audit.record("call.address_opened", object_type="call", object_key=f"#{signup.call_id} signup {signup.id}")
    return signup, team


def address_for(signup: VolunteerSignup) -> str:
    return postal_address(signup.call.signal)
