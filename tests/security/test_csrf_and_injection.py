"""Every POST refuses a missing CSRF token; HTML and SQL typed anywhere stay harmless text."""

import re

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import AuditEvent, User
from signaalpunt.core.mail import deliver_due_messages
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Partner
from signaalpunt.signals.models import Signal, TimelineEvent
from signaalpunt.socialmap.models import Initiative
from tests.factories import make_area, make_signal, make_user, report_form
from tests.mail_server import free_port, smtp_server
from tests.pages import PageClient
from tests.staff import client_for, login

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def database_fingerprint() -> tuple[int, ...]:
    db.session.expire_all()
    counts = [
        db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Signal, TimelineEvent, OutboxMessage, User)
    ]
    return (*counts, db.session.scalar(sa.select(sa.func.max(Signal.version))) or 0)


def test_every_post_route_refuses_a_missing_csrf_token(app: Flask, pages: PageClient) -> None:
    area = make_area()
    signal = make_signal(postcode="4531 AB")
    admin = make_user(Role.ADMIN)
    coordinator = make_user(Role.COORDINATOR, areas=(area,))
    partner = Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier")
    initiative = Initiative(organisation_id=1, name="De Brug", kind="buddy", whole_municipality=True)
    db.session.add_all([partner, initiative])
    db.session.commit()
    values = {
        "initiative_id": str(initiative.id),
        "reference": signal.reference,
        "user_id": str(admin.id),
        "area_id": str(area.id),
        "partner_id": str(partner.id),
        "organisation_id": "1",
        "token": "x" * 20,
        "call_id": "1",
        "step": "sluiten",
        "key_id": "1",
        "fmt": "json",
        "code": "zorg-om-ander",
    }
    post_urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        if rule.endpoint.startswith("open311."):
            # The partner API is not a browser form: it authenticates by its key, never by a cookie (below).
            continue
        if rule.endpoint == "board.act":
            post_urls += [f"/werk/meldingen/{signal.reference}/{action}" for action in ("assign", "note", "reject")]
        else:
            post_urls.append(re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], rule.rule))
    assert len(post_urls) >= 12
    for who in (coordinator, admin):
        staff = client_for(app, who)
        before = database_fingerprint()
        for url in post_urls:
            response = staff.client.post(url, data={"description": "poging", "text": "notitie", "name": "X"})
            assert response.status_code in (400, 404), url
            body = response.get_data(as_text=True)
            if response.status_code == 400:
                assert "verlopen" in body, url
        # A logged-in browser's cookie opens no door of the API: without a key, refused.
        api = staff.client.post("/open311/v2/requests.json", data={"service_code": "zorg-om-ander", "description": "x"})
        assert api.status_code == 403
        assert database_fingerprint() == before


@pytest.fixture
def xss_signal(app: Flask, pages: PageClient) -> Signal:
    """A report with the payload in every free-text field, as typed into the public form."""
    pages.submit(
        pages.get("/melden"),
        report_form(
            street=XSS[:120],
            town=XSS[:80],
            place_description=XSS,
            description=XSS,
            person_name=XSS[:120],
            reporter_name=XSS[:120],
            reporter_email="melder@example.nl",
            keep_informed="y",
        ),
    )
    return db.session.scalar(sa.select(Signal))


def assert_escaped(html: str, where: str) -> None:
    assert "<script>alert" not in html, where
    assert "<img src=x" not in html, where
    assert "&lt;script&gt;" in html, where


def test_html_typed_anywhere_is_escaped_on_staff_pages_and_in_mail(app: Flask, xss_signal: Signal) -> None:
    area = make_area("Centrum", ((4531, 4532),))
    worker = make_user(Role.WORKER, name=XSS[:120], areas=(area,))
    coordinator = client_for(app, make_user(Role.COORDINATOR))
    signal_url = f"/werk/meldingen/{xss_signal.reference}"
    page = coordinator.get(signal_url)
    coordinator.submit(page, {"assign-assignee": str(worker.id)}, selector="form[action$='/assign']")
    page = coordinator.get(signal_url)
    coordinator.submit(page, {"text": XSS}, selector="form[action$='/note']")

    for url in (
        "/werk/?tab=assigned&q=" + xss_signal.reference,
        signal_url,
        signal_url + "?melder=tonen",
        signal_url + "/inzage",
    ):
        assert_escaped(coordinator.client.get(url).get_data(as_text=True), url)
    assert XSS in coordinator.get(signal_url).text_of(".timeline"), "the note is shown as the text that was typed"

    port = free_port()
    app.config["MAIL_PORT"] = port
    with smtp_server(port) as inbox:
        deliver_due_messages()
    assert inbox.messages
    for message in inbox.messages:
        html = message.get_body(("html",)).get_content()
        assert "<script>alert" not in html and "<img src=x" not in html


@pytest.mark.parametrize("text", ["' OR '1'='1", "%' --", "'; DROP TABLE signals; --", "\\x00", "_%_"])
def test_sql_metacharacters_in_search_and_filters_are_harmless(app: Flask, pages: PageClient, text: str) -> None:
    make_signal()
    login(pages, make_user(Role.ADMIN))
    for url, params in (
        ("/werk/", {"q": text, "area": text, "assignee": text, "partner": text, "tab": text, "page": text}),
        ("/beheer/audit", {"q": text, "action": text, "actor": text, "page": text}),
    ):
        assert pages.client.get(url, query_string=params).status_code == 200
    status = pages.submit(pages.get("/status"), {"reference": text})
    assert "Bij dit nummer kunnen wij geen melding laten zien." in status.text
    assert db.session.scalar(sa.select(sa.func.count(Signal.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) > 0
