"""The partner poster, printed from a real browser, carries a QR code that opens the pre-filled form."""

import io

import pytest
import zxingcpp
from flask import Flask
from PIL import Image
from playwright.sync_api import Page, expect

from signaalpunt.accounts.enums import Role
from tests.browser.staff import browser_login
from tests.factories import make_user

pytestmark = pytest.mark.slow


def test_coordinator_adds_a_partner_whose_poster_qr_decodes_to_its_link(
    app: Flask, live_url: str, desktop: Page
) -> None:
    browser_login(desktop, live_url, make_user(Role.COORDINATOR))
    desktop.goto(f"{live_url}/beheer/partners")
    desktop.get_by_label("Naam", exact=True).fill("Snelpakket Bezorgdiensten")
    desktop.get_by_label("Korte naam voor de link").fill("snelpakket")
    desktop.get_by_label("Pakketvervoerder").check()
    desktop.get_by_role("button", name="Partner opslaan").click()
    expect(desktop.get_by_text("Partner Snelpakket Bezorgdiensten is opgeslagen.")).to_be_visible()
    link = "https://signaalpunt.example.nl/melden?via=snelpakket"
    expect(desktop.get_by_text(link)).to_be_visible()

    desktop.get_by_role("link", name="Poster voor Snelpakket Bezorgdiensten").click()
    desktop.wait_for_url("**/poster")
    desktop.emulate_media(media="print")
    expect(desktop.locator(".site-header")).to_be_hidden()
    shot = desktop.locator(".poster__qr svg").screenshot()
    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    assert decoded.text == link

    form = desktop.context.new_page()
    form.goto(f"{live_url}/melden?via=snelpakket")
    assert form.get_by_label("Meldt u namens een organisatie? (niet verplicht)").input_value() == "snelpakket"
