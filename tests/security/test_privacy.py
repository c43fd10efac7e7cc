"""Retention, the audit trail, logs, data export and who may see what."""

import logging
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.exc import DatabaseError

from signaalpunt import create_app
from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import AuditEvent
from signaalpunt.config import Defaults
from signaalpunt.core.clock import utcnow
from signaalpunt.core.logs import SingleLineFormatter
from signaalpunt.extensions import db
from signaalpunt.signals.enums import ContactMethod, EventKind, Outcome, SignalStatus
from signaalpunt.signals.models import Signal, TimelineEvent
from signaalpunt.signals.reference import ALPHABET
from signaalpunt.signals.workflow import add_note, assign_signal, close_signal, mark_duplicate, record_contact_attempt
from tests.conftest import TEST_SECRET
from tests.factories import make_area, make_signal, make_user
from tests.pages import PageClient
from tests.staff import client_for, login

MARKER = "Zzmarkerqq"


def dump_database() -> str:
    """Every value in every table, as one text."""
    texts = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).all():
            texts.append(" ".join(str(value) for value in row))
    return "\n".join(texts)


def closed_signal_full_of_marker(reporter_email: str) -> Signal:
    coordinator = make_user(Role.COORDINATOR)
    worker = make_user(Role.WORKER, name="Sanne")
    signal = make_signal(
        person_name=f"Mevrouw {MARKER}",
        street=f"{MARKER}straat",
        house_number=12,
        house_number_suffix="A",
        place_description=f"Bij {MARKER}",
        description=f"Beschrijving {MARKER}",
        reporter_name=f"Melder {MARKER}",
        reporter_phone="+31612345678",
        reporter_email=reporter_email,
        keep_informed=True,
    )
    signal.submission_token = f"formulier-{MARKER}"  # as a report sent through the web form carries
    duplicate = make_signal(description=f"Ook {MARKER}", reporter_name=MARKER, reporter_email=reporter_email)
    mark_duplicate(duplicate, coordinator, signal)
    assign_signal(signal, coordinator, worker)
    record_contact_attempt(signal, worker, ContactMethod.PHONE, utcnow(), True, f"Gebeld {MARKER}")
    add_note(signal, worker, f"Notitie {MARKER}")
    close_signal(signal, worker, Outcome.NO_HELP_NEEDED, f"Afgesloten {MARKER}")
    db.session.commit()
    return signal


def test_anonymise_leaves_the_marker_nowhere_but_keeps_the_figures(app: Flask, runner: FlaskCliRunner) -> None:
    email = f"{MARKER.lower()}@example.nl"
    signal = closed_signal_full_of_marker(email)
    recent = make_signal(person_name=f"Recent {MARKER}")
    assert dump_database().count(MARKER) > 10

    dry = runner.invoke(args=["signaalpunt", "anonymise", "--dry-run"])
    assert "Would anonymise 0 signals and remove 0 e-mails." in dry.output

    db.session.execute(sa.update(Signal).where(Signal.id == signal.id).values(closed_at=utcnow() - timedelta(days=400)))
    db.session.commit()
    dry = runner.invoke(args=["signaalpunt", "anonymise", "--dry-run"])
    assert "Would anonymise 2 signals" in dry.output
    assert MARKER.lower() in dump_database().lower()

    result = runner.invoke(args=["signaalpunt", "anonymise"])
    assert "Anonymised 2 signals" in result.output
    db.session.execute(sa.delete(Signal).where(Signal.id == recent.id))
    db.session.commit()
    dump = dump_database()
    assert MARKER.lower() not in dump.lower()
    assert "+31612345678" not in dump

    db.session.expire_all()
    kept = db.session.get(Signal, signal.id)
    assert (kept.pc4, kept.status, kept.outcome) == ("4531", SignalStatus.CLOSED, Outcome.NO_HELP_NEEDED)
    assert (kept.postcode, kept.house_number, kept.house_number_suffix, kept.submission_token) == (None,) * 4, (
        "the address below PC4 and the form's token go too"
    )
    assert kept.created_at and kept.closed_at and kept.first_contact_at
    assert kept.reporter_role and [o.observation for o in kept.observations] == []
    assert runner.invoke(args=["signaalpunt", "anonymise"]).output.startswith("Anonymised 0 signals")


