"""A demo API key for the demo parcel carrier's app, so a partner developer can try the API at once."""

import sqlalchemy as sa

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.core.clock import utcnow
from signaalpunt.extensions import db
from signaalpunt.organisations.enums import PartnerKind
from signaalpunt.organisations.models import Partner
from signaalpunt.partnerapi.keys import create_key
from signaalpunt.partnerapi.models import ApiKey


def load_demo_api_key() -> str | None:
    """Once: a key for the demo parcel carrier, made by the first team's coordinator; returns the key (shown only
    now), or ``None`` when there already is one. Does not commit."""
    if db.session.scalar(sa.select(sa.func.count(ApiKey.id))):
        return None
    carrier = db.session.scalar(
        sa.select(Partner).where(Partner.kind == PartnerKind.PARCEL_CARRIER).order_by(Partner.id)
    )
    coordinator = db.session.scalar(sa.select(User).where(User.role == Role.COORDINATOR).order_by(User.id))
    if carrier is None or coordinator is None:
        return None
    _made, key = create_key(coordinator, carrier, "demo bezorg-app", utcnow())
    return key
