"""SQLite's single write lock: a report holds it only for its short write, not while it reads and checks."""

import re
from pathlib import Path

import flask_migrate
import sqlalchemy as sa

from signaalpunt import create_app
from signaalpunt.accounts.enums import Role
from signaalpunt.extensions import db
from tests.conftest import IsolatedClient, make_config
from tests.factories import make_user, report_form
from tests.pages import PageClient
from tests.staff import logged_in_directly


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


def test_an_audited_download_writes_its_record_under_the_write_lock(tmp_path: Path) -> None:
    """A GET reads without the lock; the audit record of a download then needs one of its own, taken up front:
    upgrading the reading transaction to a write fails at once when someone else wrote meanwhile (found by
    ``make audit``: the social map's CSV answered 503 while wapiti posted forms beside it)."""
    app = create_app(make_config(f"sqlite:///{tmp_path / 'lock.db'}"))
    app.test_client_class = IsolatedClient
    with app.app_context():
        flask_migrate.upgrade()
        coordinator = PageClient(app.test_client())
        logged_in_directly(app, coordinator, make_user(Role.COORDINATOR))
        for download in ("/beheer/sociale-kaart/sociale-kaart.csv", "/cijfers/export.csv"):
            statements: list[str] = []

            def note(_connection: object, _cursor: object, sql: str, *_: object, into: list = statements) -> None:
                into.append(sql)

            sa.event.listen(db.engine, "before_cursor_execute", note)
            assert coordinator.client.get(download).status_code == 200
            sa.event.remove(db.engine, "before_cursor_execute", note)
            [audited] = [part for part in " ".join(statements).split("BEGIN") if "INSERT INTO audit_events" in part]
            assert audited.startswith(" IMMEDIATE"), download
        db.engine.dispose()
