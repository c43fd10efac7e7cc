"""Input no form sends: JSON bodies, NUL characters, control characters; and what reaches the logs when the
database refuses a write."""

import logging
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.extensions import db
from signaalpunt.signals.models import Signal
from tests.factories import make_user, report_form
from tests.faults import refuse_writes
from tests.pages import PageClient
from tests.staff import client_for

MARKER = "Zq9Marker"


def signal_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Signal.id)))


@pytest.mark.parametrize("path", ["/melden", "/status", "/inloggen"])
def test_a_json_body_is_refused_plainly_and_stores_nothing(pages: PageClient, path: str) -> None:
    response = pages.client.post(path, json={**report_form(), "street": {"x": "y"}, "email": ["a"], "reference": 7})
    assert response.status_code == 415
    assert signal_count() == 0


def test_control_characters_typed_in_any_field_are_dropped_and_the_report_is_stored(pages: PageClient) -> None:
    typed = {
        "description": "De brievenbus\x00 puilt uit\x07 en de gordijnen\r\nblijven dicht.",
        "street": "Kerk\x00straat",
        "town": "Goes\x1b",
        "person_name": "Mevrouw\x00 de Vries",
        "reporter_name": "Sanne\x0b",
        "place_description": "Bij de bakker\x00",
    }
    response = pages.submit(pages.get("/melden"), report_form(**typed))
    assert response.status_code == 303
    signal = db.session.scalars(sa.select(Signal)).one()
    assert signal.description == "De brievenbus puilt uit en de gordijnen\r\nblijven dicht."
    assert (signal.street, signal.town, signal.person_name, signal.reporter_name) == (
        "Kerkstraat",
        "Goes",
        "Mevrouw de Vries",
        "Sanne",
    )


def test_a_nul_in_a_search_or_address_is_refused_not_a_server_error(app: Flask) -> None:
    coordinator = client_for(app, make_user(Role.COORDINATOR))
    for url in ("/werk/?q=ab%00cd", "/werk/?area%00=1", "/werk/meldingen/SP-%00"):
        assert coordinator.client.get(url).status_code == 400, url


class Written(logging.Handler):
    """Every log line as it would be written, tracebacks included."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def written_logs() -> Iterator[Written]:
    handler = Written()
    # The app's own logger does not pass records on to the root, so listen to both.
    loggers = [logging.getLogger(), logging.getLogger("signaalpunt")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.mark.parametrize("app_config", [{"PROPAGATE_EXCEPTIONS": False}])
def test_a_failed_write_logs_no_personal_data(app: Flask, pages: PageClient, written_logs: Written) -> None:
    refuse_writes("signals")
    personal = report_form(
        description=f"{MARKER} beschrijving van wat er opviel",
        street=f"{MARKER}straat",
        person_name=f"{MARKER} de Vries",
        reporter_name=f"{MARKER} melder",
        reporter_email=f"{MARKER.lower()}@example.nl",
        reporter_phone="0612345678",
    )
    response = pages.submit(pages.get("/melden"), personal)
    assert response.status_code == 500
    logged = "\n".join(written_logs.lines)
    assert "refused" in logged, "the failure itself is logged"
    assert MARKER not in logged and MARKER.lower() not in logged and "612345678" not in logged
