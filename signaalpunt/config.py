"""Settings: defaults here, then ``instance/config.py``, then ``SIGNAALPUNT_*`` environment variables.

Every setting is documented in the README. Environment values are parsed as JSON where possible
(``SIGNAALPUNT_BOARD_PAGE_SIZE=50`` becomes the integer 50), as Flask's ``from_prefixed_env`` does.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

ENVIRONMENTS = ("development", "production")
MIN_SECRET_KEY_LENGTH = 32
# Made on first start when no key is set outside production, and kept so sessions survive a restart.
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name


class Defaults:
    ENVIRONMENT = "development"
    SECRET_KEY: str | None = None  # production: required; elsewhere: made once and kept in the instance folder
    SITE_NAME = "Signaalpunt tegen Eenzaamheid"
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    SQLALCHEMY_DATABASE_URI: str | None = None  # default: SQLite file in the instance folder
    # hide_parameters: a failed statement's values (names, addresses, free text) never reach a log line.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}  # noqa: RUF012 - read by Flask

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"

    WTF_CSRF_TIME_LIMIT = 3600
    MAX_CONTENT_LENGTH = 256 * 1024

    # Counted in the app's database, so all workers and machines share one count ("redis://…" for Redis).
    # memory:// counts per process: fine for a single process, refused by gunicorn.conf.py for several.
    RATELIMIT_STORAGE_URI = "database://"
    # No rate-limit headers: they would tell a bot its budget, and put an hour-long Retry-After on every answer.
    RATELIMIT_HEADERS_ENABLED = False
    REPORT_RATE_LIMIT = "20 per hour"
    STATUS_RATE_LIMIT = "30 per hour"
    # Per API key: a partner app posts for many couriers at once.
    API_RATE_LIMIT = "120 per minute"

    INVITE_VALID_HOURS = 72

    TWO_FACTOR_REQUIRED = True
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a hash method name
    # Attempts per account from one address before it is locked there for LOGIN_LOCKOUT_MINUTES…
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCKOUT_MINUTES = 15
    # …and from all addresses together in an hour, so many addresses cannot guess on.
    LOGIN_ACCOUNT_MAX_FAILURES = 50
    LOGIN_RATE_LIMIT = "20 per minute"
    # Proxies in front (nginx: 1) whose X-Forwarded-For/-Proto are believed, so rate limits and the
    # audit trail see the visitor's address instead of the proxy's. 0 when the app faces the internet.
    TRUSTED_PROXIES = 0
    SESSION_IDLE_MINUTES = 30
    SESSION_ABSOLUTE_HOURS = 12
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    BOARD_PAGE_SIZE = 25

    MAIL_BACKEND = "console"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_SENDER = "Signaalpunt <noreply@signaalpunt.invalid>"
    MAIL_TIMEOUT_SECONDS = 10
    # After a failure: a pause that doubles from MAIL_RETRY_BASE_SECONDS up to MAIL_RETRY_MAX_MINUTES, then
    # every MAIL_RETRY_MAX_MINUTES, for MAIL_GIVE_UP_AFTER_DAYS after the message was queued.
    MAIL_RETRY_BASE_SECONDS = 60
    MAIL_RETRY_MAX_MINUTES = 30
    MAIL_GIVE_UP_AFTER_DAYS = 7


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
    # Whatever else is configured, statement parameters stay out of error messages.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"], "hide_parameters": True}
    check_secret_key(app)
    check_production_settings(app)


def check_secret_key(app: Flask) -> None:
    """Never run with a key anyone else knows: a set key must be long, a missing one is made and kept here."""
    environment = app.config["ENVIRONMENT"]
    if environment not in ENVIRONMENTS:
        raise ConfigurationError(f"ENVIRONMENT must be one of {', '.join(ENVIRONMENTS)}, not {environment!r}.")
    secret = app.config.get("SECRET_KEY")
    if secret is None and environment != "production":
        app.config["SECRET_KEY"] = _kept_secret_key(Path(app.instance_path) / SECRET_KEY_FILE)
    elif not isinstance(secret, str) or len(secret) < MIN_SECRET_KEY_LENGTH:
        raise ConfigurationError(
            f"Set SIGNAALPUNT_SECRET_KEY to a random value of at least {MIN_SECRET_KEY_LENGTH} characters."
        )


def _kept_secret_key(path: Path) -> str:
    """The key in ``path``, made first if there is none; several workers starting at once all read the same one."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(48))
        draft.chmod(0o600)
        try:
            # Linking fails when another process was first: then its key is the one to use.
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def check_production_settings(app: Flask) -> None:
    """Refuse to start a production configuration that would be unsafe."""
    if app.config["ENVIRONMENT"] != "production":
        return
    if app.debug:
        raise ConfigurationError("Debug mode must be off in production.")
    if not app.config["TWO_FACTOR_REQUIRED"]:
        raise ConfigurationError("The second factor can only be made optional outside production.")
    if urlsplit(app.config["PUBLIC_BASE_URL"]).hostname in ("127.0.0.1", "localhost", None):
        # Posters, QR codes and every link in mail are made from it: they would point at the server itself.
        raise ConfigurationError(
            "Set SIGNAALPUNT_PUBLIC_BASE_URL to the address people use (https://...): posters, QR codes and "
            "mail links are made from it."
        )
    # Only sent over HTTPS, and the __Host- prefix pins the cookie to this exact host and path.
    app.config["SESSION_COOKIE_SECURE"] = True
    app.config["SESSION_COOKIE_NAME"] = "__Host-session"
