"""axe-core on every page, public and staff, in Dutch and English; no sideways scrolling at 320 px; visible focus."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, Page

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.consent.enums import ConsentKind, ConsentMethod, SharedDetail
from signaalpunt.consent.service import record_consent
from signaalpunt.core.clock import utcnow
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.neighbours.enums import Availability, NeighbourHelp
from signaalpunt.neighbours.models import NeighbourCall
from signaalpunt.neighbours.service import CallDraft, send_call
from signaalpunt.neighbours.signups import SignupDetails, sign_up
from signaalpunt.organisations.models import Partner
from signaalpunt.referrals.models import Referral
from signaalpunt.referrals.service import ReferralChoice, refer_signal
from signaalpunt.signals.enums import ContactMethod, ReferralTarget
from signaalpunt.signals.models import Signal
from signaalpunt.signals.workflow import assign_signal, record_contact_attempt
from signaalpunt.socialmap.enums import InitiativeKind
from signaalpunt.socialmap.service import InitiativeDetails, save_initiative
from tests.browser.staff import browser_login
from tests.factories import make_area, make_signal, make_user

pytestmark = pytest.mark.slow

AXE = Axe()
PUBLIC = [
    "/melden",
    "/melden?via=snelpakket",
    "/melden/over-mezelf",
    "/status",
    "/privacy",
    "/bestaat-niet",
    "/inloggen",
    "/wachtwoord-vergeten",
]


def staff_pages(reference: str, partner_id: int, area_id: int, user_id: int) -> list[str]:
    return [
        "/werk/",
        "/werk/mijn",
        f"/werk/meldingen/{reference}",
        f"/werk/meldingen/{reference}?melder=tonen",
        f"/werk/meldingen/{reference}/inzage",
        "/werk/telefonische-melding",
        "/cijfers/",
        "/cijfers/rapport",
        "/beheer/partners",
        f"/beheer/partners/{partner_id}",
        f"/beheer/partners/{partner_id}/poster",
        f"/beheer/partners/{partner_id}/sleutels",
        "/open311/v2/",
    ]


ADMIN_PAGES = ["/beheer/gebruikers", "/beheer/werkgebieden", "/beheer/audit"]


@pytest.fixture
def world(app: Flask) -> dict:
    area = make_area("Centrum", ((4531, 4532),))
    partner = Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier")
    db.session.add(partner)
    db.session.commit()
    coordinator = make_user(Role.COORDINATOR, name="Fatima El Amrani")
    worker = make_user(Role.WORKER, name="Sanne de Vries", areas=(area,))
    signal = make_signal(postcode="4531 AB", urgent=True, reporter_name="Melder", reporter_phone="+31612345678")
    assign_signal(signal, coordinator, worker)
    db.session.commit()
    referred, referral, link = referred_signal(coordinator, worker)
    call = neighbour_call(referred, worker)
    to_refer = make_signal(postcode="4531 AB")
    assign_signal(to_refer, coordinator, coordinator)
    record_contact_attempt(to_refer, coordinator, ContactMethod.PHONE, utcnow(), True)
    db.session.commit()
    return {
        "coordinator": coordinator,
        "admin": make_user(Role.ADMIN),
        "handover": link,
        "signup": f"/buren/{call.invites[0].token}",
        "pages": [
            *staff_pages(signal.reference, partner.id, area.id, worker.id),
            f"/werk/meldingen/{referred.reference}",
            f"/werk/meldingen/{referred.reference}/verwijzingen/{referral.id}/kaart?kaarttaal=ar",
            f"/werk/meldingen/{to_refer.reference}/doorverwijzen",
            f"/werk/meldingen/{referred.reference}/burenoproep",
            f"/werk/meldingen/{referred.reference}/burenoproepen/{call.id}",
            "/beheer/sociale-kaart",
            f"/beheer/sociale-kaart/{referral.initiative_id}",
            f"/beheer/sociale-kaart/{referral.initiative_id}/verslag",
        ],
        "admin_pages": [*ADMIN_PAGES, f"/beheer/gebruikers/{worker.id}", f"/beheer/werkgebieden/{area.id}"],
    }


def referred_signal(coordinator: User, worker: User) -> tuple[Signal, Referral, str]:
    """A signal referred with a warm handover, with its referral and the initiative's answer link."""
    initiative = save_initiative(
        coordinator.organisation_id,
        None,
        InitiativeDetails(
            name="Maatjesproject De Brug",
            kind=InitiativeKind.BUDDY,
            whole_municipality=True,
            email="brug@example.nl",
            warm_handover=True,
            phone="0115 123 456",
            address="Kerkstraat 4, Terneuzen",
        ),
    )
    signal = make_signal(postcode="4531 AB", person_name="Mevrouw Jansen")
    assign_signal(signal, coordinator, worker)
    record_contact_attempt(signal, worker, ContactMethod.HOME_VISIT, utcnow(), True)
    record_consent(
        signal,
        worker,
        [ConsentKind.REFERRAL, ConsentKind.SHARE],
        ConsentMethod.IN_PERSON,
        initiative,
        (SharedDetail.NAME,),
    )
    [referral] = refer_signal(signal, worker, ReferralChoice(ReferralTarget.BUDDY, (initiative,)), utcnow())
    db.session.commit()
    mail = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == "brug@example.nl")).one()
    link = next(word for word in mail.body_text.split() if "/initiatief/overdracht/" in word)
    return signal, referral, link.removeprefix("https://signaalpunt.example.nl")


