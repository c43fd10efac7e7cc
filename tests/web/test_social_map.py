"""The social map: a coordinator keeps her team's initiatives in the browser, and reads them in and out as a
spreadsheet that is checked row by row and stored only when every row is right."""

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from signaalpunt.accounts.enums import Role
from signaalpunt.core.clock import utcnow
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.socialmap.enums import InitiativeKind, SpokenLanguage, TargetGroup
from signaalpunt.socialmap.models import Initiative, InitiativeCheck
from signaalpunt.socialmap.spreadsheet import HEADERS
from tests.factories import make_organisation, make_user, organisation
from tests.pages import Page, PageClient
from tests.staff import client_for

ROW = {
    "naam": "Maatjesproject De Brug",
    "soort": "Maatjesproject",
    "aanbod": "Een vaste vrijwilliger die wekelijks op bezoek komt.",
    "postcodes": "4531-4533, 4538",
    "talen": "Nederlands, Arabisch",
    "doelgroepen": "Ouderen",
    "contactpersoon": "Anja de Wit",
    "e-mail": "info@debrug.example.nl",
    "telefoon": "0115 123 456",
    "website": "https://debrug.example.nl",
    "adres": "Kerkstraat 4 in Zierikzee",
    "warme overdracht": "ja",
    "netwerkpartner": "nee",
    "actief": "ja",
}


@pytest.fixture
def coordinator(app: Flask) -> PageClient:
    return client_for(app, make_user(Role.COORDINATOR))


