"""Administration: staff accounts and working areas."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/beheer")

from signaalpunt.admin import partner_views, views  # noqa: E402, F401 - registers the routes on bp
