"""Partner organisations: their link to the form and the QR code on their poster."""

import segno
import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import Markup

from signaalpunt.core.links import public_url
from signaalpunt.extensions import db
from signaalpunt.organisations.enums import PartnerKind
from signaalpunt.organisations.models import Partner, PartnerContact
from signaalpunt.organisations.slugs import check_slug


def region_partners() -> list[Partner]:
    """Every partner of the region, by name: one list, one link and one poster for all teams."""
    return list(db.session.scalars(sa.select(Partner).order_by(Partner.name)))


def partner_by_id(partner_id: int) -> Partner | None:
    return db.session.get(Partner, partner_id)


def save_partner(partner: Partner | None, name: str, slug: str, kind: PartnerKind, active: bool) -> Partner:
    """Create or change a partner of the region. Signals keep their partner; deactivating only takes it off
    the form."""
    holder = db.session.scalar(sa.select(Partner.id).where(Partner.slug == slug))
    check_slug(slug, taken=holder is not None and (partner is None or holder != partner.id))
    if partner is None:
        partner = Partner()
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


def contact_for(partner: Partner, organisation_id: int) -> PartnerContact | None:
    """The team's own contact person at the partner, if it keeps one."""
    return db.session.get(PartnerContact, (partner.id, organisation_id))


def save_contact(partner: Partner, organisation_id: int, name: str, phone: str | None, email: str | None) -> Partner:
    """Set the team's contact person at the partner; an empty name removes it. Other teams never see it."""
    contact = contact_for(partner, organisation_id)
    if not name:
        if contact is not None:
            db.session.delete(contact)
        return partner
    if contact is None:
        contact = PartnerContact(partner_id=partner.id, organisation_id=organisation_id)
        db.session.add(contact)
    contact.name, contact.phone, contact.email = name, phone or None, email or None
    return partner
