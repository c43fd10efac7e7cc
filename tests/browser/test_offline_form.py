"""The report form on the street, in a real browser: installable, opened from the phone's cache without a
connection, and what was typed kept on the phone until the report is stored."""

import json
import time

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect

from signaalpunt.extensions import db
from signaalpunt.organisations.models import Partner
from signaalpunt.signals.models import Signal
from tests.browser.conftest import PHONE
from tests.factories import make_area

pytestmark = pytest.mark.slow


def eventually(page: Page, promised: str) -> object:
    """The value of a promise in the page once it is truthy (polled; wait_for_function takes a promise itself for
    a truthy value and returns at once)."""
    for _ in range(100):
        value = page.evaluate(promised)
        if value:
            return value
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {promised}")


def controlled(page: Page, url: str) -> None:
    """Open the form and wait until its service worker controls it (one reload after the first install)."""
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    # The worker has been told which files the page loaded; give it the moment to keep them.
    eventually(page, "caches.open('signaalpunt-shell-1').then(c => c.keys()).then(k => k.length >= 3)")


def test_the_form_opens_offline_with_its_draft_and_is_sent_once_online(
    app: Flask, live_url: str, browser: Browser
) -> None:
    make_area("Centrum", ((4531, 4532),))
    context = browser.new_context(**PHONE, locale="nl-NL")
    page = context.new_page()
    controlled(page, f"{live_url}/melden")
    page.get_by_label("Postcode").fill("4531 AB")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_label("Post of kranten stapelen zich op").check()
    page.get_by_label("Beschrijf wat u zag of hoorde").fill("De brievenbus puilt al twee weken uit.")
    expect(page.locator("#draft-note")).to_be_visible()

    # In a stairwell: no connection, and the page reloads.
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Zorg om iemand melden")).to_be_visible()
    expect(page.get_by_label("Postcode")).to_have_value("4531 AB")
    expect(page.get_by_label("Beschrijf wat u zag of hoorde")).to_have_value("De brievenbus puilt al twee weken uit.")
    expect(page.get_by_label("Post of kranten stapelen zich op")).to_be_checked()
    expect(page.locator("#draft-note")).to_contain_text("Uw concept is bewaard")

    context.set_offline(False)
    page.get_by_label("Winkel of bedrijf").check()
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", name="Uw melding is ontvangen")).to_be_visible()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('draft:')).length") == 0
    [signal] = signals()
    assert (signal.postcode, signal.house_number, signal.description) == (
        "4531 AB",
        12,
        "De brievenbus puilt al twee weken uit.",
    )
    # Nothing personal in the phone's cache: the confirmation with its reference was never kept.
    kept = page.evaluate("caches.open('signaalpunt-shell-1').then(c => c.keys()).then(k => k.map(r => r.url))")
    assert kept and not any("ontvangen" in url or "/werk" in url for url in kept)
    context.close()


def test_a_draft_can_be_thrown_away_and_a_staff_page_keeps_none(app: Flask, live_url: str, browser: Browser) -> None:
    context = browser.new_context(**PHONE, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{live_url}/melden")
    page.get_by_label("Beschrijf wat u zag of hoorde").fill("Iets wat ik liever niet bewaar.")
    page.get_by_role("button", name="Concept weggooien").click()
    expect(page.get_by_label("Beschrijf wat u zag of hoorde")).to_have_value("")
    page.reload()
    expect(page.get_by_label("Beschrijf wat u zag of hoorde")).to_have_value("")
    expect(page.locator("#draft-note")).to_be_hidden()
    page.goto(f"{live_url}/inloggen")
    page.get_by_label("E-mailadres").fill("iemand@example.nl")
    assert page.evaluate("Object.keys(localStorage).length") == 0, "no draft of a staff page"
    context.close()


@pytest.mark.parametrize(
    ("hours_old", "kept", "restored"),
    [
        # From before an upgrade: a field that is gone, a choice that is gone, a value of the wrong kind.
        (0, {"postcode": "4531 AB", "street_name": "Markt", "reporter_role": ["gone"], "house_number": 12}, "4531 AB"),
        (25, {"postcode": "4531 AB"}, ""),
        (0, None, ""),
        (None, "{not json", ""),
        (None, '{"v": {"postcode": "4531 AB"}}', ""),
    ],
    ids=["fields-changed", "older-than-a-day", "no-values", "not-json", "of-unknown-age"],
)
def test_a_draft_that_no_longer_fits_is_restored_as_far_as_it_fits_and_never_blocks_the_form(
    app: Flask, live_url: str, browser: Browser, hours_old: int | None, kept: dict | str, restored: str
) -> None:
    make_area("Centrum", ((4531, 4532),))
    page = browser.new_context(**PHONE, locale="nl-NL").new_page()
    page.goto(f"{live_url}/melden")
    if hours_old is not None:
        kept = json.dumps({"t": int(time.time() * 1000) - hours_old * 3_600_000, "v": kept})
    page.evaluate("text => localStorage.setItem('draft:/melden', text)", kept)
    page.reload()
    expect(page.get_by_label("Postcode")).to_have_value(restored)
    expect(page.get_by_label("Huisnummer")).to_have_value("")
    expect(page.locator("#draft-note")).to_be_visible(visible=bool(restored))
    fill(page, "Een klant komt al weken niet meer en de buren maken zich zorgen.")
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", name="Uw melding is ontvangen")).to_be_visible()
    assert len(signals()) == 1


def test_the_manifest_makes_it_installable_and_a_partner_link_keeps_its_partner(
    app: Flask, live_url: str, browser: Browser
) -> None:
    db.session.add(Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier"))
    db.session.commit()
    context = browser.new_context(**PHONE, locale="nl-NL")
    page = context.new_page()
    page.goto(f"{live_url}/melden?via=snelpakket")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = json.loads(page.request.get(live_url + href).text())
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/melden?via=snelpakket",
        "/melden",
        "standalone",
    )
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert page.request.get(live_url + icon["src"]).ok

    # Chromium's own installability check, the one Lighthouse's audit reads (a test's browser is always private).
    controlled(page, f"{live_url}/melden?via=snelpakket")
    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getAppManifest")["errors"] == []
    errors = {error["errorId"] for error in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]}
    assert errors == {"in-incognito"}
    # Started from the home screen without a connection: the start URL opens, its partner still chosen.
    context.set_offline(True)
    page.goto(live_url + manifest["start_url"])
    expect(page.get_by_label("Meldt u namens een organisatie?")).to_have_value("snelpakket")
    context.close()


