"""A board that says what each signal is about, and a search that finds words in what was written (each
database's own full-text search), postcodes however typed and part of a reference, only among the signals
the person may see, and never by text that retention removed."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.core.clock import utcnow
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Partner
from signaalpunt.signals.enums import Observation, Outcome, ReporterRole, SignalStatus
from signaalpunt.signals.models import Signal
from signaalpunt.signals.retention import anonymise
from signaalpunt.signals.workflow import add_note
from tests.factories import make_area, make_signal, make_user
from tests.pages import Page, PageClient
from tests.staff import client_for


@pytest.fixture
def team(app: Flask) -> dict:
    centrum = make_area("Centrum", ((4531, 4532),))
    db.session.add(Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier"))
    db.session.commit()
    return {"coordinator": make_user(Role.COORDINATOR), "sanne": make_user(Role.WORKER, "Sanne", areas=(centrum,))}


def references(page: Page) -> set[str]:
    return {link.get_text(strip=True) for link in page.soup.select("table th[scope='row'] a")}


def found(pages: PageClient, text: str) -> set[str]:
    return references(pages.get("/werk/", query_string={"q": text, "tab": "new"}))


def test_each_row_says_what_the_signal_is_about(app: Flask, team: dict) -> None:
    make_signal(
        description="De brievenbus puilt al twee weken uit en de gordijnen blijven de hele dag dicht, ook als "
        "het mooi weer is en de buren buiten zitten.",
        observations=(Observation.POST_PILING_UP, Observation.CURTAINS_CLOSED),
        street="Markt",
        house_number=12,
        house_number_suffix="B",
        reporter_role=ReporterRole.COURIER,
        partner_slug="snelpakket",
    )
    make_signal(postcode=None, house_number=None, place_description="Bankje bij de haven, elke ochtend")

    board = client_for(app, team["coordinator"]).get("/werk/")
    rows = [" ".join(cell.get_text(" ").split()) for cell in board.soup.select("td.row-about")]
    assert any(
        row.startswith("De brievenbus puilt al twee weken uit en de gordijnen blijven de hele dag dicht, ook als…")
        and "post stapelt op, gordijnen dicht · Markt 12B · Pakketbezorger of koerier, Snelpakket" in row
        for row in rows
    ), rows
    assert any("Bankje bij de haven, elke ochtend" in row for row in rows), rows


def test_search_finds_words_in_what_was_written_and_in_the_notes(app: Flask, team: dict) -> None:
    curtains = make_signal(description="De gordijnen blijven dicht.")
    place = make_signal(postcode=None, house_number=None, place_description="Vaste klant van de bibliotheek")
    named = make_signal(person_name="Mevrouw Verhoeven")
    street = make_signal(street="Noordstraat")
    noted = make_signal()
    add_note(noted, team["coordinator"], "Dochter woont in Breskens en belt wekelijks.")
    db.session.commit()
    coordinator = client_for(app, team["coordinator"])

    assert found(coordinator, "gordijnen") == {curtains.reference}
    assert found(coordinator, "gordijn") == {curtains.reference}, "the start of a word is enough"
    assert found(coordinator, "bibliotheek") == {place.reference}
    assert found(coordinator, "verhoeven") == {named.reference}
    assert found(coordinator, "noordstraat") == {street.reference}
    assert found(coordinator, "Breskens") == {noted.reference}
    assert found(coordinator, "dochter breskens") == {noted.reference}, "every word must be there"
    assert found(coordinator, "dochter gordijnen") == set()


def test_postcodes_are_found_however_typed_and_references_by_a_part(app: Flask, team: dict) -> None:
    here = make_signal(postcode="4531 AB")
    near = make_signal(postcode="4531 CD")
    make_signal(postcode="4533 AB")
    coordinator = client_for(app, team["coordinator"])

    for typed in ("4531ab", "4531 AB", "4531 ab", " 4531AB "):
        assert found(coordinator, typed) == {here.reference}, typed
    assert found(coordinator, "4531") == {here.reference, near.reference}
    part = here.reference.split("-")[1]
    if any(character.isdigit() for character in part):
        assert here.reference in found(coordinator, part.lower())
    assert found(coordinator, here.reference.replace("-", "–")) == {here.reference}


def test_search_finds_only_what_the_person_may_see(app: Flask, team: dict) -> None:
    in_her_area = make_signal(postcode="4531 AB", description="Buurman hoort haar niet meer.")
    elsewhere = make_signal(postcode="9999 ZZ", description="Buurman hoort hem niet meer.")
    sanne = client_for(app, team["sanne"])
    assert found(sanne, "buurman") == {in_her_area.reference}
    assert elsewhere.reference in found(client_for(app, team["coordinator"]), "buurman")
    assert found(client_for(app, team["coordinator"]), f"t{elsewhere.organisation_id}") == set(), "not the team's tag"


def indexed(word: str) -> int:
    """How many signals the database's own search finds for one word."""
    if db.engine.dialect.name == "sqlite":
        query = sa.text("SELECT count(*) FROM signal_search WHERE signal_search MATCH :q")
    else:
        query = sa.text("SELECT count(*) FROM signal_search WHERE document @@ to_tsquery('dutch', :q)")
    return db.session.execute(query, {"q": word}).scalar()


def test_a_signal_anonymised_today_does_not_count_as_recently_finished(app: Flask, team: dict) -> None:
    signal = make_signal()
    long_ago = utcnow() - timedelta(days=800)
    signal.status, signal.outcome, signal.closed_at, signal.updated_at = (
        SignalStatus.CLOSED,
        Outcome.DECLINED,
        long_ago,
        long_ago,
    )
    db.session.commit()
    coordinator = client_for(app, team["coordinator"])
    anonymise(utcnow())
    db.session.commit()
    closed = coordinator.get("/werk/", query_string={"tab": "closed"})
    assert signal.reference not in references(closed), "finished two years ago, not in the last 30 days"
    assert closed.text_of(".tabs a[aria-current='page'] .count") == "(0)"


def test_an_anonymised_signal_is_never_found_by_its_removed_text(app: Flask, team: dict) -> None:
    signal = make_signal(description="Meneer Pietersen zit alleen.", person_name="Jan Pietersen", street="Havenweg")
    add_note(signal, team["coordinator"], "Kleindochter Fenna belt.")
    signal.status, signal.closed_at = SignalStatus.CLOSED, utcnow() - timedelta(days=800)
    db.session.commit()
    removed = ("pietersen", "havenweg", "fenna", "kleindochter")
    assert [indexed(word) for word in removed] == [1, 1, 1, 1]

    anonymise(utcnow())
    db.session.commit()

    assert db.session.get(Signal, signal.id).anonymised_at is not None
    assert [indexed(word) for word in removed] == [0, 0, 0, 0]
    if db.engine.dialect.name == "sqlite":
        # Not even in the index's stored blocks, where FTS5 keeps a deleted row's words until they are merged.
        blocks = db.session.scalars(sa.text("SELECT block FROM signal_search_data")).all()
        assert not [word for word in removed for block in blocks if word.encode() in (block or b"")]
