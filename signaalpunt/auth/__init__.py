"""Staff login, logout and choosing a password from an invitation."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from signaalpunt.auth import views  # noqa: E402, F401 - registers the routes on bp
