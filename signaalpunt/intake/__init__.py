"""The public side: report form, confirmation, status lookup and privacy statement. No login."""

from flask import Blueprint

bp = Blueprint("intake", __name__)

from signaalpunt.intake import app_shell, views  # noqa: E402, F401 - registers the routes on bp
