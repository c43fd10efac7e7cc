"""Rate-limit counters kept in the app's own database, so every worker and every machine counts together.

Flask-Limiter's default memory store counts per process: under gunicorn with five workers "20 per hour"
meant about a hundred. This store needs nothing beyond the database the app already has; a large
installation can still choose Redis (``RATELIMIT_STORAGE_URI=redis://…``).

Counters are kept under a hash of their key (which holds the visitor's address), never the key itself.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import sqlalchemy as sa
from limits.storage import Storage
from sqlalchemy.dialects import postgresql, sqlite

from signaalpunt.core.database import independent_write
from signaalpunt.core.models import RateLimitWindow
from signaalpunt.core.tokens import hashed
from signaalpunt.extensions import db

SCHEME = "database"
_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


class DatabaseStorage(Storage):
    """A fixed window per key: one row with its count and the moment the window ends."""

    STORAGE_SCHEME = [SCHEME]  # noqa: RUF012 - read by the limits registry

    @property
    def base_exceptions(self) -> type[Exception]:
        return sa.exc.SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count ``amount`` more in the key's window (a new window once the last one ended); the new count."""
        now = time.time()
        counted = {"key_hash": hashed(key), "amount": amount, "now": now, "ends": now + expiry}
        with independent_write() as connection:
            return connection.execute(_counting(connection.dialect.name), counted).scalar_one()

    def get(self, key: str) -> int:
        with self._reading() as connection:
            count = connection.scalar(
                sa.select(RateLimitWindow.count).where(
                    RateLimitWindow.key_hash == hashed(key), RateLimitWindow.expires_at > time.time()
                )
            )
        return count or 0

    def get_expiry(self, key: str) -> float:
        with self._reading() as connection:
            expires = connection.scalar(
                sa.select(RateLimitWindow.expires_at).where(RateLimitWindow.key_hash == hashed(key))
            )
        return expires if expires and expires > time.time() else time.time()

    def check(self) -> bool:
        try:
            with self._reading() as connection:
                connection.execute(sa.select(1))
        except sa.exc.SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with independent_write() as connection:
            return connection.execute(sa.delete(RateLimitWindow)).rowcount

    def clear(self, key: str) -> None:
        with independent_write() as connection:
            connection.execute(sa.delete(RateLimitWindow).where(RateLimitWindow.key_hash == hashed(key)))

    @contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        with db.engine.connect() as connection:
            yield connection


@cache
def _counting(dialect: str) -> sa.Insert:
    """The upsert that counts one more hit, built once per process (it runs on every rate-limited request)."""
    table = RateLimitWindow.__table__
    amount, now, ends = (
        sa.bindparam("amount", type_=sa.Integer),
        sa.bindparam("now", type_=sa.Float),
        sa.bindparam("ends", type_=sa.Float),
    )
    insert = _INSERTS[dialect](table).values(key_hash=sa.bindparam("key_hash"), count=amount, expires_at=ends)
    ended = table.c.expires_at <= now
    return insert.on_conflict_do_update(
        index_elements=[table.c.key_hash],
        set_={
            "count": sa.case((ended, amount), else_=table.c.count + amount),
            "expires_at": sa.case((ended, ends), else_=table.c.expires_at),
        },
    ).returning(table.c.count)


def remove_ended_windows() -> int:
    """Delete the counters whose window has ended (the daily jobs do this); how many went."""
    return db.session.execute(sa.delete(RateLimitWindow).where(RateLimitWindow.expires_at <= time.time())).rowcount
