"""Backups of a SQLite database while the app keeps running, with SQLite's online backup API.

The copy is written next to its destination and renamed into place only once it is complete and
passes SQLite's integrity check, so a backup file is never half-written. PostgreSQL is backed up
with ``pg_dump`` instead (see the README).
"""

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa

# Pages copied per step: small steps let the app keep writing between them.
PAGES_PER_STEP = 1024


class BackupError(Exception):
    """The backup could not be made; the message says why, for the operator."""


def backup_sqlite(engine: sa.Engine, destination: Path) -> int:
    """Copy the database behind ``engine`` to ``destination`` (readable by its owner only); returns its signals."""
    if engine.dialect.name != "sqlite":
        raise BackupError("This database is not SQLite: back up PostgreSQL with pg_dump (see the README).")
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose a new name.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)
    raw = engine.raw_connection()
    try:
        # closing(): a sqlite3 connection's own "with" ends a transaction but leaves the file open.
        with closing(sqlite3.connect(partial)) as copy:
            raw.driver_connection.backup(copy, pages=PAGES_PER_STEP)
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("The copy failed SQLite's integrity check; nothing was kept.")
            signals = copy.execute("SELECT count(*) FROM signals").fetchone()[0]
    except (sqlite3.Error, BackupError):
        partial.unlink(missing_ok=True)
        raise
    finally:
        raw.close()
    os.replace(partial, destination)
    return signals
