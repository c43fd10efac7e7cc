"""A regional Signaalpunt: two municipal teams in one installation, signals routed by postcode, each team
keeping its own settings, areas and figures; transfers between teams; the region's own roles."""

import csv
import io

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import AuditEvent, User
from signaalpunt.core.clock import dutch_today
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Area, Organisation, Partner, PartnerContact
from signaalpunt.signals.models import Signal
from signaalpunt.signals.sla import first_contact_due
from tests.factories import PASSWORD, make_area, make_organisation, make_signal, make_user, organisation, report_form
from tests.pages import PageClient
from tests.staff import client_for, enrol_second_factor, login

TERNEUZEN_PHONE = "+31115000100"
GOEREE_PHONE = "+31187000100"


@pytest.fixture
def region(app: Flask) -> dict:
    """Terneuzen (the installation's first team, which receives what no area covers) and Goeree-Overflakkee,
    each with an area, a coordinator and a worker."""
    terneuzen = organisation()
    terneuzen.name, terneuzen.slug, terneuzen.phone = "Signaalpunt Terneuzen", "terneuzen", TERNEUZEN_PHONE
    goeree = make_organisation(phone=GOEREE_PHONE, sla_working_days=5, sla_urgent_working_days=2)
    centrum = make_area("Centrum", ((4531, 4532),))
    middelharnis = make_area("Middelharnis", ((3241, 3246),), team=goeree)
    return {
        "terneuzen": terneuzen,
        "goeree": goeree,
        "centrum": centrum,
        "middelharnis": middelharnis,
        "coordinator": make_user(Role.COORDINATOR, name="Fatima El Amrani"),
        "goeree_coordinator": make_user(Role.COORDINATOR, name="Kees Mijnders", team=goeree),
        "goeree_worker": make_user(Role.WORKER, name="Lotte Breeman", areas=(middelharnis,), team=goeree),
    }


def stored(reference: str) -> Signal:
    db.session.expire_all()
    return db.session.scalar(sa.select(Signal).where(Signal.reference == reference))


def report(pages: PageClient, **changes: str) -> tuple[Signal, str]:
    confirmation = pages.submit(pages.get("/melden"), report_form(**changes), follow_redirects=True)
    reference = confirmation.text_of("#reference")
    return stored(reference), confirmation.text


def test_a_report_goes_to_the_team_whose_area_has_its_postcode_and_names_it(
    app: Flask, region: dict, pages: PageClient
) -> None:
    signal, confirmation = report(pages, postcode="3241 AB", reporter_email="melder@example.nl")
    assert signal.organisation_id == region["goeree"].id
    assert signal.area_id == region["middelharnis"].id
    assert "Een coördinator van Signaalpunt Goeree-Overflakkee leest uw melding" in confirmation
    assert "binnen 5 werkdagen" in confirmation, "Goeree-Overflakkee's own deadline"
    assert f"Bel Signaalpunt Goeree-Overflakkee: {GOEREE_PHONE}" in confirmation
    assert signal.due_at == first_contact_due(signal.created_at, 5)
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.signal_id == signal.id))
    assert "Een coördinator van Signaalpunt Goeree-Overflakkee" in mail.body_text
    assert GOEREE_PHONE in mail.body_text


def test_an_urgent_report_gets_the_teams_urgent_deadline(app: Flask, region: dict, pages: PageClient) -> None:
    signal, confirmation = report(pages, postcode="3241 AB", acute_danger="yes")
    assert signal.due_at == first_contact_due(signal.created_at, 2)
    assert "binnen 2 werkdagen" in confirmation


def test_a_postcode_outside_every_area_goes_to_the_fallback_team_marked_outside(
    app: Flask, region: dict, pages: PageClient
) -> None:
    signal, confirmation = report(pages, postcode="4561 AB")
    assert signal.organisation_id == region["terneuzen"].id
    assert signal.outside_area
    assert "Signaalpunt Terneuzen" in confirmation
    board = client_for(app, region["coordinator"]).get("/werk/", query_string={"area": "outside"})
    row = board.soup.find("a", string=signal.reference).find_parent("tr")
    assert row.select_one('td[data-label="Werkgebied"]').get_text(strip=True) == "Buiten werkgebied"


