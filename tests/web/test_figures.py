"""Figures against a hand-built set of signals with known answers; the CSV; who sees what."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.core.cells import neutralise
from signaalpunt.core.clock import dutch_today, utcnow
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Partner
from signaalpunt.signals.enums import Observation, Outcome, ReporterRole, SignalStatus
from signaalpunt.signals.figures import Period, compute_figures, open_caseload, period_sums
from signaalpunt.signals.models import Signal
from tests.factories import make_area, make_organisation, make_signal, make_user, organisation
from tests.staff import client_for

MONDAY = datetime(2026, 11, 2, 10, 0)
PERIOD = Period(date(2026, 10, 26), date(2026, 11, 15))


def place(signal: Signal, created: datetime, contact_after: float | None, **fields: object) -> None:
    signal.created_at = created
    signal.due_at = created + timedelta(hours=24)
    signal.first_contact_at = created + timedelta(hours=contact_after) if contact_after is not None else None
    for key, value in fields.items():
        setattr(signal, key, value)


@pytest.fixture
def known(app: Flask) -> dict:
    """Five signals in the period and one outside it, with hand-computed answers."""
    centrum = make_area("Centrum", ((4531, 4532),))
    partner = Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier")
    db.session.add(partner)
    db.session.commit()
    worker = make_user(Role.WORKER, name="Sanne de Vries")
    a = make_signal(
        postcode="4531 AB",
        reporter_role=ReporterRole.COURIER,
        partner_slug="snelpakket",
        person_name="Mevrouw Geheim",
        street="Geheimstraat",
        reporter_email="melder@example.nl",
        observations=(Observation.POST_PILING_UP, Observation.CURTAINS_CLOSED),
    )
    b = make_signal(postcode="4531 AB", reporter_role=ReporterRole.COURIER)
    c = make_signal(postcode="9999 ZZ", reporter_role=ReporterRole.NEIGHBOUR)
    d = make_signal(postcode="4532 CD", reporter_role=ReporterRole.BUSINESS)
    e = make_signal(postcode="4532 CD", reporter_role=ReporterRole.NEIGHBOUR)
    outside = make_signal(postcode="4531 AB")
    place(
        a,
        MONDAY,
        2,
        status=SignalStatus.CLOSED,
        outcome=Outcome.REFERRED,
        closed_at=MONDAY + timedelta(days=3),
        assignee_id=worker.id,
        referral_target="buddy",
    )
    place(b, MONDAY + timedelta(days=1), 10, status=SignalStatus.IN_PROGRESS, assignee_id=worker.id)
    place(
        c,
        MONDAY + timedelta(days=7),
        30,
        status=SignalStatus.CLOSED,
        outcome=Outcome.DECLINED,
        closed_at=MONDAY + timedelta(days=9),
        assignee_id=worker.id,
    )
    place(d, MONDAY + timedelta(days=8), None, status=SignalStatus.NEW)
    place(e, MONDAY + timedelta(days=8), None, status=SignalStatus.NOT_PURSUED, rejection_reason="spam")
    place(outside, MONDAY - timedelta(days=30), 1)
    db.session.commit()
    return {"area": centrum, "a": a, "worker": worker}


def test_figures_match_the_hand_computed_answers(known: dict) -> None:
    figures = compute_figures(period_sums((organisation().id,), PERIOD, None), utcnow(), with_staff=True)
    assert figures.total == 5
    assert figures.per_week == [(date(2026, 10, 26), 0), (date(2026, 11, 2), 2), (date(2026, 11, 9), 3)]
    assert dict(figures.by_role) == {
        "Pakketbezorger of koerier": 2,
        "Buurtbewoner, kennis of familie": 2,
        "Winkel of bedrijf": 1,
    }
    assert dict(figures.by_partner) == {"Snelpakket": 1, "": 4}
    assert dict(figures.by_area) == {"Centrum": 4, "": 1}
    assert dict(figures.by_outcome) == {"Doorverwezen": 1, "Wil geen hulp": 1}
    assert figures.median_hours_to_contact == pytest.approx(10, abs=0.01)
    assert figures.p90_hours_to_contact == pytest.approx(26, abs=0.01)
    # a (2 h) and b (10 h) in time; c (30 h) late; d overdue without contact; e rejected, not counted.
    assert (figures.within_sla, figures.sla_decided) == (2, 4)
    assert figures.sla_share == 0.5
    assert figures.caseload == [("Sanne de Vries", 1)]


def test_open_caseload_counts_each_workers_open_signals_of_this_team_largest_first(app: Flask) -> None:
    sanne, bram = make_user(Role.WORKER, name="Sanne de Vries"), make_user(Role.WORKER, name="Bram Bakker")
    other_team = make_organisation()
    for assignee, status in (
        (sanne, SignalStatus.ASSIGNED),
        (bram, SignalStatus.ASSIGNED),
        (bram, SignalStatus.IN_PROGRESS),
        (bram, SignalStatus.CLOSED),
        (sanne, SignalStatus.NOT_PURSUED),
    ):
        signal = make_signal()
        signal.assignee_id, signal.status = assignee.id, status
    elsewhere = make_signal()
    elsewhere.organisation_id, elsewhere.assignee_id, elsewhere.status = other_team.id, sanne.id, SignalStatus.ASSIGNED
    make_signal()
    db.session.commit()
    assert open_caseload(organisation().id) == [("Bram Bakker", 2), ("Sanne de Vries", 1)]


def test_area_filter(known: dict) -> None:
    figures = compute_figures(period_sums((organisation().id,), PERIOD, known["area"].id), utcnow(), with_staff=False)
    assert figures.total == 4
    assert figures.caseload == []


def test_figures_page_shows_charts_with_tables(known: dict, app: Flask) -> None:
    coordinator = client_for(app, make_user(Role.COORDINATOR))
    page = coordinator.get("/cijfers/", query_string={"van": "2026-10-26", "tot": "2026-11-15"})
    assert page.text_of("#figure-total") == "5"
    assert page.text_of("#figure-median") == "10 uur"
    assert page.text_of("#figure-p90") == "26 uur"
    assert page.text_of("#figure-sla").startswith("50%")
    assert len(page.soup.select("figure.chart svg")) == 6
    assert len(page.soup.select("figure.chart table")) == 8, "six charts, and referrals by initiative and by kind"
    roles = page.soup.find(id="roles-title").find_parent("figure")
    assert ["Pakketbezorger of koerier", "2"] in [
        [c.get_text(strip=True) for c in tr.select("th, td")] for tr in roles.select("tbody tr")
    ]
    assert "Sanne de Vries" in page.text


@pytest.mark.parametrize(
    ("stored", "monday"),
    [
        # 00:30 in Amsterdam on a Monday in winter (UTC+1) and in summer (UTC+2): stored on the Sunday, in UTC.
        (datetime(2026, 11, 22, 23, 30), "2026-11-23"),
        (datetime(2026, 6, 28, 22, 30), "2026-06-29"),
    ],
)
def test_a_report_made_just_after_midnight_counts_on_that_dutch_day(app: Flask, stored: datetime, monday: str) -> None:
    signal = make_signal(postcode="4531 AB")
    signal.created_at = stored
    db.session.commit()
    viewer = client_for(app, make_user(Role.VIEWER))
    sunday = (date.fromisoformat(monday) - timedelta(days=1)).isoformat()
    assert viewer.get("/cijfers/", query_string={"van": monday, "tot": monday}).text_of("#figure-total") == "1"
    assert viewer.get("/cijfers/", query_string={"van": sunday, "tot": sunday}).text_of("#figure-total") == "0"
    export = viewer.client.get("/cijfers/export.csv", query_string={"van": monday, "tot": monday})
    rows = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == [monday]


def test_viewer_and_report_show_no_staff_names(known: dict, app: Flask) -> None:
    viewer = client_for(app, make_user(Role.VIEWER))
    for url in ("/cijfers/", "/cijfers/rapport"):
        page = viewer.get(url, query_string={"van": "2026-10-26", "tot": "2026-11-15"})
        assert page.text_of("#figure-total") == "5"
        assert "Sanne" not in page.text
        assert known["a"].reference not in page.text


def test_csv_export_is_anonymous_and_excel_friendly(known: dict, app: Flask) -> None:
    viewer = client_for(app, make_user(Role.VIEWER))
    response = viewer.client.get("/cijfers/export.csv", query_string={"van": "2026-10-26", "tot": "2026-11-15"})
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="signaalpunt-2026-10-26-2026-11-15.csv"' in response.headers["Content-Disposition"]
    raw = response.data
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "pc4",
        "gemeld_op",
        "eerste_contact_op",
        "afgerond_op",
        "status",
        "melder",
        "partner",
        "werkgebied",
        "signalen",
        "uitkomst",
        "doorverwezen_naar",
        "soort_initiatief",
        "team",
    ]
    assert len(rows) == 6
    first = rows[1]
    assert first == [
        "4531",
        "2026-11-02",
        "2026-11-02",
        "2026-11-05",
        "Afgerond",
        "Pakketbezorger of koerier",
        "Snelpakket",
        "Centrum",
        "Gordijnen blijven dicht|Post of kranten stapelen zich op",
        "Doorverwezen",
        "Maatje of buddy",
        "",
        "Signaalpunt",
    ]
    for secret in ("Geheim", "melder@example.nl", "AB", " 12", known["a"].reference, known["a"].description):
        assert secret not in text

    semicolon = viewer.client.get(
        "/cijfers/export.csv", query_string={"van": "2026-10-26", "tot": "2026-11-15", "scheiding": "puntkomma"}
    )
    assert semicolon.data.decode("utf-8-sig").splitlines()[0].startswith('"pc4";"gemeld_op";')


def test_csv_cells_that_look_like_formulas_are_neutralised(app: Flask) -> None:
    for cell in ("=1+1", "+31", "-2", "@SUM(A1)", "\tx"):
        assert neutralise(cell).startswith("'")
    assert neutralise("Snelpakket") == "Snelpakket"
    assert neutralise("Bakker;=1+1,x") == "Bakker;'=1+1,x"
    assert neutralise('Bakker, "@SUM(A1)"') == 'Bakker, "\'@SUM(A1)"'
    partner = Partner(name='=HYPERLINK("http://evil")', slug="evil", kind="other")
    db.session.add(partner)
    db.session.commit()
    make_signal(partner_slug="evil")
    viewer = client_for(app, make_user(Role.VIEWER))
    text = viewer.client.get("/cijfers/export.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_cell_holding_the_other_delimiter_never_becomes_a_formula_cell(app: Flask, delimiter: str) -> None:
    for slug, name in (("semi", "Bakker;=1+1;x"), ("comma", "Bakker,=1+1,x")):
        db.session.add(Partner(name=name, slug=slug, kind="other"))
        db.session.commit()
        make_signal(partner_slug=slug)
    viewer = client_for(app, make_user(Role.VIEWER))
    query = {"scheiding": "puntkomma"} if delimiter == ";" else {}
    text = viewer.client.get("/cijfers/export.csv", query_string=query).data.decode("utf-8-sig")
    for spreadsheet_delimiter in (",", ";"):
        # However the spreadsheet splits the file, no cell starts with a formula.
        for row in csv.reader(io.StringIO(text), delimiter=spreadsheet_delimiter):
            assert not any(cell.lstrip('" ').startswith(("=", "+", "-", "@")) for cell in row), row


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"van": "0002-01-01", "tot": "9998-12-31"}, "van", "Kies een datum vanaf 1 januari 2000"),
        ({"van": "2020-01-01", "tot": "2026-01-01"}, "tot", "Kies een periode van hoogstens 5 jaar"),
        ({"van": "2026-13-45"}, "van", "Vul een datum in, zoals 2026-01-31"),
    ],
)
def test_a_period_out_of_bounds_is_refused_with_a_clear_message(
    app: Flask, query: dict, field: str, message: str
) -> None:
    viewer = client_for(app, make_user(Role.VIEWER))
    page = viewer.get("/cijfers/", query_string=query)
    assert page.status_code == 200
    assert page.field_error(field) == f"Fout: {message}"
    assert page.one(f"#{field}")["value"] == query[field], "what was typed stays"
    assert page.title.startswith("Fout")
    export = viewer.get("/cijfers/export.csv", query_string=query)
    assert export.status_code == 400
    assert message in export.text


def test_five_years_can_be_exported_whole(app: Flask) -> None:
    make_signal()
    viewer = client_for(app, make_user(Role.VIEWER))
    today = dutch_today()
    query = {"van": (today - timedelta(days=365 * 5 - 30)).isoformat(), "tot": today.isoformat()}
    response = viewer.client.get("/cijfers/export.csv", query_string=query)
    assert response.status_code == 200
    assert len(response.data.decode("utf-8-sig").splitlines()) == 2
