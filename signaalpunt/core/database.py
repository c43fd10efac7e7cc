"""Database connection settings that differ per engine.

SQLite allows one writer at a time. A transaction that starts as a read and later writes can fail
at once with "database is locked" (the busy timeout does not help there), so a transaction that is
meant to write starts with ``BEGIN IMMEDIATE``: it waits its turn up front instead of failing halfway.
Requests that change things (POST and the like) and ``write_transaction()`` blocks write that way;
everything else reads with a plain ``BEGIN``, which in WAL mode never blocks a writer.

SQLite has one write lock for the whole database, so the time between ``BEGIN IMMEDIATE`` and the commit
sets how many reports per second can be stored. A busy view that reads and checks a lot before it writes
is marked ``@writes_explicitly``: its reads take no lock, and it writes in a short ``write_transaction()``.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, make_response, render_template, request
from werkzeug import Response

from signaalpunt.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 5000
# The write-ahead log is cut back to this size after each checkpoint (it grew to 98 MB under steady load).
SQLITE_WAL_LIMIT_BYTES = 64 * 1024 * 1024
# What the 503 page asks clients (and proxies) to wait before trying again.
RETRY_AFTER_SECONDS = 120
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_writing: ContextVar[bool] = ContextVar("writing", default=False)
# Set in the session's info while it holds writes not yet committed.
_WROTE = "wrote"
_AFTER_COMMIT = "after_commit"
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
        f"PRAGMA journal_size_limit={SQLITE_WAL_LIMIT_BYTES}",
        "PRAGMA foreign_keys=ON",
    ):
        cursor.execute(pragma)
    cursor.close()


def _tune_postgres(dbapi_connection: object, connection_record: object) -> None:
    """No parallel workers for a statement: no page reads more than a few thousand index entries, and starting two
    workers took longer than the work (the figures' sum of running totals: 7.8 ms with them, 3.4 ms without), while
    it takes the cores other requests need. The exports stream from a cursor, which never runs in parallel anyway."""
    # Outside a transaction, so that a later rollback does not undo the setting.
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    dbapi_connection.autocommit = False


# A statement's execution option: planned for the values of each run, never prepared (PostgreSQL only).
PLANNED_PER_RUN = "planned_per_run"


def _plan_per_run(cursor: object, statement: str, parameters: object, context: sa.engine.ExecutionContext) -> bool:
    """psycopg prepares a statement after its fifth run, and PostgreSQL then settles on one plan for every value.
    That suits most statements (the board's rows: planning them again costs more than running them), not one whose
    best plan depends on its values: the board's tab counts for a search find a word a few signals hold by looking
    up each candidate, and the one generic plan for every word took 6.7 ms where the plan for the word took 1.9."""
    if not context.execution_options.get(PLANNED_PER_RUN):
        return False
    cursor.execute(statement, parameters, prepare=False)
    return True


View = TypeVar("View", bound=Callable[..., object])


def _changing_request() -> bool:
    """A request that may write, unless its view writes only in ``write_transaction()`` blocks."""
    if not has_request_context() or request.method in READ_ONLY_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return not getattr(view, "writes_explicitly", False)


def _begin(connection: sa.Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _writing.get() or _changing_request() else "BEGIN")


def writes_explicitly(view: View) -> View:
    """Mark a view whose every write is inside ``write_transaction()``, so its reads take no write lock.

    A mark on the function (decorators that wrap it carry it along), so it holds from the first query
    of the request, before the view itself runs.
    """
    view.writes_explicitly = True
    return view


def has_uncommitted_changes() -> bool:
    """The session holds changes that are not committed: added, changed or deleted objects, or statements
    that wrote (an ``UPDATE`` executed directly)."""
    session = db.session
    return bool(session.new or session.dirty or session.deleted or session.info.get(_WROTE))


def _note_writes(orm_execute_state: sa.orm.ORMExecuteState) -> None:
    if orm_execute_state.is_update or orm_execute_state.is_delete or orm_execute_state.is_insert:
        orm_execute_state.session.info[_WROTE] = True


def _note_flush(session: sa.orm.Session, _flush_context: object) -> None:
    session.info[_WROTE] = True


def _forget_writes(session: sa.orm.Session, *_args: object) -> None:
    session.info.pop(_WROTE, None)


@contextmanager
def write_transaction() -> Iterator[None]:
    """End the current (reading) transaction, then write in one that waits for its turn, and commit it.

    Refused while the session holds uncommitted changes: they would be committed with it, unseen.
    """
    if has_uncommitted_changes():
        raise RuntimeError("write_transaction() would commit changes made before it")
    db.session.commit()
    token = _writing.set(True)
    try:
        yield
        db.session.commit()
    finally:
        _writing.reset(token)


@contextmanager
def independent_write() -> Iterator[sa.Connection]:
    """A write on a connection of its own, committed at once whatever becomes of the request's own transaction.

    For counters that must hold even when the request fails (rate limits, login attempts). The session's
    own transaction, which may only have read so far, is ended first: on SQLite it may hold the one write lock.
    """
    if has_uncommitted_changes():
        raise RuntimeError("independent_write() would commit the session's pending changes")
    db.session.commit()
    token = _writing.set(True)
    try:
        with db.engine.begin() as connection:
            yield connection
    finally:
        _writing.reset(token)


def checkpoint_wal() -> None:
    """Copy SQLite's write-ahead log into the database and empty it (the mail worker does this now and then),
    so the log cannot grow without bound while readers keep the automatic checkpoints from finishing."""
    if db.engine.dialect.name == "sqlite":
        db.session.commit()
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _end_session(exception: BaseException | None) -> None:
    """End the request's session; a connection that died meanwhile must not turn a finished answer into a 500.

    Registered after Flask-SQLAlchemy's own teardown, so it runs first (teardowns run in reverse order).
    """
    try:
        db.session.remove()
    except sa.exc.SQLAlchemyError as error:
        # The server rolls back what it never saw committed; forget the broken session.
        logger.error("Could not end the database session (%s)", type(error).__name__)
        db.session.registry.clear()


def after_commit(callback: Callable[[], object]) -> None:
    """Run ``callback`` once this request's changes are committed (never when they are rolled back)."""
    g.setdefault(_AFTER_COMMIT, []).append(callback)


def commit_request(response: Response) -> Response:
    """The one commit of a request, after its view (and any error page) finished: a request that changes
    something is stored whole, or, after a server error, not at all. Views never commit themselves.

    When the commit itself fails (the connection died), a reading request keeps its answer; a changing one
    gets the calm 503 instead of a success it did not have.
    """
    if response.status_code >= 500:
        db.session.rollback()
        return response
    changed = has_uncommitted_changes()
    session = db.session()
    # Nothing reads the request's objects after its last commit: expiring each one a page loaded (a board's 25
    # signals with their areas, workers and observations) cost a tenth of the time of drawing a row.
    expiring, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    except sa.exc.SQLAlchemyError as error:
        discard_failed_transaction(error)
        if not changed:
            return response
        page = make_response(render_template("errors/unavailable.html"), 503)
        page.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return page
    finally:
        session.expire_on_commit = expiring
    for callback in g.pop(_AFTER_COMMIT, []):
        callback()
    return response


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_end_session)
    app.after_request(commit_request)
    sa.event.listen(db.session, "do_orm_execute", _note_writes)
    sa.event.listen(db.session, "after_flush", _note_flush)
    for event in ("after_commit", "after_rollback", "after_soft_rollback"):
        sa.event.listen(db.session, event, _forget_writes)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
            sa.event.listen(engine, "connect", _tune_sqlite)
            sa.event.listen(engine, "begin", _begin)
        elif engine.dialect.name == "postgresql":
            sa.event.listen(engine, "connect", _tune_postgres)
            sa.event.listen(engine, "do_execute", _plan_per_run)


def discard_failed_transaction(error: sa.exc.SQLAlchemyError) -> None:
    """After the database went away (OperationalError) or the connection broke under us (InterfaceError): drop
    whatever this request had begun, so nothing half-written remains."""
    logger.error("Database failed; nothing of this request is kept (%s)", type(getattr(error, "orig", error)).__name__)
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        # The connection is gone; the server rolls back what it never saw committed.
        db.session.close()
