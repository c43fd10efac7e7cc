"""The good-neighbour network: an anonymised call through the map's network partners, volunteers who sign up on
a public form, the nearest picked, and the address only for them and only after the person agreed."""

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm.attributes import set_committed_value

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import AuditEvent
from signaalpunt.core.clock import dutch_today, utcnow
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.neighbours.enums import Availability
from signaalpunt.neighbours.figures import network_figures
from signaalpunt.neighbours.models import NeighbourCall, PostcodeCentroid, VolunteerSignup
from signaalpunt.neighbours.retention import forget_volunteers
from signaalpunt.neighbours.signups import SignupDetails, invite_for, sign_up
from signaalpunt.signals.figures import Period, period_sums
from signaalpunt.signals.models import Signal
from signaalpunt.signals.retention import anonymise
from signaalpunt.socialmap.enums import InitiativeKind, SpokenLanguage
from signaalpunt.socialmap.service import InitiativeDetails, save_initiative
from tests.factories import make_area, make_signal, make_user
from tests.pages import Page, PageClient
from tests.staff import client_for
from tests.web.test_casework import act

FIXTURES = Path(__file__).parent.parent / "fixtures"
PERSON = ("Jansen", "Dorpsstraat", "4531 AB", "4531AB")
CALL = "Een vrouw in deze buurt zou graag eens per week iemand op de koffie krijgen, of samen een rondje lopen."


def partner(team_id: int, name: str, postcodes: str, kind: InitiativeKind = InitiativeKind.FAITH) -> None:
    details = InitiativeDetails(
        name=name, kind=kind, postcodes=postcodes, network_partner=True, email=f"{name.split()[0].lower()}@example.nl"
    )
    save_initiative(team_id, None, details)
    db.session.commit()


@pytest.fixture
def team(app: Flask) -> dict:
    area = make_area("Centrum", ((4531, 4540),))
    area.organisation.phone = "0115 000 111"
    partner(area.organisation_id, "Kerk De Ark", "4531")
    partner(area.organisation_id, "Voetbalclub Zeeuwse Boys", "4534", InitiativeKind.CLUB)
    sanne = make_user(Role.WORKER, name="Sanne de Vries", areas=(area,), email="sanne@example.nl")
    coordinator = make_user(Role.COORDINATOR)
    signal = make_signal(person_name="Mevrouw Jansen", street="Dorpsstraat", house_number=7, postcode="4531 AB")
    act(client_for(app, coordinator), signal, "assign", {"assignee": str(sanne.id)})
    worker = client_for(app, sanne)
    act(worker, signal, "contact_attempt", {"method": "home_visit", "reached": "yes"})
    return {"app": app, "signal": signal, "sanne": worker, "coordinator": coordinator}


def agreed(team: dict) -> None:
    act(team["sanne"], team["signal"], "record_consent", {"kinds": "volunteers", "method": "in_person"})


def write_call(team: dict, text: str = CALL, **changes: str) -> Page:
    reference = team["signal"].reference
    page = team["sanne"].get(f"/werk/meldingen/{reference}/burenoproep")
    values = {"text": text, "kinds": ["coffee", "walk"], "wanted": "2", **changes}
    return team["sanne"].submit(page, values, follow_redirects=True)


def call_mails() -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.subject.startswith("Burenoproep"))))


def sign_up_link(address: str) -> str:
    mail = next(m for m in call_mails() if m.recipient == address)
    return next(word for word in mail.body_text.split() if "/buren/" in word).removeprefix(
        "https://signaalpunt.example.nl"
    )


def volunteer(pages: PageClient, link: str, **values: str) -> Page:
    form = {
        "name": "Piet Bakker",
        "postcode": "4531 AC",
        "house_number": "3",
        "email": "piet@example.nl",
        "availability": "weekday_morning",
        "languages": "nl",
        "consent": "y",
        **values,
    }
    return pages.submit(pages.get(link), form, follow_redirects=True)


def test_a_call_needs_consent_and_refuses_a_text_that_points_to_the_person(team: dict) -> None:
    page = team["sanne"].get(f"/werk/meldingen/{team['signal'].reference}")
    assert "Een burenoproep kan zodra de persoon ermee instemt" in page.text_of("#neighbours-heading + p")
    refused = write_call(team)
    assert "Leg eerst vast dat de persoon benaderd wil worden door vrijwilligers" in refused.text
    agreed(team)
    for leak, message in (
        ("Mevrouw Jansen zoekt iemand voor een kopje koffie en een praatje.", "noemt de naam"),
        ("Iemand aan de dorpsstraat zoekt gezelschap voor een kopje koffie.", "noemt de straat"),
        ("Iemand op 4531AB zoekt gezelschap voor een kopje koffie en een praatje.", "volledige postcode"),
    ):
        page = write_call(team, leak)
        assert page.status_code == 422 and message in page.field_error("text"), leak
        assert page.form_values()["text"] == leak, "what was typed stays, to be changed"
    assert call_mails() == [], "nothing was sent"


