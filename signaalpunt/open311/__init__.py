"""Open311 GeoReport v2 for partner apps, in JSON and XML, with the person's privacy above the standard."""

from flask import Blueprint

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")

from signaalpunt.open311 import views  # noqa: E402, F401 - registers the routes on bp
