"""Language: a switch, else the browser's wish, else Dutch; Arabic right to left; mail in the reporter's language."""

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.signals.models import Signal
from tests.factories import make_partner, make_user, report_form
from tests.pages import PageClient
from tests.staff import client_for, login

HEADINGS = {
    "nl": "Zorg om iemand melden",
    "en": "Report a concern about someone",
    "pl": "Zgłoś niepokój o kogoś",
    "tr": "Biri hakkındaki endişenizi bildirin",
    "ar": "الإبلاغ عن قلق بشأن شخص ما",
}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", "nl"),
        ("en-GB,en;q=0.9", "en"),
        ("pl", "pl"),
        ("tr-TR", "tr"),
        ("ar", "ar"),
        ("de-DE", "nl"),
        ("fr, pl;q=0.5", "pl"),
    ],
)
def test_browser_language_is_honoured_on_the_public_form(pages: PageClient, header: str, expected: str) -> None:
    page = pages.get("/melden", headers={"Accept-Language": header} if header else {})
    assert page.text_of("h1") == HEADINGS[expected]
    assert page.soup.html["lang"] == expected
    assert page.soup.html["dir"] == ("rtl" if expected == "ar" else "ltr")


def test_explicit_switch_is_kept_for_the_visit_and_keeps_the_partner(pages: PageClient) -> None:
    make_partner()
    switched = pages.get("/melden?via=snelpakket&taal=tr", headers={"Accept-Language": "en"})
    assert switched.response.status_code == 200, "the page itself, in the chosen language: no redirect first"
    assert switched.soup.html["lang"] == "tr"
    assert switched.form_values()["partner"] == "snelpakket"
    page = pages.get("/status", headers={"Accept-Language": "en"})
    assert page.text_of("h1") == "Bildirim durumu"
    assert page.one("nav.language-switch a[aria-current]").get_text(strip=True) == "Türkçe"
    assert [a["lang"] for a in page.soup.select("nav.language-switch a")] == ["nl", "en", "pl", "tr", "ar"]


def test_an_unknown_language_changes_nothing(pages: PageClient) -> None:
    page = pages.get("/melden?taal=xx", headers={"Accept-Language": "en"})
    assert (page.response.status_code, page.soup.html["lang"]) == (200, "en")
    assert pages.get("/melden").soup.html["lang"] == "nl"


def test_validation_messages_follow_the_language(pages: PageClient) -> None:
    pages.get("/melden?taal=pl")
    page = pages.submit(pages.get("/melden"), report_form(postcode="0123 AB"))
    assert page.field_error("postcode") == "Błąd: Wpisz prawidłowy kod pocztowy, np. 4531 AB"
    assert page.title.startswith("Błąd: ")


def test_staff_pages_are_dutch_or_english_only(app: Flask, pages: PageClient) -> None:
    user = make_user(Role.COORDINATOR)
    pages.get("/melden?taal=ar")
    assert login(pages, user).text_of("h1") == "Werkvoorraad"
    english = client_for(app, user)
    english.get("/werk/?taal=en")
    board = english.get("/werk/")
    assert board.text_of("h1") == "Work queue"
    assert "Uitloggen" not in board.text and "Log out" in board.text


def test_reporter_mail_is_in_the_reporters_language_when_staff_work_in_dutch(app: Flask, pages: PageClient) -> None:
    pages.get("/melden?taal=pl")
    pages.submit(pages.get("/melden"), report_form(reporter_email="jan@example.pl", keep_informed="y"))
    signal = db.session.scalar(sa.select(Signal))
    assert signal.reporter_language == "pl"
    [ack] = db.session.scalars(sa.select(OutboxMessage)).all()
    assert ack.subject == f"Otrzymaliśmy Pana/Pani zgłoszenie {signal.reference}"
    assert 'lang="pl"' in ack.body_html

    coordinator = client_for(app, make_user(Role.COORDINATOR))
    worker = make_user(Role.WORKER)
    page = coordinator.get(f"/werk/meldingen/{signal.reference}")
    coordinator.submit(page, {"assign-assignee": str(worker.id)}, selector="form[action$='/assign']")
    sanne = client_for(app, worker)
    page = sanne.get(f"/werk/meldingen/{signal.reference}")
    sanne.submit(
        page,
        {"contact_attempt-method": "phone", "contact_attempt-reached": "yes"},
        selector="form[action$='/contact_attempt']",
    )
    page = sanne.get(f"/werk/meldingen/{signal.reference}")
    confirm = sanne.submit(page, {"close-outcome": "no_help_needed"}, selector="form[action$='/close']")
    sanne.submit(confirm, selector="form.close-confirm")
    closing = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == "jan@example.pl")).all()[-1]
    assert closing.subject == f"Pana/Pani zgłoszenie {signal.reference} zostało zakończone"
    assert "Dziękujemy" in closing.body_text


def test_arabic_confirmation_is_right_to_left(pages: PageClient) -> None:
    pages.get("/melden?taal=ar")
    page = pages.submit(pages.get("/melden"), report_form(), follow_redirects=True)
    assert page.soup.html["dir"] == "rtl"
    assert page.text_of("h1") == "تم استلام بلاغك"