def test_without_a_postcode_the_reporter_chooses_the_municipality(app: Flask, region: dict, pages: PageClient) -> None:
    form = pages.get("/melden")
    choices = [option.get_text(strip=True) for option in form.soup.select("#municipality option")]
    assert choices == ["Weet ik niet", "Signaalpunt Goeree-Overflakkee", "Signaalpunt Terneuzen"]
    place = {"postcode": "", "house_number": "", "place_description": "Klant van de bakker aan de Voorstraat"}
    chosen, _text = report(pages, municipality="goeree-overflakkee", **place)
    assert chosen.organisation_id == region["goeree"].id
    unknown, _text = report(pages, municipality="", **place)
    assert unknown.organisation_id == region["terneuzen"].id
    refused = pages.submit(pages.get("/melden"), report_form(municipality="atlantis", **place))
    assert refused.field_error("municipality") == "Fout: Kies een van de mogelijkheden"
    assert refused.form_values()["place_description"] == place["place_description"]


def test_one_team_alone_asks_no_municipality(app: Flask, pages: PageClient) -> None:
    assert not pages.get("/melden").soup.select("#municipality")


def test_phone_intake_routes_by_postcode_and_keeps_a_call_without_one(app: Flask, region: dict) -> None:
    coordinator = client_for(app, region["coordinator"])
    elsewhere = coordinator.submit(
        coordinator.get("/werk/telefonische-melding"), report_form(postcode="3245 AB"), follow_redirects=True
    )
    assert elsewhere.response.request.path == "/werk/", "another team's signal: back to the board"
    assert db.session.scalar(sa.select(Signal.organisation_id)) == region["goeree"].id
    here = coordinator.submit(
        coordinator.get("/werk/telefonische-melding"),
        report_form(postcode="", house_number="", place_description="Belt vanuit de bibliotheek"),
        follow_redirects=True,
    )
    assert "Belt vanuit de bibliotheek" in here.text, "taken by Terneuzen, stays with Terneuzen"


def test_a_postcode_can_lie_in_one_area_of_the_whole_region(app: Flask, region: dict) -> None:
    admin = client_for(app, make_user(Role.ADMIN))
    page = admin.get("/beheer/werkgebieden")
    refused = admin.submit(page, {"name": "Noord", "ranges": "4533-4535, 3246"})
    assert refused.field_error("ranges") == (
        "Fout: Een deel van deze postcodes hoort al bij werkgebied Middelharnis van Signaalpunt Goeree-Overflakkee. "
        "Een postcode kan maar in één werkgebied liggen."
    )
    assert refused.form_values()["ranges"] == "4533-4535, 3246"
    assert db.session.scalar(sa.select(sa.func.count(Area.id)).where(Area.name == "Noord")) == 0
    own = admin.submit(admin.get("/beheer/werkgebieden"), {"name": "Noord", "ranges": "4532-4535"})
    assert "hoort al bij werkgebied Centrum van Signaalpunt Terneuzen" in own.field_error("ranges")


def test_an_area_with_open_signals_cannot_be_removed(app: Flask, region: dict) -> None:
    signal = make_signal(postcode="4531 AB")
    admin = client_for(app, make_user(Role.ADMIN))
    page = admin.get(f"/beheer/werkgebieden/{region['centrum'].id}")
    refused = admin.submit(page, selector=f"form[action='/beheer/werkgebieden/{region['centrum'].id}/verwijderen']")
    assert refused.status_code == 422
    assert "Werkgebied Centrum heeft nog 1 open meldingen" in refused.text
    assert db.session.get(Area, region["centrum"].id) is not None
    db.session.execute(sa.update(Signal).where(Signal.id == signal.id).values(status="closed"))
    db.session.commit()
    done = admin.submit(
        admin.get(f"/beheer/werkgebieden/{region['centrum'].id}"),
        selector=f"form[action='/beheer/werkgebieden/{region['centrum'].id}/verwijderen']",
        follow_redirects=True,
    )
    assert "Werkgebied Centrum is verwijderd." in done.text
    assert stored(signal.reference).pc4 == "4531"


