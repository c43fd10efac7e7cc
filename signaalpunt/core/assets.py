"""Static files under URLs that carry their content's fingerprint, so a browser keeps them for a year and never
asks again until they change; and the two files browsers and crawlers ask for on their own (favicon, robots)."""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, request, url_for
from werkzeug import Response

# A fingerprinted URL never names other content: a year, and no check in between.
IMMUTABLE = "public, max-age=31536000, immutable"
A_WEEK = 7 * 24 * 3600


@lru_cache(maxsize=64)
def _fingerprint(path: str, modified: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def fingerprint(filename: str) -> str | None:
    """The fingerprint of a static file as it is now; None for a file that is not there."""
    path = Path(current_app.static_folder) / filename
    if not path.is_file():
        return None
    return _fingerprint(str(path), path.stat().st_mtime)


def asset(filename: str) -> str:
    """A static file's URL with its content's fingerprint (the service worker keeps it by that URL too)."""
    return url_for("static", filename=filename, v=fingerprint(filename))


def cache_fingerprinted(response: Response) -> Response:
    """Immutable when the URL names the file's current content; a stale or missing fingerprint stays ``no-cache``."""
    if request.endpoint == "static" and response.status_code == 200:
        wanted = request.args.get("v")
        if wanted and wanted == fingerprint(request.view_args["filename"]):
            response.headers["Cache-Control"] = IMMUTABLE
    return response


def small_file(filename: str, max_age: int, mimetype: str) -> Response:
    """A small static file from memory, with an ETag: no file stays open when the browser gives up on it halfway
    (it asks for the favicon on every page, and drops the request when the page moves on)."""
    path = Path(current_app.static_folder) / filename
    response = Response(_contents(str(path), path.stat().st_mtime), mimetype=mimetype)
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.add_etag()
    return response.make_conditional(request)


@lru_cache(maxsize=8)
def _contents(path: str, modified: float) -> bytes:
    return Path(path).read_bytes()


def favicon() -> Response:
    return small_file("icons/favicon.ico", A_WEEK, "image/vnd.microsoft.icon")


def robots() -> Response:
    return small_file("robots.txt", A_WEEK, "text/plain")


def init_app(app: Flask) -> None:
    app.add_template_global(asset)
    app.add_url_rule("/favicon.ico", "favicon", favicon)
    app.add_url_rule("/robots.txt", "robots", robots)
    app.after_request(cache_fingerprinted)
