"""Database connection settings that differ per engine."""

import sqlalchemy as sa
from flask import Flask

from signaalpunt.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 5000


def _tune_sqlite(dbapi_connection: object, connection_record: object) -> None:
    """WAL lets readers and one writer work at once; FULL sync makes a stored report survive a power cut."""
    cursor = dbapi_connection.cursor()
    for pragma in (
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=FULL",
        f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
        "PRAGMA foreign_keys=ON",
    ):
        cursor.execute(pragma)
    cursor.close()


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
            sa.event.listen(engine, "connect", _tune_sqlite)