def test_the_region_administrator_adds_a_team_with_its_first_administrator(app: Flask) -> None:
    region_admin = client_for(app, make_user(Role.REGION_ADMIN))
    page = region_admin.get("/beheer/organisaties")
    without_admin = region_admin.submit(page, {"name": "Signaalpunt Hulst", "slug": "hulst"})
    assert (
        without_admin.field_error("admin_email") == "Fout: Een team heeft een beheerder nodig: vul het e-mailadres in"
    )
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 1
    done = region_admin.submit(
        region_admin.get("/beheer/organisaties"),
        {"name": "Signaalpunt Hulst", "slug": "hulst", "admin_name": "Hanna Hulst", "admin_email": "hanna@hulst.nl"},
        follow_redirects=True,
    )
    assert "Team Signaalpunt Hulst is aangemaakt" in done.text
    admin = db.session.scalar(sa.select(User).where(User.email == "hanna@hulst.nl"))
    assert admin.role == Role.ADMIN and admin.organisation.slug == "hulst"
    invitation = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == "hanna@hulst.nl"))
    assert "/wachtwoord-kiezen/" in invitation.body_text
    taken = region_admin.submit(
        region_admin.get("/beheer/organisaties"),
        {"name": "Nog een", "slug": "hulst", "admin_name": "X", "admin_email": "x@hulst.nl"},
    )
    assert taken.field_error("slug") == "Fout: Deze korte naam is al in gebruik."
    assert client_for(app, make_user(Role.ADMIN)).client.get("/beheer/organisaties").status_code == 403


