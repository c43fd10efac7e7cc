"""The story of issue 3: triage, assignment, contact attempts, closing, and the reporter hearing back."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.core.clock import utcnow
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.signals.enums import Outcome, ReferralTarget, SignalStatus
from signaalpunt.signals.models import Signal
from tests.factories import make_area, make_signal, make_user, report_form
from tests.pages import Page, PageClient
from tests.staff import client_for


def reload(signal: Signal) -> Signal:
    db.session.expire_all()
    return db.session.get(Signal, signal.id)


def mails_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == address)))


def act(pages: PageClient, signal: Signal, form_class: str, changes: dict | None = None) -> Page:
    """Submit one action form on the signal page, as the person would."""
    page = pages.get(f"/werk/meldingen/{signal.reference}")
    selector = f".signal-actions form[action$='/{form_class}']"
    action = page.one(selector)
    prefix = f"{form_class}-"
    values = page.form_values(selector)
    values.update({prefix + key: value for key, value in (changes or {}).items()})
    page = PageClient.post(pages, action["action"], values, follow_redirects=True)
    if page.soup.select("form.close-confirm"):
        # Closing shows the outcome and what the reporter will be told first; she confirms.
        page = pages.submit(page, selector="form.close-confirm", follow_redirects=True)
    return page


def refer(pages: PageClient, signal: Signal, changes: dict) -> Page:
    """Choose where to refer on the referral page and submit, as the worker would."""
    page = pages.get(f"/werk/meldingen/{signal.reference}/doorverwijzen")
    return pages.submit(page, {f"refer-{key}": value for key, value in changes.items()}, follow_redirects=True)


@pytest.fixture
def team(app: Flask) -> dict:
    centrum = make_area("Centrum", ((4531, 4532),))
    return {
        "area": centrum,
        "coordinator": make_user(Role.COORDINATOR, name="Fatima El Amrani"),
        "sanne": make_user(Role.WORKER, name="Sanne de Vries", areas=(centrum,), email="sanne@example.nl"),
        "joost": make_user(Role.WORKER, name="Joost Verhoeven", email="joost@example.nl"),
    }


def test_the_whole_follow_up_from_report_to_thank_you(app: Flask, pages: PageClient, team: dict) -> None:
    # A courier reports, asking to be kept informed.
    pages.submit(
        pages.get("/melden"), report_form(reporter_email="koerier@example.nl", keep_informed="y"), follow_redirects=True
    )
    signal = db.session.scalar(sa.select(Signal))
    assert signal.area == team["area"]

    # The coordinator sees it on the board and assigns it; the page suggests Sanne, who covers the area.
    coordinator = client_for(app, team["coordinator"])
    board = coordinator.get("/werk/")
    assert signal.reference in board.text
    page = coordinator.get(f"/werk/meldingen/{signal.reference}")
    assert "Sanne de Vries: 0 open meldingen – werkt in dit gebied" in page.text
    page = act(coordinator, signal, "assign", {"assignee": str(team["sanne"].id)})
    assert "De melding is toegewezen." in page.text
    assert reload(signal).status == SignalStatus.ASSIGNED
    [assignment_mail] = mails_to("sanne@example.nl")
    assert signal.reference in assignment_mail.body_text
    assert f"https://signaalpunt.example.nl/werk/meldingen/{signal.reference}" in assignment_mail.body_text
    assert "4531" not in assignment_mail.body_text and "brievenbus" not in assignment_mail.body_text

    # Sanne logs two contact attempts and a note; mevrouw agrees to be referred, to a buddy project.
    sanne = client_for(app, team["sanne"])
    assert signal.reference in sanne.get("/werk/mijn").text
    act(sanne, signal, "contact_attempt", {"method": "home_visit", "reached": "no"})
    assert reload(signal).status == SignalStatus.IN_PROGRESS
    act(sanne, signal, "contact_attempt", {"method": "phone", "reached": "yes", "note": "Gesprek gehad."})
    act(sanne, signal, "note", {"text": "Mevrouw wil graag een maatje."})
    act(sanne, signal, "record_consent", {"kinds": "referral", "method": "phone"})
    page = refer(sanne, signal, {"need": "buddy", "elsewhere": "Maatjesproject van de bibliotheek"})
    assert "De melding is doorverwezen en afgerond." in page.text

    closed = reload(signal)
    assert closed.status == SignalStatus.CLOSED
    assert (closed.outcome, closed.referral_target) == (Outcome.REFERRED, ReferralTarget.BUDDY)
    assert [referral.name for referral in closed.referrals] == ["Maatjesproject van de bibliotheek"]
    assert closed.first_contact_at is not None

    # The courier gets a short, generic thank-you, and /status says afgerond.
    thank_you = [m for m in mails_to("koerier@example.nl") if "afgerond" in m.subject]
    assert len(thank_you) == 1
    assert "maatje" not in thank_you[0].body_text.lower()
    assert "Sanne" not in thank_you[0].body_text
    status = pages.submit(pages.get("/status"), {"reference": signal.reference})
    assert status.text_of(".status-label") == "Afgerond"

    # Every step stands on the timeline with who did it.
    timeline = [
        " ".join(li.get_text(" ").split())
        for li in sanne.get(f"/werk/meldingen/{signal.reference}").soup.select(".timeline__event")
    ]
    expected = [
        ("Sanne de Vries", "Doorverwezen (maatje of buddy): Maatjesproject van de bibliotheek"),
        ("Sanne de Vries", "Toestemming vastgelegd (telefonisch): doorverwezen worden"),
        ("Sanne de Vries", "Mevrouw wil graag een maatje."),
        ("Sanne de Vries", "Contactpoging: telefoon, persoon bereikt"),
        ("Sanne de Vries", "Contactpoging: huisbezoek, niet bereikt"),
        ("Fatima El Amrani", "Toegewezen aan Sanne de Vries"),
        ("melder", "Melding ontvangen via webformulier"),
    ]
    assert len(timeline) == len(expected)
    for entry, (who, what) in zip(timeline, expected, strict=True):
        assert who in entry and what in entry, entry


def test_unreachable_needs_three_attempts(app: Flask, team: dict) -> None:
    signal = make_signal(postcode="4531 AB")
    coordinator = client_for(app, team["coordinator"])
    act(coordinator, signal, "assign", {"assignee": str(team["sanne"].id)})
    sanne = client_for(app, team["sanne"])
    for _ in range(2):
        act(sanne, signal, "contact_attempt", {"method": "phone", "reached": "no"})

    refused = act(sanne, signal, "close", {"outcome": "unreachable", "note": "Nooit thuis."})
    assert "‘Niet bereikbaar’ kan pas na minstens 3 contactpogingen." in refused.text
    assert refused.form_values("form[action$='/close']")["close-note"] == "Nooit thuis."
    assert reload(signal).status == SignalStatus.IN_PROGRESS

    act(sanne, signal, "contact_attempt", {"method": "letter", "reached": "no"})
    assert "De melding is afgerond." in act(sanne, signal, "close", {"outcome": "unreachable"}).text


def test_a_referral_needs_the_persons_consent_and_a_place_and_keeps_what_was_typed(app: Flask, team: dict) -> None:
    signal = make_signal(postcode="4531 AB")
    act(client_for(app, team["coordinator"]), signal, "assign", {"assignee": str(team["sanne"].id)})
    sanne = client_for(app, team["sanne"])
    act(sanne, signal, "contact_attempt", {"method": "phone", "reached": "yes"})
    page = act(sanne, signal, "close", {"outcome": "referred"})
    assert page.field_error("close-outcome") == "Fout: Kies een van de mogelijkheden", "the close form has none"

    page = refer(sanne, signal, {"need": "buddy", "elsewhere": "Huisarts Van Dam", "note": "Belt zelf."})
    assert "Leg eerst vast dat de persoon wil worden doorverwezen" in page.text
    assert page.form_values()["refer-elsewhere"] == "Huisarts Van Dam"
    assert page.form_values()["refer-note"] == "Belt zelf."
    act(sanne, signal, "record_consent", {"kinds": "referral", "method": "in_person"})
    page = refer(sanne, signal, {"need": "buddy", "note": "Belt zelf."})
    assert "Kies een of meer initiatieven, of vul in waarheen u anders doorverwijst." in page.text
    assert page.form_values()["refer-need"] == "buddy"
    assert reload(signal).outcome is None and reload(signal).status == SignalStatus.IN_PROGRESS


def test_other_reports_at_the_address_are_listed_newest_first(app: Flask, team: dict) -> None:
    signals = [make_signal(postcode="4531 AB", house_number=12) for _ in range(3)]
    for days_ago, signal in zip((30, 2, 9), signals, strict=True):
        signal.created_at = utcnow() - timedelta(days=days_ago)
    make_signal(postcode="4531 AB", house_number=14)
    db.session.commit()
    page = client_for(app, team["coordinator"]).get(f"/werk/meldingen/{signals[0].reference}")
    listed = [link.get_text(strip=True) for link in page.soup.select("#duplicates-heading + ul a")]
    assert [reference for reference in listed if reference.startswith("SP-")] == [
        signals[1].reference,
        signals[2].reference,
    ]


def test_coordinator_merges_a_duplicate_and_its_reporter_still_hears_back(app: Flask, team: dict) -> None:
    primary = make_signal(postcode="4531 AB", house_number=12)
    duplicate = make_signal(postcode="4531 AB", house_number=12, reporter_email="buur@example.nl", keep_informed=True)
    coordinator = client_for(app, team["coordinator"])

    page = coordinator.get(f"/werk/meldingen/{duplicate.reference}")
    assert primary.reference in page.text_of("#duplicates-heading + ul")

    page = act(coordinator, duplicate, "mark_duplicate", {"primary_reference": primary.reference.lower()})
    assert "De melding is gekoppeld als dubbele melding." in page.text
    assert reload(duplicate).status == SignalStatus.DUPLICATE

    act(coordinator, primary, "assign", {"assignee": str(team["sanne"].id)})
    sanne = client_for(app, team["sanne"])
    act(sanne, primary, "contact_attempt", {"method": "phone", "reached": "yes"})
    act(sanne, primary, "close", {"outcome": "no_help_needed"})
    assert [m.subject for m in mails_to("buur@example.nl") if "afgerond" in m.subject] == [
        f"Uw melding {duplicate.reference} is afgerond"
    ]


def test_coordinator_rejects_spam_and_can_reopen_it(app: Flask, team: dict) -> None:
    signal = make_signal(postcode="4531 AB")
    coordinator = client_for(app, team["coordinator"])
    page = act(coordinator, signal, "reject", {"reason": "spam"})
    assert "De melding wordt niet opgepakt." in page.text
    assert reload(signal).status == SignalStatus.NOT_PURSUED
    act(coordinator, signal, "reopen", {"note": "Toch serieus."})
    reopened = reload(signal)
    assert reopened.status == SignalStatus.NEW
    assert (reopened.events[-1].data, reopened.events[-1].note) == ({"status": "new"}, "Toch serieus.")


def test_reopening_a_closed_signal_clears_its_end_everywhere(app: Flask, team: dict) -> None:
    signal = make_signal(postcode="4531 AB")
    coordinator = client_for(app, team["coordinator"])
    act(coordinator, signal, "assign", {"assignee": str(team["coordinator"].id)})
    act(coordinator, signal, "contact_attempt", {"method": "phone", "reached": "yes"})
    act(coordinator, signal, "close", {"outcome": "no_help_needed"})
    assert reload(signal).closed_at is not None
    act(coordinator, signal, "reopen", {"note": "Toch hulp nodig."})
    reopened = reload(signal)
    assert reopened.events[-1].data == {"status": "in_progress"}, "the timeline says where it went back to"
    assert (reopened.status, reopened.closed_at, reopened.outcome, reopened.referral_target) == (
        SignalStatus.IN_PROGRESS,
        None,
        None,
        None,
    )
    rows = coordinator.client.get("/cijfers/export.csv").data.decode("utf-8-sig").splitlines()
    assert rows[1].split(",")[3] == '""', "the export shows no old afgerond_op"


def test_worker_cannot_reopen_or_act_on_anothers_signal(app: Flask, team: dict) -> None:
    signal = make_signal(postcode="4531 AB")
    coordinator = client_for(app, team["coordinator"])
    act(coordinator, signal, "assign", {"assignee": str(team["sanne"].id)})
    joost = client_for(app, team["joost"])
    page = joost.get("/werk/mijn")
    csrf = page.form_values(".inline-form")["csrf_token"]
    for action in ("contact_attempt", "close", "note", "reopen", "assign"):
        response = joost.client.post(f"/werk/meldingen/{signal.reference}/{action}", data={"csrf_token": csrf})
        assert response.status_code == 404, action
    assert reload(signal).status == SignalStatus.ASSIGNED


def test_worker_takes_a_new_signal_in_her_area(app: Flask, team: dict) -> None:
    signal = make_signal(postcode="4532 XY")
    sanne = client_for(app, team["sanne"])
    page = act(sanne, signal, "take")
    assert "U heeft de melding opgepakt." in page.text
    assert reload(signal).assignee_id == team["sanne"].id


def test_signal_page_shows_only_the_actions_the_user_may_take(app: Flask, team: dict) -> None:
    signal = make_signal(postcode="4531 AB")
    coordinator_page = client_for(app, team["coordinator"]).get(f"/werk/meldingen/{signal.reference}")
    actions = {form["action"].rsplit("/", 1)[1] for form in coordinator_page.soup.select(".signal-actions form")}
    assert actions == {"assign", "mark_duplicate", "reject", "note", "mark_urgent"}
    sanne_page = client_for(app, team["sanne"]).get(f"/werk/meldingen/{signal.reference}")
    assert {form["action"].rsplit("/", 1)[1] for form in sanne_page.soup.select(".signal-actions form")} == {"take"}


def test_phone_intake_records_the_channel_and_who_typed_it(app: Flask, team: dict) -> None:
    coordinator = client_for(app, team["coordinator"])
    page = coordinator.submit(coordinator.get("/werk/telefonische-melding"), report_form(), follow_redirects=True)
    signal = db.session.scalar(sa.select(Signal))
    assert signal.channel.value == "phone"
    assert f"De telefonische melding is opgeslagen als {signal.reference}." in page.text
    assert "Melding ontvangen via telefoon" in page.text
    assert "Fatima El Amrani" in page.text_of(".timeline")
