"""Administration: the region's teams, each team's settings, staff accounts, working areas, partners and the
social map."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/beheer")

from signaalpunt.admin import partner_views, region_views, socialmap_views, views  # noqa: E402, F401 - registers the routes on bp
