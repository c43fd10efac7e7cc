"""Fixtures: a fresh, migrated SQLite database per test, a test client that reads pages like a person."""

import contextvars
import shutil
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from werkzeug.test import TestResponse

from signaalpunt import create_app
from signaalpunt.extensions import db
from tests.pages import PageClient

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def make_config(database: Path, **overrides: object) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "REPORT_RATE_LIMIT": "1000 per hour",
        "STATUS_RATE_LIMIT": "1000 per hour",
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": 9,  # discard port, nothing listens: tests that deliver mail start their own server
        "MAIL_TIMEOUT_SECONDS": 5,
        "PUBLIC_BASE_URL": "https://signaalpunt.example.nl",
        # Fast hashing keeps the suite quick; production uses scrypt (test_config checks the default).
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        **overrides,
    }


class IsolatedClient(FlaskClient):
    """Runs each request in an empty context, so it gets its own app context, ``g`` and session, as in production.

    Tests keep an app context open for their own database checks; without this, requests would share its ``g``.
    """

    def open(self, *args: object, **kwargs: object) -> TestResponse:
        # Buffered, so a streamed body is read while its request context still exists.
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated by Alembic, copied for every test: real migrations, fast set-up."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    template_app = create_app(make_config(path))
    with template_app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    return path


@pytest.fixture
def app_config() -> dict:
    """Override in a test module (or parametrise) to change settings for the app under test."""
    return {}


@pytest.fixture
def app(migrated_template: Path, tmp_path: Path, app_config: dict) -> Iterator[Flask]:
    database = tmp_path / "signaalpunt.db"
    shutil.copyfile(migrated_template, database)
    application = create_app(make_config(database, **app_config))
    application.test_client_class = IsolatedClient
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def pages(client: FlaskClient) -> PageClient:
    return PageClient(client)


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
