"""The report form as a courier on a phone meets it."""

import re

import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Partner
from signaalpunt.signals.enums import AgeBand, Observation, PersonAwareness, ReporterRole, SignalStatus
from signaalpunt.signals.models import Signal
from tests.factories import PASSWORD, make_user, report_form
from tests.pages import PageClient

REFERENCE = re.compile(r"SP-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")


def signals() -> list[Signal]:
    return list(db.session.scalars(sa.select(Signal)))


def add_partner(slug: str, name: str, active: bool = True) -> Partner:
    partner = Partner(name=name, slug=slug, kind="parcel_carrier", active=active)
    db.session.add(partner)
    db.session.commit()
    return partner


def test_form_shows_every_question_in_dutch(pages: PageClient) -> None:
    page = pages.get("/melden")
    assert page.status_code == 200
    assert page.title == "Zorg om iemand melden – Signaalpunt tegen Eenzaamheid"
    for text in [
        "Wie bent u?",
        "Pakketbezorger of koerier",
        "Postcode",
        "Huisnummer",
        "Weet u het adres niet? Beschrijf waar de persoon te vinden is",
        "Post of kranten stapelen zich op",
        "Gordijnen blijven dicht",
        "Beschrijf wat u zag of hoorde",
        "Feiten zijn genoeg; medische details zijn niet nodig.",
        "Naam van de persoon (niet verplicht)",
        "Weet de persoon dat u dit meldt?",
        "Is iemand nu in gevaar? Bel dan eerst 112.",
        "Zonder contactgegevens kunnen wij u niet laten weten dat uw melding is opgepakt",
        "Laat mij per e-mail weten wanneer mijn melding is opgepakt en afgerond",
        "Dit kan alleen als u uw e-mailadres invult.",
        "Melding versturen",
    ]:
        assert text in page.text, text
    assert page.one("main a[href='/privacy']").get_text(strip=True) == "Lees de privacyverklaring"


def test_form_uses_input_types_for_phones(pages: PageClient) -> None:
    page = pages.get("/melden")
    assert page.one("form")["novalidate"] is not None
    assert page.one("#house_number")["inputmode"] == "numeric"
    assert page.one("#reporter_phone")["type"] == "tel"
    assert page.one("#reporter_phone")["autocomplete"] == "tel"
    assert page.one("#reporter_email")["type"] == "email"
    assert page.one("#reporter_email")["autocomplete"] == "email"
    assert page.one("#reporter_name")["autocomplete"] == "name"
    # The person's address is not the reporter's own: the browser must not fill it in from the reporter's profile.
    for field in ("postcode", "house_number", "street", "town", "person_name"):
        assert page.one(f"#{field}")["autocomplete"] == "off"
    for label in page.soup.select("label[for]"):
        assert page.soup.find(id=label["for"]) is not None, label["for"]


def test_every_choice_comes_from_the_model_enums(pages: PageClient) -> None:
    page = pages.get("/melden")
    offered = [i["value"] for i in page.soup.select("input[name=reporter_role]")]
    assert offered == [r.value for r in ReporterRole.about_someone_else()]
    assert ReporterRole.SELF.value not in offered, "people who report themselves have a form of their own"
    assert [i["value"] for i in page.soup.select("input[name=observations]")] == [o.value for o in Observation]
    assert [o["value"] for o in page.soup.select("#age_band option")] == ["", *(a.value for a in AgeBand)]
    assert [i["value"] for i in page.soup.select("input[name=person_aware]")] == [p.value for p in PersonAwareness]


