"""Partners: list, add, edit, and the printable poster with its QR code."""

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from signaalpunt.accounts.enums import Role
from signaalpunt.admin import bp
from signaalpunt.admin.forms import PartnerForm
from signaalpunt.organisations.enums import PartnerKind
from signaalpunt.organisations.models import Partner
from signaalpunt.organisations.partners import (
    organisation_partners,
    partner_of,
    poster_qr_svg,
    report_link,
    save_partner,
)
from signaalpunt.web.access import roles_required
from signaalpunt.web.refusals import save_form

PARTNER_ROLES = (Role.ADMIN, Role.COORDINATOR)


def _save(form: PartnerForm, partner: Partner | None) -> Response | None:
    return save_form(
        form,
        lambda: save_partner(
            current_user.organisation_id,
            partner,
            form.name.data,
            form.slug.data.lower(),
            PartnerKind(form.kind.data),
            form.active.data,
        ),
        lambda saved: ("admin.save_partner", "partner", str(saved.id)),
        lambda saved: _("Partner %(name)s is opgeslagen.", name=saved.name),
        url_for("admin.partners"),
    )


@bp.route("/partners", methods=["GET", "POST"])
@roles_required(*PARTNER_ROLES)
def partners() -> Response | str:
    form = PartnerForm(active=True)
    if form.validate_on_submit() and (done := _save(form, None)):
        return done
    listed = [(p, report_link(p)) for p in organisation_partners(current_user.organisation_id)]
    return render_template("admin/partners.html", form=form, partners=listed)


@bp.route("/partners/<int:partner_id>", methods=["GET", "POST"])
@roles_required(*PARTNER_ROLES)
def edit_partner(partner_id: int) -> Response | str:
    partner = partner_of(current_user.organisation_id, partner_id) or abort(404)
    form = PartnerForm(obj=partner)
    if form.validate_on_submit() and (done := _save(form, partner)):
        return done
    return render_template("admin/partner.html", form=form, partner=partner, link=report_link(partner))


@bp.route("/partners/<int:partner_id>/poster")
@roles_required(*PARTNER_ROLES)
def poster(partner_id: int) -> str:
    partner = partner_of(current_user.organisation_id, partner_id) or abort(404)
    return render_template("admin/poster.html", partner=partner, link=report_link(partner), qr=poster_qr_svg(partner))
