"""From a signal to help that lands: the person's consent, a referral to an initiative on the social map, the
warm handover and its one-time link, the card for a person who shares nothing, and the call-back weeks later."""

import dataclasses
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm.attributes import set_committed_value

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import AuditEvent
from signaalpunt.consent.enums import ConsentKind
from signaalpunt.core.clock import dutch_today, utcnow
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.referrals.enums import Landed
from signaalpunt.referrals.figures import referral_figures
from signaalpunt.referrals.models import Referral
from signaalpunt.referrals.service import record_follow_up
from signaalpunt.signals.enums import Outcome, SignalStatus
from signaalpunt.signals.figures import Period, period_sums
from signaalpunt.signals.models import Signal
from signaalpunt.signals.retention import anonymise
from signaalpunt.socialmap.enums import InitiativeKind, SpokenLanguage
from signaalpunt.socialmap.models import Initiative
from signaalpunt.socialmap.service import InitiativeDetails, save_initiative
from tests.factories import make_area, make_organisation, make_signal, make_user
from tests.mail_server import free_port, smtp_server
from tests.pages import PageClient
from tests.staff import client_for
from tests.web.test_casework import act, refer

PERSON = ("Jansen", "Dorpsstraat", "4531 AB")


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def app_config(smtp_port: int) -> dict:
    return {"MAIL_PORT": smtp_port}


def initiative(team_id: int, name: str, kind: InitiativeKind, **fields: object) -> Initiative:
    details = InitiativeDetails(name=name, kind=kind, phone="0115 123 456", **fields)
    made = save_initiative(team_id, None, details)
    db.session.commit()
    return made


@pytest.fixture
def team(app: Flask) -> dict:
    area = make_area("Centrum", ((4531, 4532),))
    team_id = area.organisation_id
    area.organisation.phone = "0115 000 111"
    return {
        "app": app,
        "coordinator": make_user(Role.COORDINATOR, name="Fatima El Amrani"),
        "sanne": make_user(Role.WORKER, name="Sanne de Vries", areas=(area,), email="sanne@example.nl"),
        "brug": initiative(
            team_id,
            "Maatjesproject De Brug",
            InitiativeKind.BUDDY,
            whole_municipality=True,
            email="brug@example.nl",
            warm_handover=True,
            address="Kerkstraat 4, Terneuzen",
        ),
        "koor": initiative(
            team_id,
            "Buurtkoor Zeeuws Meisje",
            InitiativeKind.CLUB,
            postcodes="4531",
            languages=(SpokenLanguage.DUTCH, SpokenLanguage.TURKISH),
            address="Markt 1, Terneuzen",
        ),
        "schuld": initiative(team_id, "Schuldhulp Oost", InitiativeKind.DEBT_HELP, postcodes="9999"),
    }


def reached(team: dict, **fields: object) -> tuple[Signal, PageClient]:
    """A signal about mevrouw Jansen, held by Sanne, who reached her."""
    signal = make_signal(person_name="Mevrouw Jansen", street="Dorpsstraat", house_number=7, **fields)
    act(client_for_coordinator(team), signal, "assign", {"assignee": str(team["sanne"].id)})
    sanne = client_for(team["app"], team["sanne"])
    act(sanne, signal, "contact_attempt", {"method": "phone", "reached": "yes"})
    return signal, sanne


def client_for_coordinator(team: dict) -> PageClient:
    return client_for(team["app"], team["coordinator"])


def reload(signal: Signal) -> Signal:
    db.session.expire_all()
    return db.session.get(Signal, signal.id)


def mails_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == address)))


def link_in(mail: OutboxMessage, path: str) -> str:
    return next(word for word in mail.body_text.split() if path in word).removeprefix("https://signaalpunt.example.nl")


def agrees_to_share(sanne: PageClient, signal: Signal, initiative: Initiative, *details: str) -> None:
    """Mevrouw agrees, by phone, to be referred and to share these details with the initiative."""
    consent = {"kinds": ["referral", "share"], "initiative": str(initiative.id), "method": "phone"}
    act(sanne, signal, "record_consent", {**consent, "details": list(details)})