def test_the_call_goes_anonymised_to_the_partners_of_the_area_and_further_on_request(team: dict) -> None:
    agreed(team)
    page = write_call(team)
    assert "De oproep is verstuurd aan 1 netwerkpartner." in page.text
    [mail] = call_mails()
    assert mail.recipient == "kerk@example.nl" and CALL in mail.body_text and "4531" in mail.body_text
    page = team["sanne"].submit(page, selector="form[action$='/verder']", follow_redirects=True)
    assert "ook verstuurd aan 1 netwerkpartner verderop" in page.text
    assert {m.recipient for m in call_mails()} == {"kerk@example.nl", "voetbalclub@example.nl"}
    for message in call_mails():
        for secret in (*PERSON, " 7"):
            assert secret not in f"{message.subject} {message.body_text} {message.body_html}", secret
    assert "call.send" in set(db.session.scalars(sa.select(AuditEvent.action)))


def test_volunteers_sign_up_on_a_public_form_that_keeps_everything_and_merges_repeats(
    team: dict, pages: PageClient
) -> None:
    agreed(team)
    write_call(team)
    link = sign_up_link("kerk@example.nl")
    form = pages.get(link)
    assert CALL in form.text_of("#call-text") and "Jansen" not in form.text and "Dorpsstraat" not in form.text
    refused = volunteer(pages, link, email="", consent="", postcode="12")
    assert refused.status_code == 422
    assert refused.field_error("phone") == "Fout: Vul een telefoonnummer of e-mailadres in, zodat wij u bereiken"
    assert refused.field_error("consent") == "Fout: Zonder uw toestemming kunnen wij uw aanmelding niet bewaren"
    assert refused.form_values()["name"] == "Piet Bakker" and refused.form_values()["postcode"] == "12"
    assert db.session.scalar(sa.select(sa.func.count(VolunteerSignup.id))) == 0

    done = volunteer(pages, link)
    assert "Dank u wel voor uw aanmelding" in done.text
    again = volunteer(pages, link, house_number="5", availability="weekend")
    assert "U had zich al aangemeld; wij hebben uw gegevens bijgewerkt." in again.text
    [signup] = db.session.scalars(sa.select(VolunteerSignup)).all()
    assert (signup.house_number, signup.availability) == (5, "weekend")
    confirmation = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.subject.startswith("Uw aanmelding als goede buur"))
    ).all()
    withdraw = next(word for word in confirmation[-1].body_text.split() if "/buren/afmelden/" in word)
    page = pages.get(withdraw.removeprefix("https://signaalpunt.example.nl"))
    pages.submit(page)
    assert db.session.scalar(sa.select(sa.func.count(VolunteerSignup.id))) == 0, "deleted at once"


def test_two_volunteers_signing_up_at_the_same_moment_both_count(team: dict, pages: PageClient) -> None:
    agreed(team)
    write_call(team)
    link = sign_up_link("kerk@example.nl")
    invite = invite_for(link.rsplit("/", 1)[-1])
    call = invite.call
    assert call.signups_received == 0
    db.session.commit()
    # Another volunteer's sign-up lands between this one's reading the call and its writing (as two requests at
    # the same moment on PostgreSQL): this request still holds the count it read.
    volunteer(pages, link, name="Anna de Wit", email="anna@example.nl")
    set_committed_value(call, "signups_received", 0)
    details = SignupDetails(
        name="Piet Bakker",
        postcode="4531 AC",
        house_number=3,
        phone=None,
        email="piet@example.nl",
        availability=(Availability.WEEKEND,),
        languages=(SpokenLanguage.DUTCH,),
        motivation="",
    )
    sign_up(invite, details, utcnow())
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(NeighbourCall, call.id).signups_received == 2
    today = dutch_today()
    sums = period_sums((team["signal"].organisation_id,), Period(today, today), None)
    assert network_figures(sums).signups == 2