def sheet(*rows: dict[str, str], delimiter: str = ";", headers: tuple[str, ...] = HEADERS) -> bytes:
    lines = [delimiter.join(headers)]
    lines += [delimiter.join(row.get(header, "") for header in headers) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def upload(pages: PageClient, data: bytes) -> Page:
    form = pages.get("/beheer/sociale-kaart/importeren")
    token = form.one("main form input[name=csrf_token]")["value"]
    return pages.post(
        "/beheer/sociale-kaart/importeren",
        {"csrf_token": token, "sheet": (io.BytesIO(data), "kaart.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def stored() -> list[Initiative]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Initiative).order_by(Initiative.name)))


def test_a_coordinator_adds_an_initiative_and_changes_it(coordinator: PageClient) -> None:
    page = coordinator.get("/beheer/sociale-kaart")
    added = coordinator.submit(
        page,
        {
            "name": "Taalcafé Terneuzen",
            "kind": "activities",
            "offer": "Elke dinsdag koffie en Nederlands oefenen.",
            "postcodes": "4531-4532",
            "languages": ["nl", "ar", "ti"],
            "target_groups": ["migrants"],
            "email": "taalcafe@example.nl",
            "warm_handover": "y",
            "active": "y",
        },
        selector="main form",
        follow_redirects=True,
    )
    assert "Taalcafé Terneuzen staat op de sociale kaart." in added.text
    assert "4531-4532" in added.text_of("table")
    [initiative] = stored()
    assert (initiative.kind, initiative.spoken, initiative.groups) == (
        InitiativeKind.ACTIVITIES,
        [SpokenLanguage.DUTCH, SpokenLanguage.ARABIC, SpokenLanguage.TIGRINYA],
        [TargetGroup.MIGRANTS],
    )
    assert [p.pc4 for p in initiative.postcodes] == [4531, 4532]

    edit = coordinator.get(f"/beheer/sociale-kaart/{initiative.id}")
    assert edit.form_values()["postcodes"] == "4531-4532"
    coordinator.submit(edit, {"whole_municipality": "y", "postcodes": ""}, follow_redirects=True)
    [changed] = stored()
    assert (changed.whole_municipality, changed.postcodes) == (True, [])


def test_a_warm_handover_needs_an_address_and_places_must_be_given(coordinator: PageClient) -> None:
    page = coordinator.get("/beheer/sociale-kaart")
    refused = coordinator.submit(
        page, {"name": "Schuldhulp Zeeland", "kind": "debt_help", "warm_handover": "y", "postcodes": "45x1"}
    )
    assert refused.status_code == 200
    assert refused.field_error("postcodes") == "Fout: ‘45x1’ is geen postcode of reeks, zoals 4531-4536 of 4538."
    assert refused.form_values()["name"] == "Schuldhulp Zeeland"
    refused = coordinator.submit(refused, {"postcodes": "4531"})
    assert refused.field_error("email") == (
        "Fout: Voor een warme overdracht is een e-mailadres nodig: daar gaat de overdracht heen."
    )
    assert stored() == []


def test_another_teams_initiative_answers_not_found(app: Flask, coordinator: PageClient) -> None:
    other = make_organisation()
    theirs = Initiative(
        organisation_id=other.id, name="Hun initiatief", kind=InitiativeKind.CLUB, whole_municipality=True
    )
    db.session.add(theirs)
    db.session.commit()
    assert coordinator.client.get(f"/beheer/sociale-kaart/{theirs.id}").status_code == 404
    assert "Hun initiatief" not in coordinator.get("/beheer/sociale-kaart").text
    assert "Hun initiatief" not in coordinator.client.get("/beheer/sociale-kaart/sociale-kaart.csv").text


def test_the_template_reads_back_in_and_the_export_matches_it(coordinator: PageClient) -> None:
    template = coordinator.client.get("/beheer/sociale-kaart/sjabloon.csv")
    assert template.headers["Content-Disposition"] == 'attachment; filename="sociale-kaart-sjabloon.csv"'
    assert template.data.startswith("\ufeff".encode())

    done = upload(coordinator, template.data)
    assert "1 initiatief ingelezen (waarvan 0 bijgewerkt)." in done.text
    [initiative] = stored()
    assert (initiative.name, initiative.warm_handover, initiative.ranges_text) == (
        "Maatjesproject De Brug",
        True,
        "4531-4536, 4538",
    )
    exported = coordinator.client.get("/beheer/sociale-kaart/sociale-kaart.csv").data
    assert exported == template.data, "what goes out reads back in unchanged"

    again = upload(coordinator, exported.replace(b"wekelijks", b"elke week"))
    assert "1 initiatief ingelezen (waarvan 1 bijgewerkt)." in again.text
    assert stored()[0].offer == "Een vaste vrijwilliger die elke week op bezoek komt."


def test_a_sheet_with_commas_and_another_order_of_columns_is_read(coordinator: PageClient) -> None:
    reordered = tuple(reversed(HEADERS))
    row = {**ROW, "aanbod": "Wekelijks bezoek", "postcodes": "hele gemeente", "talen": "Nederlands"}
    done = upload(coordinator, sheet(row, delimiter=",", headers=reordered))
    assert "1 initiatief ingelezen" in done.text
    assert stored()[0].whole_municipality


def test_a_wrong_sheet_is_reported_row_by_row_and_nothing_is_stored(coordinator: PageClient) -> None:
    rows = (
        ROW,
        {**ROW, "naam": "Zonder soort", "soort": "Knutselclub"},
        {**ROW, "naam": "Slecht adres", "e-mail": "info@", "postcodes": "4531-45"},
        {**ROW, "talen": "Klingon", "warme overdracht": "misschien"},
    )
    refused = upload(coordinator, sheet(*rows))

    assert refused.status_code == 422
    assert "Er is niets ingelezen." in refused.text_of("#error-summary")
    report = {
        row.th.get_text(strip=True): row.get_text(" ", strip=True)
        for row in refused.soup.select("#import-report tbody tr")
    }
    assert set(report) == {"3", "4", "5"}
    assert "soort: ‘Knutselclub’ ken ik niet." in report["3"]
    assert "Vul een geldig e-mailadres in" in report["4"] and "‘4531-45’ is geen postcode of reeks" in report["4"]
    assert "talen: ‘Klingon’ ken ik niet." in report["5"]
    assert "warme overdracht: vul ‘ja’ of ‘nee’ in." in report["5"]
    assert "naam: staat ook in rij 2." in report["5"]
    assert stored() == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("naam;soort\r\nÉén;Anders\r\n".encode("latin-1"), "Het bestand is geen UTF-8."),
        (b"naam;soort\r\nDe Brug;Maatjesproject\r\n", "Deze kolommen ontbreken: aanbod, postcodes"),
        (";".join(HEADERS).encode(), "Het bestand heeft geen rijen onder de kolomnamen."),
    ],
)
def test_a_file_that_is_not_the_template_says_why(coordinator: PageClient, data: bytes, message: str) -> None:
    refused = upload(coordinator, data)
    assert refused.status_code == 422
    assert refused.text_of("#file-problem").startswith(message)
    assert stored() == []


def test_workers_do_not_keep_the_map(app: Flask) -> None:
    worker = client_for(app, make_user(Role.WORKER))
    assert worker.client.get("/beheer/sociale-kaart").status_code == 403


def initiative_asked_half_a_year_ago(app: Flask, **fields: object) -> Initiative:
    team = organisation()
    team.phone, team.email = "0115 123 456", "signaalpunt@terneuzen.example.nl"
    initiative = Initiative(
        organisation_id=team.id,
        name="Maatjesproject De Brug",
        kind=InitiativeKind.BUDDY,
        whole_municipality=True,
        email="info@debrug.example.nl",
        contact_name="Anja de Wit",
        confirmed_at=utcnow() - timedelta(days=200),
        **fields,
    )
    db.session.add(initiative)
    db.session.commit()
    return initiative


def the_link(runner: FlaskCliRunner) -> str:
    result = runner.invoke(args=["signaalpunt", "ask-initiatives"])
    assert "Asked 1 initiatives to check their details." in result.output
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == "info@debrug.example.nl"))
    assert mail.subject == f"Kloppen uw gegevens op de sociale kaart van {organisation().name}?"
    assert mail.body_text.startswith("Beste Anja de Wit,")
    link = next(word for word in mail.body_text.split() if "/initiatief/" in word)
    return link.removeprefix("https://signaalpunt.example.nl")


