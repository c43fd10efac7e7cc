"""Anonymous figures for coordinators, admins and policy viewers."""

from flask import Blueprint

bp = Blueprint("figures", __name__, url_prefix="/cijfers")

from signaalpunt.figures import views  # noqa: E402, F401 - registers the routes on bp
