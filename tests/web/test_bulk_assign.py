"""A coordinator ticks several signals on the board and assigns them to one colleague at once: each goes through
the workflow on its own, a stale one is reported and the others are done."""

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.extensions import db
from signaalpunt.signals.enums import SignalStatus
from signaalpunt.signals.models import Signal
from tests.factories import make_area, make_signal, make_user
from tests.pages import Page, PageClient
from tests.staff import client_for


@pytest.fixture
def team(app: Flask) -> dict:
    centrum = make_area("Centrum", ((4531, 4532),))
    return {
        "coordinator": make_user(Role.COORDINATOR, "Fatima El Amrani"),
        "sanne": make_user(Role.WORKER, "Sanne de Vries", areas=(centrum,)),
    }


def tick(page: Page, *signals: Signal) -> list[str]:
    """The values of the boxes a coordinator ticks, as the page has them."""
    return [page.one(f"#pick-{signal.reference}")["value"] for signal in signals]


def send(coordinator: PageClient, page: Page, picked: list[str], assignee: str) -> Page:
    form = page.one("#bulk-assign")
    values = {**page.form_values("#bulk-assign"), "picked": picked, "assignee": assignee}
    return coordinator.post(form["action"], values, follow_redirects=True)


def test_ticked_signals_go_to_one_colleague_and_a_stale_one_is_reported(app: Flask, team: dict) -> None:
    first, second, changed = make_signal(), make_signal(), make_signal()
    coordinator = client_for(app, team["coordinator"])
    board = coordinator.get("/werk/")
    picked = tick(board, first, second, changed)
    # Meanwhile a colleague takes one of them.
    sanne = client_for(app, team["sanne"])
    sanne.submit(sanne.get(f"/werk/meldingen/{changed.reference}"), selector="form[action$='/take']")

    done = send(coordinator, board, picked, str(team["sanne"].id))

    assert f"{first.reference} is toegewezen aan Sanne de Vries." in done.text
    assert f"{second.reference} is toegewezen aan Sanne de Vries." in done.text
    assert f"{changed.reference}: iemand anders heeft deze melding intussen gewijzigd; niet toegewezen." in done.text
    db.session.expire_all()
    assert {signal.status for signal in db.session.scalars(sa.select(Signal))} == {SignalStatus.ASSIGNED}
    assert len([event for event in db.session.get(Signal, changed.id).events if event.kind.value == "assigned"]) == 1


def test_nothing_ticked_or_nobody_chosen_is_refused_and_keeps_the_choice(app: Flask, team: dict) -> None:
    signal = make_signal()
    coordinator = client_for(app, team["coordinator"])
    board = coordinator.get("/werk/")

    nothing = send(coordinator, board, [], str(team["sanne"].id))
    assert nothing.status_code == 422
    assert "Kies eerst een of meer meldingen" in nothing.text_of("#error-summary")
    assert nothing.one("#assignee option[selected]")["value"] == str(team["sanne"].id)

    nobody = send(coordinator, board, tick(board, signal), "")
    assert nobody.status_code == 422
    assert nobody.field_error("assignee") == "Fout: Kies een medewerker"
    assert nobody.one(f"#pick-{signal.reference}").has_attr("checked")
    assert db.session.get(Signal, signal.id).status == SignalStatus.NEW


def test_workers_cannot_assign_in_bulk(app: Flask, team: dict) -> None:
    signal = make_signal()
    sanne = client_for(app, team["sanne"])
    assert sanne.get("/werk/").soup.select("#bulk-assign") == []
    token = sanne.get("/werk/").one("form[action='/uitloggen'] input[name='csrf_token']")["value"]
    refused = sanne.post("/werk/toewijzen", {"csrf_token": token, "picked": [f"{signal.reference}:1"], "assignee": "1"})
    assert refused.status_code == 403