def neighbour_call(signal: Signal, worker: User) -> NeighbourCall:
    """A call for neighbours about the signal, sent to a church, with one volunteer signed up."""
    save_initiative(
        signal.organisation_id,
        None,
        InitiativeDetails(
            name="Kerk De Ark",
            kind=InitiativeKind.FAITH,
            whole_municipality=True,
            network_partner=True,
            email="ark@example.nl",
        ),
    )
    record_consent(signal, worker, [ConsentKind.VOLUNTEERS], ConsentMethod.IN_PERSON)
    call = send_call(
        signal, worker, CallDraft("Iemand in deze buurt zoekt gezelschap.", (NeighbourHelp.COFFEE,)), utcnow()
    )
    details = SignupDetails("Bram", "4531 AC", 3, None, "bram@example.nl", (Availability.WEEKEND,), (), "")
    sign_up(call.invites[0], details, utcnow())
    db.session.commit()
    return call


def check_page(page: Page, url: str) -> list[str]:
    """Problems on the page as it is now: axe violations and sideways scrolling."""
    problems = []
    results = AXE.run(page)
    for violation in results.response["violations"]:
        targets = [node["target"] for node in violation["nodes"]][:3]
        problems.append(f"{url}: {violation['id']} ({violation['impact']}) {targets}")
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    if width > viewport:
        problems.append(f"{url}: scrolls sideways ({width} px content in {viewport} px)")
    return problems


def send(page: Page, button: str) -> None:
    """Click a form's button and wait for the page it leads to, so axe never reads a page half replaced."""
    with page.expect_navigation():
        page.locator(button).click()


