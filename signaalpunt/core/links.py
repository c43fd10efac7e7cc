"""Links: absolute ones for e-mail and posters (from the configured address, never the request's Host), and
paths that are sure to stay on this site when redirected to."""

from urllib.parse import quote, urlsplit

from flask import current_app, request, url_for

# Browsers drop tabs and line breaks inside a URL and read a backslash as a slash, so "/\t/evil" means "//evil".
_UNSAFE_IN_PATH = frozenset("\\") | {chr(code) for code in range(0x21)} | {"\x7f"}


def public_url(endpoint: str, **values: object) -> str:
    """``PUBLIC_BASE_URL`` + the path of ``endpoint``; a forged Host header cannot change it."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    # Built from the URL map directly, so it works in CLI commands and mail workers without a request.
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base + path


def current_url_with(**changes: object) -> str:
    """This page's URL with some query arguments changed; ``None`` removes one (filters and pagination)."""
    path_values = request.view_args or {}
    # A query argument named like a part of the path (``?token=``) is not this page's: it is dropped.
    args = {k: v for k, v in {**request.args.to_dict(), **changes}.items() if k not in path_values}
    return url_for(request.endpoint, **path_values, **{k: v for k, v in args.items() if v is not None})


def same_site_path(target: str | None) -> str | None:
    """``target`` when it is a path on this site as a browser would read it, else ``None``.

    ``https://elsewhere``, ``//elsewhere``, ``/\\elsewhere`` and ``/<tab>/elsewhere`` are all other sites.
    """
    if not target or not target.startswith("/") or any(character in _UNSAFE_IN_PATH for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


def quoted_path(path: str) -> str:
    """A request's (decoded) path as a same-site URL path: special characters escaped, one leading slash."""
    return "/" + quote(path, safe="/:@!$&'()*+,;=-._~").lstrip("/")


def this_page() -> str:
    """This page's own address with its query string: the action of a form that posts back here on purpose
    (the login form keeps its ``next=``)."""
    return quoted_path(request.path) + (f"?{request.query_string.decode()}" if request.query_string else "")
