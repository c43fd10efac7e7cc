"""Duplicates that carry their facts: the primary shows what each duplicate added, its worker may open them,
a candidate is linked in one click and a link can be undone, and the board says when an address repeats."""

from datetime import timedelta

import pytest
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.core.clock import utcnow
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Partner
from signaalpunt.signals.enums import Observation, ReporterRole, SignalStatus
from signaalpunt.signals.models import Signal
from tests.factories import make_area, make_signal, make_user
from tests.staff import client_for
from tests.web.test_casework import act, reload


@pytest.fixture
def team(app: Flask) -> dict:
    centrum = make_area("Centrum", ((4531, 4532),))
    db.session.add(Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier"))
    db.session.commit()
    return {
        "coordinator": make_user(Role.COORDINATOR),
        "sanne": make_user(Role.WORKER, "Sanne de Vries", areas=(centrum,)),
        "joost": make_user(Role.WORKER, "Joost Verhoeven", areas=(centrum,)),
    }


def linked_pair(app: Flask, team: dict) -> tuple[Signal, Signal]:
    """A signal assigned to Sanne, and a courier's later report at the same address linked to it."""
    primary = make_signal(postcode="4531 AB", house_number=12, description="Buurvrouw ziet haar niet meer.")
    duplicate = make_signal(
        postcode="4531 AB",
        house_number=12,
        house_number_suffix="B",
        street="Markt",
        town="Terneuzen",
        place_description="Bovenwoning naast de bakker",
        reporter_role=ReporterRole.COURIER,
        partner_slug="snelpakket",
        observations=(Observation.POST_PILING_UP,),
        description="Pakketten blijven al een week liggen.",
        person_name="Mevrouw Jansen",
        reporter_name="Koerier Kees",
        reporter_phone="0612345678",
    )
    coordinator = client_for(app, team["coordinator"])
    act(coordinator, primary, "assign", {"assignee": str(team["sanne"].id)})
    act(coordinator, duplicate, "mark_duplicate", {"primary_reference": primary.reference})
    return primary, duplicate


def test_the_primary_shows_what_each_duplicate_added_and_its_worker_may_open_it(app: Flask, team: dict) -> None:
    primary, duplicate = linked_pair(app, team)
    sanne = client_for(app, team["sanne"])

    page = sanne.get(f"/werk/meldingen/{primary.reference}")
    added = page.text_of(f"article[aria-labelledby='added-{duplicate.reference}']")
    for fact in (
        "Pakketbezorger of koerier, Snelpakket",
        "Post of kranten stapelen zich op",
        "Pakketten blijven al een week liggen.",
        "Markt 12B, 4531 AB Terneuzen",
        "Bovenwoning naast de bakker",
        "Mevrouw Jansen",
    ):
        assert fact in added, fact
    assert "Koerier Kees" not in page.text, "the reporter's contact stays behind the reveal"

    revealed = sanne.get(f"/werk/meldingen/{primary.reference}?melder=tonen")
    added = revealed.text_of(f"article[aria-labelledby='added-{duplicate.reference}']")
    assert "Koerier Kees" in added and "0612345678" in added

    opened = sanne.get(f"/werk/meldingen/{duplicate.reference}")
    assert opened.status_code == 200
    assert primary.reference in opened.text_of(".notice")
    assert client_for(app, team["joost"]).client.get(f"/werk/meldingen/{duplicate.reference}").status_code == 404


def test_a_candidate_duplicate_is_linked_in_one_click(app: Flask, team: dict) -> None:
    first = make_signal(postcode="4531 AB", house_number=12)
    second = make_signal(postcode="4531 AB", house_number=12)
    coordinator = client_for(app, team["coordinator"])

    page = coordinator.get(f"/werk/meldingen/{second.reference}")
    linked = coordinator.submit(
        page, selector=f"form.inline-form:has(input[value='{first.reference}'])", follow_redirects=True
    )

    assert "De melding is gekoppeld als dubbele melding." in linked.text
    assert reload(second).duplicate_of_id == first.id


def test_a_coordinator_undoes_a_link_and_both_timelines_say_so(app: Flask, team: dict) -> None:
    primary, duplicate = linked_pair(app, team)
    coordinator = client_for(app, team["coordinator"])

    page = act(coordinator, duplicate, "unlink_duplicate")

    assert "De koppeling is ongedaan gemaakt; de melding staat weer bij de nieuwe meldingen." in page.text
    assert f"Koppeling met {primary.reference} ongedaan gemaakt" in page.text_of(".timeline")
    unlinked = reload(duplicate)
    assert (unlinked.status, unlinked.duplicate_of_id, unlinked.assignee_id) == (SignalStatus.NEW, None, None)
    primary_page = coordinator.get(f"/werk/meldingen/{primary.reference}")
    assert f"Koppeling van dubbele melding {duplicate.reference} ongedaan gemaakt" in primary_page.text_of(".timeline")
    assert primary_page.soup.select("#added-heading") == []
    assert duplicate.reference in coordinator.get("/werk/?tab=new").text_of("table")


def test_the_board_says_which_report_at_an_address_a_signal_is(app: Flask, team: dict) -> None:
    long_ago = make_signal(postcode="4531 AB", house_number=12)
    long_ago.created_at = utcnow() - timedelta(days=200)
    long_ago.status, long_ago.closed_at = SignalStatus.CLOSED, utcnow() - timedelta(days=150)
    db.session.commit()
    make_signal(postcode="4531 AB", house_number=12)
    second = make_signal(postcode="4531 AB", house_number=12)
    third = make_signal(postcode="4531 AB", house_number=12)
    elsewhere = make_signal(postcode="4531 AB", house_number=14)

    board = client_for(app, team["coordinator"]).get("/werk/")

    def row(signal: Signal) -> str:
        return " ".join(board.one(f"tr:has(a[href$='/{signal.reference}'])").get_text(" ").split())

    assert "2e melding op dit adres" in row(second)
    assert "3e melding op dit adres" in row(third)
    assert "melding op dit adres" not in row(elsewhere)
