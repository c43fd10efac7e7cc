"""Security headers on every response; staff pages are never cached."""

from urllib.parse import urlsplit, urlunsplit

from flask import Flask, request
from flask_login import current_user
from werkzeug import Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Pages a browser or proxy may cache: the public pages, and pages of no blueprint (404 and the like).
CACHEABLE_BLUEPRINTS = ("intake", None)


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    # same-origin, not no-referrer: Flask-WTF refuses HTTPS form posts that carry no Referer.
    headers["Referrer-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.blueprint not in CACHEABLE_BLUEPRINTS or current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
    return response


def keep_redirects_relative(response: Response) -> Response:
    """A redirect to this site names only the path: the Host header a client sent is never echoed back.

    Werkzeug makes its own redirects (``/werk`` to ``/werk/``) absolute, with the request's Host in them.
    """
    location = response.headers.get("Location")
    if location and response.status_code in range(300, 400):
        parts = urlsplit(location)
        if parts.netloc and parts.netloc == request.host:
            response.headers["Location"] = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    return response


def see_other_after_post(response: Response) -> Response:
    """Every redirect after a form is a 303, so the browser's Back and Reload never offer to send the form again."""
    if request.method == "POST" and response.status_code == 302:
        response.status_code = 303
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.after_request(keep_redirects_relative)
    app.after_request(see_other_after_post)
