"""Bots and floods: the honeypot drops bots silently, rate limits stop floods without losing a person's typing."""

import pytest
import sqlalchemy as sa

from signaalpunt.extensions import db
from signaalpunt.signals.models import Signal
from tests.factories import report_form
from tests.pages import PageClient


def signal_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Signal.id)))


def test_honeypot_is_hidden_from_people(pages: PageClient) -> None:
    trap = pages.get("/melden").one("input[name=website]")
    assert trap["tabindex"] == "-1"
    assert "trap" in trap.parent["class"]
    assert trap.parent["aria-hidden"] == "true"


def test_bot_filling_the_honeypot_sees_a_confirmation_and_nothing_is_stored(pages: PageClient) -> None:
    page = pages.submit(pages.get("/melden"), report_form(website="http://spam.example"), follow_redirects=True)
    assert "Uw melding is ontvangen" in page.text
    assert signal_count() == 0


@pytest.fixture
def app_config() -> dict:
    return {"REPORT_RATE_LIMIT": "2 per hour", "STATUS_RATE_LIMIT": "3 per hour"}


def test_report_rate_limit_keeps_the_typed_report(pages: PageClient) -> None:
    for _ in range(2):
        pages.submit(pages.get("/melden"), report_form(), follow_redirects=True)
    page = pages.submit(pages.get("/melden"), report_form(person_name="Meneer Jansen"))

    assert page.status_code == 429
    assert "U heeft veel meldingen kort na elkaar verstuurd." in page.text
    assert page.form_values()["person_name"] == "Meneer Jansen"
    assert page.form_values()["description"] == report_form()["description"]
    assert signal_count() == 2


def test_rate_limit_counts_posts_only(pages: PageClient) -> None:
    for _ in range(5):
        assert pages.get("/melden").status_code == 200


def test_status_lookup_is_rate_limited(pages: PageClient) -> None:
    statuses = [pages.submit(pages.get("/status"), {"reference": "SP-AAAA-AAAA"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


SENT = "sent"
HELD_BACK = "held back"


def reports_from(pages: PageClient, forwarded_for: str, count: int) -> list[str]:
    """What a visitor at ``forwarded_for`` (as the proxy says) sees after sending each of ``count`` reports."""
    seen = []
    for _ in range(count):
        page = pages.submit(pages.get("/melden"), report_form(), headers={"X-Forwarded-For": forwarded_for})
        if page.status_code == 303:
            seen.append(SENT)
        else:
            assert "U heeft veel meldingen kort na elkaar verstuurd." in page.text_of("#form-notice")
            seen.append(HELD_BACK)
    return seen


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_buy_more_reports(pages: PageClient) -> None:
    assert reports_from(pages, "203.0.113.1", 2) == [SENT, SENT]
    assert reports_from(pages, "203.0.113.2", 1) == [HELD_BACK]


@pytest.mark.parametrize("app_config", [{"REPORT_RATE_LIMIT": "2 per hour", "TRUSTED_PROXIES": 1}])
def test_behind_nginx_each_visitor_has_their_own_limit(pages: PageClient) -> None:
    assert reports_from(pages, "203.0.113.1", 3) == [SENT, SENT, HELD_BACK]
    assert reports_from(pages, "203.0.113.2", 2) == [SENT, SENT], "another visitor behind the same proxy"
    assert signal_count() == 4
