"""Demo data for a local run; fictional organisations only."""

import sqlalchemy as sa

from signaalpunt.enums import PartnerKind
from signaalpunt.extensions import db
from signaalpunt.models import Organisation, Partner

DEMO_PARTNERS = [
    ("Snelpakket Bezorgdiensten", "snelpakket", PartnerKind.PARCEL_CARRIER),
    ("Buurtsuper De Markt", "buurtsuper-de-markt", PartnerKind.RETAIL),
    ("Spaarbank Lokaal, adviseurs", "spaarbank-lokaal", PartnerKind.BANK),
    ("Apotheek Het Kruispunt", "apotheek-het-kruispunt", PartnerKind.PHARMACY),
]


def load_demo_partners() -> int:
    """Add the demo partners that are missing; returns how many were added. Does not commit."""
    organisation = db.session.scalar(sa.select(Organisation).order_by(Organisation.id).limit(1))
    existing = set(db.session.scalars(sa.select(Partner.slug)))
    added = 0
    for name, slug, kind in DEMO_PARTNERS:
        if slug not in existing:
            db.session.add(Partner(organisation=organisation, name=name, slug=slug, kind=kind))
            added += 1
    return added
