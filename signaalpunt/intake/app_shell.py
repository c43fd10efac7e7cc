"""The public form as an installable app: its manifest (a partner's link keeps its partner when installed) and
its service worker, served from the site's root so it may control the form's pages."""

import json

from flask import current_app, request, url_for
from werkzeug import Response

from signaalpunt.core.assets import asset, small_file
from signaalpunt.intake import bp
from signaalpunt.signals.intake import active_partners

THEME = "#1d4f91"
# What the service worker may control: the report forms and their confirmation, never a staff page.
SCOPE = "/melden"


@bp.route("/manifest.webmanifest")
def manifest() -> Response:
    via = request.args.get("via", "")
    start = (
        url_for("intake.report", via=via) if any(p.slug == via for p in active_partners()) else url_for("intake.report")
    )
    body = {
        "name": current_app.config["SITE_NAME"],
        "short_name": "Signaalpunt",
        "lang": "nl",
        "start_url": start,
        "scope": SCOPE,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [
            {"src": asset("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": asset("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": asset("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
        ],
    }
    return Response(json.dumps(body), content_type="application/manifest+json")


@bp.route("/sw.js")
def service_worker() -> Response:
    """A static file; from the root so its scope may be the form's pages. Always checked for a newer version."""
    response = small_file("js/sw.js", 0, "text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response