def test_consent_comes_after_a_successful_contact_and_says_who_when_and_how(team: dict) -> None:
    signal = make_signal()
    act(client_for_coordinator(team), signal, "assign", {"assignee": str(team["sanne"].id)})
    sanne = client_for(team["app"], team["sanne"])
    act(sanne, signal, "contact_attempt", {"method": "phone", "reached": "no"})
    page = act(sanne, signal, "record_consent", {"kinds": "referral", "method": "phone"})
    assert page.field_error("record_consent-kinds") == (
        "Fout: Toestemming legt u vast na een geslaagd contact: leg eerst vast dat u de persoon bereikte."
    )
    assert page.form_values("form[action$='/record_consent']")["record_consent-method"] == "phone"

    act(sanne, signal, "contact_attempt", {"method": "home_visit", "reached": "yes"})
    page = act(sanne, signal, "record_consent", {"kinds": ["referral", "share"], "method": "in_person"})
    assert (
        page.field_error("record_consent-initiative")
        == "Fout: Kies het initiatief waarmee de persoon gegevens wil delen."
    )
    page = act(
        sanne,
        signal,
        "record_consent",
        {"kinds": ["referral", "share"], "initiative": str(team["brug"].id), "details": "name", "method": "in_person"},
    )
    assert "De toestemming is vastgelegd." in page.text
    listed = page.text_of("#consents")
    assert "Doorverwezen worden – persoonlijk, vastgelegd door Sanne de Vries" in listed
    assert "Gegevens delen met een initiatief : Maatjesproject De Brug (naam) – persoonlijk" in listed
    assert "Toestemming vastgelegd (persoonlijk): doorverwezen worden, gegevens delen met een initiatief" in (
        page.text_of(".timeline")
    )
    again = act(sanne, signal, "record_consent", {"kinds": "referral", "method": "phone"})
    assert "Deze toestemming is al vastgelegd: doorverwezen worden." in again.text
    assert [c.kind for c in reload(signal).consents] == [ConsentKind.REFERRAL, ConsentKind.SHARE]


def test_the_referral_page_suggests_by_postcode_need_and_language_and_keeps_the_ticks(team: dict) -> None:
    signal, sanne = reached(team)
    page = sanne.get(f"/werk/meldingen/{signal.reference}/doorverwijzen", query_string={"hulp": "buddy"})
    assert "Maatjesproject De Brug" in page.text_of("#suggested")
    assert "Buurtkoor" not in page.text_of("#suggested"), "a choir is not a buddy project"
    others = page.text_of("#others")
    assert "Buurtkoor Zeeuws Meisje" in others and "Schuldhulp Oost" in others
    assert "Schuldhulp Oost" in others and "niet voor deze postcode" in others

    # Activities in Turkish, without JavaScript: the suggestions change, what was ticked and typed stays.
    values = page.form_values()
    values.update({"refer-need": "activities", "refer-language": "tr", "refer-initiatives": str(team["schuld"].id)})
    values["refer-elsewhere"] = "Huisarts Van Dam"
    page = sanne.post(f"/werk/meldingen/{signal.reference}/refer", {**values, "refer-refresh": "1"})
    assert page.status_code == 200
    assert page.soup.select("#suggested input")[0]["value"] == str(team["koor"].id), "the Turkish choir first"
    assert page.one(f"#initiative-{team['schuld'].id}").has_attr("checked")
    assert page.form_values()["refer-elsewhere"] == "Huisarts Van Dam"
    assert reload(signal).status == SignalStatus.IN_PROGRESS, "refreshing refers no one"


