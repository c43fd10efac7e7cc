"""The staff side: the board, one signal with its actions, phone intake."""

from flask import Blueprint

bp = Blueprint("board", __name__, url_prefix="/werk")

from signaalpunt.board import call_views, views  # noqa: E402, F401 - registers the routes on bp
