"""When the database goes away, a reporter keeps what they typed and nothing half-written remains."""

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack

import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Partner
from signaalpunt.signals.models import Signal, TimelineEvent
from tests.conftest import Databases
from tests.factories import make_user, report_form
from tests.pages import Page, PageClient
from tests.staff import login

Outage = Callable[[], AbstractContextManager[None]]
NOT_SENT = "Uw melding is nog niet verstuurd: wij kunnen hem op dit moment niet opslaan."
TYPED = report_form(
    person_name="Mevrouw de Vries",
    reporter_email="sanne@example.nl",
    partner="snelpakket",
    observations=["post_piling_up", "curtains_closed"],
)


def stored_rows() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Signal, TimelineEvent, OutboxMessage)
    }


def assert_everything_typed_is_kept(page: Page) -> None:
    assert page.status_code == 503
    assert page.response.headers["Retry-After"] == "120"
    assert NOT_SENT in page.text_of("#form-notice")
    kept = page.form_values()
    for name, value in TYPED.items():
        if name != "observations":
            assert kept[name] == value, name
    assert sorted(kept["observations"]) == sorted(TYPED["observations"])


def form_with_partner(pages: PageClient) -> Page:
    db.session.add(Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier"))
    db.session.commit()
    return pages.get("/melden")


def test_report_sent_while_the_database_is_down_comes_back_with_everything_typed(
    app: Flask, pages: PageClient, database_outage: Outage
) -> None:
    form = form_with_partner(pages)
    with database_outage():
        page = pages.submit(form, TYPED)
        assert_everything_typed_is_kept(page)
        assert "Bel 112" in page.text_of("#form-notice")
    assert stored_rows() == {"signals": 0, "timeline_events": 0, "outbox_messages": 0}

    # Later the reporter presses the button again on the same page: stored once, as typed.
    confirmation = pages.submit(page, follow_redirects=True)
    assert "Uw melding is ontvangen" in confirmation.text
    signal = db.session.scalar(sa.select(Signal))
    assert (signal.person_name, signal.partner.slug) == ("Mevrouw de Vries", "snelpakket")
    assert stored_rows()["outbox_messages"] == 1


def test_losing_the_database_halfway_through_storing_a_report_leaves_nothing(
    app: Flask, pages: PageClient, databases: Databases
) -> None:
    form = form_with_partner(pages)
    url = db.engine.url.render_as_string(hide_password=False)

    went_away: list[str] = []
    with ExitStack() as outage:

        def cut_off_before_the_mail_is_queued(connection, cursor, statement, *args) -> None:
            if not statement.startswith("INSERT INTO outbox_messages"):
                return
            # The signal and its timeline are written but not committed when the database goes.
            outage.enter_context(databases.outage(url))
            went_away.append(statement)
            if connection.dialect.name == "sqlite":
                # A live SQLite connection survives its file moving away; this is how a failing disk answers.
                raise sqlite3.OperationalError("disk I/O error")

        sa.event.listen(db.engine, "before_cursor_execute", cut_off_before_the_mail_is_queued)
        try:
            page = pages.submit(form, TYPED)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", cut_off_before_the_mail_is_queued)
        assert went_away, "the database went away during the report"
        assert_everything_typed_is_kept(page)

    assert stored_rows() == {"signals": 0, "timeline_events": 0, "outbox_messages": 0}
    assert "Uw melding is ontvangen" in pages.submit(page, follow_redirects=True).text
    assert stored_rows()["signals"] == 1


def test_other_pages_answer_with_a_calm_503(app: Flask, pages: PageClient, database_outage: Outage) -> None:
    colleague = PageClient(app.test_client())
    login(colleague, make_user(Role.COORDINATOR))
    with database_outage():
        public = pages.get("/melden")
        staff = colleague.get("/werk/")
    for page in (public, staff):
        assert page.status_code == 503
        assert page.text_of("h1") == "Signaalpunt is even niet bereikbaar"
        assert "Bel 112" in page.text
    assert colleague.get("/werk/").text_of("h1") == "Werkvoorraad", "back when the database is"


def test_a_connection_that_dies_after_the_page_is_made_does_not_turn_it_into_an_error(
    app: Flask, pages: PageClient
) -> None:
    """The end-of-request rollback on a dead connection raised outside Flask's handlers: a bare 500."""
    dying = {"now": False}

    @app.after_request
    def connection_dies(response: object) -> object:
        if dying["now"]:
            db.session.connection().connection.dbapi_connection.close()
        return response

    form = form_with_partner(pages)
    dying["now"] = True
    page = pages.get("/melden")
    assert page.status_code == 200
    assert page.one("#postcode") is not None
    corrected = pages.submit(form, {**TYPED, "postcode": "12"})
    assert corrected.status_code == 200, "the report comes back for correction"
    assert corrected.form_values()["person_name"] == TYPED["person_name"]
    assert corrected.form_values()["postcode"] == "12"
    dying["now"] = False
    assert pages.get("/melden").status_code == 200, "the next request gets a working connection"