def test_without_consent_to_share_nothing_about_the_person_leaves(
    team: dict, runner: FlaskCliRunner, smtp_port: int
) -> None:
    signal, sanne = reached(team, reporter_email="koerier@example.nl", keep_informed=True)
    act(sanne, signal, "record_consent", {"kinds": "referral", "method": "phone"})
    page = refer(
        sanne,
        signal,
        {"need": "buddy", "initiatives": [str(team["brug"].id), str(team["koor"].id)], "message": "Mevrouw Jansen"},
    )
    assert "De melding is doorverwezen en afgerond." in page.text
    assert mails_to("brug@example.nl") == [], "the initiative takes handovers, but the person did not agree"
    assert "Geen warme overdracht: de persoon neemt zelf contact op." in page.text_of("#referrals")
    closed = reload(signal)
    assert not any(referral.handover or referral.message for referral in closed.referrals)

    # Every mail that goes out, over a real SMTP server: none holds the person's name or address.
    with smtp_server(smtp_port) as inbox:
        assert runner.invoke(args=["signaalpunt", "send-mail"]).exit_code == 0
    assert {message["To"] for message in inbox.messages} >= {"koerier@example.nl", "sanne@example.nl"}
    for message in inbox.messages:
        text = " ".join(
            [
                message["Subject"],
                *(part.get_content() for part in message.walk() if part.get_content_maintype() == "text"),
            ]
        )
        for secret in PERSON:
            assert secret not in text, (message["To"], secret)


def test_a_warm_handover_carries_only_what_was_agreed_and_its_answer_lands_on_the_timeline(
    team: dict, pages: PageClient
) -> None:
    signal, sanne = reached(team)
    agrees_to_share(sanne, signal, team["brug"], "name")
    refer(sanne, signal, {"need": "buddy", "initiatives": str(team["brug"].id), "message": "Bel haar op dinsdag."})
    [handover] = mails_to("brug@example.nl")
    assert "Mevrouw Jansen" in handover.body_text and "Bel haar op dinsdag." in handover.body_text
    assert "Dorpsstraat" not in handover.body_text and "4531" not in handover.body_text, "the address was not agreed"
    assert handover.signal_id == signal.id, "removed with the signal's other mail when it is anonymised"

    link = link_in(handover, "/initiatief/overdracht/")
    answer_page = pages.get(link)
    assert "Jansen" not in answer_page.text, "the page names no one: the mail already did"
    refused = pages.submit(answer_page, {"answer": "could_not_help"})
    assert refused.field_error("reason") == "Fout: Schrijf kort waarom u niet kon helpen."
    thanks = pages.submit(refused, {"answer": "contact_made"})
    assert "Uw antwoord is doorgegeven" in thanks.text

    page = sanne.get(f"/werk/meldingen/{signal.reference}")
    assert "Antwoord van Maatjesproject De Brug: contact gelegd" in page.text_of(".timeline")
    assert "Antwoord: contact gelegd" in page.text_of("#referrals")
    [told] = [mail for mail in mails_to("sanne@example.nl") if "antwoordde" in mail.subject]
    assert signal.reference in told.body_text and "Jansen" not in told.body_text

    gone = pages.get(link)
    assert gone.status_code == 404
    assert "De link is al gebruikt of verlopen." in gone.text and "0115 000 111" in gone.text
    audited = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"signal.record_consent", "signal.refer", "referral.handover", "referral.answer"} <= audited


