"""Urgent means now: coordinators are e-mailed at once, staff pages say so until someone takes the signal,
and the reporter is told the urgent deadline and can call 112 with one tap."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.signals.models import Signal
from tests.factories import make_area, make_organisation, make_signal, make_user, report_form
from tests.pages import PageClient
from tests.staff import client_for

BANNER = ".staff-alert"


@pytest.fixture
def team(app: Flask) -> dict:
    centrum = make_area("Centrum", ((4531, 4531),))
    elders = make_area("Sluiskil", ((4541, 4541),))
    other = make_organisation()
    return {
        "coordinator": make_user(Role.COORDINATOR, email="coordinator@example.nl"),
        "second_coordinator": make_user(Role.COORDINATOR, email="tweede@example.nl"),
        "former_coordinator": make_user(Role.COORDINATOR, email="oud@example.nl", active=False),
        "worker": make_user(Role.WORKER, "Sanne", areas=(centrum,), email="sanne@example.nl"),
        "elsewhere": make_user(Role.WORKER, "Pieter", areas=(elders,), email="pieter@example.nl"),
        "other_coordinator": make_user(Role.COORDINATOR, team=other, email="andere@example.nl"),
    }


def mails_to(*recipients: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient.in_(recipients))))


def test_an_urgent_report_emails_every_coordinator_of_its_team_the_reference_only(
    pages: PageClient, team: dict
) -> None:
    pages.submit(
        pages.get("/melden"),
        report_form(acute_danger="yes", person_name="Mevrouw Jansen", reporter_email="koerier@example.nl"),
    )
    signal = db.session.scalar(sa.select(Signal))

    alerts = mails_to(*(team[key].email for key in team))
    assert sorted(mail.recipient for mail in alerts) == ["coordinator@example.nl", "tweede@example.nl"]
    for mail in alerts:
        assert mail.subject == f"Urgent: melding {signal.reference} wacht op toewijzing"
        assert f"https://signaalpunt.example.nl/werk/meldingen/{signal.reference}" in mail.body_text
        assert f'href="https://signaalpunt.example.nl/werk/meldingen/{signal.reference}"' in mail.body_html
        for body in (mail.body_text, mail.body_html):
            for personal in ("Mevrouw Jansen", "4531", "brievenbus", "koerier@example.nl"):
                assert personal not in body


def test_a_normal_report_emails_no_coordinator(pages: PageClient, team: dict) -> None:
    pages.submit(pages.get("/melden"), report_form())
    assert mails_to(team["coordinator"].email, team["second_coordinator"].email) == []


def test_the_reporter_of_an_urgent_signal_is_told_one_working_day_and_can_tap_to_call_112(pages: PageClient) -> None:
    form = pages.get("/melden")
    assert (
        form.one("#danger-box a[href='tel:112']").get_text(strip=True) == "Is iemand nu in gevaar? Bel dan eerst 112."
    )

    confirmation = pages.submit(
        form, report_form(acute_danger="yes", reporter_email="koerier@example.nl"), follow_redirects=True
    )
    assert "binnen 1 werkdag contact" in confirmation.text
    assert "binnen 3 werkdagen" not in confirmation.text
    assert "Bel 112" in confirmation.one("main a[href='tel:112']").get_text()

    [acknowledgement] = mails_to("koerier@example.nl")
    for body in (acknowledgement.body_text, acknowledgement.body_html):
        assert "binnen 1 werkdag contact" in body
        assert "Is iemand in acuut gevaar? Bel 112." in body
    assert '<a href="tel:112">' in acknowledgement.body_html


def test_an_urgent_signal_is_announced_on_every_staff_page_until_someone_takes_it(app: Flask, team: dict) -> None:
    signal = make_signal(urgent=True, postcode="4531 AB")
    coordinator = client_for(app, team["coordinator"])
    sanne = client_for(app, team["worker"])
    pieter = client_for(app, team["elsewhere"])
    other_team = client_for(app, team["other_coordinator"])

    for path in ("/werk/", "/werk/mijn", f"/werk/meldingen/{signal.reference}", "/cijfers/"):
        banner = coordinator.get(path).one(BANNER)
        assert "1 urgente melding wacht op iemand die haar oppakt." in banner.get_text()
    link = coordinator.get("/werk/").one(f"{BANNER} a")["href"]
    assert signal.reference in coordinator.get(link).text_of("table")
    assert "1 urgente melding" in sanne.get("/werk/mijn").text_of(BANNER), "she may take it: it is in her area"
    assert pieter.get("/werk/mijn").soup.select(BANNER) == [], "not his area: he cannot take it"
    assert other_team.get("/werk/").soup.select(BANNER) == []

    page = sanne.get(f"/werk/meldingen/{signal.reference}")
    sanne.submit(page, selector="form[action$='/take']")
    assert coordinator.get("/werk/").soup.select(BANNER) == []
    assert sanne.get("/werk/mijn").soup.select(BANNER) == []


def test_the_assignee_marks_a_signal_urgent_with_the_urgent_deadline_and_the_coordinators_mailed(
    app: Flask, team: dict
) -> None:
    signal = make_signal(postcode="4531 AB")
    normal_due = signal.due_at
    sanne = client_for(app, team["worker"])
    sanne.submit(sanne.get(f"/werk/meldingen/{signal.reference}"), selector="form[action$='/take']")

    page = sanne.submit(
        sanne.get(f"/werk/meldingen/{signal.reference}"),
        {"mark_urgent-note": "Buurman hoorde gevallen en geroep."},
        selector="form[action$='/mark_urgent']",
        follow_redirects=True,
    )

    assert "De melding is urgent; de coördinatoren hebben direct een e-mail gekregen." in page.text
    assert "Urgent gemaakt" in page.text_of(".timeline")
    assert "Buurman hoorde gevallen en geroep." in page.text_of(".timeline")
    assert "Urgent" in page.text_of(".badges")
    assert page.soup.select("form[action$='/mark_urgent']") == [], "already urgent: not offered again"
    db.session.expire_all()
    stored = db.session.get(Signal, signal.id)
    assert stored.urgent
    assert stored.due_at < normal_due - timedelta(hours=23)
    alerts = mails_to(team["coordinator"].email, team["second_coordinator"].email)
    assert {mail.subject for mail in alerts} == {f"Urgent: melding {signal.reference} wacht op toewijzing"}
    assert len(alerts) == 2


def test_marking_an_urgent_signal_urgent_again_is_refused_plainly(app: Flask, team: dict) -> None:
    signal = make_signal(urgent=True, postcode="4531 AB")
    coordinator = client_for(app, team["coordinator"])
    page = coordinator.get(f"/werk/meldingen/{signal.reference}")
    token = page.one("form[action$='/assign'] input[name$='csrf_token']")["value"]

    refused = coordinator.post(
        f"/werk/meldingen/{signal.reference}/mark_urgent",
        {"mark_urgent-csrf_token": token, "mark_urgent-version": str(signal.version)},
    )

    assert refused.status_code == 422
    assert "Deze melding is al urgent." in refused.text
    db.session.expire_all()
    assert len(mails_to(team["coordinator"].email)) == 1, "only the alert of the report itself"
