"""The daily jobs under the load of incoming reports, and what they tell when they fail."""

import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import AuditEvent
from signaalpunt.core.clock import utcnow
from signaalpunt.extensions import db
from signaalpunt.signals.models import Signal
from tests.factories import make_signal, make_user, report_form
from tests.pages import PageClient


def overdue_and_expired_signals() -> None:
    make_user(Role.COORDINATOR)
    for _ in range(3):
        signal = make_signal()
        signal.due_at = utcnow() - timedelta(days=2)
    ended = make_signal(person_name="Mevrouw de Vries")
    ended.status, ended.closed_at = "not_pursued", utcnow() - timedelta(days=400)
    db.session.commit()


def test_the_daily_jobs_wait_their_turn_while_reports_come_in(app: Flask, runner: FlaskCliRunner) -> None:
    """A report stored between a job's reading and its writing made SQLite refuse the job at once."""
    overdue_and_expired_signals()
    stop = threading.Event()
    stored = []

    def reporters() -> None:
        with app.app_context():
            pages = PageClient(app.test_client())
            form = pages.get("/melden")
            while not stop.is_set():
                stored.append(pages.submit(form, report_form()).status_code)
                form = pages.get("/melden")

    load = threading.Thread(target=reporters)
    load.start()
    try:
        time.sleep(0.2)
        results = [runner.invoke(args=["signaalpunt", "daily"]) for _ in range(5)]
    finally:
        stop.set()
        load.join()
    assert [result.exit_code for result in results] == [0] * 5, [result.output for result in results]
    assert stored and set(stored) == {303}, "and every report was stored meanwhile"
    assert "Anonymised 1 signals" in results[0].output


def test_a_failing_digest_does_not_stop_retention_and_tells_no_personal_data(
    app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    overdue_and_expired_signals()

    details = "Could not render mail for Sanne de Vries <sanne@example.nl>: Beste Sanne, ..."

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError(details)

    monkeypatch.setattr("signaalpunt.signals.digest.queue_mail", broken)
    logged: list[str] = []
    monkeypatch.setattr("signaalpunt.ops.jobs.logger.error", lambda message, *args: logged.append(message % args))
    result = runner.invoke(args=["signaalpunt", "daily"])
    assert result.exit_code == 1, "the failure is reported"
    assert "Anonymised 1 signals" in result.output, "retention ran all the same"
    assert db.session.scalar(sa.select(sa.func.count(Signal.id)).where(Signal.anonymised_at.is_not(None))) == 1
    [line] = logged
    assert line.startswith("Job queue_digests failed (ValueError)")
    for personal in ("Sanne", "sanne@example.nl", "Beste"):
        assert personal not in line and personal not in result.output


def test_anonymising_a_backlog_goes_in_batches_says_how_far_it_is_and_leaves_no_word_in_the_index(
    app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("signaalpunt.ops.jobs.ANONYMISE_BATCH", 2)
    for number in range(5):
        ended = make_signal(description=f"Mevrouw Kwakernaak{number} zit alleen.", street="Havenweg")
        ended.status, ended.closed_at = "not_pursued", utcnow() - timedelta(days=400)
    db.session.commit()

    result = runner.invoke(args=["signaalpunt", "anonymise"])

    assert result.exit_code == 0, result.output
    assert "Anonymised 5 signals" in result.output
    # Not a terminal here: a plain line as each batch moves it on by a tenth or more.
    assert [line for line in result.output.splitlines() if line.startswith("Anonimiseren")] == [
        "Anonimiseren: 2 of 5",
        "Anonimiseren: 4 of 5",
        "Anonimiseren: 5 of 5",
    ]
    batches = db.session.scalars(
        sa.select(AuditEvent.object_key).where(AuditEvent.action == "retention.anonymise").order_by(AuditEvent.id)
    )
    assert list(batches) == ["2", "2", "1"]
    assert db.session.scalar(sa.select(sa.func.count()).where(Signal.anonymised_at.is_(None))) == 0
    if db.engine.dialect.name == "sqlite":
        # Not even in the index's stored blocks, where FTS5 keeps a deleted row's words until they are merged.
        blocks = db.session.scalars(sa.text("SELECT block FROM signal_search_data")).all()
        assert not [block for block in blocks if b"kwakernaak" in (block or b"") or b"havenweg" in (block or b"")]
