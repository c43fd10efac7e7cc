"""A stale form, a double tap or a resubmission: the reporter loses nothing and no signal is doubled."""

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.signals import intake as service
from signaalpunt.signals.models import Signal
from tests.factories import make_signal, report_form
from tests.pages import PageClient


def stored_signals() -> list[Signal]:
    return list(db.session.scalars(sa.select(Signal)))


def test_double_submit_creates_one_signal_and_the_same_confirmation(pages: PageClient) -> None:
    form = pages.get("/melden")
    first = pages.submit(form, report_form(reporter_email="sanne@example.nl"), follow_redirects=True)
    second = pages.submit(form, report_form(reporter_email="sanne@example.nl"), follow_redirects=True)

    assert first.text_of("#reference") == second.text_of("#reference")
    assert len(stored_signals()) == 1
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1


def test_double_submit_from_another_tab_session_still_finds_the_first(pages: PageClient, app: Flask) -> None:
    form = pages.get("/melden")
    first = pages.submit(form, report_form(), follow_redirects=True)
    # The same page posted again after the session cookie was lost (for example a browser restart).
    values = {**form.form_values(), **report_form()}
    other = PageClient(app.test_client())
    fresh = other.get("/melden")
    values["csrf_token"] = fresh.form_values()["csrf_token"]
    second = other.post("/melden", values, follow_redirects=True)
    assert second.text_of("#reference") == first.text_of("#reference")
    assert len(stored_signals()) == 1


def test_two_forms_make_two_signals(pages: PageClient) -> None:
    pages.submit(pages.get("/melden"), report_form(), follow_redirects=True)
    pages.submit(pages.get("/melden"), report_form(), follow_redirects=True)
    assert len(stored_signals()) == 2


@pytest.mark.parametrize("token", [None, "", "ImV4cGlyZWQi.bad.signature"])
def test_missing_or_expired_csrf_token_keeps_every_typed_value(pages: PageClient, token: str | None) -> None:
    form = pages.get("/melden")
    values = report_form(person_name="Meneer Jansen", reporter_email="sanne@example.nl", observations=["withdrawn"])
    values = {**form.form_values(), **values}
    if token is None:
        del values["csrf_token"]
    else:
        values["csrf_token"] = token

    page = pages.post("/melden", values)

    assert page.status_code == 400
    assert "Het formulier was verlopen. Controleer uw gegevens en verstuur opnieuw." in page.text
    kept = page.form_values()
    for name in ("person_name", "reporter_email", "description", "postcode", "house_number", "reporter_role"):
        assert kept[name] == values[name], name
    assert kept["observations"] == "withdrawn"
    assert kept["submission_token"] == values["submission_token"]
    assert kept["csrf_token"] and kept["csrf_token"] != token
    assert stored_signals() == []

    confirmation = pages.submit(page, follow_redirects=True)
    assert "Uw melding is ontvangen" in confirmation.text
    assert len(stored_signals()) == 1


def test_expired_session_keeps_typed_values(pages: PageClient, app: Flask) -> None:
    form = pages.get("/melden")
    pages.client.delete_cookie("session")
    page = pages.submit(form, report_form(person_name="Meneer Jansen"))
    assert "Het formulier was verlopen" in page.text
    assert page.form_values()["person_name"] == "Meneer Jansen"
    assert stored_signals() == []


def test_confirmation_without_a_report_sends_you_to_the_form(pages: PageClient) -> None:
    response = pages.client.get("/melden/ontvangen")
    assert response.status_code == 302
    assert response.headers["Location"] == "/melden"


def test_confirmation_survives_a_reload(pages: PageClient) -> None:
    first = pages.submit(pages.get("/melden"), report_form(), follow_redirects=True)
    again = pages.get("/melden/ontvangen")
    assert again.text_of("#reference") == first.text_of("#reference")


def test_a_form_stored_before_is_found_when_its_insert_meets_the_token(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first post looks nothing up; a form stored before (a double tap, or a racing request that won) makes the
    insert meet the unique token, and then the stored signal is returned and nothing new is stored."""
    winner = make_signal()
    winner.submission_token = "same-form"
    db.session.commit()
    original = service._signal_for_token
    looked_up: list[str] = []

    def noted(token: str) -> object:
        looked_up.append(token)
        return original(token)

    monkeypatch.setattr(service, "_signal_for_token", noted)
    report = service.Report(reporter_role="courier", description="Gordijnen dicht.")

    again = service.submit_report(report, "same-form")
    assert looked_up == ["same-form"], "the insert met the token, then the stored signal was looked up"
    assert again.signal_id == winner.id
    assert again.reference == winner.reference
    assert len(stored_signals()) == 1

    first = service.submit_report(report, "another-form")
    assert looked_up == ["same-form"], "a first post costs no look-up"
    assert first.signal_id != winner.id
    assert len(stored_signals()) == 2
