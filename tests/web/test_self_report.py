"""People can report themselves: a short form of their own asks only what is needed to reach them, the signal
is a self-report that the worker sees as such, and the figures count self-reports apart."""

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.signals.enums import CallTime, ReporterRole
from signaalpunt.signals.models import Signal
from tests.factories import make_area, make_signal, make_user
from tests.pages import PageClient
from tests.staff import client_for

ABOUT_ME = {"name": "Truus Bakker", "phone": "0115 123456", "postcode": "4531ab", "call_time": "afternoon"}


@pytest.fixture
def team(app: Flask) -> dict:
    centrum = make_area("Centrum", ((4531, 4532),))
    return {
        "coordinator": make_user(Role.COORDINATOR),
        "sanne": make_user(Role.WORKER, "Sanne de Vries", areas=(centrum,)),
    }


def test_the_report_form_opens_with_the_way_to_report_oneself(pages: PageClient) -> None:
    form = pages.get("/melden")
    first = form.one("main .self-report-link")
    assert first.get_text(" ", strip=True).startswith("Maakt u zich zorgen om uzelf, of voelt u zich vaak alleen?")
    own = pages.get(first.select_one("a")["href"])
    assert own.text_of("h1") == "Zorg om uzelf melden"
    labels = [label.get_text(strip=True) for label in own.soup.select("main form label, main form legend")]
    assert labels == [
        "Uw naam",
        "Uw telefoonnummer",
        "Uw e-mailadres (niet verplicht)",
        "Uw postcode",
        "Wanneer kunnen wij u het best bellen?",
        "’s Ochtends",
        "’s Middags",
        "’s Avonds (tot 20.00 uur)",
        "Maakt niet uit",
        "In welke taal wilt u het liefst praten?",
        "Laat dit veld leeg",
    ]
    assert own.one("a[href='tel:113']") and own.one("a[href='tel:08000113']") and own.one("a[href='tel:112']")


def test_a_self_report_reaches_the_team_of_the_postcode_marked_as_such(
    app: Flask, pages: PageClient, team: dict
) -> None:
    form = pages.get("/melden/over-mezelf")
    confirmation = pages.submit(
        form, {**ABOUT_ME, "email": "truus@example.nl", "language": "tr"}, follow_redirects=True
    )

    assert "Uw melding is ontvangen" in confirmation.text
    assert "Die neemt binnen 3 werkdagen contact met u op, op het moment dat u koos." in confirmation.text
    signal = db.session.scalar(sa.select(Signal))
    assert (signal.reporter_role, signal.call_time, signal.reporter_language) == (
        ReporterRole.SELF,
        CallTime.AFTERNOON,
        "tr",
    )
    assert (signal.postcode, signal.area.name, signal.person_name, signal.keep_informed) == (
        "4531 AB",
        "Centrum",
        "Truus Bakker",
        False,
    )
    acknowledgement = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == "truus@example.nl"))
    assert "Truus" not in acknowledgement.body_text

    board = client_for(app, team["coordinator"]).get("/werk/")
    assert "Zelfmelding" in board.text_of(f"tr:has(a[href$='/{signal.reference}'])")
    sanne = client_for(app, team["sanne"])
    page = sanne.get(f"/werk/meldingen/{signal.reference}")
    assert "Zelfmelding" in page.text_of(".badges")
    facts = page.text_of("section[aria-labelledby='reported-heading']")
    assert "Liefst gebeld ’s Middags" in facts and "Taal Türkçe" in facts


def test_a_self_report_needs_a_way_to_reach_and_a_postcode_and_keeps_what_was_typed(
    pages: PageClient, team: dict
) -> None:
    form = pages.get("/melden/over-mezelf")
    refused = pages.submit(form, {"name": "Truus Bakker", "phone": "", "postcode": "", "call_time": "evening"})

    assert refused.field_error("phone") == "Fout: Vul uw telefoonnummer of e-mailadres in, zodat wij u kunnen bereiken"
    assert refused.field_error("postcode") == "Fout: Vul uw postcode in, zoals 4531 AB"
    kept = refused.form_values()
    assert (kept["name"], kept["call_time"]) == ("Truus Bakker", "evening")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signal)) == 0

    stored = pages.submit(refused, {**ABOUT_ME, "phone": "", "email": "truus@example.nl"}, follow_redirects=True)
    assert "Uw melding is ontvangen" in stored.text


def test_figures_count_self_reports_apart(app: Flask, pages: PageClient, team: dict) -> None:
    pages.submit(pages.get("/melden/over-mezelf"), ABOUT_ME)
    make_signal(postcode="4531 AB")
    figures = client_for(app, team["coordinator"]).get("/cijfers/")
    assert figures.text_of("#figure-total") == "2"
    assert figures.text_of("#figure-self") == "1"
    assert "Zelfmelding" in figures.text_of("figure[aria-labelledby='roles-title'] table")
