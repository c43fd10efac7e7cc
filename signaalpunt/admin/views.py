"""Thin views for administration."""

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response
from wtforms import SelectChoice

from signaalpunt.accounts import audit
from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.service import invite_user
from signaalpunt.accounts.staff import area_of, colleague, delete_area, organisation_users, save_area, update_user
from signaalpunt.admin import bp
from signaalpunt.admin.forms import AreaDeleteForm, AreaForm, InviteForm, UserForm, WorkerInviteForm
from signaalpunt.core.request_input import id_arg
from signaalpunt.organisations.areas import organisation_areas
from signaalpunt.organisations.models import Area
from signaalpunt.web.access import found_or_refused, roles_required
from signaalpunt.web.refusals import save_form


@bp.route("/gebruikers", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def users() -> Response | str:
    form = InviteForm()
    if form.validate_on_submit() and (
        done := save_form(
            form,
            lambda: invite_user(
                current_user.organisation, form.email.data, form.name.data, Role(form.role.data), current_user
            ),
            lambda invited: ("admin.invite", "user", str(invited.id)),
            lambda invited: _("%(name)s is uitgenodigd per e-mail.", name=invited.name),
            url_for("admin.users"),
        )
    ):
        return done
    return render_template("admin/users.html", form=form, users=organisation_users(current_user))


@bp.route("/collegas", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
def colleagues() -> Response | str:
    """The coordinator's team and an invitation for a new social worker."""
    form = WorkerInviteForm()
    if form.validate_on_submit() and (
        done := save_form(
            form,
            lambda: invite_user(current_user.organisation, form.email.data, form.name.data, Role.WORKER, current_user),
            lambda invited: ("admin.invite", "user", str(invited.id)),
            lambda invited: _("%(name)s is uitgenodigd per e-mail.", name=invited.name),
            url_for("admin.colleagues"),
        )
    ):
        return done
    return render_template("admin/colleagues.html", form=form, users=organisation_users(current_user))


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_user(user_id: int) -> Response | str:
    user = found_or_refused(colleague(current_user, user_id), "user", user_id)
    form = UserForm(obj=user)
    if form.validate_on_submit() and (
        done := save_form(
            form,
            lambda: update_user(current_user, user, Role(form.role.data), form.active.data),
            lambda updated: ("admin.update_user", "user", str(updated.id)),
            lambda updated: _("De gegevens van %(name)s zijn opgeslagen.", name=updated.name),
            url_for("admin.users"),
        )
    ):
        return done
    return render_template("admin/user.html", form=form, user=user)


def _area_form(area: Area | None = None) -> AreaForm:
    form = AreaForm(obj=area)
    workers = [u for u in organisation_users(current_user) if u.role in (Role.WORKER, Role.COORDINATOR)]
    form.workers.choices = [SelectChoice(u.id, u.name) for u in workers]
    if area is not None and not form.is_submitted():
        form.ranges.data = area.ranges_text
        form.workers.data = [u.id for u in area.workers]
    return form


@bp.route("/werkgebieden", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def areas() -> Response | str:
    form = _area_form()
    if form.validate_on_submit() and (done := _save_area(form, None)):
        return done
    return render_template("admin/areas.html", form=form, areas=organisation_areas(current_user.organisation_id))


@bp.route("/werkgebieden/<int:area_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_area(area_id: int) -> Response | str:
    area = found_or_refused(area_of(current_user, area_id), "area", area_id)
    form = _area_form(area)
    if form.validate_on_submit() and (done := _save_area(form, area)):
        return done
    return render_template("admin/area.html", form=form, area=area)


@bp.route("/werkgebieden/<int:area_id>/verwijderen", methods=["POST"])
@roles_required(Role.ADMIN)
def remove_area(area_id: int) -> Response | tuple[str, int]:
    area = found_or_refused(area_of(current_user, area_id), "area", area_id)
    delete_form = AreaDeleteForm()
    name, key = area.name, str(area.id)
    if delete_form.validate_on_submit() and (
        done := save_form(
            delete_form,
            lambda: delete_area(current_user, area),
            lambda _deleted: ("admin.delete_area", "area", key),
            lambda _deleted: _("Werkgebied %(name)s is verwijderd.", name=name),
            url_for("admin.areas"),
        )
    ):
        return done
    return render_template("admin/area.html", form=_area_form(area), area=area), 422


def _save_area(form: AreaForm, area: Area | None) -> Response | None:
    """Save and redirect; ``None`` (with the error on the form) when the ranges cannot be read."""
    return save_form(
        form,
        lambda: save_area(current_user, area, form.name.data, form.ranges.data, form.workers.data or []),
        lambda saved: ("admin.save_area", "area", str(saved.id)),
        lambda saved: _("Werkgebied %(name)s is opgeslagen.", name=saved.name),
        url_for("admin.areas"),
    )


@bp.route("/audit")
@roles_required(Role.ADMIN, Role.REGION_ADMIN)
def audit_trail() -> str:
    """Search the audit trail. There is deliberately no route that edits or deletes it."""
    actor_id = request.args.get("actor", "")
    page = id_arg("page") or 1
    action = request.args.get("action", "").strip()[:40]
    text = request.args.get("q", "").strip()[:100]
    size = current_app.config["BOARD_PAGE_SIZE"] * 2
    events, total = audit.search(current_user.organisation_id, id_arg("actor"), action, text, size, (page - 1) * size)
    return render_template(
        "admin/audit.html",
        events=events,
        total=total,
        page=page,
        pages=max(1, -(-total // size)),
        users=organisation_users(current_user),
        actor_id=actor_id,
        action=action,
        text=text,
    )
