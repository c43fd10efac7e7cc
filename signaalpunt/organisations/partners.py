"""Partner organisations: their link to the form and the QR code on their poster."""

import re

import segno
import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import Markup

from signaalpunt.core.errors import DomainError
from signaalpunt.core.links import public_url
from signaalpunt.extensions import db
from signaalpunt.organisations.enums import PartnerKind
from signaalpunt.organisations.models import Partner

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def organisation_partners(organisation_id: int) -> list[Partner]:
    query = sa.select(Partner).where(Partner.organisation_id == organisation_id).order_by(Partner.name)
    return list(db.session.scalars(query))


def partner_of(organisation_id: int, partner_id: int) -> Partner | None:
    partner = db.session.get(Partner, partner_id)
    return partner if partner is not None and partner.organisation_id == organisation_id else None


def save_partner(
    organisation_id: int, partner: Partner | None, name: str, slug: str, kind: PartnerKind, active: bool
) -> Partner:
    """Create or change a partner. Signals keep their partner; deactivating only takes it off the form."""
    if not SLUG.match(slug):
        raise DomainError(
            _("Gebruik voor de korte naam kleine letters, cijfers en streepjes, zoals snelpakket."), field="slug"
        )
    taken = db.session.scalar(sa.select(Partner.id).where(Partner.slug == slug))
    if taken is not None and (partner is None or taken != partner.id):
        raise DomainError(_("Deze korte naam is al in gebruik."), field="slug")
    if partner is None:
        partner = Partner(organisation_id=organisation_id)
        db.session.add(partner)
    partner.name, partner.slug, partner.kind, partner.active = name, slug, kind, active
    return partner


def report_link(partner: Partner) -> str:
    """The public form, pre-filled with this partner: ``…/melden?via=<slug>``."""
    return public_url("intake.report", via=partner.slug)


def poster_qr_svg(partner: Partner) -> Markup:
    svg = segno.make(report_link(partner), error="q").svg_inline(
        scale=8, border=4, dark="#000", light="#fff", title=_("QR-code naar het meldformulier")
    )
    return Markup(svg)  # noqa: S704 - segno's own SVG; the title is escaped by segno
