"""What a request may bring: form-encoded bodies within the size limit, and no NUL characters.

Checked before anything else reads the request (CSRF, rate limits, views), so a JSON body or a body
over the limit is refused plainly instead of half-read.
"""

import io
from collections.abc import Callable, Iterable

from flask import Flask, abort, has_request_context, request
from werkzeug.routing import IntegerConverter

# The largest id a database integer column holds (PostgreSQL's integer); a larger number names no row.
MAX_ID = 2**31 - 1
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_TOO_LARGE = "signaalpunt.body_too_large"


class ChunkedBodyLimit:
    """WSGI middleware: a chunked body (no Content-Length) is read whole, up to the limit, before the app sees it.

    Werkzeug stops reading such a body at the limit and hands the app what it read so far, so a body
    over the limit would be processed cut off. Read here, it is either kept whole or refused (413).
    """

    def __init__(self, wsgi_app: Callable, app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        chunked = not environ.get("CONTENT_LENGTH") and "wsgi.input_terminated" in environ
        if chunked and environ["REQUEST_METHOD"] in BODY_METHODS:
            limit = self.app.config["MAX_CONTENT_LENGTH"]
            body = environ["wsgi.input"].read(limit + 1)
            if len(body) > limit:
                environ[_TOO_LARGE] = True
                body = b""
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            del environ["wsgi.input_terminated"]
        return self.wsgi_app(environ, start_response)


def check_request_input() -> None:
    """413 for a chunked body over the limit, 415 for a body that is not a form, 400 for a NUL in the address."""
    if request.environ.get(_TOO_LARGE):
        abort(413)
    if request.method in BODY_METHODS and request.content_length and request.mimetype not in FORM_TYPES:
        abort(415)
    # PostgreSQL cannot store a NUL, and no person types one; form fields have theirs removed (forms.BaseForm).
    if "\x00" in request.path or any("\x00" in key + value for key, value in request.args.items(multi=True)):
        abort(400)


def client_address() -> str | None:
    """The visitor's address (behind trusted proxies: as they report it); ``None`` outside a request."""
    return request.remote_addr if has_request_context() else None


def id_arg(name: str) -> int | None:
    """A row id from the query string: ASCII digits within a database integer, else ``None`` (``²``, ``9…9``)."""
    value = request.args.get(name, "")
    if not value.isascii() or not value.isdigit() or len(value) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """``<int:…>`` in a route: ASCII digits up to ``MAX_ID``; anything else is a plain 404, never a database error."""

    regex = r"[0-9]+"

    def __init__(self, url_map: object, **options: object) -> None:
        super().__init__(url_map, **{"min": 1, "max": MAX_ID, **options})


def init_app(app: Flask) -> None:
    """Before the blueprints are registered, so every ``<int:…>`` route uses the bounded converter."""
    app.url_map.converters["int"] = IdConverter
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app, app)
    app.before_request(check_request_input)
