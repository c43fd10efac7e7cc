"""The team's social map: the list, adding and changing an initiative, and the spreadsheet in and out."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from signaalpunt.accounts import audit
from signaalpunt.accounts.enums import Role
from signaalpunt.admin import bp
from signaalpunt.core.clock import utcnow
from signaalpunt.forms.base import BaseForm
from signaalpunt.forms.initiative import ImportForm, InitiativeForm
from signaalpunt.referrals.figures import initiative_report
from signaalpunt.referrals.service import send_initiative_report
from signaalpunt.signals.figures import EARLIEST_DAY
from signaalpunt.socialmap.checks import is_stale
from signaalpunt.socialmap.enums import SpokenLanguage, TargetGroup
from signaalpunt.socialmap.models import Initiative
from signaalpunt.socialmap.service import initiative_of, save_initiative, team_initiatives
from signaalpunt.socialmap.spreadsheet import check_sheet, export_sheet, import_sheet, template_sheet
from signaalpunt.web.access import found_or_refused, roles_required
from signaalpunt.web.refusals import save_form

MAP_ROLES = (Role.COORDINATOR, Role.ADMIN)


def _form(initiative: Initiative | None = None) -> InitiativeForm:
    form = InitiativeForm(obj=initiative)
    if not form.is_submitted():
        if initiative is None:
            form.languages.data, form.target_groups.data = [SpokenLanguage.DUTCH.value], [TargetGroup.EVERYONE.value]
            form.active.data = True
        else:
            form.fill_from(initiative)
    return form


def _save(form: InitiativeForm, initiative: Initiative | None) -> Response | None:
    return save_form(
        form,
        lambda: save_initiative(current_user.organisation_id, initiative, form.details()),
        lambda saved: ("admin.save_initiative", "initiative", str(saved.id)),
        lambda saved: _("%(name)s staat op de sociale kaart.", name=saved.name),
        url_for("admin.social_map"),
    )


@bp.route("/sociale-kaart", methods=["GET", "POST"])
@roles_required(*MAP_ROLES)
def social_map() -> Response | str:
    form = _form()
    if form.validate_on_submit() and (done := _save(form, None)):
        return done
    now = utcnow()
    return render_template(
        "admin/social_map.html",
        form=form,
        initiatives=team_initiatives(current_user.organisation_id),
        stale=lambda initiative: is_stale(initiative, now),
    )


@bp.route("/sociale-kaart/<int:initiative_id>", methods=["GET", "POST"])
@roles_required(*MAP_ROLES)
def edit_initiative(initiative_id: int) -> Response | str:
    initiative = found_or_refused(
        initiative_of(current_user.organisation_id, initiative_id), "initiative", initiative_id
    )
    form = _form(initiative)
    if form.validate_on_submit() and (done := _save(form, initiative)):
        return done
    return render_template("admin/initiative.html", form=form, initiative=initiative)


@bp.route("/sociale-kaart/<int:initiative_id>/verslag", methods=["GET", "POST"])
@roles_required(*MAP_ROLES)
def initiative_year_report(initiative_id: int) -> Response | str:
    """What the initiative received from the team in a year, in numbers: to read, print or send to it."""
    initiative = found_or_refused(
        initiative_of(current_user.organisation_id, initiative_id), "initiative", initiative_id
    )
    this_year = utcnow().year
    asked = request.args.get("jaar", "")
    year = int(asked) if asked.isdigit() and EARLIEST_DAY.year <= int(asked) <= this_year else this_year
    report = initiative_report(initiative, year)
    form = BaseForm()
    if initiative.email and form.validate_on_submit():
        send_initiative_report(report)
        audit.record("initiative.report_sent", object_type="initiative", object_key=str(initiative.id))
        flash(_("Het verslag is gemaild aan %(email)s.", email=initiative.email))
        return redirect(url_for("admin.initiative_year_report", initiative_id=initiative.id, jaar=year))
    return render_template(
        "admin/initiative_report.html", report=report, form=form, years=range(this_year, this_year - 5, -1)
    )


def _download(text: str, name: str) -> Response:
    return Response(
        text,
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/sociale-kaart/sociale-kaart.csv")
@roles_required(*MAP_ROLES)
def export_social_map() -> Response:
    organisation = str(current_user.organisation_id)
    audit.record_reading("admin.export_social_map", object_type="organisation", object_key=organisation)
    return _download(export_sheet(current_user.organisation_id), "sociale-kaart.csv")


@bp.route("/sociale-kaart/sjabloon.csv")
@roles_required(*MAP_ROLES)
def social_map_template() -> Response:
    return _download(template_sheet(), "sociale-kaart-sjabloon.csv")


@bp.route("/sociale-kaart/importeren", methods=["GET", "POST"])
@roles_required(*MAP_ROLES)
def import_social_map() -> Response | tuple[str, int]:
    """Every row checked first; stored only when all are right, else a report per row and nothing changed."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("admin/social_map_import.html", form=form, report=None), 200
    report, found = check_sheet(form.sheet.data.read(), current_user.organisation_id)
    if not report.clean:
        return render_template("admin/social_map_import.html", form=form, report=report), 422
    import_sheet(current_user.organisation_id, found)
    updated = sum(row.updates for row in report.rows)
    audit.record("admin.import_social_map", object_type="organisation", object_key=str(current_user.organisation_id))
    flash(
        ngettext("%(num)s initiatief ingelezen", "%(num)s initiatieven ingelezen", len(report.rows))
        + " "
        + _("(waarvan %(updated)s bijgewerkt).", updated=updated)
    )
    return redirect(url_for("admin.social_map"))
