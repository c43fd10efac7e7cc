"""Moments on staff pages: words in the reader's language and time zone, the exact UTC time for machines.

Python functions rather than template macros: a board page shows fifty of them, and a macro call
costs several times a function call.
"""

from datetime import datetime

from flask import Flask
from flask_babel import format_datetime
from markupsafe import Markup

RECEIVED = "d MMM yyyy, HH:mm"
DEADLINE = "EEEE d MMM yyyy"


def _time_element(moment: datetime, pattern: str) -> Markup:
    return Markup('<time datetime="{}Z">{}</time>').format(
        moment.isoformat(timespec="minutes"), format_datetime(moment, pattern)
    )


def when(moment: datetime) -> Markup:
    """Date and time, such as "24 nov. 2026, 14:30"."""
    return _time_element(moment, RECEIVED)


def due(moment: datetime) -> Markup:
    """A deadline's day, such as "dinsdag 24 nov. 2026"."""
    return _time_element(moment, DEADLINE)


def init_app(app: Flask) -> None:
    app.add_template_global(when)
    app.add_template_global(due)
