"""Headers on every response, cookie flags, request limits and methods."""

import re

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt import create_app
from signaalpunt.accounts.enums import Role
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Partner
from signaalpunt.socialmap.models import Initiative
from tests.conftest import TEST_SECRET
from tests.factories import make_area, make_signal, make_user
from tests.pages import PageClient
from tests.staff import login, logout


def every_get_url(app: Flask, reference: str, user_id: int, area_id: int, partner_id: int) -> list[str]:
    """Each GET route of the app, with real values for its parameters."""
    initiative = Initiative(organisation_id=1, name="De Brug", kind="buddy", whole_municipality=True)
    db.session.add(initiative)
    db.session.commit()
    values = {
        "initiative_id": str(initiative.id),
        "reference": reference,
        "user_id": str(user_id),
        "area_id": str(area_id),
        "partner_id": str(partner_id),
        "organisation_id": "1",
        "token": "x" * 20,
        "call_id": "1",
        "step": "sluiten",
        "key_id": "1",
        "fmt": "json",
        "code": "zorg-om-ander",
        "referral_id": "1",
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        urls.append(re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], rule.rule))
    return urls


# What a browser or proxy may keep: the public pages and files, never a staff page.
PUBLIC_PATHS = (
    "/melden",
    "/status",
    "/privacy",
    "/static",
    "/manifest.webmanifest",
    "/sw.js",
    "/favicon.ico",
    "/robots.txt",
)


def test_every_route_sends_the_security_headers(app: Flask, pages: PageClient) -> None:
    area = make_area()
    signal = make_signal()
    admin = make_user(Role.ADMIN)
    partner = Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier")
    db.session.add(partner)
    db.session.commit()
    urls = every_get_url(app, signal.reference, admin.id, area.id, partner.id)
    assert len(urls) > 15
    for logged_in in (False, True):
        if logged_in:
            login(pages, make_user(Role.COORDINATOR))
        for url in urls:
            response = pages.client.get(url)
            headers = response.headers
            csp = headers["Content-Security-Policy"]
            assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
            assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, url
            assert headers["X-Content-Type-Options"] == "nosniff", url
            assert headers["Referrer-Policy"] == "same-origin", url
            assert "camera=()" in headers["Permissions-Policy"] and "geolocation=()" in headers["Permissions-Policy"]
            assert "Strict-Transport-Security" not in headers, "HSTS only over HTTPS"
            if logged_in or (not url.startswith(PUBLIC_PATHS) and url != "/"):
                assert headers.get("Cache-Control") == "no-store", url


def test_no_template_contains_inline_script_or_style(app: Flask) -> None:
    for path in app.jinja_loader.list_templates():
        source = app.jinja_loader.get_source(app.jinja_env, path)[0]
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), path
        assert not re.search(r"<style\b|\sstyle=", source), path
        assert not re.search(r"\son\w+=", source), path


def test_hsts_over_https(app: Flask, pages: PageClient) -> None:
    response = pages.client.get("/melden", base_url="https://signaalpunt.example.nl")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_production_cookies_are_secure_host_only_httponly_lax(migrated_template, tmp_path) -> None:
    app = create_app(
        {
            "ENVIRONMENT": "production",
            "SECRET_KEY": TEST_SECRET,
            "SQLALCHEMY_DATABASE_URI": migrated_template,
            "PUBLIC_BASE_URL": "https://signaalpunt.example.nl",
        }
    )
    response = app.test_client().get("/melden", base_url="https://signaalpunt.example.nl")
    with app.app_context():
        db.engine.dispose()
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in cookie
    assert "Domain=" not in cookie


def test_too_large_request_is_refused_with_413(pages: PageClient) -> None:
    response = pages.client.post("/melden", data={"description": "x" * (300 * 1024)})
    assert response.status_code == 413
    assert "Dat is te veel tekst" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/melden", "/status", "/inloggen", "/werk/"])
def test_trace_is_not_allowed(pages: PageClient, url: str) -> None:
    assert pages.client.open(url, method="TRACE").status_code == 405


# Only the audit trail (who looked at what) and the session record (last seen) may change on a GET.
# Reading is audited, sessions are kept alive, the health check proves the database takes a write, and the partner
# API counts each key's reads against its rate limit.
ALLOWED_TO_CHANGE_ON_GET = {"audit_events", "user_sessions", "health_checks", "rate_limit_windows"}


def database_state() -> dict[str, list]:
    db.session.expire_all()
    return {
        table.name: sorted(map(str, db.session.execute(sa.select(table)).all()))
        for table in db.metadata.sorted_tables
        if table.name not in ALLOWED_TO_CHANGE_ON_GET
    }


def test_no_get_request_changes_anything(app: Flask, pages: PageClient) -> None:
    area = make_area()
    signal = make_signal(reporter_name="Melder")
    admin = make_user(Role.ADMIN)
    partner = Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier")
    db.session.add(partner)
    db.session.commit()
    urls = every_get_url(app, signal.reference, admin.id, area.id, partner.id)
    for user in (make_user(Role.COORDINATOR), admin):
        login(pages, user)
        before = database_state()
        for url in urls:
            pages.client.get(url)
            pages.client.get(url + ("&" if "?" in url else "?") + "melder=tonen&taal=en")
        assert database_state() == before, user.role
        logout(pages)
    for rule in app.url_map.iter_rules():
        if rule.endpoint in {"board.act", "auth.logout"}:
            assert "GET" not in rule.methods, rule
