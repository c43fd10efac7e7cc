"""Acknowledgement mail: queued with the signal, delivered over real SMTP, never lost, never doubled."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from signaalpunt.accounts.enums import Role
from signaalpunt.core.clock import utcnow
from signaalpunt.core.mail import deliver_due_messages, queue_mail
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.ops import mail_worker
from signaalpunt.signals.models import Signal
from tests.factories import make_signal, make_user, report_form
from tests.faults import allow_writes, refuse_writes
from tests.mail_server import free_port, smtp_server
from tests.pages import PageClient
from tests.staff import client_for


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def app_config(smtp_port: int) -> dict:
    return {"MAIL_PORT": smtp_port, "MAIL_RETRY_BASE_SECONDS": 60}


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage)))


def report_with_email(pages: PageClient, **changes: str) -> Signal:
    pages.submit(pages.get("/melden"), report_form(reporter_email="sanne@example.nl", **changes))
    return db.session.scalar(sa.select(Signal))


def test_report_with_email_queues_one_acknowledgement(pages: PageClient) -> None:
    signal = report_with_email(pages)
    [message] = outbox()
    assert message.recipient == "sanne@example.nl"
    assert message.subject == f"Uw melding {signal.reference} is ontvangen"
    assert message.sent_at is None


def test_report_without_email_queues_nothing(pages: PageClient) -> None:
    pages.submit(pages.get("/melden"), report_form())
    assert outbox() == []


def test_the_mail_worker_outlives_a_database_error_and_delivers_once_it_is_over(
    pages: PageClient, smtp_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    reference = report_with_email(pages).reference
    reports = []
    refuse_writes("outbox_messages", event="UPDATE")
    with smtp_server(smtp_port) as inbox:
        mail_worker.watch(0, reports.append, rounds=2)
        assert inbox.messages == [] and reports == []
        assert caplog.text.count("Database failed") == 2, "logged each round"
        allow_writes("outbox_messages")
        mail_worker.watch(0, reports.append, rounds=1)
    [email] = inbox.messages
    assert email["Subject"] == f"Uw melding {reference} is ontvangen"
    assert [report.sent for report in reports] == [1]


def test_acknowledgement_is_delivered_over_smtp(pages: PageClient, runner: FlaskCliRunner, smtp_port: int) -> None:
    signal = report_with_email(pages, reporter_name="Sanne", keep_informed="y", person_name="Mevrouw de Vries")
    with smtp_server(smtp_port) as inbox:
        result = runner.invoke(args=["signaalpunt", "send-mail"])
    assert result.exit_code == 0
    assert "Sent 1" in result.output

    [email] = inbox.messages
    assert email["To"] == "sanne@example.nl"
    assert email["Subject"] == f"Uw melding {signal.reference} is ontvangen"
    text = email.get_body(("plain",)).get_content()
    html = email.get_body(("html",)).get_content()
    assert text.startswith("Beste melder,\r\n")
    for body in (text, html):
        assert "Beste melder," in body
        assert "Sanne" not in body, "a typed name never goes into mail"
        assert signal.reference in body
        assert "binnen 3 werkdagen" in body
        assert "U krijgt één korte e-mail als een hulpverlener de melding oppakt, en één als zij is afgerond." in body
        assert f"https://signaalpunt.example.nl/status?referentie={signal.reference}" in body
        assert "Mevrouw de Vries" not in body
        assert "4531" not in body
    assert outbox()[0].sent_at is not None


def test_smtp_outage_keeps_the_mail_and_the_signal(app: Flask, pages: PageClient, smtp_port: int) -> None:
    signal = report_with_email(pages)

    report = deliver_due_messages()

    assert (report.sent, report.retrying) == (0, 1)
    [message] = outbox()
    assert message.sent_at is None
    assert message.attempts == 1
    assert message.last_error
    assert message.next_attempt_at > utcnow() + timedelta(seconds=50)
    assert db.session.scalar(sa.select(Signal.reference)) == signal.reference

    with smtp_server(smtp_port) as inbox:
        assert deliver_due_messages().sent == 0, "not due yet: the pause after a failure is kept"
        later = utcnow() + timedelta(minutes=2)
        assert deliver_due_messages(now=later).sent == 1
        assert deliver_due_messages(now=later + timedelta(hours=1)).sent == 0
    assert len(inbox.messages) == 1
    assert outbox()[0].attempts == 2


def test_pauses_double_up_to_half_an_hour_and_mail_is_kept_for_days(app: Flask, pages: PageClient) -> None:
    app.config["MAIL_GIVE_UP_AFTER_DAYS"] = 2  # the default is a week: the same pattern, fewer rounds to walk
    report_with_email(pages)
    start = utcnow()
    now, pauses = start, []
    while outbox()[0].failed_at is None:
        deliver_due_messages(now=now)
        message = outbox()[0]
        if message.failed_at is None:
            pauses.append(message.next_attempt_at - now)
            now = message.next_attempt_at
    minutes = [pause.total_seconds() / 60 for pause in pauses]
    assert minutes[:6] == [1, 2, 4, 8, 16, 30], "doubling, capped at 30 minutes"
    assert set(minutes[6:]) == {30}
    assert now - start >= timedelta(days=2), "an outage of days loses nothing"
    assert outbox()[0].attempts == len(pauses) + 1


def test_given_up_mail_can_be_sent_again(app: Flask, pages: PageClient, runner: FlaskCliRunner, smtp_port: int) -> None:
    report_with_email(pages)
    deliver_due_messages(now=utcnow() + timedelta(days=8))
    assert outbox()[0].failed_at is not None
    assert runner.invoke(args=["signaalpunt", "retry-mail"]).output.strip() == "1 messages queued again."
    with smtp_server(smtp_port) as inbox:
        assert runner.invoke(args=["signaalpunt", "send-mail"]).exit_code == 0
    assert len(inbox.messages) == 1
    assert outbox()[0].sent_at is not None


def test_administrators_are_alerted_when_mail_fails_for_an_hour(app: Flask, pages: PageClient) -> None:
    report_with_email(pages)
    admin = client_for(app, make_user(Role.ADMIN))
    coordinator = client_for(app, make_user(Role.COORDINATOR))
    deliver_due_messages()
    assert not admin.get("/beheer/gebruikers").soup.select(".staff-alert"), "one failure is no alarm yet"
    db.session.execute(sa.update(OutboxMessage).values(created_at=utcnow() - timedelta(minutes=61)))
    db.session.commit()
    alert = admin.get("/beheer/gebruikers").text_of(".staff-alert")
    assert alert.startswith("E-mail wordt niet bezorgd: er wacht mail sinds")
    assert not coordinator.get("/werk/").soup.select(".staff-alert"), "for the administrators"
    with smtp_server(app.config["MAIL_PORT"]):
        deliver_due_messages(now=utcnow() + timedelta(hours=1))
    assert not admin.get("/beheer/gebruikers").soup.select(".staff-alert"), "gone once mail flows"


def test_two_mail_workers_at_once_send_every_mail_exactly_once(app: Flask, smtp_port: int) -> None:
    for number in range(60):
        queue_mail(
            f"melder{number}@example.nl",
            f"Bericht {number}",
            "acknowledgement",
            signal=(signal := make_signal()),
            organisation=signal.organisation,
            sla_days=3,
        )
    db.session.commit()
    barrier = threading.Barrier(2)

    def worker() -> int:
        with app.app_context():
            barrier.wait()
            sent = deliver_due_messages().sent
            db.session.remove()
            return sent

    with smtp_server(smtp_port) as inbox, ThreadPoolExecutor(max_workers=2) as pool:
        counts = [future.result() for future in [pool.submit(worker), pool.submit(worker)]]
    assert sum(counts) == 60 and all(counts), counts
    assert sorted(message["To"] for message in inbox.messages) == sorted(f"melder{n}@example.nl" for n in range(60))


def test_nothing_a_reporter_types_can_turn_the_mail_into_phishing(pages: PageClient, smtp_port: int) -> None:
    bait = "Beste klant. Uw DigiD verloopt vandaag: https://evil.example/digid <img src=x>"
    report_with_email(pages, reporter_name=bait[:120], person_name="www.evil.example", keep_informed="y")
    with smtp_server(smtp_port) as inbox:
        deliver_due_messages()
    [email] = inbox.messages
    for body in (email.get_body(("plain",)).get_content(), email.get_body(("html",)).get_content()):
        assert "DigiD" not in body and "evil" not in body and "<img" not in body
        links = re.findall(r"(?:https?://|www\.)[^\s\"<]+", body)
        assert links and all(link.startswith("https://signaalpunt.example.nl/") for link in links), links


def test_console_backend_prints_the_mail(app: Flask, pages: PageClient, capsys: pytest.CaptureFixture) -> None:
    app.config["MAIL_BACKEND"] = "console"
    signal = report_with_email(pages)
    assert deliver_due_messages().sent == 1
    printed = capsys.readouterr().out
    assert "To: sanne@example.nl" in printed
    assert signal.reference in printed
