"""The social map: a coordinator keeps her team's initiatives in the browser, and reads them in and out as a
spreadsheet that is checked row by row and stored only when every row is right."""

import io

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.extensions import db
from signaalpunt.socialmap.enums import InitiativeKind, SpokenLanguage, TargetGroup
from signaalpunt.socialmap.models import Initiative
from signaalpunt.socialmap.spreadsheet import HEADERS
from tests.factories import make_organisation, make_user
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
    "warme overdracht": "ja",
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
