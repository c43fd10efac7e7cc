"""The reporter's status look-up: three coarse answers, nothing else, and no way to tell unknown from malformed."""

import pytest

from signaalpunt.extensions import db
from signaalpunt.signals.enums import SignalStatus
from tests.factories import make_signal
from tests.pages import Page, PageClient

NEUTRAL = "Bij dit nummer kunnen wij geen melding laten zien."


def look_up(pages: PageClient, reference: str) -> Page:
    return pages.submit(pages.get("/status"), {"reference": reference})


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (SignalStatus.NEW, "Ontvangen"),
        (SignalStatus.ASSIGNED, "Opgepakt"),
        (SignalStatus.IN_PROGRESS, "Opgepakt"),
        (SignalStatus.DUPLICATE, "Opgepakt"),
        (SignalStatus.CLOSED, "Afgerond"),
        (SignalStatus.NOT_PURSUED, "Afgerond"),
    ],
)
def test_status_shows_only_the_coarse_status(pages: PageClient, status: SignalStatus, shown: str) -> None:
    signal = make_signal(person_name="Mevrouw de Vries", street="Markt", reporter_name="Sanne")
    signal.status = status
    db.session.commit()

    page = look_up(pages, signal.reference)

    assert page.text_of(".status-label") == shown
    for secret in ("Mevrouw de Vries", "Markt", "Sanne", "4531", signal.description):
        assert secret not in page.text


@pytest.mark.parametrize(
    ("primary_status", "shown"), [(SignalStatus.NEW, "Ontvangen"), (SignalStatus.CLOSED, "Afgerond")]
)
def test_a_duplicate_shows_the_status_of_the_signal_it_repeats(
    pages: PageClient, primary_status: SignalStatus, shown: str
) -> None:
    """Its reporter follows the one follow-up that happens: the primary's."""
    primary, duplicate = make_signal(), make_signal()
    primary.status = primary_status
    duplicate.status, duplicate.duplicate_of = SignalStatus.DUPLICATE, primary
    db.session.commit()
    assert look_up(pages, duplicate.reference).text_of(".status-label") == shown


def test_reference_typed_loosely_is_found(pages: PageClient) -> None:
    signal = make_signal()
    page = look_up(pages, signal.reference.lower().replace("-", " "))
    assert page.text_of(".status-label") == "Ontvangen"


def test_unknown_and_malformed_references_get_the_same_neutral_answer(pages: PageClient) -> None:
    make_signal()
    unknown = look_up(pages, "SP-ZZZZ-ZZZZ")
    malformed = look_up(pages, "hallo' OR 1=1 --")
    assert NEUTRAL in unknown.text
    assert unknown.text_of("#status-result") == malformed.text_of("#status-result")
    assert unknown.status_code == malformed.status_code == 200


def test_empty_reference_asks_for_one(pages: PageClient) -> None:
    page = look_up(pages, "")
    assert page.field_error("reference") == "Fout: Vul het referentienummer in, zoals SP-7K3M-Q9XA"
    assert page.soup.find(id="status-result") is None
