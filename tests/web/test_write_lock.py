"""SQLite's single write lock: a report holds it only for its short write, not while it reads and checks."""

import re
from pathlib import Path

import flask_migrate
import sqlalchemy as sa

from signaalpunt import create_app
from signaalpunt.extensions import db
from tests.conftest import IsolatedClient, make_config
from tests.factories import report_form
from tests.pages import PageClient


def test_a_report_reads_without_the_write_lock_and_writes_in_one_short_transaction(tmp_path: Path) -> None:
    # Always SQLite, also in the PostgreSQL run: the lock is SQLite's.
    app = create_app(make_config(f"sqlite:///{tmp_path / 'lock.db'}"))
    app.test_client_class = IsolatedClient
    with app.app_context():
        flask_migrate.upgrade()
        pages = PageClient(app.test_client())
        form = pages.get("/melden")
        statements: list[str] = []
        sa.event.listen(db.engine, "before_cursor_execute", lambda _c, _cu, sql, *_: statements.append(sql))

        assert (
            pages.submit(
                form, report_form(reporter_email="sanne@example.nl", observations=["post_piling_up"])
            ).status_code
            == 303
        )

        counted, *transactions = " ".join(statements).split("BEGIN")[1:]
        assert re.findall(r"INSERT INTO (\w+)", counted) == ["rate_limit_windows"], "the rate limit counts first"
        kinds = [("IMMEDIATE" if part.startswith(" IMMEDIATE") else "read", "INSERT" in part) for part in transactions]
        assert kinds[0] == ("read", False), "partners, token, area: looked up without the lock"
        assert [kind for kind in kinds if kind[1]] == [("IMMEDIATE", True)], "one write transaction holds the inserts"
        write = transactions[kinds.index(("IMMEDIATE", True))]
        assert "SELECT" not in write, "nothing is looked up under the lock, not even the form's token"
        inserted = re.findall(r"INSERT INTO (\w+)", write)
        # The running totals of the figures are kept in the same transaction as the signal they count.
        assert inserted == ["signals", "signal_tallies", "signal_observations", "timeline_events", "outbox_messages"]
        db.engine.dispose()