def test_a_closed_call_says_so_and_keeps_nothing(team: dict, pages: PageClient) -> None:
    agreed(team)
    write_call(team)
    link = sign_up_link("kerk@example.nl")
    form = pages.get(link)
    db.session.execute(sa.update(NeighbourCall).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    late = pages.submit(form, {"name": "Piet", "postcode": "4531 AC", "house_number": "3", "email": "p@example.nl"})
    assert late.status_code == 410 and "Deze oproep is gesloten" in late.text
    assert db.session.scalar(sa.select(sa.func.count(VolunteerSignup.id))) == 0


def sign_up_three(team: dict, pages: PageClient) -> dict[str, VolunteerSignup]:
    agreed(team)
    write_call(team)
    link = sign_up_link("kerk@example.nl")
    for name, postcode, email in (
        ("Verre Vera", "4539 XY", "vera@example.nl"),
        ("Buurman Bram", "4531 AB", "bram@example.nl"),
        ("Wijkgenoot Wim", "4531 ZZ", "wim@example.nl"),
    ):
        volunteer(pages, link, name=name, postcode=postcode, email=email)
    return {signup.name: signup for signup in db.session.scalars(sa.select(VolunteerSignup))}


def call_page(team: dict) -> Page:
    call = db.session.scalar(sa.select(NeighbourCall))
    return team["sanne"].get(f"/werk/meldingen/{team['signal'].reference}/burenoproepen/{call.id}")


def test_volunteers_are_ranked_by_postcode_without_centroids_and_by_distance_with_them(
    team: dict, pages: PageClient, runner: FlaskCliRunner
) -> None:
    sign_up_three(team, pages)
    page = call_page(team)
    assert [label.get_text(" ", strip=True).split(",")[0] for label in page.soup.select("#signups label strong")] == [
        "Buurman Bram",
        "Wijkgenoot Wim",
        "Verre Vera",
    ]
    assert "Gerangschikt op postcode" in page.text_of("#ranking-method")

    result = runner.invoke(args=["signaalpunt", "import-postcode-centroids", str(FIXTURES / "centroids.csv")])
    assert result.exit_code == 0 and "Imported 4 postcode centroids." in result.output
    page = call_page(team)
    assert "Gerangschikt op afstand" in page.text_of("#ranking-method")
    names = [strong.get_text(strip=True) for strong in page.soup.select("#signups label strong")]
    assert names == ["Buurman Bram", "Verre Vera", "Wijkgenoot Wim"], "4539 XY lies closer than 4531 ZZ here"
    assert "km" in page.text_of("#signups")


def test_a_centroid_file_with_bad_rows_is_reported_row_by_row_and_imports_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("postcode;latitude;longitude\n4531AB;51,33;3,83\n9999ZZ;abc;3.8\n4531AB;51.3;3.8\n", "utf-8")
    result = runner.invoke(args=["signaalpunt", "import-postcode-centroids", str(bad)])
    assert result.exit_code != 0
    assert "line 3: latitude and longitude must be numbers within the Netherlands" in result.output
    assert "line 4: postcode 4531 AB is also on line 2" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PostcodeCentroid)) == 0


def test_only_the_picked_get_the_address_once_and_only_after_the_person_agreed(team: dict, pages: PageClient) -> None:
    found = sign_up_three(team, pages)
    page = call_page(team)
    chosen = {"picked": [str(found["Buurman Bram"].id), str(found["Wijkgenoot Wim"].id)]}
    refused = team["sanne"].submit(page, chosen, selector="form[action$='/kiezen']")
    assert refused.status_code == 422
    assert "Bevestig dat de persoon ermee instemt" in refused.field_error("person_agreed")
    too_many = team["sanne"].submit(
        page, {"picked": [str(s.id) for s in found.values()], "person_agreed": "y"}, selector="form[action$='/kiezen']"
    )
    assert "Kies hoogstens 2 vrijwilligers." in too_many.field_error("picked")
    assert (
        db.session.scalar(
            sa.select(OutboxMessage.id).where(OutboxMessage.subject.startswith("U bent gekozen als goede buur"))
        )
        is None
    )

    done = team["sanne"].submit(
        page, {**chosen, "person_agreed": "y"}, selector="form[action$='/kiezen']", follow_redirects=True
    )
    assert "2 buren krijgen het adres; de anderen krijgen een bedankje." in done.text
    assert "Buurman Bram" in done.text_of("#network") and "Verre Vera" not in done.text_of("#network")
    picked_mail = {
        m.recipient: m
        for m in db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.subject.startswith("U bent gekozen als goede buur"))
        )
    }
    assert set(picked_mail) == {"bram@example.nl", "wim@example.nl"}
    assert "Dorpsstraat" not in picked_mail["bram@example.nl"].body_text, "the address is behind the link"
    thanked = db.session.scalars(
        sa.select(OutboxMessage.recipient).where(OutboxMessage.subject.startswith("Dank u wel voor uw aanmelding"))
    ).all()
    assert thanked == ["vera@example.nl"]

    link = next(w for w in picked_mail["bram@example.nl"].body_text.split() if "/buren/adres/" in w)
    link = link.removeprefix("https://signaalpunt.example.nl")
    address = pages.get(link)
    assert address.text_of("#address") == "Dorpsstraat 7, 4531 AB"
    gone = pages.get(link)
    assert gone.status_code == 404 and "0115 000 111" in gone.text
    timeline = team["sanne"].get(f"/werk/meldingen/{team['signal'].reference}").text_of(".timeline")
    assert "Burennetwerk gevormd met 2 buren; het adres is gedeeld" in timeline
    assert {"call.address_shared", "call.address_opened", "volunteer.signup"} <= set(
        db.session.scalars(sa.select(AuditEvent.action))
    )


