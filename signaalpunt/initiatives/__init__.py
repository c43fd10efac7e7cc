"""Pages for the initiatives on a social map, reached by e-mailed links without an account."""

from flask import Blueprint

bp = Blueprint("initiatives", __name__, url_prefix="/initiatief")

from signaalpunt.initiatives import views  # noqa: E402, F401 - registers the routes on bp
