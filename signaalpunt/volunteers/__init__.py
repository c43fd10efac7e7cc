"""The public pages of a call for good neighbours: sign up through a partner's link, withdraw, and (once picked)
see the person's address once."""

from flask import Blueprint

bp = Blueprint("volunteers", __name__, url_prefix="/buren")

from signaalpunt.volunteers import views  # noqa: E402, F401 - registers the routes on bp