def test_without_consent_the_address_is_never_shared(team: dict, pages: PageClient) -> None:
    found = sign_up_three(team, pages)
    page = team["sanne"].get(f"/werk/meldingen/{team['signal'].reference}")
    team["sanne"].submit(page, selector="#consents form", follow_redirects=True)
    page = call_page(team)
    refused = team["sanne"].submit(
        page, {"picked": [str(found["Buurman Bram"].id)], "person_agreed": "y"}, selector="form[action$='/kiezen']"
    )
    assert "Zonder vastgelegde toestemming van de persoon deelt u het adres niet." in refused.text
    assert (
        db.session.scalar(
            sa.select(OutboxMessage.id).where(OutboxMessage.subject.startswith("U bent gekozen als goede buur"))
        )
        is None
    )


def test_four_weeks_on_the_worker_calls_back_and_volunteers_not_picked_are_forgotten(
    team: dict, pages: PageClient
) -> None:
    found = sign_up_three(team, pages)
    page = call_page(team)
    team["sanne"].submit(
        page, {"picked": [str(found["Buurman Bram"].id)], "person_agreed": "y"}, selector="form[action$='/kiezen']"
    )
    # Through the ORM, as the app changes a call: the figures' running totals move with it.
    for call in db.session.scalars(sa.select(NeighbourCall)):
        call.created_at = call.closed_at = utcnow() - timedelta(days=31)
        call.filled_at = utcnow() - timedelta(days=29)
    db.session.commit()
    assert team["signal"].reference in team["sanne"].get("/werk/mijn").text_of("#network-follow-ups")
    page = call_page(team)
    refused = team["sanne"].submit(page, {"landed": "no"}, selector="form[action$='/nabellen']")
    assert refused.field_error("reason") == "Fout: Schrijf kort waarom het netwerk niet werkt."
    team["sanne"].submit(page, {"landed": "yes"}, selector="form[action$='/nabellen']")
    assert team["sanne"].get("/werk/mijn").soup.select("#network-follow-ups") == []
    figures = client_for(team["app"], team["coordinator"]).get("/cijfers/")
    assert [figures.text_of(f"#figure-{name}") for name in ("calls", "signups", "days-to-network")] == [
        "1",
        "3.0",
        "2 dagen",
    ]
    assert figures.text_of("#figure-filled").startswith("100%") and figures.text_of("#figure-working").startswith(
        "100%"
    )

    assert forget_volunteers(utcnow()) == 2
    db.session.commit()
    assert [s.name for s in db.session.scalars(sa.select(VolunteerSignup))] == ["Buurman Bram"], "the picked stay"


def test_anonymising_the_signal_removes_the_call_text_and_its_volunteers(team: dict, pages: PageClient) -> None:
    found = sign_up_three(team, pages)
    page = call_page(team)
    team["sanne"].submit(
        page, {"picked": [str(found["Buurman Bram"].id)], "person_agreed": "y"}, selector="form[action$='/kiezen']"
    )
    act(team["sanne"], team["signal"], "close", {"outcome": "no_help_needed"})
    db.session.execute(sa.update(Signal).values(closed_at=utcnow() - timedelta(days=800)))
    db.session.commit()
    anonymise(utcnow())
    db.session.commit()
    call = db.session.scalar(sa.select(NeighbourCall))
    assert call.text == "[geanonimiseerd]"
    assert {(s.name, s.email, s.postcode) for s in call.signups} == {(None, None, None)}