def form_with_errors(page: Page, base: str) -> None:
    page.goto(f"{base}/melden")
    send(page, "button[type=submit]")
    page.locator("#error-summary").wait_for()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_axe_violations_and_no_sideways_scrolling_at_320px(
    app: Flask, live_url: str, browser: Browser, world: dict, language: str, screenshots: Path
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 700}, locale=f"{language}-NL")
    page = context.new_page()
    problems = []
    page.goto(f"{live_url}/melden?taal={language}")
    for url in PUBLIC:
        page.goto(live_url + url)
        problems += check_page(page, url)
    form_with_errors(page, live_url)
    problems += check_page(page, "/melden (with errors)")
    page.locator("#postcode").fill("4531 AB")
    page.locator("#house_number").fill("1")
    page.locator("#description").fill("Een beschrijving van wat er opviel.")
    page.locator("input[name=reporter_role]").first.check()
    send(page, "button[type=submit]")
    problems += check_page(page, "/melden/ontvangen")
    page.goto(f"{live_url}/status")
    page.locator("#reference").fill("SP-AAAA-AAAA")
    send(page, "main button[type=submit]")
    problems += check_page(page, "/status (answer)")
    page.goto(live_url + world["signup"])
    problems += check_page(page, "volunteer sign-up")
    send(page, "main button[type=submit]")
    problems += check_page(page, "volunteer sign-up (with errors)")
    page.goto(live_url + world["handover"])
    problems += check_page(page, "handover answer")
    send(page, "main button[type=submit]")
    problems += check_page(page, "handover answer (with errors)")

    for user, urls in ((world["coordinator"], world["pages"]), (world["admin"], world["admin_pages"])):
        context.clear_cookies()
        browser_login(page, live_url, user)
        page.goto(f"{live_url}/werk/?taal={language}")
        for url in urls:
            page.goto(live_url + url)
            problems += check_page(page, url)
    assert not problems, "\n".join(problems)
    context.close()


@pytest.mark.parametrize("language", ["ar", "pl", "tr"])
def test_public_pages_in_other_languages_pass_axe(app: Flask, live_url: str, browser: Browser, language: str) -> None:
    page = browser.new_context(viewport={"width": 320, "height": 700}).new_page()
    page.goto(f"{live_url}/melden?taal={language}")
    problems = []
    for url in ("/melden", "/melden/over-mezelf", "/status", "/privacy"):
        page.goto(live_url + url)
        problems += check_page(page, f"{language} {url}")
    form_with_errors(page, live_url)
    problems += check_page(page, f"{language} /melden (with errors)")
    assert not problems, "\n".join(problems)


def test_axe_does_report_a_real_violation(app: Flask, live_url: str, desktop: Page) -> None:
    """Guard against a silent checker: an image without alt text must be reported."""
    desktop.goto(f"{live_url}/privacy")
    desktop.evaluate("document.querySelector('main').appendChild(document.createElement('img'))")
    assert any("image-alt" in problem for problem in check_page(desktop, "/privacy + img"))


def test_every_interactive_element_shows_focus(app: Flask, live_url: str, desktop: Page) -> None:
    desktop.goto(f"{live_url}/melden")
    seen = 0
    for _ in range(60):
        desktop.keyboard.press("Tab")
        style = desktop.evaluate(
            "() => { const e = document.activeElement; const s = getComputedStyle(e);"
            " return [e.tagName, s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
        )
        tag, outline, width, shadow = style
        if tag == "BODY":
            break
        seen += 1
        assert (outline != "none" and width != "0px") or shadow != "none", style
    assert seen > 20


def test_screenshots_of_the_main_pages_at_phone_and_desktop_width(
    app: Flask, live_url: str, browser: Browser, world: dict, screenshots: Path
) -> None:
    for name, viewport in (("phone", {"width": 360, "height": 740}), ("desktop", {"width": 1280, "height": 900})):
        page = browser.new_context(viewport=viewport, locale="nl-NL").new_page()
        page.goto(f"{live_url}/melden?via=snelpakket")
        page.screenshot(path=screenshots / f"form-{name}.png", full_page=True)
        form_with_errors(page, live_url)
        page.screenshot(path=screenshots / f"form-errors-{name}.png", full_page=True)
        browser_login(page, live_url, world["coordinator"])
        page.goto(f"{live_url}/werk/?tab=assigned")
        page.screenshot(path=screenshots / f"board-{name}.png", full_page=True)
        page.goto(live_url + world["pages"][2])
        page.screenshot(path=screenshots / f"signal-{name}.png", full_page=True)
        page.goto(f"{live_url}/cijfers/")
        page.screenshot(path=screenshots / f"figures-{name}.png", full_page=True)
    assert len(list(screenshots.glob("*-desktop.png"))) >= 5
