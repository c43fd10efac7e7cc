"""The region administrator's pages: the teams of the region, a new team with its first administrator, and
which team receives what no area covers. Team settings are also here for each team's own administrator."""

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from signaalpunt.accounts.enums import Role
from signaalpunt.admin import bp
from signaalpunt.admin.forms import FallbackForm, OrganisationForm, SettingsForm
from signaalpunt.organisations.models import Organisation
from signaalpunt.organisations.routing import all_organisations
from signaalpunt.organisations.teams import create_organisation, make_fallback, organisation_by_id, update_settings
from signaalpunt.web.access import found_or_refused, roles_required
from signaalpunt.web.refusals import save_form


@bp.route("/organisaties", methods=["GET", "POST"])
@roles_required(Role.REGION_ADMIN)
def organisations() -> Response | str:
    form = OrganisationForm()
    if form.validate_on_submit() and (
        done := save_form(
            form,
            lambda: create_organisation(
                form.name.data,
                form.slug.data.lower(),
                form.admin_name.data,
                form.admin_email.data,
                invited_by=current_user,
            ),
            lambda made: ("admin.create_organisation", "organisation", str(made.id)),
            lambda made: _("Team %(name)s is aangemaakt; de beheerder is uitgenodigd per e-mail.", name=made.name),
            url_for("admin.organisations"),
        )
    ):
        return done
    return render_template("admin/organisations.html", form=form, organisations=all_organisations())


def _save_settings(form: SettingsForm, organisation: Organisation, target: str) -> Response | None:
    return save_form(
        form,
        lambda: update_settings(
            organisation,
            form.name.data,
            form.phone.data,
            form.email.data,
            form.sla_working_days.data,
            form.sla_urgent_working_days.data,
            form.retention_months.data,
            form.follow_up_weeks.data,
        ),
        lambda saved: ("admin.update_settings", "organisation", str(saved.id)),
        lambda saved: _("De instellingen van %(name)s zijn opgeslagen.", name=saved.name),
        target,
    )


@bp.route("/organisaties/<int:organisation_id>", methods=["GET", "POST"])
@roles_required(Role.REGION_ADMIN)
def edit_organisation(organisation_id: int) -> Response | str:
    organisation = found_or_refused(organisation_by_id(organisation_id), "organisation", organisation_id)
    form = SettingsForm(obj=organisation)
    target = url_for("admin.edit_organisation", organisation_id=organisation.id)
    if form.validate_on_submit() and (done := _save_settings(form, organisation, target)):
        return done
    return render_template("admin/organisation.html", form=form, organisation=organisation)


@bp.route("/organisaties/<int:organisation_id>/vangnet", methods=["POST"])
@roles_required(Role.REGION_ADMIN)
def make_fallback_organisation(organisation_id: int) -> Response | str:
    organisation = found_or_refused(organisation_by_id(organisation_id), "organisation", organisation_id)
    form = FallbackForm()
    target = url_for("admin.edit_organisation", organisation_id=organisation.id)
    if form.validate_on_submit() and (
        done := save_form(
            form,
            lambda: make_fallback(organisation),
            lambda saved: ("admin.make_fallback", "organisation", str(saved.id)),
            lambda saved: _("%(name)s krijgt nu de meldingen buiten elk werkgebied.", name=saved.name),
            target,
        )
    ):
        return done
    abort(400)


@bp.route("/instellingen", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def settings() -> Response | str:
    organisation = current_user.organisation
    form = SettingsForm(obj=organisation)
    if form.validate_on_submit() and (done := _save_settings(form, organisation, url_for("admin.settings"))):
        return done
    return render_template("admin/settings.html", form=form, organisation=organisation)