def test_quick_report_gives_a_reference_and_stores_the_signal(pages: PageClient) -> None:
    form = pages.get("/melden")
    confirmation = pages.submit(form, report_form(postcode="4531ab"), follow_redirects=True)

    assert confirmation.response.request.path == "/melden/ontvangen"
    assert "Uw melding is ontvangen" in confirmation.text
    reference = confirmation.text_of("#reference")
    assert REFERENCE.fullmatch(reference)
    assert "binnen 3 werkdagen" in confirmation.text
    status_link = confirmation.one(f"main a[href='/status?referentie={reference}']")
    assert status_link.get_text(strip=True) == "status van een melding bekijken"

    [signal] = signals()
    assert signal.reference == reference
    assert signal.status == SignalStatus.NEW
    assert signal.postcode == "4531 AB"
    assert signal.pc4 == "4531"
    assert signal.house_number == 12
    assert signal.urgent is False
    assert signal.reporter_role == ReporterRole.COURIER
    assert [event.kind.value for event in signal.events] == ["reported"]


def test_full_report_keeps_every_answer(pages: PageClient) -> None:
    add_partner("snelpakket", "Snelpakket")
    form = pages.get("/melden")
    pages.submit(
        form,
        report_form(
            partner="snelpakket",
            house_number="12a",
            street="Markt",
            town="Terneuzen",
            observations=["post_piling_up", "curtains_closed"],
            person_name="Mevrouw de Vries",
            age_band="75_84",
            person_aware="no",
            reporter_name="Sanne Bakker",
            reporter_phone="06 12345678",
            reporter_email="sanne@example.nl",
            keep_informed="y",
        ),
    )
    [signal] = signals()
    assert signal.partner.slug == "snelpakket"
    assert (signal.house_number, signal.house_number_suffix) == (12, "A")
    assert (signal.street, signal.town) == ("Markt", "Terneuzen")
    assert {o.observation for o in signal.observations} == {Observation.POST_PILING_UP, Observation.CURTAINS_CLOSED}
    assert signal.person_name == "Mevrouw de Vries"
    assert signal.age_band == AgeBand.FROM_75
    assert signal.person_aware == PersonAwareness.NO
    assert signal.reporter_phone == "+31612345678"
    assert signal.reporter_email == "sanne@example.nl"
    assert signal.keep_informed is True


def test_place_description_replaces_an_unknown_address(pages: PageClient) -> None:
    form = pages.get("/melden")
    confirmation = pages.submit(
        form,
        report_form(postcode="", house_number="", place_description="Klant van de supermarkt op de Markt"),
        follow_redirects=True,
    )
    assert "Uw melding is ontvangen" in confirmation.text
    [signal] = signals()
    assert signal.postcode is None
    assert signal.place_description == "Klant van de supermarkt op de Markt"


def test_acute_danger_marks_the_signal_urgent_and_says_call_112(pages: PageClient) -> None:
    form = pages.get("/melden")
    confirmation = pages.submit(form, report_form(acute_danger="yes"), follow_redirects=True)
    assert "Bel 112 als u dat nog niet heeft gedaan." in confirmation.text
    [signal] = signals()
    assert signal.urgent is True


def test_partner_link_preselects_the_partner(pages: PageClient) -> None:
    add_partner("snelpakket", "Snelpakket")
    page = pages.get("/melden?via=snelpakket")
    assert page.one("#partner option[selected]")["value"] == "snelpakket"


def test_unknown_or_inactive_partner_link_is_ignored_quietly(pages: PageClient) -> None:
    add_partner("oud", "Oude partner", active=False)
    for via in ("bestaat-niet", "oud", "<script>"):
        page = pages.get(f"/melden?via={via}")
        assert page.status_code == 200
        assert page.form_values()["partner"] == ""
        assert "Oude partner" not in page.text


def test_every_form_answers_see_other_so_back_never_resends_it(app: Flask, pages: PageClient) -> None:
    """A 302 after a POST lets some browsers offer "send the form again" on Back; 303 never does."""
    sent = pages.client.post("/melden", data={**pages.get("/melden").form_values(), **report_form()})
    assert (sent.status_code, sent.headers["Location"]) == (303, "/melden/ontvangen")
    coordinator = make_user(Role.COORDINATOR)
    login_page = pages.get("/inloggen")
    logged_in = pages.client.post(
        "/inloggen", data={**login_page.form_values("main form"), "email": coordinator.email, "password": PASSWORD}
    )
    assert logged_in.status_code == 303
