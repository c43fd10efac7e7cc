"""A worker's flow on the signal page: facts first, actions folded into a short block, a refused action kept
at the signal's address, a save back at the timeline, closing confirmed after seeing what the reporter hears,
the address as a map link, and "Mijn signalen" with its filters folded."""

from datetime import timedelta

import pytest
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.core.clock import dutch_now_to_minute
from signaalpunt.extensions import db
from signaalpunt.signals.enums import SignalStatus
from signaalpunt.signals.models import Signal
from tests.factories import make_area, make_signal, make_user
from tests.pages import PageClient
from tests.staff import client_for
from tests.web.test_casework import act


@pytest.fixture
def sanne(app: Flask) -> PageClient:
    centrum = make_area("Centrum", ((4531, 4532),))
    return client_for(app, make_user(Role.WORKER, "Sanne de Vries", areas=(centrum,)))


def taken(sanne: PageClient, **fields: object) -> Signal:
    signal = make_signal(postcode="4531 AB", **fields)
    act(sanne, signal, "take")
    return signal


def test_the_facts_come_first_then_a_short_block_of_actions(sanne: PageClient) -> None:
    signal = taken(sanne)
    page = sanne.get(f"/werk/meldingen/{signal.reference}")
    order = [element.get("class", [""])[0] for element in page.soup.select(".signal-layout > *")]
    assert order == ["signal-facts", "signal-actions", "signal-history"]
    unfolded = {details["id"] for details in page.soup.select(".signal-actions details[open]")}
    folded = {details["id"] for details in page.soup.select(".signal-actions details:not([open])")}
    assert unfolded == {"action-contact_attempt"}, "her next step"
    assert {"action-note", "action-mark_urgent"} <= folded


def test_a_refused_action_keeps_every_value_and_belongs_to_the_signals_address(sanne: PageClient) -> None:
    signal = taken(sanne)
    page = sanne.get(f"/werk/meldingen/{signal.reference}")
    tomorrow = (dutch_now_to_minute() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    values = {
        "contact_attempt-method": "home_visit",
        "contact_attempt-attempted_at": tomorrow,
        "contact_attempt-reached": "no",
        "contact_attempt-note": "Niemand thuis, buurvrouw zegt dat ze bij haar dochter is.",
    }

    refused = sanne.submit(page, values, selector="form[action$='/contact_attempt']")

    assert refused.status_code == 422
    assert refused.one("link[rel=canonical]")["href"] == f"/werk/meldingen/{signal.reference}"
    assert refused.error_summary(), "the summary that the page's script gives the focus"
    assert refused.one("#action-contact_attempt").has_attr("open")
    kept = refused.form_values("form[action$='/contact_attempt']")
    assert kept["contact_attempt-note"] == values["contact_attempt-note"]
    assert kept["contact_attempt-attempted_at"] == tomorrow
    assert kept["contact_attempt-method"] == "home_visit"


def test_after_a_save_the_page_returns_to_the_timeline_with_the_confirmation(sanne: PageClient) -> None:
    signal = taken(sanne)
    page = sanne.get(f"/werk/meldingen/{signal.reference}")
    saved = sanne.client.post(
        f"/werk/meldingen/{signal.reference}/note",
        data={**page.form_values("form[action$='/note']"), "note-text": "Gebeld met de huisarts."},
    )
    assert saved.status_code == 303
    assert saved.headers["Location"] == f"/werk/meldingen/{signal.reference}#timeline-heading"

    after = sanne.get(saved.headers["Location"])
    assert "De notitie is toegevoegd." in after.text_of("section[aria-labelledby='timeline-heading']")
    assert after.soup.select("main > .notice") == [], "not at the top of the page"


def test_closing_shows_the_outcome_and_what_the_reporter_hears_before_it_is_done(sanne: PageClient) -> None:
    signal = taken(sanne, reporter_email="koerier@example.nl", keep_informed=True)
    act(sanne, signal, "contact_attempt", {"method": "phone", "reached": "yes"})
    page = sanne.get(f"/werk/meldingen/{signal.reference}")

    confirm = sanne.submit(
        page,
        {"close-outcome": "declined", "close-note": "Wil het eerst zelf proberen."},
        selector="form[action$='/close']",
    )

    assert confirm.status_code == 200
    panel = confirm.text_of(".action--confirm")
    assert "U rondt deze melding af met de uitkomst: wil geen hulp" in panel
    assert "1 melder vroeg om op de hoogte te blijven en krijgt deze e-mail, zonder details:" in panel
    assert f"Uw melding {signal.reference} is opgepakt en afgerond." in panel
    assert db.session.get(Signal, signal.id).status == SignalStatus.IN_PROGRESS, "nothing closed yet"

    done = sanne.submit(confirm, selector="form.close-confirm", follow_redirects=True)
    db.session.expire_all()
    closed = db.session.get(Signal, signal.id)
    assert (closed.status, closed.outcome.value) == (SignalStatus.CLOSED, "declined")
    assert "Wil het eerst zelf proberen." in done.text_of(".timeline")
    assert "De melding is afgerond." in done.text


def test_an_outcome_the_rules_refuse_is_refused_before_the_confirmation(sanne: PageClient) -> None:
    signal = taken(sanne)
    act(sanne, signal, "contact_attempt", {"method": "phone", "reached": "no"})
    page = sanne.get(f"/werk/meldingen/{signal.reference}")
    refused = sanne.submit(page, {"close-outcome": "unreachable"}, selector="form[action$='/close']")
    assert refused.status_code == 422
    assert refused.soup.select(".action--confirm") == []
    assert refused.field_error("close-outcome") == "Fout: ‘Niet bereikbaar’ kan pas na minstens 3 contactpogingen."


def test_the_address_opens_in_the_phones_map_app_or_openstreetmap(sanne: PageClient) -> None:
    signal = taken(sanne, street="Markt", house_number=12, house_number_suffix="B", town="Terneuzen")
    page = sanne.get(f"/werk/meldingen/{signal.reference}")
    query = "Markt%2012B%204531%20AB%20Terneuzen%2C%20Nederland"
    assert page.one("a[href^='geo:']")["href"] == f"geo:0,0?q={query}"
    assert page.one("a[href^='https://www.openstreetmap.org/']")["href"] == (
        f"https://www.openstreetmap.org/search?query={query}"
    )
    policy = page.response.headers["Content-Security-Policy"]
    assert "openstreetmap" not in policy, "a link only: our page asks nothing of a third party"


def test_my_signals_opens_on_the_signals_with_the_filters_folded(sanne: PageClient) -> None:
    signal = taken(sanne)
    mine = sanne.get("/werk/mijn")
    assert not mine.one("details.filters-fold").has_attr("open")
    assert signal.reference in mine.text_of("table")
    filtered = sanne.get("/werk/mijn?urgent=1")
    assert filtered.one("details.filters-fold").has_attr("open")
