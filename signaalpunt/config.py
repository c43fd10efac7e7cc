"""Settings: defaults here, then ``instance/config.py``, then ``SIGNAALPUNT_*`` environment variables.

Every setting is documented in the README. Environment values are parsed as JSON where possible
(``SIGNAALPUNT_SLA_WORKING_DAYS=2`` becomes the integer 2), as Flask's ``from_prefixed_env`` does.
"""

import os
from pathlib import Path

from flask import Flask

DEVELOPMENT_SECRET_KEY = "development-only-not-secret"  # noqa: S105 - refused in production below


class Defaults:
    ENVIRONMENT = "development"
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
    SITE_NAME = "Signaalpunt tegen Eenzaamheid"
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    SQLALCHEMY_DATABASE_URI: str | None = None  # default: SQLite file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}  # noqa: RUF012 - Flask reads class attributes

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"

    WTF_CSRF_TIME_LIMIT = 3600
    MAX_CONTENT_LENGTH = 256 * 1024

    RATELIMIT_STORAGE_URI = "memory://"
    # No rate-limit headers: they would tell a bot its budget, and put an hour-long Retry-After on every answer.
    RATELIMIT_HEADERS_ENABLED = False
    REPORT_RATE_LIMIT = "20 per hour"
    STATUS_RATE_LIMIT = "30 per hour"

    SLA_WORKING_DAYS = 3
    SLA_URGENT_WORKING_DAYS = 1
    INVITE_VALID_HOURS = 72

    TWO_FACTOR_REQUIRED = True
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a hash method name
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCKOUT_MINUTES = 15
    LOGIN_RATE_LIMIT = "20 per minute"
    # Proxies in front (nginx: 1) whose X-Forwarded-For/-Proto are believed, so rate limits and the
    # audit trail see the visitor's address instead of the proxy's. 0 when the app faces the internet.
    TRUSTED_PROXIES = 0
    SESSION_IDLE_MINUTES = 30
    SESSION_ABSOLUTE_HOURS = 12
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    RETENTION_MONTHS = 12
    BOARD_PAGE_SIZE = 25

    MAIL_BACKEND = "console"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_SENDER = "Signaalpunt <noreply@signaalpunt.invalid>"
    MAIL_TIMEOUT_SECONDS = 10
    MAIL_MAX_ATTEMPTS = 8
    MAIL_RETRY_BASE_SECONDS = 60


class ConfigurationError(RuntimeError):
    """The settings are unsafe or incomplete for the chosen environment."""


def load_config(app: Flask, test_config: dict | None) -> None:
    """Fill ``app.config`` from defaults, the instance file, the environment and ``test_config``, in that order."""
    app.config.from_object(Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("SIGNAALPUNT")
        if os.environ.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    else:
        app.config.update(test_config)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "signaalpunt.db")
    check_production_settings(app)


def check_production_settings(app: Flask) -> None:
    """Refuse to start a production configuration that would be unsafe."""
    if app.config["ENVIRONMENT"] != "production":
        return
    secret = app.config.get("SECRET_KEY") or ""
    if secret == DEVELOPMENT_SECRET_KEY or len(secret) < 32:
        raise ConfigurationError("Set SIGNAALPUNT_SECRET_KEY to a random value of at least 32 characters.")
    if app.debug:
        raise ConfigurationError("Debug mode must be off in production.")
    if not app.config["TWO_FACTOR_REQUIRED"]:
        raise ConfigurationError("The second factor can only be made optional outside production.")
    # Only sent over HTTPS, and the __Host- prefix pins the cookie to this exact host and path.
    app.config["SESSION_COOKIE_SECURE"] = True
    app.config["SESSION_COOKIE_NAME"] = "__Host-session"
