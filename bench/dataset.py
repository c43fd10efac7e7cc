"""The benchmark database: migrated, demo team and partners, N generated signals, made by the real commands."""

import os
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-" + "x" * 40


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


def _fill(url: str, signals: int, teams: int = 1) -> None:
    env = server_environment(url)
    flask = [str(Path(sys.executable).with_name("flask"))]
    started = time.perf_counter()
    commands = [["db", "upgrade"], ["signaalpunt", "load-demo"]]
    if signals:
        commands.append(["signaalpunt", "generate", "--signals", str(signals), "--teams", str(teams)])
    for command in commands:
        subprocess.run(flask + command, cwd=ROOT, env=env, check=True, capture_output=True)
    print(f"Built {sa.make_url(url).database} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def build(folder: Path, signals: int, teams: int = 1) -> str:
    """A SQLite database in ``folder`` with ``signals`` generated signals spread over ``teams`` teams (reused
    when it is already there)."""
    database = folder / f"bench-{signals}-{teams}.db"
    url = f"sqlite:///{database}"
    if database.exists():
        # Kept from an earlier run: brought up to the current schema.
        flask = [str(Path(sys.executable).with_name("flask")), "db", "upgrade"]
        subprocess.run(flask, cwd=ROOT, env=server_environment(url), check=True, capture_output=True)
    else:
        _fill(url, signals, teams)
    return url


def build_postgres(server_url: str, signals: int = 0) -> str:
    """A fresh database ``signaalpunt_bench`` on the PostgreSQL server at ``server_url``."""
    name = "signaalpunt_bench"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    _fill(url, signals)
    return url
