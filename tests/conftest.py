"""Fixtures: a fresh, migrated SQLite database per test, a test client that reads pages like a person."""

import contextvars
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask, has_app_context
from flask.testing import FlaskClient, FlaskCliRunner
from jinja2.bccache import Bucket, BytecodeCache
from werkzeug.test import TestResponse

from signaalpunt import create_app
from signaalpunt.extensions import db
from tests.pages import PageClient

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def make_config(database_url: str, **overrides: object) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "SQLALCHEMY_DATABASE_URI": database_url,
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
        # End the test's own transaction around the request: the request sees what the test stored,
        # and the test then reads what the request stored (SQLite keeps a snapshot per transaction).
        if not has_app_context():  # a redirect followed inside the request's own empty context
            return super().open(*args, **kwargs)
        db.session.commit()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.commit()
        return response


# Set TEST_POSTGRES_URL (a server where the test user may create databases, e.g.
# postgresql+psycopg://signaalpunt@127.0.0.1:55432/postgres) to run the whole suite on PostgreSQL.
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")


class Databases:
    """Fresh databases made by the real migrations: a copied SQLite file, or a clone of a PostgreSQL template."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = self._create_template()
        self.count = 0

    def _create_template(self) -> str:
        if POSTGRES_URL:
            name = f"signaalpunt_template_{os.getpid()}"
            self._admin(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
            url = sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        else:
            url = f"sqlite:///{self.folder / 'template.db'}"
        template_app = create_app(make_config(url))
        with template_app.app_context():
            flask_migrate.upgrade()
            db.engine.dispose()
        return url

    def _admin(self, *statements: str) -> None:
        engine = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(sa.text(statement))
        engine.dispose()

    def fresh(self, tmp_path: Path) -> str:
        """A new database with the migrated schema, for one test."""
        self.count += 1
        if POSTGRES_URL:
            template = sa.make_url(self.template).database
            name = f"{template}_{self.count}"
            self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return sa.make_url(self.template).set(database=name).render_as_string(hide_password=False)
        database = tmp_path / "signaalpunt.db"
        shutil.copyfile(sa.make_url(self.template).database, database)
        return f"sqlite:///{database}"

    def empty(self, tmp_path: Path) -> str:
        """A new database without any schema, for tests that run the migrations themselves."""
        self.count += 1
        if POSTGRES_URL:
            name = f"{sa.make_url(self.template).database}_empty_{self.count}"
            self._admin(f'CREATE DATABASE "{name}"')
            return sa.make_url(self.template).set(database=name).render_as_string(hide_password=False)
        return f"sqlite:///{tmp_path / 'empty.db'}"

    @contextmanager
    def outage(self, url: str) -> Iterator[None]:
        """The database at ``url`` stops answering (open connections die, new ones are refused), then comes back."""
        if POSTGRES_URL:
            name = sa.make_url(url).database
            self._admin(
                f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false',
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'",  # noqa: S608 - our name
            )
            try:
                yield
            finally:
                self._admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            return
        # SQLite cannot refuse connections: put a folder where the file was, so that opening it fails.
        path = Path(sa.make_url(url).database)
        away = path.with_name("away")
        away.mkdir()
        files = [candidate for candidate in path.parent.glob(f"{path.name}*") if candidate.is_file()]
        for file in files:
            file.rename(away / file.name)
        path.mkdir()
        try:
            yield
        finally:
            path.rmdir()
            for file in files:
                (away / file.name).rename(file)
            away.rmdir()

    def drop(self, url: str) -> None:
        if POSTGRES_URL:
            self._admin(f'DROP DATABASE IF EXISTS "{sa.make_url(url).database}" WITH (FORCE)')


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    created = Databases(tmp_path_factory.mktemp("template"))
    yield created
    created.drop(created.template)


@pytest.fixture(scope="session")
def migrated_template(databases: Databases) -> str:
    """The URL of a migrated database, for apps a test builds itself."""
    return databases.template


@pytest.fixture
def app_config() -> dict:
    """Override in a test module (or parametrise) to change settings for the app under test."""
    return {}


class SharedTemplateCache(BytecodeCache):
    """Compiled templates kept for the whole run: each test builds its own app, but need not compile the same
    templates again (a fifth of a page-heavy test's time went to that)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = SharedTemplateCache()


@pytest.fixture
def app(databases: Databases, tmp_path: Path, app_config: dict) -> Iterator[Flask]:
    url = databases.fresh(tmp_path)
    application = create_app(make_config(url, **app_config))
    application.jinja_env.bytecode_cache = TEMPLATES
    application.test_client_class = IsolatedClient
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


@pytest.fixture
def database_outage(app: Flask, databases: Databases) -> Callable[[], AbstractContextManager[None]]:
    """``with database_outage():`` the app's database is unreachable; open connections die with it."""

    @contextmanager
    def outage() -> Iterator[None]:
        db.session.commit()
        db.engine.dispose()
        with databases.outage(db.engine.url.render_as_string(hide_password=False)):
            yield
        db.session.rollback()

    return outage


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def pages(client: FlaskClient) -> PageClient:
    return PageClient(client)


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()
