"""Words that agree: the checkbox, the confirmation and the mails promise one short mail when the signal is
picked up (its first assignment) and one when it is closed, never any detail; the status link fills in the
reference, and a reference typed with any dash is found."""

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.signals.models import Signal
from tests.factories import make_area, make_signal, make_user, report_form
from tests.pages import PageClient
from tests.staff import client_for
from tests.web.test_casework import act

PROMISE = (
    "U krijgt één korte e-mail als een hulpverlener de melding oppakt, en één als zij is afgerond. "
    "Wat er precies gebeurt, hoort u niet: dat blijft tussen de persoon en de hulpverlener."
)
REPORTER = "koerier@example.nl"


@pytest.fixture
def team(app: Flask) -> dict:
    centrum = make_area("Centrum", ((4531, 4532),))
    return {
        "coordinator": make_user(Role.COORDINATOR),
        "sanne": make_user(Role.WORKER, "Sanne de Vries", areas=(centrum,)),
        "joost": make_user(Role.WORKER, "Joost Verhoeven", areas=(centrum,)),
    }


def subjects_to(address: str) -> list[str]:
    db.session.expire_all()
    query = sa.select(OutboxMessage.subject).where(OutboxMessage.recipient == address).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


def test_the_checkbox_the_confirmation_and_the_mail_make_the_same_promise(pages: PageClient) -> None:
    form = pages.get("/melden")
    assert PROMISE in form.text_of("#keep_informed-hint")
    confirmation = pages.submit(
        form,
        report_form(reporter_email=REPORTER, keep_informed="y", person_name="Mevrouw Jansen"),
        follow_redirects=True,
    )
    assert PROMISE in confirmation.text
    acknowledgement = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == REPORTER))
    assert PROMISE in acknowledgement.body_text
    assert PROMISE in " ".join(acknowledgement.body_html.split())


def test_the_reporter_hears_once_when_picked_up_and_once_when_closed_and_nothing_more(
    app: Flask, pages: PageClient, team: dict
) -> None:
    pages.submit(
        pages.get("/melden"), report_form(reporter_email=REPORTER, keep_informed="y", person_name="Mevrouw Jansen")
    )
    signal = db.session.scalar(sa.select(Signal))
    coordinator = client_for(app, team["coordinator"])

    act(coordinator, signal, "assign", {"assignee": str(team["joost"].id)})
    act(coordinator, signal, "assign", {"assignee": str(team["sanne"].id)})
    sanne = client_for(app, team["sanne"])
    act(sanne, signal, "contact_attempt", {"method": "phone", "reached": "yes"})
    act(sanne, signal, "note", {"text": "Mevrouw wil graag een maatje."})
    act(sanne, signal, "close", {"outcome": "no_help_needed"})

    reference = signal.reference
    assert subjects_to(REPORTER) == [
        f"Uw melding {reference} is ontvangen",
        f"Uw melding {reference} is opgepakt",
        f"Uw melding {reference} is afgerond",
    ]
    picked_up = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.subject == f"Uw melding {reference} is opgepakt")
    ).one()
    assert "U krijgt nog één e-mail, als de melding is afgerond." in picked_up.body_text
    for secret in ("Mevrouw Jansen", "Sanne", "maatje", "4531", "brievenbus"):
        assert secret not in picked_up.body_text and secret not in picked_up.body_html


def test_a_reporter_who_did_not_ask_hears_nothing_after_the_acknowledgement(app: Flask, team: dict) -> None:
    signal = make_signal(postcode="4531 AB", reporter_email=REPORTER)
    coordinator = client_for(app, team["coordinator"])
    act(coordinator, signal, "assign", {"assignee": str(team["sanne"].id)})
    assert subjects_to(REPORTER) == [f"Uw melding {signal.reference} is ontvangen"]


def test_a_duplicate_linked_after_the_pick_up_tells_its_reporter_it_was_picked_up(app: Flask, team: dict) -> None:
    primary = make_signal(postcode="4531 AB", house_number=12)
    coordinator = client_for(app, team["coordinator"])
    act(coordinator, primary, "assign", {"assignee": str(team["sanne"].id)})
    duplicate = make_signal(postcode="4531 AB", house_number=12, reporter_email=REPORTER, keep_informed=True)

    act(coordinator, duplicate, "mark_duplicate", {"primary_reference": primary.reference})

    assert subjects_to(REPORTER)[-1] == f"Uw melding {duplicate.reference} is opgepakt"


def test_the_status_link_fills_in_the_reference_and_any_dash_finds_it(pages: PageClient) -> None:
    confirmation = pages.submit(pages.get("/melden"), report_form(), follow_redirects=True)
    reference = confirmation.text_of("#reference")

    lookup = pages.get(confirmation.one("main a[href^='/status?referentie=']")["href"])
    assert lookup.one("#reference")["value"] == reference
    assert lookup.soup.select(".status-label") == [], "looking up stays a press of the button"

    for typed in (reference.replace("-", "–"), reference.replace("-", "—"), reference.replace("-", "\u2212")):
        answer = pages.submit(pages.get("/status"), {"reference": typed})
        assert answer.text_of(".status-label") == "Ontvangen", typed
