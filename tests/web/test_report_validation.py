"""Mistakes on the report form: a clear Dutch message next to the field, in the summary, and nothing lost."""

import pytest
import sqlalchemy as sa

from signaalpunt.extensions import db
from signaalpunt.signals.models import Signal
from tests.factories import report_form
from tests.pages import Page, PageClient


def signal_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Signal.id)))


def submit(pages: PageClient, **changes: str | list[str]) -> Page:
    return pages.submit(pages.get("/melden"), report_form(**changes))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reporter_role": ""}, "reporter_role", "Kies wie u bent"),
        ({"description": ""}, "description", "Beschrijf kort wat u zag of hoorde"),
        ({"description": "te kort"}, "description", "Gebruik voor de beschrijving 10 tot 2000 tekens"),
        ({"description": "x" * 2001}, "description", "Gebruik voor de beschrijving 10 tot 2000 tekens"),
        ({"postcode": "0123 AB"}, "postcode", "Vul een geldige postcode in, zoals 4531 AB"),
        ({"postcode": "1234 SS"}, "postcode", "Vul een geldige postcode in, zoals 4531 AB"),
        ({"house_number": "twaalf"}, "house_number", "Vul een huisnummer in met cijfers, zoals 12 of 12a"),
        ({"house_number_suffix": "<b>"}, "house_number_suffix", "Gebruik voor de toevoeging alleen letters en cijfers"),
        (
            {"postcode": "", "house_number": ""},
            "postcode",
            "Vul een postcode en huisnummer in, of beschrijf de plek",
        ),
        ({"postcode": ""}, "postcode", "Vul ook de postcode in, zoals 4531 AB"),
        ({"house_number": ""}, "house_number", "Vul ook het huisnummer in, of beschrijf de plek"),
        ({"reporter_phone": "12345"}, "reporter_phone", "Vul een geldig telefoonnummer in, zoals 06 12345678"),
        ({"reporter_email": "sanne@"}, "reporter_email", "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl"),
        (
            {"keep_informed": "y"},
            "reporter_email",
            "Vul uw e-mailadres in, dan kunnen wij u op de hoogte houden",
        ),
        ({"reporter_role": "police"}, "reporter_role", "Kies een van de mogelijkheden"),
    ],
)
def test_mistake_is_explained_next_to_the_field_and_in_the_summary(
    pages: PageClient, changes: dict, field: str, message: str
) -> None:
    page = submit(pages, **changes)
    anchor = f"#{field}-0" if field == "reporter_role" else f"#{field}"
    assert page.status_code == 200
    assert page.title.startswith("Fout: ")
    assert message in page.field_error(field)
    assert (anchor, message) in page.error_summary()
    assert page.soup.select_one(anchor) is not None
    assert signal_count() == 0


def test_every_typed_value_stays_after_an_error(pages: PageClient) -> None:
    typed = report_form(
        description="ok",
        postcode="4531ab",
        house_number="12",
        house_number_suffix="b",
        street="Markt",
        town="Terneuzen",
        place_description="Boven de bakker",
        observations=["curtains_closed", "no_visitors"],
        person_name="Mevrouw de Vries",
        age_band="85_plus",
        person_aware="yes",
        acute_danger="yes",
        reporter_name="Sanne",
        reporter_phone="06 12345678",
        reporter_email="sanne@example.nl",
        keep_informed="y",
    )
    page = pages.submit(pages.get("/melden"), typed)
    assert page.field_error("description")
    kept = page.form_values()
    assert kept["description"] == "ok"
    assert kept["postcode"] == "4531 AB"
    for name in ("street", "town", "place_description", "person_name", "reporter_name", "reporter_email"):
        assert kept[name] == typed[name], name
    assert kept["house_number_suffix"] == "B"
    assert sorted(kept["observations"]) == ["curtains_closed", "no_visitors"]
    assert kept["age_band"] == "85_plus"
    assert kept["person_aware"] == "yes"
    assert kept["acute_danger"] == "yes"
    assert kept["keep_informed"] == "y"
    assert kept["reporter_role"] == "courier"

    corrected = pages.submit(page, {"description": "Zij reageert al dagen niet op aanbellen."}, follow_redirects=True)
    assert "Uw melding is ontvangen" in corrected.text
    assert signal_count() == 1


def test_description_at_the_limits_is_accepted(pages: PageClient) -> None:
    assert (
        "Uw melding is ontvangen"
        in pages.submit(pages.get("/melden"), report_form(description="x" * 10), follow_redirects=True).text
    )
    assert (
        "Uw melding is ontvangen"
        in pages.submit(pages.get("/melden"), report_form(description="y" * 2000), follow_redirects=True).text
    )
    assert signal_count() == 2


def test_html_typed_into_fields_comes_back_escaped(pages: PageClient) -> None:
    payload = '<script>alert("x")</script>'
    page = submit(pages, description="kort", person_name=payload, place_description=payload, reporter_name=payload)
    html = page.response.get_data(as_text=True)
    assert payload not in html
    assert "&lt;script&gt;" in html
    assert page.form_values()["person_name"] == payload


def test_error_summary_is_absent_without_errors(pages: PageClient) -> None:
    page = pages.get("/melden")
    assert page.error_summary() == []
    assert not page.title.startswith("Fout")


def test_a_ticked_observation_makes_a_few_words_enough_but_a_description_alone_needs_ten(pages: PageClient) -> None:
    alone = pages.submit(pages.get("/melden"), report_form(description="Al weken"))
    assert alone.field_error("description") == "Fout: Gebruik voor de beschrijving 10 tot 2000 tekens"

    too_short = pages.submit(pages.get("/melden"), report_form(description="ok", observations=["curtains_closed"]))
    assert too_short.field_error("description") == "Fout: Gebruik voor de beschrijving 3 tot 2000 tekens"

    sent = pages.submit(
        pages.get("/melden"),
        report_form(description="Al weken", observations=["curtains_closed"]),
        follow_redirects=True,
    )
    assert "Uw melding is ontvangen" in sent.text
