"""SQLite's own settings and housekeeping. Always on a SQLite database of its own, also in the PostgreSQL run:
these are SQLite's (PostgreSQL has no write-ahead log to bound here and no pragmas)."""

from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt import create_app
from signaalpunt.core.database import SQLITE_WAL_LIMIT_BYTES, checkpoint_wal
from signaalpunt.extensions import db
from tests.conftest import make_config


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app(make_config(f"sqlite:///{tmp_path / 'own.db'}"))
    with app.app_context():
        flask_migrate.upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout_full_sync_and_a_bounded_log(sqlite_app: Flask) -> None:
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(sa.text("PRAGMA busy_timeout")).scalar() == 5000
        assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 2
        assert connection.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(sa.text("PRAGMA journal_size_limit")).scalar() == SQLITE_WAL_LIMIT_BYTES


def test_the_write_ahead_log_is_emptied_even_while_a_reader_held_it_open(sqlite_app: Flask, tmp_path: Path) -> None:
    wal = tmp_path / "own.db-wal"
    reader = db.engine.connect()
    reader.begin()
    reader.exec_driver_sql("SELECT count(*) FROM signals").scalar()
    with db.engine.begin() as writer:
        for _ in range(20):
            writer.execute(
                sa.text("INSERT INTO audit_events (created_at, action, result) VALUES (:t, :a, 'ok')"),
                [{"t": "2026-01-01", "a": "x" * 40}] * 500,
            )
    assert wal.stat().st_size > 1_000_000, "a reader keeps the automatic checkpoints from emptying the log"
    reader.close()
    checkpoint_wal()
    assert wal.stat().st_size == 0
