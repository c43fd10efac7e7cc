"""Compressed responses for the public pages and static files, which phones fetch over a weak connection.

Staff pages go out uncompressed: they show names next to what the staff member typed (the board's search),
and compressing a secret together with text an attacker can choose lets the sizes tell the secret (BREACH).
They are read in offices on good connections; the public pages hold no one else's data.
"""

from flask import Flask, request
from werkzeug import Response

from signaalpunt.extensions import compress

COMPRESSED_BLUEPRINTS = frozenset({"intake", "volunteers", "initiatives"})
MIMETYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
]


def compress_public(response: Response) -> Response:
    if request.endpoint == "static" and response.status_code == 200:
        # A small file, read whole and closed at once (not when the server gets round to it), then compressed
        # like a page.
        opened = response.response
        response.direct_passthrough = False
        body = b"".join(response.iter_encoded())
        opened.close()
        response.set_data(body)
    elif request.blueprint not in COMPRESSED_BLUEPRINTS:
        return response
    return compress.after_request(response)


def init_app(app: Flask) -> None:
    app.config.update(
        COMPRESS_REGISTER=False,
        COMPRESS_MIMETYPES=MIMETYPES,
        # Streamed answers (the CSV export) go out as they are read from the database.
        COMPRESS_STREAMS=False,
    )
    compress.init_app(app)
    app.after_request(compress_public)