def test_an_initiative_confirms_its_details_through_its_link_once(
    app: Flask, runner: FlaskCliRunner, pages: PageClient
) -> None:
    initiative = initiative_asked_half_a_year_ago(app)
    link = the_link(runner)
    assert "Asked 0 initiatives" in runner.invoke(args=["signaalpunt", "ask-initiatives"]).output, "asked once"

    page = pages.get(link)
    assert page.text_of("h1") == "Kloppen uw gegevens nog?"
    done = pages.submit(page, {"answer": "confirm"})
    assert done.text_of("h1") == "Dank u wel"
    db.session.expire_all()
    assert utcnow() - db.session.get(Initiative, initiative.id).confirmed_at < timedelta(minutes=1)

    used = pages.get(link)
    assert used.status_code == 404
    assert used.text_of("#link-gone") == "De link is al gebruikt of verlopen."
    assert "0115 123 456" in used.text and "signaalpunt@terneuzen.example.nl" in used.text


def test_an_initiative_corrects_its_details_and_a_mistake_keeps_what_it_typed(
    app: Flask, runner: FlaskCliRunner, pages: PageClient
) -> None:
    initiative = initiative_asked_half_a_year_ago(app)
    page = pages.get(the_link(runner))

    refused = pages.submit(page, {"answer": "correct", "email": "", "warm_handover": "y", "phone": "0115 999 999"})
    assert refused.field_error("email") == (
        "Fout: Voor een warme overdracht is een e-mailadres nodig: daar gaat de overdracht heen."
    )
    assert refused.form_values()["phone"] == "0115 999 999"

    done = pages.submit(refused, {"answer": "correct", "email": "nieuw@debrug.example.nl"})
    assert done.text_of("h1") == "Dank u wel"
    db.session.expire_all()
    corrected = db.session.get(Initiative, initiative.id)
    assert (corrected.email, corrected.phone, corrected.warm_handover) == (
        "nieuw@debrug.example.nl",
        "0115 999 999",
        True,
    )


def test_an_expired_or_made_up_link_says_so(app: Flask, runner: FlaskCliRunner, pages: PageClient) -> None:
    initiative_asked_half_a_year_ago(app)
    link = the_link(runner)
    db.session.execute(sa.update(InitiativeCheck).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert pages.get(link).status_code == 404
    made_up = pages.get("/initiatief/bestaat-niet")
    assert made_up.status_code == 404
    assert "Neem contact op met het Signaalpunt van uw gemeente." in made_up.text


def test_an_initiative_that_does_not_answer_is_marked_stale_on_the_map(app: Flask, coordinator: PageClient) -> None:
    initiative_asked_half_a_year_ago(app, active=True)
    fresh = Initiative(
        organisation_id=organisation().id, name="Taalcafé", kind=InitiativeKind.ACTIVITIES, whole_municipality=True
    )
    db.session.add(fresh)
    db.session.execute(
        sa.update(Initiative)
        .where(Initiative.name.like("Maatjes%"))
        .values(confirmed_at=utcnow() - timedelta(days=220))
    )
    db.session.commit()
    rows = {
        row.th.get_text(strip=True): row.get_text(" ", strip=True)
        for row in coordinator.get("/beheer/sociale-kaart").soup.select("tbody tr")
    }
    assert "Niet bevestigd sinds" in rows["Maatjesproject De Brug"]
    assert "Niet bevestigd" not in rows["Taalcafé"]


def test_what_an_initiative_typed_never_runs_as_a_formula_and_still_reads_back(coordinator: PageClient) -> None:
    upload(coordinator, sheet({**ROW, "naam": '=HYPERLINK("http://x")', "telefoon": "+31 115 123 456"}))
    exported = coordinator.client.get("/beheer/sociale-kaart/sociale-kaart.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in exported and "'+31 115 123 456" in exported
    again = upload(coordinator, exported.encode())
    assert "(waarvan 1 bijgewerkt)" in again.text
    assert [(i.name, i.phone) for i in stored()] == [('=HYPERLINK("http://x")', "+31 115 123 456")]
