"""Database connection settings that differ per engine.

SQLite allows one writer at a time. A transaction that starts as a read and later writes can fail
at once with "database is locked" (the busy timeout does not help there), so a transaction that is
meant to write starts with ``BEGIN IMMEDIATE``: it waits its turn up front instead of failing halfway.
Requests that change things (POST and the like) and ``write_transaction()`` blocks write that way;
everything else reads with a plain ``BEGIN``, which in WAL mode never blocks a writer.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import sqlalchemy as sa
from flask import Flask, has_request_context, request

from signaalpunt.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 5000
# What the 503 page asks clients (and proxies) to wait before trying again.
RETRY_AFTER_SECONDS = 120
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_writing: ContextVar[bool] = ContextVar("writing", default=False)
logger = logging.getLogger(__name__)


def _tune_sqlite(dbapi_connection: object, connection_record: object) -> None:
    """WAL lets readers and one writer work at once; FULL sync makes a stored report survive a power cut."""
    # Let SQLAlchemy's "begin" event emit BEGIN itself, so that it can choose IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=FULL",
        f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
        "PRAGMA foreign_keys=ON",
    ):
        cursor.execute(pragma)
    cursor.close()


def _begin(connection: sa.Connection) -> None:
    writing = _writing.get() or (has_request_context() and request.method not in READ_ONLY_METHODS)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


@contextmanager
def write_transaction() -> Iterator[None]:
    """End the current (reading) transaction, then write in one that waits for its turn, and commit it."""
    db.session.commit()
    token = _writing.set(True)
    try:
        yield
        db.session.commit()
    finally:
        _writing.reset(token)


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
            sa.event.listen(engine, "connect", _tune_sqlite)
            sa.event.listen(engine, "begin", _begin)


def discard_failed_transaction(error: sa.exc.OperationalError) -> None:
    """After the database went away: drop whatever this request had begun, so nothing half-written remains."""
    logger.error("Database unavailable (%s)", type(error.orig).__name__)
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        # The connection is gone; the server rolls back what it never saw committed.
        db.session.close()