def test_create_organisation_command(app: Flask, runner: FlaskCliRunner, pages: PageClient) -> None:
    result = runner.invoke(
        args=[
            "signaalpunt",
            "create-organisation",
            "--name",
            "Signaalpunt Hulst",
            "--slug",
            "hulst",
            "--admin-email",
            "hanna@hulst.nl",
            "--admin-name",
            "Hanna Hulst",
        ],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(sa.select(User).where(User.email == "hanna@hulst.nl"))
    assert admin.organisation.name == "Signaalpunt Hulst"
    twice = runner.invoke(
        args=["signaalpunt", "create-organisation", "--name", "X", "--slug", "hulst"],
        input=f"a@b.nl\nA\n{PASSWORD}\n{PASSWORD}\n",
    )
    assert twice.exit_code != 0 and "Deze korte naam is al in gebruik." in twice.output
    regional = runner.invoke(
        args=["signaalpunt", "create-user", "--email", "regio@example.nl", "--name", "R", "--role", "region_viewer"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert regional.exit_code == 0, regional.output
    assert db.session.scalar(sa.select(User).where(User.email == "regio@example.nl")).organisation_id is None
    ambiguous = runner.invoke(
        args=["signaalpunt", "create-user", "--email", "w@example.nl", "--name", "W", "--role", "worker"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert ambiguous.exit_code != 0 and "--organisation" in ambiguous.output


def test_a_team_administrator_keeps_the_teams_settings(app: Flask, region: dict) -> None:
    admin = client_for(app, make_user(Role.ADMIN, team=region["goeree"]))
    page = admin.get("/beheer/instellingen")
    assert page.form_values()["sla_working_days"] == "5"
    refused = admin.submit(page, {"sla_working_days": "2", "sla_urgent_working_days": "3"})
    assert refused.field_error("sla_urgent_working_days") == (
        "Fout: Een urgente melding kan niet langer wachten dan een gewone. Kies hoogstens 2."
    )
    admin.submit(
        admin.get("/beheer/instellingen"),
        {"phone": "0187 123456", "sla_working_days": "4", "retention_months": "18"},
        follow_redirects=True,
    )
    db.session.expire_all()
    goeree = db.session.get(Organisation, region["goeree"].id)
    assert (goeree.phone, goeree.sla_working_days, goeree.retention_months) == ("+31187123456", 4, 18)
    assert db.session.get(Organisation, region["terneuzen"].id).sla_working_days == 3, "the other team unchanged"


def searched(client: PageClient, words: str) -> set[str]:
    """The references the board's search finds among new signals."""
    page = client.get("/werk/", query_string={"q": words, "tab": "new"})
    return {link.get_text(strip=True) for link in page.soup.select("table th[scope='row'] a")}


def test_a_coordinator_transfers_a_signal_to_the_team_of_its_municipality(
    app: Flask, region: dict, pages: PageClient
) -> None:
    signal, _text = report(pages, postcode="4561 AB", description="Mevrouw Jansen komt niet meer buiten, al weken.")
    coordinator = client_for(app, region["coordinator"])
    assert signal.reference in searched(coordinator, "buiten")
    page = coordinator.get(f"/werk/meldingen/{signal.reference}")
    assert [o.get_text(strip=True) for o in page.soup.select("#transfer-organisation option")] == [
        "Signaalpunt Goeree-Overflakkee"
    ]
    form = f"form[action='/werk/meldingen/{signal.reference}/transfer']"
    without_reason = coordinator.submit(page, {"transfer-organisation": str(region["goeree"].id)}, selector=form)
    assert without_reason.field_error("transfer-reason") == "Fout: Schrijf waarom de melding naar een ander team gaat"
    done = coordinator.submit(
        page,
        {"transfer-organisation": str(region["goeree"].id), "transfer-reason": "Woont in Ouddorp, niet in Hulst"},
        selector=form,
        follow_redirects=True,
    )
    assert "De melding is overgedragen aan het andere team." in done.text
    assert done.response.request.path == "/werk/"
    assert coordinator.client.get(f"/werk/meldingen/{signal.reference}").status_code == 404, "gone at once"
    moved = stored(signal.reference)
    assert (moved.organisation_id, moved.status.value, moved.assignee_id) == (region["goeree"].id, "new", None)
    receiving = client_for(app, region["goeree_coordinator"])
    assert signal.reference in searched(receiving, "buiten"), "its words moved with it in the search index"
    assert signal.reference not in searched(coordinator, "buiten")
    timeline = receiving.get(f"/werk/meldingen/{signal.reference}").text_of(".timeline")
    assert "Overgedragen van Signaalpunt Terneuzen aan Signaalpunt Goeree-Overflakkee" in timeline
    assert "Woont in Ouddorp, niet in Hulst" in timeline
    mail = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == region["goeree_coordinator"].email)
    )
    assert signal.reference in mail.body_text
    for private in ("Jansen", "4561", "Ouddorp"):
        assert private not in mail.body_text + mail.body_html
    lookup = pages.submit(pages.get("/status"), {"reference": signal.reference})
    assert "Ontvangen" in lookup.text, "the reporter's reference keeps working"
    audited = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "signal.transfer", AuditEvent.object_key == signal.reference)
    )
    assert audited.actor_id == region["coordinator"].id, "the sending team's own record of it"


def test_signals_outside_every_area_are_offered_once_an_area_covers_them(
    app: Flask, region: dict, pages: PageClient
) -> None:
    outside, _text = report(pages, postcode="4539 AB")
    coordinator = client_for(app, region["coordinator"])
    assert "valt nu in een werkgebied" not in coordinator.get("/werk/").text
    admin = client_for(app, make_user(Role.ADMIN, team=region["goeree"]))
    admin.submit(admin.get("/beheer/werkgebieden"), {"name": "Tijdelijk", "ranges": "4539"})
    board = coordinator.get("/werk/")
    assert "1 melding buiten werkgebied valt nu in een werkgebied" in board.text
    coordinator.submit(board, selector="form[action='/werk/buiten-werkgebied']", follow_redirects=True)
    moved = stored(outside.reference)
    assert moved.organisation_id == region["goeree"].id
    assert moved.area.name == "Tijdelijk"


def test_a_partner_is_the_regions_and_each_team_sees_only_its_own_signals_of_it(
    app: Flask, region: dict, pages: PageClient
) -> None:
    db.session.add(Partner(name="Snelpakket", slug="snelpakket", kind="parcel_carrier"))
    db.session.commit()
    report(pages, postcode="4531 AB", partner="snelpakket")
    report(pages, postcode="3241 AB", partner="snelpakket")
    report(pages, postcode="3242 AB", partner="snelpakket")
    viewer = client_for(app, make_user(Role.VIEWER))
    assert viewer.get("/cijfers/").text_of("figure[aria-labelledby='partners-title'] table").count("Snelpakket 1") == 1
    goeree = client_for(app, make_user(Role.VIEWER, team=region["goeree"]))
    assert "Snelpakket 2" in goeree.get("/cijfers/").text_of("figure[aria-labelledby='partners-title'] table")
    coordinator = client_for(app, region["coordinator"])
    partner_id = db.session.scalar(sa.select(Partner.id))
    page = coordinator.get(f"/beheer/partners/{partner_id}")
    coordinator.submit(page, {"contact_name": "Depot Vlissingen", "contact_phone": "0118 123456"})
    other = client_for(app, region["goeree_coordinator"]).get(f"/beheer/partners/{partner_id}")
    assert "Depot Vlissingen" not in other.text
    assert db.session.scalar(sa.select(PartnerContact.organisation_id)) == region["terneuzen"].id
    # The partner's name and link are every team's: a team's page offers only its own contact person.
    own_page = coordinator.get(f"/beheer/partners/{partner_id}")
    assert not own_page.soup.select("#name") and not own_page.soup.select("#slug")
    coordinator.client.post(f"/beheer/partners/{partner_id}", data={**own_page.form_values(), "name": "Anders"})
    assert db.session.scalar(sa.select(Partner.name)) == "Snelpakket"


def test_the_region_viewer_sees_every_teams_figures_and_never_a_signal(
    app: Flask, region: dict, pages: PageClient
) -> None:
    first, _text = report(pages, postcode="4531 AB")
    report(pages, postcode="3241 AB")
    report(pages, postcode="3243 AB")
    viewer = client_for(app, make_user(Role.REGION_VIEWER))
    figures = viewer.get("/cijfers/")
    assert "Signaalpunt Goeree-Overflakkee 2" in figures.text_of("figure[aria-labelledby='teams-title'] table")
    assert "Signaalpunt Terneuzen 1" in figures.text_of("figure[aria-labelledby='teams-title'] table")
    one = viewer.get("/cijfers/", query_string={"team": region["goeree"].id})
    assert not one.soup.select("figure[aria-labelledby='teams-title']")
    today = dutch_today().isoformat()
    export = viewer.client.get("/cijfers/export.csv", query_string={"van": today, "tot": today})
    rows = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig"))))
    assert sorted(row[-1] for row in rows[1:]) == [
        "Signaalpunt Goeree-Overflakkee",
        "Signaalpunt Goeree-Overflakkee",
        "Signaalpunt Terneuzen",
    ]
    for url in ("/werk/", f"/werk/meldingen/{first.reference}", "/beheer/gebruikers", "/beheer/organisaties"):
        assert viewer.client.get(url).status_code == 403, url


def test_staff_log_in_to_their_own_home(app: Flask, region: dict) -> None:
    region_admin = make_user(Role.REGION_ADMIN)
    pages = PageClient(app.test_client())
    region_admin.totp_secret = None
    db.session.commit()
    _secret, _codes, landing = enrol_second_factor(pages, login(pages, region_admin))
    assert landing.text_of("h1") == "Teams in de regio"
