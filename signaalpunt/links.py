"""Absolute links for e-mail and posters, built from the configured public address, never the request's Host."""

from flask import current_app, url_for


def public_url(endpoint: str, **values: object) -> str:
    """``PUBLIC_BASE_URL`` + the path of ``endpoint``; a forged Host header cannot change it."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(endpoint, **values)
