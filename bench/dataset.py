"""The benchmark database: migrated, demo team and partners, N generated signals, made by the real commands."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-" + "x" * 40


@contextmanager
def connected(database_url: str, write: bool = False) -> Iterator[sa.Connection]:
    """A connection of the script's own (not the app's), closed with its engine afterwards; ``write`` commits what
    was done at the end."""
    engine = sa.create_engine(database_url)
    try:
        with engine.begin() if write else engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def server_environment(database_url: str, **settings: str) -> dict[str, str]:
    """Settings for the app's commands and its gunicorn server during a benchmark."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "FLASK_APP": "app",
        "DATABASE_URL": database_url,
        "SIGNAALPUNT_SECRET_KEY": SECRET,
        "SIGNAALPUNT_MAIL_BACKEND": '"console"',
        # Demo staff log in with their password only, so a script can log in.
        "SIGNAALPUNT_TWO_FACTOR_REQUIRED": "false",
        "SIGNAALPUNT_REPORT_RATE_LIMIT": '"1000000 per hour"',
        "SIGNAALPUNT_LOGIN_RATE_LIMIT": '"1000 per minute"',
        "SIGNAALPUNT_API_RATE_LIMIT": '"1000000 per hour"',
        **settings,
    }


def _fill(url: str, signals: int, teams: int = 1, years: int = 1) -> None:
    env = server_environment(url)
    flask = [str(Path(sys.executable).with_name("flask"))]
    started = time.perf_counter()
    commands = [["db", "upgrade"], ["signaalpunt", "load-demo"]]
    if signals:
        generate = ["signaalpunt", "generate", "--signals", str(signals), "--teams", str(teams), "--years", str(years)]
        # A history as the daily job keeps it: signals ended longer ago than the team keeps them are anonymised,
        # and their words are out of the search index.
        commands += [generate, ["signaalpunt", "anonymise"]]
    for command in commands:
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True, capture_output=True)
    print(f"Built {sa.make_url(url).database} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def build(folder: Path, signals: int, teams: int = 1, years: int = 1) -> str:
    """A SQLite database in ``folder`` with ``signals`` generated signals spread over ``teams`` teams and the last
    ``years`` (reused when it is already there)."""
    database = folder / (f"bench-{signals}-{teams}.db" if years == 1 else f"bench-{signals}-{teams}-{years}y.db")
    url = f"sqlite:///{database}"
    if database.exists():
        # Kept from an earlier run: brought up to the current schema.
        flask = [str(Path(sys.executable).with_name("flask")), "db", "upgrade"]
        subprocess.run(flask, cwd=ROOT, env=server_environment(url), check=True, capture_output=True)
    else:
        _fill(url, signals, teams, years)
    return url


def build_postgres(server_url: str, signals: int = 0, name: str = "signaalpunt_bench") -> str:
    """A fresh database ``name`` on the PostgreSQL server at ``server_url``, with ``signals`` generated signals."""
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    _fill(url, signals)
    return url


def long_history(url: str, coordinator: str, entries: int = 100_000) -> tuple[str, str]:
    """A signal of ``coordinator``'s team with ``entries`` contact attempts on its timeline and as many views of its
    page (made once and kept), and another with its ordinary short history: their references. (Attempts rather than
    notes: each note re-indexes all of a signal's notes for the full-text search.)"""
    with connected(url, write=True) as connection:
        staff_id, team_id = connection.execute(
            sa.text("SELECT id, organisation_id FROM users WHERE email = :email"), {"email": coordinator}
        ).one()
        (signal_id, reference), (_, short) = connection.execute(
            sa.text("SELECT id, reference FROM signals WHERE organisation_id = :team ORDER BY id LIMIT 2"),
            {"team": team_id},
        ).all()
        events = connection.execute(
            sa.text("SELECT count(*) FROM timeline_events WHERE signal_id = :id"), {"id": signal_id}
        ).scalar()
        if events < entries:
            connection.execute(
                sa.text(
                    "INSERT INTO timeline_events (signal_id, kind, actor_id, data, note, created_at) "
                    "VALUES (:signal, 'contact_attempt', :actor, :data, NULL, '2024-01-01 00:00:00')"
                ),
                [{"signal": signal_id, "actor": staff_id, "data": '{"method": "phone", "reached": false}'}] * entries,
            )
            connection.execute(
                sa.text(
                    "INSERT INTO audit_events (created_at, actor_id, action, object_type, object_key, result) "
                    "VALUES ('2024-01-01 00:00:00', :actor, 'signal.view', 'signal', :reference, 'ok')"
                ),
                [{"actor": staff_id, "reference": reference}] * entries,
            )
    return reference, short
