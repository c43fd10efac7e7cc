"""Signaalpunt: the app factory."""

from pathlib import Path

import sqlalchemy as sa
from flask import Flask, render_template
from flask_babel import get_locale, lazy_gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from signaalpunt import models  # noqa: F401 - every model, before the mappers are configured
from signaalpunt.accounts import audit
from signaalpunt.board import display
from signaalpunt.config import load_config
from signaalpunt.consent import enums as consent_enums
from signaalpunt.core import (
    assets,
    compression,
    database,
    headers,
    languages,
    logs,
    rate_limits,  # noqa: F401 - registers the database:// rate-limit store
    request_input,
)
from signaalpunt.core.links import current_url_with, public_url, this_page
from signaalpunt.extensions import babel, csrf, db, limiter, login_manager, migrate
from signaalpunt.referrals import enums as referral_enums
from signaalpunt.signals import enums, tallies
from signaalpunt.web import staff_alerts

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application; ``test_config`` replaces the instance file and environment entirely."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    load_config(app, test_config)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    database.init_app(app)
    audit.init_app(app)
    tallies.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    request_input.init_app(app)  # first: before CSRF and the rate limits read the request
    csrf.init_app(app)
    babel.init_app(app, locale_selector=languages.select_locale)
    languages.init_app(app)
    limiter.init_app(app)
    _init_login(app)
    headers.init_app(app)
    assets.init_app(app)
    compression.init_app(app)
    logs.init_app(app)
    display.init_app(app)
    staff_alerts.init_app(app)

    from signaalpunt.admin import bp as admin_bp
    from signaalpunt.auth import bp as auth_bp
    from signaalpunt.board import bp as board_bp
    from signaalpunt.core.health import bp as health_bp
    from signaalpunt.figures import bp as figures_bp
    from signaalpunt.initiatives import bp as initiatives_bp
    from signaalpunt.intake import bp as intake_bp
    from signaalpunt.open311 import bp as open311_bp
    from signaalpunt.ops import cli
    from signaalpunt.volunteers import bp as volunteers_bp

    for blueprint in (
        intake_bp,
        auth_bp,
        board_bp,
        admin_bp,
        figures_bp,
        initiatives_bp,
        volunteers_bp,
        open311_bp,
        health_bp,
        cli.bp,
    ):
        app.register_blueprint(blueprint)
    _register_error_pages(app)
    app.add_template_global(public_url)
    app.add_template_global(current_url_with)
    app.add_template_global(this_page)
    app.add_template_global(enums, name="enums")
    app.add_template_global(consent_enums, name="consent_enums")
    app.add_template_global(referral_enums, name="referral_enums")

    @app.context_processor
    def language() -> dict[str, object]:
        current = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
        return {
            "html_lang": current,
            "text_direction": "rtl" if languages.is_right_to_left(current) else "ltr",
            "language_names": languages.NAMES,
            "switchable_languages": languages.PUBLIC_LANGUAGES,
        }

    return app


def _init_login(app: Flask) -> None:
    from signaalpunt.web import sessions

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Log in om deze pagina te zien.")
    sessions.init_app(app)


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def form_expired(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/form_expired.html"), 400

    @app.errorhandler(sa.exc.OperationalError)
    @app.errorhandler(sa.exc.InterfaceError)
    def database_unavailable(error: sa.exc.DBAPIError) -> tuple[str, int, dict[str, str]]:
        database.discard_failed_transaction(error)
        return render_template("errors/unavailable.html"), 503, {"Retry-After": str(database.RETRY_AFTER_SECONDS)}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int, list[tuple[str, str]]]:
        if (error.code or 500) >= 500:
            # A failed flush leaves the session unusable, and the page itself reads the logged-in user.
            db.session.rollback()
        # Keep what the error says in its headers (Allow on a 405), but the page is ours.
        kept = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
        return render_template("errors/http_error.html", error=error), error.code or 500, kept
