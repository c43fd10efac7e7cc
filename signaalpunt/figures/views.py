"""The figures overview: counts only, never a name or an address."""

from flask import render_template
from flask_login import current_user

from signaalpunt.enums import Role
from signaalpunt.figures import bp
from signaalpunt.figures.service import status_counts
from signaalpunt.permissions import roles_required


@bp.route("/")
@roles_required(Role.ADMIN, Role.COORDINATOR, Role.VIEWER)
def overview() -> str:
    return render_template("figures/overview.html", counts=status_counts(current_user.organisation_id))
