"""Absolute links for e-mail and posters, built from the configured public address, never the request's Host."""

from flask import current_app, request, url_for


def public_url(endpoint: str, **values: object) -> str:
    """``PUBLIC_BASE_URL`` + the path of ``endpoint``; a forged Host header cannot change it."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    # Built from the URL map directly, so it works in CLI commands and mail workers without a request.
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base + path


def current_url_with(**changes: object) -> str:
    """This page's URL with some query arguments changed; ``None`` removes one (filters and pagination)."""
    args = {**request.args.to_dict(), **changes}
    return url_for(request.endpoint, **(request.view_args or {}), **{k: v for k, v in args.items() if v is not None})
