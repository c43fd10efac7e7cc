"""A social worker on a phone: the actions within reach below the facts, and a refused action that keeps her
words, takes her to the error and stays at the signal's address."""

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from signaalpunt.accounts.enums import Role
from signaalpunt.core.clock import dutch_now_to_minute
from tests.browser.conftest import PHONE
from tests.browser.staff import browser_login
from tests.factories import make_area, make_signal, make_user

pytestmark = pytest.mark.slow

# The actions start within this many screens of the top of the page (they were three screens down).
SCREENS_TO_ACTIONS = 1.6


def test_a_worker_on_a_phone_reaches_the_actions_and_a_refusal_keeps_her_words(
    app: Flask, live_url: str, browser: Browser, screenshots: Path
) -> None:
    area = make_area("Centrum", ((4531, 4532),))
    worker = make_user(Role.WORKER, name="Sanne de Vries", areas=(area,))
    signal = make_signal(
        postcode="4531 AB",
        street="Markt",
        description="De brievenbus puilt al twee weken uit en de gordijnen blijven dicht.",
    )
    page = browser.new_context(**PHONE, locale="nl-NL").new_page()
    browser_login(page, live_url, worker)
    page.goto(f"{live_url}/werk/meldingen/{signal.reference}")
    page.get_by_role("button", name="Ik pak deze melding op").click()
    expect(page.get_by_text("U heeft de melding opgepakt.")).to_be_visible()
    assert page.url.endswith(f"/werk/meldingen/{signal.reference}#timeline-heading")

    page.evaluate("window.scrollTo(0, 0)")
    actions_top = page.locator("#actions-heading").bounding_box()["y"]
    screens = actions_top / PHONE["viewport"]["height"]
    assert screens <= SCREENS_TO_ACTIONS, f"the actions start {screens:.1f} screens down"
    page.screenshot(path=screenshots / "signal-worker-phone.png", full_page=True)

    contact = page.locator("form[action$='/contact_attempt']")
    contact.get_by_label("Huisbezoek").check()
    contact.get_by_label("Nee", exact=True).check()
    tomorrow = (dutch_now_to_minute() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    contact.get_by_label("Wanneer?").fill(tomorrow)
    contact.get_by_label("Notitie (niet verplicht)").fill("Niemand thuis; buurvrouw zegt: bij haar dochter.")
    contact.get_by_role("button", name="Contactpoging opslaan").click()

    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("Een contactpoging kan niet in de toekomst liggen.")
    assert page.url == f"{live_url}/werk/meldingen/{signal.reference}"
    contact = page.locator("form[action$='/contact_attempt']")
    expect(contact.get_by_label("Notitie (niet verplicht)")).to_have_value(
        "Niemand thuis; buurvrouw zegt: bij haar dochter."
    )
    expect(contact.get_by_label("Huisbezoek")).to_be_checked()

    page.reload()
    expect(page.get_by_role("heading", name=f"Melding {signal.reference}")).to_be_visible()
    expect(page.locator("#error-summary")).to_have_count(0)
    page.context.close()
