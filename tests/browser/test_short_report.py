"""A shorter report on a 390 px phone: the partner link fills in the role, the optional sections stay folded
until they hold something, and the required questions fit in about two screens."""

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from signaalpunt.extensions import db
from signaalpunt.organisations.models import Partner

pytestmark = pytest.mark.slow

PHONE_390 = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}
# "About two phone screens": from the first question to the send button's bottom edge, in screen heights.
SCREENS_TO_SEND = 2.25


def test_a_courier_from_a_partner_link_reports_in_two_screens(
    app: Flask, live_url: str, browser: Browser, screenshots: Path
) -> None:
    db.session.add(Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier"))
    db.session.commit()
    courier = browser.new_context(**PHONE_390, locale="nl-NL").new_page()
    courier.goto(f"{live_url}/melden?via=snelpakket")

    expect(courier.get_by_label("Pakketbezorger of koerier")).to_be_checked()
    expect(courier.get_by_label("Meldt u namens een organisatie? (niet verplicht)")).to_have_value("snelpakket")
    for folded in ("Over de persoon (als u dat weet)", "Uw contactgegevens"):
        expect(courier.locator("details", has_text=folded)).not_to_have_attribute("open", "")
    send = courier.get_by_role("button", name="Melding versturen")
    first_question, last = courier.locator("#section-danger").bounding_box(), send.bounding_box()
    screens = (last["y"] + last["height"] - first_question["y"]) / PHONE_390["viewport"]["height"]
    courier.screenshot(path=screenshots / "form-partner-link-390.png", full_page=True)
    assert screens <= SCREENS_TO_SEND, f"the required questions take {screens:.1f} screens"

    # A ticked observation makes a few words enough.
    courier.get_by_label("Postcode").fill("4531 AB")
    courier.get_by_label("Huisnummer", exact=True).fill("12")
    courier.get_by_label("Post of kranten stapelen zich op").check()
    courier.get_by_label("Beschrijf wat u zag of hoorde").fill("Al weken")
    courier.locator("summary", has_text="Uw contactgegevens").click()
    courier.get_by_label("Uw e-mailadres (niet verplicht)").fill("koerier@example")
    send.click()

    # The e-mail address is wrong: its section opens by itself, with everything kept.
    contact = courier.locator("details", has_text="Uw contactgegevens")
    expect(contact).to_have_attribute("open", "")
    expect(courier.get_by_label("Beschrijf wat u zag of hoorde")).to_have_value("Al weken")
    courier.get_by_label("Uw e-mailadres (niet verplicht)").fill("koerier@example.nl")
    courier.get_by_role("button", name="Melding versturen").click()
    expect(courier.get_by_role("heading", name="Uw melding is ontvangen")).to_be_visible()

    courier.get_by_role("link", name="Nog een melding doen").click()
    expect(courier.get_by_label("Meldt u namens een organisatie? (niet verplicht)")).to_have_value("snelpakket")
    expect(courier.get_by_label("Pakketbezorger of koerier")).to_be_checked()
    courier.context.close()