def test_anonymised_signal_can_no_longer_be_reopened(app: Flask, runner: FlaskCliRunner) -> None:
    signal = closed_signal_full_of_marker("a@example.nl")
    db.session.execute(sa.update(Signal).where(Signal.id == signal.id).values(closed_at=utcnow() - timedelta(days=400)))
    db.session.commit()
    runner.invoke(args=["signaalpunt", "anonymise"])
    coordinator = client_for(app, make_user(Role.COORDINATOR))
    page = coordinator.get(f"/werk/meldingen/{signal.reference}")
    assert "De persoonsgegevens van deze melding zijn verwijderd na de bewaartermijn." in page.text
    assert page.soup.select(".signal-actions form") == []


def test_audit_trail_is_append_only_in_the_database(app: Flask) -> None:
    make_user(Role.ADMIN)
    db.session.add(AuditEvent(action="test", result="ok"))
    db.session.commit()
    for statement in ("UPDATE audit_events SET result = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(sa.text(statement))
        db.session.rollback()
    event = db.session.scalar(sa.select(AuditEvent))
    event.result = "changed"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()


def test_staff_actions_and_refusals_are_audited_and_searchable(app: Flask) -> None:
    signal = make_signal(postcode="4531 AB")
    worker = make_user(Role.WORKER, name="Joost")
    coordinator = client_for(app, make_user(Role.COORDINATOR, name="Fatima"))
    page = coordinator.get(f"/werk/meldingen/{signal.reference}")
    coordinator.submit(page, {"reject-reason": "spam"}, selector="form[action$='/reject']")
    nosy = client_for(app, worker)
    assert nosy.client.get(f"/werk/meldingen/{signal.reference}").status_code == 404
    assert nosy.client.get("/beheer/audit").status_code == 403

    admin = client_for(app, make_user(Role.ADMIN))
    page = admin.get("/beheer/audit", query_string={"q": signal.reference})
    rows = [" ".join(tr.get_text(" ").split()) for tr in page.soup.select("tbody tr")]
    assert any("Joost signal.signal_page signal " + signal.reference + " refused" in row for row in rows)
    assert any("Fatima signal.reject signal " + signal.reference + " ok" in row for row in rows)
    assert any("Fatima signal.view" in row for row in rows)
    assert "127.0.0.1" in page.text
    assert not [r for r in app.url_map.iter_rules() if r.endpoint.startswith("admin.audit") and "POST" in r.methods]


def test_coordinator_exports_everything_about_one_signal(app: Flask) -> None:
    signal = closed_signal_full_of_marker("melder@example.nl")
    coordinator = client_for(app, make_user(Role.COORDINATOR))
    export = coordinator.get(f"/werk/meldingen/{signal.reference}/inzage")
    for expected in (f"Mevrouw {MARKER}", f"Melder {MARKER}", "melder@example.nl", f"Notitie {MARKER}", "Telefoon"):
        assert expected in export.text
    worker = client_for(app, signal.assignee)
    assert worker.client.get(f"/werk/meldingen/{signal.reference}/inzage").status_code == 403


def test_the_export_of_a_long_history_is_sent_as_it_is_read_and_holds_all_of_it(app: Flask) -> None:
    """Every note and every view, in order (the signal page shows only the latest 50 views), streamed."""
    signal = make_signal()
    colleague = make_user(Role.WORKER, name="Joost Kijker")
    db.session.add_all(
        TimelineEvent(signal_id=signal.id, kind=EventKind.NOTE, actor_id=colleague.id, note=f"Notitie nummer {n}.")
        for n in range(1, 1201)
    )
    db.session.add_all(
        AuditEvent(
            action="signal.view", object_type="signal", object_key=signal.reference, actor_id=colleague.id, result="ok"
        )
        for _ in range(700)
    )
    db.session.commit()
    coordinator = client_for(app, make_user(Role.COORDINATOR))
    # The client reads the body after the request ended, as a server sends it; sent as it is rendered, the page
    # has no length up front.
    response = coordinator.client.get(f"/werk/meldingen/{signal.reference}/inzage")
    assert response.status_code == 200 and "Content-Length" not in response.headers
    text = response.get_data(as_text=True)
    notes = [int(number) for number in re.findall(r"Notitie nummer (\d+)\.", text)]
    assert notes == list(range(1, 1201))
    views = text.split("Wie de melding heeft bekeken")[1]
    assert views.count("Joost Kijker") == 700
    assert text.rstrip().endswith("</html>")


def test_reporter_details_are_shown_only_on_request_and_the_request_is_logged(app: Flask) -> None:
    signal = make_signal(reporter_name="Sanne Melder", reporter_phone="+31612345678")
    coordinator = client_for(app, make_user(Role.COORDINATOR))
    page = coordinator.get(f"/werk/meldingen/{signal.reference}")
    assert "Sanne Melder" not in page.text
    shown = coordinator.get(page.one("a[href*='melder=tonen']")["href"])
    assert "Sanne Melder" in shown.text and "+31612345678" in shown.text
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "signal.view_reporter")) == 1


