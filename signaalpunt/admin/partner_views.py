"""Partners of the region: the list, adding one, the printable poster with its QR code, and each team's own
contact person. Changing a partner's name, link or kind affects every team, so only the region administrator
does that."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from signaalpunt.accounts import audit
from signaalpunt.accounts.enums import Role
from signaalpunt.admin import bp
from signaalpunt.admin.forms import ApiKeyForm, PartnerContactForm, PartnerForm
from signaalpunt.core.clock import utcnow
from signaalpunt.core.errors import DomainError
from signaalpunt.extensions import db
from signaalpunt.forms.base import BaseForm
from signaalpunt.organisations.enums import PartnerKind
from signaalpunt.organisations.models import Partner
from signaalpunt.organisations.partners import (
    contact_for,
    partner_by_id,
    poster_qr_svg,
    region_partners,
    report_link,
    save_contact,
    save_partner,
)
from signaalpunt.partnerapi.keys import create_key, keys_for, revoke_key
from signaalpunt.web.access import found_or_refused, roles_required
from signaalpunt.web.refusals import save_form, show_refusal

TEAM_PARTNER_ROLES = (Role.ADMIN, Role.COORDINATOR)
PARTNER_ROLES = (*TEAM_PARTNER_ROLES, Role.REGION_ADMIN)
# API keys: a team's coordinator for her team, the region administrator for all.
KEY_ROLES = (Role.COORDINATOR, Role.REGION_ADMIN)


def _save(form: PartnerForm, partner: Partner | None, target: str) -> Response | None:
    return save_form(
        form,
        lambda: save_partner(
            partner, form.name.data, form.slug.data.lower(), PartnerKind(form.kind.data), form.active.data
        ),
        lambda saved: ("admin.save_partner", "partner", str(saved.id)),
        lambda saved: _("Partner %(name)s is opgeslagen.", name=saved.name),
        target,
    )


@bp.route("/partners", methods=["GET", "POST"])
@roles_required(*PARTNER_ROLES)
def partners() -> Response | str:
    """Every team may add a partner: it is then the region's, with one link for all teams."""
    form = PartnerForm(active=True)
    if form.validate_on_submit() and (done := _save(form, None, url_for("admin.partners"))):
        return done
    listed = [(p, report_link(p)) for p in region_partners()]
    return render_template("admin/partners.html", form=form, partners=listed)


def _contact_form(partner: Partner) -> PartnerContactForm:
    form = PartnerContactForm()
    contact = contact_for(partner, current_user.organisation_id)
    if contact is not None and not form.is_submitted():
        form.contact_name.data, form.contact_phone.data, form.contact_email.data = (
            contact.name,
            contact.phone,
            contact.email,
        )
    return form


@bp.route("/partners/<int:partner_id>", methods=["GET", "POST"])
@roles_required(*PARTNER_ROLES)
def edit_partner(partner_id: int) -> Response | str:
    """The region administrator changes the partner; a team keeps its own contact person there."""
    partner = found_or_refused(partner_by_id(partner_id), "partner", partner_id)
    target = url_for("admin.edit_partner", partner_id=partner.id)
    if current_user.role == Role.REGION_ADMIN:
        form = PartnerForm(obj=partner)
        if form.validate_on_submit() and (done := _save(form, partner, target)):
            return done
    else:
        form = _contact_form(partner)
        if form.validate_on_submit() and (
            done := save_form(
                form,
                lambda: save_contact(
                    partner,
                    current_user.organisation_id,
                    form.contact_name.data,
                    form.contact_phone.data,
                    form.contact_email.data,
                ),
                lambda saved: ("admin.save_partner_contact", "partner", str(saved.id)),
                lambda saved: _("De contactpersoon bij %(name)s is opgeslagen.", name=saved.name),
                target,
            )
        ):
            return done
    return render_template(
        "admin/partner.html",
        form=form,
        partner=partner,
        link=report_link(partner),
        may_manage_keys=current_user.role in KEY_ROLES,
    )


def _render_keys(partner: Partner, form: ApiKeyForm, new_key: str | None = None, status: int = 200) -> tuple[str, int]:
    keys = keys_for(current_user, partner)
    return render_template("admin/api_keys.html", partner=partner, keys=keys, form=form, new_key=new_key), status


@bp.route("/partners/<int:partner_id>/sleutels", methods=["GET", "POST"])
@roles_required(*KEY_ROLES)
def api_keys(partner_id: int) -> tuple[str, int]:
    """The partner app's keys; a new one is shown on this page once and never again."""
    partner = found_or_refused(partner_by_id(partner_id), "partner", partner_id)
    form = ApiKeyForm()
    if not form.is_submitted():
        return _render_keys(partner, form)
    if not form.validate():
        return _render_keys(partner, form, status=422)
    try:
        made, key = create_key(current_user, partner, form.label.data, utcnow())
        db.session.flush()
    except DomainError as error:
        return _render_keys(partner, form, status=show_refusal(error, form))
    audit.record("admin.create_api_key", object_type="api_key", object_key=str(made.id))
    return _render_keys(partner, ApiKeyForm(formdata=None), new_key=key)


@bp.route("/partners/<int:partner_id>/sleutels/<int:key_id>/intrekken", methods=["POST"])
@roles_required(*KEY_ROLES)
def revoke_api_key(partner_id: int, key_id: int) -> Response:
    """Revoked at once: the next request with it gets 403."""
    partner = found_or_refused(partner_by_id(partner_id), "partner", partner_id)
    if not BaseForm().validate_on_submit():
        abort(400)
    try:
        revoked = revoke_key(current_user, partner, key_id, utcnow())
    except DomainError:
        audit.record_refusal("admin.revoke_api_key", "api_key", str(key_id))
        abort(404)
    audit.record("admin.revoke_api_key", object_type="api_key", object_key=str(revoked.id))
    flash(_("De sleutel %(prefix)s… is ingetrokken.", prefix=revoked.prefix))
    return redirect(url_for("admin.api_keys", partner_id=partner.id))


@bp.route("/partners/<int:partner_id>/poster")
@roles_required(*PARTNER_ROLES)
def poster(partner_id: int) -> str:
    partner = found_or_refused(partner_by_id(partner_id), "partner", partner_id)
    # The poster hangs in this team's municipality: its phone number goes on it (a region administrator has none).
    return render_template(
        "admin/poster.html",
        partner=partner,
        link=report_link(partner),
        qr=poster_qr_svg(partner),
        team=current_user.organisation,
    )
