"""The whole journey on a phone in a real browser: a courier reports, staff follow up, the courier sees it done."""

import re
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from signaalpunt.accounts.enums import Role
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Partner
from signaalpunt.socialmap.models import Initiative
from tests.browser.conftest import PHONE
from tests.browser.staff import browser_login
from tests.factories import make_area, make_user

pytestmark = pytest.mark.slow

REFERENCE = re.compile(r"SP-[0-9A-Z]{4}-[0-9A-Z]{4}")


def test_courier_to_closed_on_a_phone(app: Flask, live_url: str, browser: Browser, screenshots: Path) -> None:
    area = make_area("Centrum", ((4531, 4532),))
    db.session.add(Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier"))
    db.session.add(
        Initiative(
            organisation_id=area.organisation_id,
            name="Maatjesproject De Brug",
            kind="buddy",
            whole_municipality=True,
            email="brug@example.nl",
            warm_handover=True,
        )
    )
    db.session.commit()
    coordinator = make_user(Role.COORDINATOR, name="Fatima El Amrani")
    worker = make_user(Role.WORKER, name="Sanne de Vries", areas=(area,))

    courier = browser.new_context(**PHONE, locale="nl-NL").new_page()
    courier.goto(f"{live_url}/melden?via=snelpakket")
    expect(courier.get_by_label("Meldt u namens een organisatie? (niet verplicht)")).to_have_value("snelpakket")
    courier.get_by_label("Pakketbezorger of koerier").check()
    courier.get_by_label("Postcode").fill("4531ab")
    courier.get_by_label("Huisnummer").fill("12")
    courier.get_by_label("Post of kranten stapelen zich op").check()
    courier.get_by_label("Beschrijf wat u zag of hoorde").fill("Ok")
    courier.locator("summary", has_text="Uw contactgegevens").click()
    courier.get_by_label("Uw e-mailadres (niet verplicht)").fill("koerier@example.nl")
    courier.get_by_label("Laat mij per e-mail weten wanneer mijn melding is opgepakt en afgerond").check()
    courier.get_by_role("button", name="Melding versturen").click()

    summary = courier.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Gebruik voor de beschrijving 3 tot 2000 tekens")
    expect(courier.get_by_label("Postcode")).to_have_value("4531 AB")
    expect(courier.get_by_label("Post of kranten stapelen zich op")).to_be_checked()
    expect(courier.get_by_label("Uw e-mailadres (niet verplicht)")).to_have_value("koerier@example.nl")
    courier.screenshot(path=screenshots / "form-error-phone.png", full_page=True)
    summary.get_by_role("link").click()
    expect(courier.get_by_label("Beschrijf wat u zag of hoorde")).to_be_focused()
    courier.get_by_label("Beschrijf wat u zag of hoorde").fill("De brievenbus puilt al twee weken uit.")
    courier.get_by_role("button", name="Melding versturen").click()
    expect(courier.get_by_role("heading", name="Uw melding is ontvangen")).to_be_visible()
    reference = courier.locator("#reference").inner_text()
    assert REFERENCE.fullmatch(reference)
    courier.screenshot(path=screenshots / "confirmation-phone.png", full_page=True)

    staff = browser.new_context(**PHONE, locale="nl-NL").new_page()
    browser_login(staff, live_url, coordinator)
    expect(staff.get_by_role("heading", name="Werkvoorraad")).to_be_visible()
    staff.screenshot(path=screenshots / "board-phone.png", full_page=True)
    staff.get_by_role("link", name=reference).click()
    staff.get_by_label("Toewijzen aan").select_option(label="Sanne de Vries")
    staff.get_by_role("button", name="Toewijzen", exact=True).click()
    expect(staff.get_by_text("De melding is toegewezen.")).to_be_visible()

    field = browser.new_context(**PHONE, locale="nl-NL").new_page()
    browser_login(field, live_url, worker)
    expect(field.get_by_role("heading", name="Mijn signalen")).to_be_visible()
    field.get_by_role("link", name=reference).click()
    contact = field.locator("form[action$='/contact_attempt']")
    contact.get_by_label("Huisbezoek").check()
    contact.get_by_label("Ja").check()
    contact.get_by_role("button", name="Contactpoging opslaan").click()
    expect(field.get_by_text("De contactpoging is vastgelegd.")).to_be_visible()
    # Mevrouw wants a buddy, and agrees that the buddy project gets her name.
    field.locator("summary", has_text="Toestemming vastleggen").click()
    consent = field.locator("form[action$='/record_consent']")
    consent.get_by_label("Doorverwezen worden").check()
    consent.get_by_label("Gegevens delen met een initiatief").check()
    consent.get_by_label("Gegevens delen met (alleen bij ‘gegevens delen’)").select_option(
        label="Maatjesproject De Brug"
    )
    consent.get_by_label("Naam").check()
    consent.get_by_label("Telefonisch").check()
    consent.get_by_role("button", name="Toestemming vastleggen").click()
    expect(field.get_by_text("De toestemming is vastgelegd.")).to_be_visible()
    field.get_by_role("link", name="Initiatief kiezen").click()
    field.get_by_label("Welke hulp zoekt de persoon?").select_option(label="Maatje of buddy")
    project = field.get_by_role("checkbox", name=re.compile("Maatjesproject De Brug"))
    expect(field.locator("#suggested")).to_contain_text("warme overdracht: de persoon gaf toestemming")
    project.check()
    field.screenshot(path=screenshots / "referral-phone.png", full_page=True)
    field.get_by_role("button", name="Doorverwijzen en afronden").click()
    expect(field.get_by_text("De melding is doorverwezen en afgerond.")).to_be_visible()
    expect(field.locator("#referrals")).to_contain_text("Wacht op antwoord van het initiatief.")

    courier.goto(f"{live_url}/status")
    courier.get_by_label("Referentienummer").fill(reference.lower())
    courier.get_by_role("button", name="Status bekijken").click()
    expect(courier.locator(".status-label")).to_have_text("Afgerond")


def fill_quick_report(page: Page) -> None:
    page.get_by_label("Winkel of bedrijf").check()
    page.get_by_label("Postcode").fill("4531 AB")
    page.get_by_label("Huisnummer").fill("7")
    page.get_by_label("Beschrijf wat u zag of hoorde").fill(
        "Klant komt al weken elke ochtend en ziet er verwaarloosd uit."
    )


def test_form_works_with_javascript_disabled(app: Flask, live_url: str, browser: Browser) -> None:
    page = browser.new_context(**PHONE, locale="nl-NL", java_script_enabled=False).new_page()
    page.goto(f"{live_url}/melden")
    fill_quick_report(page)
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", name="Uw melding is ontvangen")).to_be_visible()
    assert REFERENCE.fullmatch(page.locator("#reference").inner_text())


def test_form_can_be_completed_with_the_keyboard_alone(app: Flask, live_url: str, desktop: Page) -> None:
    desktop.goto(f"{live_url}/melden")
    keyboard = desktop.keyboard
    # From the top: the skip link first, then into the form and through its first questions.
    keyboard.press("Tab")
    expect(desktop.get_by_role("link", name="Direct naar de inhoud")).to_be_focused()
    desktop.get_by_label("Nee").first.focus()
    keyboard.press("Tab")
    expect(desktop.locator("summary", has_text="Over u")).to_be_focused()
    keyboard.press("Tab")
    expect(desktop.get_by_label("Pakketbezorger of koerier")).to_be_focused()
    keyboard.press("ArrowDown")
    expect(desktop.get_by_label("Winkel of bedrijf")).to_be_checked()
    keyboard.press("Tab")
    expect(desktop.get_by_label("Meldt u namens een organisatie? (niet verplicht)")).to_be_focused()
    keyboard.press("Tab")
    expect(desktop.get_by_label("Postcode")).to_be_focused()
    keyboard.type("4531 AB")
    keyboard.press("Tab")
    keyboard.type("7")
    for _ in range(50):
        keyboard.press("Tab")
        if desktop.evaluate("document.activeElement.id") == "description":
            break
    keyboard.type("Klant komt al weken elke ochtend en ziet er verwaarloosd uit.")
    for _ in range(60):
        keyboard.press("Tab")
        if desktop.evaluate("document.activeElement.type") == "submit":
            break
    keyboard.press("Enter")
    expect(desktop.get_by_role("heading", name="Uw melding is ontvangen")).to_be_visible()