def test_only_the_coordinator_and_the_assignee_may_reveal_the_reporter(app: Flask) -> None:
    """A worker who sees the signal (new, in her area) and an admin (sees every signal) are refused."""
    area = make_area("Centrum", ((4531, 4532),))
    signal = make_signal(reporter_name="Sanne Melder", reporter_phone="+31612345678")
    for who in (make_user(Role.WORKER, areas=(area,)), make_user(Role.ADMIN)):
        pages = client_for(app, who)
        page = pages.get(f"/werk/meldingen/{signal.reference}?melder=tonen")
        assert page.status_code == 200, "the signal itself is visible to them"
        assert not page.soup.select("a[href*='melder=tonen']"), who.role
        assert "Sanne Melder" not in page.text and "+31612345678" not in page.text, who.role
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "signal.view_reporter")) == 0


def test_viewer_sees_no_signal_data_anywhere(app: Flask, pages: PageClient) -> None:
    signal = make_signal(person_name="Mevrouw Geheim", street="Geheimstraat")
    login(pages, make_user(Role.VIEWER))
    for url in ("/cijfers/", "/werk/", "/werk/mijn", f"/werk/meldingen/{signal.reference}", "/beheer/audit"):
        body = pages.client.get(url).get_data(as_text=True)
        for secret in (signal.reference, "Geheim", "4531"):
            assert secret not in body, url


def test_log_lines_cannot_be_forged(app: Flask) -> None:
    handlers = logging.getLogger("signaalpunt").handlers
    [handler] = [h for h in handlers if isinstance(h.formatter, SingleLineFormatter)]
    record = logging.LogRecord(
        "signaalpunt.test", logging.WARNING, __file__, 1, "Value: %s", ("ok\r\nCRITICAL forged",), None
    )
    line = handler.formatter.format(record)
    assert "\n" not in line and "\r" not in line
    assert line.endswith("Value: ok\\x0d\\x0aCRITICAL forged")


def test_reference_cannot_be_enumerated(app: Flask, pages: PageClient) -> None:
    guesses_needed = len(ALPHABET) ** 8
    assert guesses_needed >= 2**40
    limit = Defaults.STATUS_RATE_LIMIT
    per_hour = int(limit.split()[0])
    assert per_hour * 24 * 365 * 1000 / guesses_needed < 0.001, "a thousand addresses guessing for a year find nothing"


def test_error_pages_show_no_stack_trace_in_production(migrated_template) -> None:
    app = create_app(
        {
            "ENVIRONMENT": "production",
            "SECRET_KEY": TEST_SECRET,
            "SQLALCHEMY_DATABASE_URI": migrated_template,
            "PUBLIC_BASE_URL": "https://signaalpunt.example.nl",
        }
    )

    @app.route("/kapot")
    def broken() -> str:
        raise RuntimeError("secret internals /work/main/signaalpunt")

    response = app.test_client().get("/kapot")
    with app.app_context():
        db.engine.dispose()
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging iets mis aan onze kant" in body
    assert "Traceback" not in body and "secret internals" not in body and "signaalpunt/" not in body
