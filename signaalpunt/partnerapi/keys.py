"""Creating, revoking and checking API keys. The key is shown once, at creation; only its hash is stored."""

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.core.errors import DomainError
from signaalpunt.core.tokens import hashed
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Partner
from signaalpunt.partnerapi.models import ApiKey

KEY_PREFIX = "sp_"


def keys_for(actor: User, partner: Partner) -> list[ApiKey]:
    """The partner's keys this person manages: her team's, or for the region administrator all of them."""
    query = sa.select(ApiKey).where(ApiKey.partner_id == partner.id).order_by(ApiKey.created_at.desc())
    if actor.role != Role.REGION_ADMIN:
        query = query.where(ApiKey.organisation_id == actor.organisation_id)
    return list(db.session.scalars(query))


def create_key(actor: User, partner: Partner, label: str, now: datetime) -> tuple[ApiKey, str]:
    """A new key for the partner's app; returns it with the key itself, which is never shown again."""
    if not partner.active:
        raise DomainError(_("Deze partner is niet actief."), field="label")
    if not label.strip():
        raise DomainError(_("Geef de sleutel een naam, zoals ‘bezorg-app productie’."), field="label")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    made = ApiKey(
        partner=partner,
        organisation_id=actor.organisation_id,
        label=label.strip(),
        key_hash=hashed(key),
        prefix=key[:10],
        created_by=actor,
        created_at=now,
    )
    db.session.add(made)
    return made, key


def revoke_key(actor: User, partner: Partner, key_id: int, now: datetime) -> ApiKey:
    key = next((key for key in keys_for(actor, partner) if key.id == key_id), None)
    if key is None:
        raise DomainError(_("Deze sleutel hoort niet bij deze partner."))
    if key.revoked_at is None:
        key.revoked_at, key.revoked_by_id = now, actor.id
    return key


def key_for(presented: str) -> ApiKey | None:
    """The key presented by an app, active or revoked; ``None`` when it never existed."""
    if not presented:
        return None
    return db.session.scalar(sa.select(ApiKey).where(ApiKey.key_hash == hashed(presented)))