def fill(page: Page, description: str) -> None:
    page.get_by_label("Winkel of bedrijf").check()
    page.get_by_label("Postcode").fill("4531 AB")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_label("Beschrijf wat u zag of hoorde").fill(description)


def signals() -> list[Signal]:
    # A new read, not the snapshot of the test's last one: the live server wrote since.
    db.session.rollback()
    return list(db.session.scalars(sa.select(Signal)))


def sent_offline(
    browser: Browser, live_url: str, description: str, postcode: str = "4531 AB", permissions: list[str] | None = None
) -> tuple[BrowserContext, Page]:
    """A phone whose form is controlled by the worker, filled in, and sent without a connection."""
    context = browser.new_context(**PHONE, locale="nl-NL", permissions=permissions)
    page = context.new_page()
    controlled(page, f"{live_url}/melden")
    fill(page, description)
    page.get_by_label("Postcode").fill(postcode)
    context.set_offline(True)
    page.get_by_role("button", name="Melding versturen").click()
    # Shown once it is kept on the phone (and the worker asked to send it).
    expect(page.locator("#queued-note")).to_be_visible()
    expect(page.locator("#queued-note")).to_contain_text("Nog niet verstuurd")
    return context, page


def test_a_report_sent_offline_waits_on_the_phone_and_is_stored_once_when_back_online(
    app: Flask, live_url: str, browser: Browser
) -> None:
    make_area("Centrum", ((4531, 4532),))
    context, page = sent_offline(browser, live_url, "Klant komt al weken elke ochtend en ziet er verwaarloosd uit.")
    assert signals() == []

    context.set_offline(False)
    expect(page.get_by_role("heading", name="Uw melding is ontvangen")).to_be_visible()
    [signal] = signals()
    assert signal.description == "Klant komt al weken elke ochtend en ziet er verwaarloosd uit."
    assert page.locator("#reference").inner_text() == signal.reference
    context.close()


def test_a_queued_report_survives_a_closed_page_and_two_tabs_send_it_once(
    app: Flask, live_url: str, browser: Browser
) -> None:
    make_area("Centrum", ((4531, 4532),))
    context, page = sent_offline(browser, live_url, "De gordijnen blijven al dagen dicht en de post stapelt op.")
    page.close()

    # Opened again, in two tabs, still offline: both hold the queued report; back online, both send it.
    first, second = context.new_page(), context.new_page()
    for tab in (first, second):
        tab.goto(f"{live_url}/melden")
        expect(tab.locator("#queued-note")).to_be_visible()
    context.set_offline(False)
    for tab in (first, second):
        expect(tab.get_by_role("heading", name="Uw melding is ontvangen")).to_be_visible()
    assert len(signals()) == 1, "the token makes the second sending find the first report"
    context.close()


def test_background_sync_sends_it_with_no_form_open_and_a_notification_gives_the_reference(
    app: Flask, live_url: str, browser: Browser
) -> None:
    make_area("Centrum", ((4531, 4532),))
    # A context's permissions replace the browser's defaults, so Background Sync is granted next to notifications.
    context, page = sent_offline(
        browser, live_url, "Meneer doet al een week niet open.", permissions=["notifications", "background-sync"]
    )
    # The courier moved on: no page of the form is left to send it. (A tab closed outright would do as well, but
    # Playwright then no longer tells its worker that the connection is back.)
    page.goto("about:blank")
    context.set_offline(False)
    for _ in range(100):
        if signals():
            break
        page.wait_for_timeout(100)
    [signal] = signals()
    assert (signal.postcode, signal.description) == ("4531 AB", "Meneer doet al een week niet open.")

    page.goto(f"{live_url}/privacy")
    # The worker shows it just after the report is stored.
    notifications = eventually(
        page,
        "navigator.serviceWorker.getRegistration('/melden').then(r => r.getNotifications())"
        ".then(all => all.length && all.map(n => [n.title, n.body]))",
    )
    assert notifications == [["Uw melding is ontvangen", f"Uw referentienummer is {signal.reference}"]]
    assert page.evaluate("Outbox.all().then(queued => queued.length)") == 0
    context.close()


def test_a_queued_report_the_server_refuses_comes_back_with_its_errors_and_values(
    app: Flask, live_url: str, browser: Browser
) -> None:
    context, page = sent_offline(browser, live_url, "Te kort", postcode="12")
    context.set_offline(False)
    expect(page.locator("#error-summary")).to_contain_text("Vul een geldige postcode in")
    expect(page.get_by_label("Beschrijf wat u zag of hoorde")).to_have_value("Te kort")
    assert signals() == []
    context.close()