def test_an_expired_handover_link_says_so_plainly(team: dict, pages: PageClient) -> None:
    signal, sanne = reached(team)
    agrees_to_share(sanne, signal, team["brug"])
    refer(sanne, signal, {"need": "buddy", "initiatives": str(team["brug"].id)})
    link = link_in(mails_to("brug@example.nl")[0], "/initiatief/overdracht/")
    db.session.execute(sa.update(Referral).values(link_expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    gone = pages.get(link)
    assert gone.status_code == 404 and "Wilt u toch laten weten hoe het ging?" in gone.text
    assert reload(signal).referrals[0].answer is None


def test_withdrawal_is_one_click_and_asks_the_initiative_to_delete_what_it_got(team: dict) -> None:
    signal, sanne = reached(team)
    agrees_to_share(sanne, signal, team["brug"], "name")
    refer(sanne, signal, {"need": "buddy", "initiatives": str(team["brug"].id)})
    page = sanne.get(f"/werk/meldingen/{signal.reference}")
    page = sanne.submit(
        page, selector="#consents form:has(button:-soup-contains('gegevens delen'))", follow_redirects=True
    )
    assert "De toestemming is ingetrokken" in page.text
    assert "Toestemming ingetrokken: gegevens delen met een initiatief (Maatjesproject De Brug)" in page.text_of(
        ".timeline"
    )
    assert "Ingetrokken" in page.text_of("#consents")
    share = next(c for c in reload(signal).consents if c.kind == ConsentKind.SHARE)
    assert share.withdrawn_at is not None and share.withdrawn_by_id == team["sanne"].id
    [forget] = [mail for mail in mails_to("brug@example.nl") if "ingetrokken" in mail.subject]
    assert "Verwijder de naam" in forget.body_text and "Jansen" not in forget.body_text
    assert "signal.withdraw_consent" in set(db.session.scalars(sa.select(AuditEvent.action)))


def test_the_card_is_in_the_persons_language_and_names_only_the_initiative(team: dict) -> None:
    signal, sanne = reached(team)
    act(sanne, signal, "record_consent", {"kinds": "referral", "method": "in_person"})
    refer(sanne, signal, {"need": "activities", "language": "tr", "initiatives": str(team["koor"].id)})
    page = sanne.get(f"/werk/meldingen/{signal.reference}")
    href = page.one("#referrals a:-soup-contains('Kaartje')")["href"]
    card = sanne.get(href)
    assert card.one(".card")["lang"] == "tr"
    text = card.text_of(".card")
    assert "Buurtkoor Zeeuws Meisje size yardımcı olabilir." in text
    assert "0115 123 456" in text and "Markt 1, Terneuzen" in text
    assert "Jansen" not in card.text and "Dorpsstraat" not in card.text
    arabic = sanne.get(href, query_string={"kaarttaal": "ar"})
    assert (arabic.one(".card")["lang"], arabic.one(".card")["dir"]) == ("ar", "rtl")


def test_a_card_in_a_language_we_do_not_have_is_in_dutch_and_says_so(team: dict) -> None:
    signal, sanne = reached(team)
    act(sanne, signal, "record_consent", {"kinds": "referral", "method": "in_person"})
    refer(sanne, signal, {"need": "activities", "language": "uk", "initiatives": str(team["koor"].id)})
    referral = reload(signal).referrals[0]
    card = sanne.get(f"/werk/meldingen/{signal.reference}/verwijzingen/{referral.id}/kaart")
    assert card.one(".card")["lang"] == "nl"
    assert "Het kaartje is er niet in de taal van de persoon" in card.text
    assert "Buurtkoor Zeeuws Meisje kan u helpen." in card.text_of(".card")


def age(signal: Signal, days: int) -> None:
    """The referral was made ``days`` ago."""
    db.session.execute(
        sa.update(Referral).where(Referral.signal_id == signal.id).values(created_at=utcnow() - timedelta(days=days))
    )
    db.session.commit()


def test_weeks_later_the_worker_calls_back_and_may_take_the_signal_up_again(team: dict) -> None:
    signal, sanne = reached(team)
    agrees_to_share(sanne, signal, team["brug"])
    refer(sanne, signal, {"need": "buddy", "initiatives": str(team["brug"].id)})
    assert sanne.get("/werk/mijn").soup.select("#follow-ups, #unconfirmed") == []

    age(signal, 15)
    mine = sanne.get("/werk/mijn")
    assert signal.reference in mine.text_of("#unconfirmed"), "the initiative has not answered in two weeks"
    assert mine.one("#unconfirmed a[href='tel:0115 123 456']").get_text() == "0115 123 456", "so she can call it"
    assert mine.soup.select("#follow-ups") == []
    assert "Na twee weken nog niet bevestigd" in sanne.get(f"/werk/meldingen/{signal.reference}").text_of("#referrals")
    age(signal, 43)
    mine = sanne.get("/werk/mijn")
    assert signal.reference in mine.text_of("#follow-ups")
    assert "Sanne de Vries" not in mine.text_of("#follow-ups"), "her own list needs no name"
    line = client_for_coordinator(team).get("/werk/").text_of("#follow-ups")
    assert signal.reference in line and "Maatjesproject De Brug" in line, "and the team's"
    assert "(Sanne de Vries)" in line, "the coordinator sees whose it is"

    page = sanne.get(f"/werk/meldingen/{signal.reference}")
    assert page.one("#action-follow_up").has_attr("open"), "due: unfolded"
    refused = sanne.submit(page, {"follow_up-landed": "no"}, selector="#action-follow_up form")
    assert refused.field_error("follow_up-reason") == "Fout: Schrijf kort waarom de hulp niet is geland."
    assert refused.form_values("#action-follow_up form")["follow_up-landed"] == "no"
    done = sanne.submit(
        refused,
        {"follow_up-landed": "no", "follow_up-reason": "Wachtlijst tot maart.", "follow_up-reopen": "yes"},
        selector="#action-follow_up form",
        follow_redirects=True,
    )
    assert "Nagebeld over Maatjesproject De Brug: nee; melding heropend" in done.text_of(".timeline")
    again = reload(signal)
    assert (again.status, again.outcome, again.assignee_id) == (SignalStatus.IN_PROGRESS, None, team["sanne"].id)
    assert sanne.get("/werk/mijn").soup.select("#follow-ups") == []


def test_a_long_list_to_call_back_shows_its_oldest_lines_and_links_to_all(team: dict) -> None:
    """A busy team's board lists the ten oldest referrals to call back about, counts them all, and shows all on
    request."""
    now = utcnow()
    for days in range(60, 72):
        signal = make_signal()
        signal.status, signal.outcome = SignalStatus.CLOSED, Outcome.REFERRED
        referral = Referral(organisation_id=signal.organisation_id, name=f"Buurthuis {days}")
        referral.created_at = now - timedelta(days=days)
        signal.referrals.append(referral)
    db.session.commit()
    coordinator = client_for_coordinator(team)
    board = coordinator.get("/werk/?tab=closed")
    assert board.text_of("#follow-up-heading + h3") == "Nabellen: 12 doorverwijzingen"
    shown = [line.get_text() for line in board.soup.select("#follow-ups li")]
    assert len(shown) == 10 and "Buurthuis 71" in shown[0] and "Buurthuis 62" in shown[-1], "the oldest first"
    everything = coordinator.get(board.one("#follow-ups-all")["href"])
    assert board.text_of("#follow-ups-all") == "Toon alle 12"
    assert len(everything.soup.select("#follow-ups li")) == 12 and everything.soup.select("#follow-ups-all") == []
    assert everything.one("nav.tabs [aria-current=page]").get_text().startswith("Afgerond"), "the board stays as it was"


def test_figures_count_referrals_per_initiative_and_the_days_to_first_help(team: dict, pages: PageClient) -> None:
    signal, sanne = reached(team)
    agrees_to_share(sanne, signal, team["brug"])
    refer(sanne, signal, {"need": "buddy", "initiatives": [str(team["brug"].id), str(team["koor"].id)]})
    link = link_in(mails_to("brug@example.nl")[0], "/initiatief/overdracht/")
    reload(signal).created_at = utcnow() - timedelta(days=4)
    db.session.commit()
    pages.submit(pages.get(link), {"answer": "contact_made"})
    page = sanne.get(f"/werk/meldingen/{signal.reference}")
    called = sanne.submit(page, {"follow_up-landed": "yes"}, selector="#action-follow_up form", follow_redirects=True)
    assert "Het nabellen is vastgelegd." in called.text, called.error_summary()

    figures = client_for_coordinator(team).get("/cijfers/")
    rows = {
        row.select("th")[0].get_text(strip=True): [cell.get_text(strip=True) for cell in row.select("td")]
        for row in figures.soup.select("#referrals-by-initiative tbody tr")
    }
    # Referred, handed over, confirmed (share), called back, landed (share), partly.
    assert rows["Maatjesproject De Brug"] == ["1", "1", "1 (100%)", "0", "0 (–)", "0"]
    assert rows["Buurtkoor Zeeuws Meisje"] == ["1", "0", "0 (–)", "1", "1 (100%)", "0"], "called back first (by name)"
    kinds = figures.text_of("#referrals-by-kind")
    assert "Maatjesproject" in kinds and "Sport- of cultuurvereniging" in kinds
    assert figures.text_of("#figure-referrals") == "2"
    assert figures.text_of("#figure-days-to-help") == "4 dagen"
    # The region sees each team's initiatives apart, never a signal.
    make_organisation()
    region = client_for(team["app"], make_user(Role.REGION_VIEWER)).get("/cijfers/")
    region_rows = [
        row.select("th")[0].get_text(strip=True) for row in region.soup.select("#referrals-by-initiative tbody tr")
    ]
    assert f"Maatjesproject De Brug ({signal.organisation.name})" in region_rows
    assert region.text_of("#figure-referrals") == "2" and signal.reference not in region.text
    exported = client_for_coordinator(team).client.get("/cijfers/export.csv").data.decode("utf-8-sig")
    assert '"Maatjesproject|Sport- of cultuurvereniging"' in exported
    assert "Maatjesproject De Brug" not in exported, "kinds only, never an initiative's name"


def test_an_answer_landing_while_the_worker_calls_back_counts_once(team: dict, pages: PageClient) -> None:
    signal, sanne = reached(team)
    agrees_to_share(sanne, signal, team["brug"])
    refer(sanne, signal, {"need": "buddy", "initiatives": str(team["brug"].id)})
    link = link_in(mails_to("brug@example.nl")[0], "/initiatief/overdracht/")
    signal = reload(signal)
    [referral] = signal.referrals
    # The initiative's answer lands between the worker's call-back request reading the referral and writing it (two
    # requests at the same moment on PostgreSQL): that request still holds the referral unanswered.
    pages.submit(pages.get(link), {"answer": "contact_made"})
    set_committed_value(referral, "answer", None)
    set_committed_value(referral, "answered_at", None)
    record_follow_up(signal, team["sanne"], referral.id, Landed.YES, "", False, utcnow())
    db.session.commit()
    today = dutch_today()
    counts = referral_figures(period_sums((signal.organisation_id,), Period(today, today), None)).total
    # Referred, handed over, confirmed, called back, landed, partly.
    assert dataclasses.astuple(counts)[1:] == (1, 1, 1, 1, 1, 0)


def test_a_coordinator_sends_an_initiative_its_year_in_numbers(team: dict) -> None:
    signal, sanne = reached(team)
    act(sanne, signal, "record_consent", {"kinds": "referral", "method": "phone"})
    refer(sanne, signal, {"need": "buddy", "initiatives": str(team["brug"].id)})
    coordinator = client_for_coordinator(team)
    report = coordinator.get(f"/beheer/sociale-kaart/{team['brug'].id}/verslag")
    assert "U kreeg 1 doorverwijzing van ons." in report.text_of("#report-lines")
    sent = coordinator.submit(report, selector="main form", follow_redirects=True)
    assert "Het verslag is gemaild aan brug@example.nl." in sent.text
    [mail] = [mail for mail in mails_to("brug@example.nl") if "doorverwijzingen" in mail.subject]
    assert "U kreeg 1 doorverwijzing van ons." in mail.body_text and "Jansen" not in mail.body_text


def test_retention_removes_what_was_said_about_the_person_and_keeps_the_counts(team: dict, pages: PageClient) -> None:
    signal, sanne = reached(team)
    agrees_to_share(sanne, signal, team["brug"])
    refer(
        sanne,
        signal,
        {"need": "buddy", "initiatives": str(team["brug"].id), "elsewhere": "Buurvrouw Jansen", "message": "Geheim"},
    )
    link = link_in(mails_to("brug@example.nl")[0], "/initiatief/overdracht/")
    pages.submit(pages.get(link), {"answer": "could_not_help", "reason": "Mevrouw Jansen wilde niet"})
    anonymise(utcnow() + timedelta(days=400))
    db.session.commit()
    kept = reload(signal)
    on_map, elsewhere = kept.referrals
    assert (on_map.name, on_map.kind, on_map.message, on_map.answer_reason, on_map.answer.value) == (
        "Maatjesproject De Brug",
        InitiativeKind.BUDDY,
        None,
        None,
        "could_not_help",
    ), "which initiative, and how it went, stay for the figures"
    assert (elsewhere.name, elsewhere.kind) == ("[geanonimiseerd]", None), "a place typed by hand may name someone"
    assert [c.kind for c in kept.consents] == [ConsentKind.REFERRAL, ConsentKind.SHARE]
    page = client_for_coordinator(team).get(f"/werk/meldingen/{signal.reference}")
    assert "Jansen" not in page.text and "Geheim" not in page.text
