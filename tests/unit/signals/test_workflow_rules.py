"""The rules inside each step, one by one: who can be given a signal, when a contact attempt can lie, who hears back."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.service import create_user
from signaalpunt.core.clock import utcnow
from signaalpunt.core.errors import DomainError
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Organisation
from signaalpunt.signals.enums import ContactMethod, Outcome, RejectionReason, SignalStatus
from signaalpunt.signals.models import Signal
from signaalpunt.signals.retention import anonymise, retention_cutoff
from signaalpunt.signals.workflow import (
    add_note,
    assign_signal,
    close_signal,
    mark_duplicate,
    mark_urgent,
    record_contact_attempt,
    reject_signal,
)
from tests.factories import PASSWORD, make_signal, make_user


def mails() -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def refused(step: object, message: str, field: str | None = None) -> None:
    """The step is refused with exactly this sentence (what the person reads), next to this field."""
    with pytest.raises(DomainError) as refusal:
        step()
    assert (refusal.value.message, refusal.value.field) == (message, field)
    db.session.rollback()


def test_only_an_active_worker_or_coordinator_of_the_team_can_be_given_a_signal(app: Flask) -> None:
    coordinator = make_user(Role.COORDINATOR)
    signal = make_signal()
    other_team = Organisation(name="Buurgemeente", slug="buurgemeente")
    db.session.add(other_team)
    stranger = create_user(other_team, "vreemd@buurgemeente.nl", "Vreemd", Role.WORKER, PASSWORD)
    db.session.commit()
    for assignee, message in (
        (make_user(Role.WORKER, active=False), "Deze medewerker kan geen meldingen krijgen."),
        (make_user(Role.VIEWER), "Deze medewerker kan geen meldingen krijgen."),
        (make_user(Role.ADMIN), "Deze medewerker kan geen meldingen krijgen."),
        (stranger, "Deze medewerker hoort niet bij dit team."),
    ):
        refused(lambda assignee=assignee: assign_signal(signal, coordinator, assignee), message)
        assert db.session.get(Signal, signal.id).status == SignalStatus.NEW
    worker = make_user(Role.WORKER, name="Sanne de Vries")
    assign_signal(signal, coordinator, worker)
    db.session.commit()
    refused(lambda: assign_signal(signal, coordinator, worker), "De melding is al aan Sanne de Vries toegewezen.")


def test_the_assignment_mail_belongs_to_the_signal_and_goes_when_it_is_anonymised(app: Flask) -> None:
    signal = make_signal()
    assign_signal(signal, make_user(Role.COORDINATOR), make_user(Role.WORKER))
    signal.status, signal.closed_at = SignalStatus.NOT_PURSUED, utcnow() - timedelta(days=400)
    db.session.commit()
    [mail] = mails()
    assert mail.signal_id == signal.id
    assert mail.subject == f"Melding {signal.reference} is aan u toegewezen"
    version = db.session.get(Signal, signal.id).version
    report = anonymise(utcnow())
    db.session.commit()
    assert (report.signals, report.outbox_messages) == (1, 1)
    assert mails() == []
    assert db.session.get(Signal, signal.id).version == version + 1, "an open page of it is now stale"


def test_a_contact_attempt_lies_between_the_report_and_now(app: Flask) -> None:
    worker = make_user(Role.WORKER)
    signal = make_signal()
    assign_signal(signal, make_user(Role.COORDINATOR), worker)
    db.session.commit()
    refused(
        lambda: record_contact_attempt(signal, worker, ContactMethod.PHONE, utcnow() + timedelta(minutes=11), False),
        "Een contactpoging kan niet in de toekomst liggen.",
        "attempted_at",
    )
    refused(
        lambda: record_contact_attempt(
            signal, worker, ContactMethod.PHONE, signal.created_at - timedelta(minutes=11), False
        ),
        "Een contactpoging kan niet vóór de melding liggen.",
        "attempted_at",
    )
    later = utcnow() + timedelta(minutes=5)
    record_contact_attempt(signal, worker, ContactMethod.PHONE, later, False)
    earlier = signal.created_at
    record_contact_attempt(signal, worker, ContactMethod.HOME_VISIT, earlier, True)
    db.session.commit()
    assert db.session.get(Signal, signal.id).first_contact_at == earlier, "the earliest attempt counts"


def test_closing_sends_a_referral_to_its_own_step_and_thanks_only_who_asked(app: Flask) -> None:
    coordinator = make_user(Role.COORDINATOR)
    signal = make_signal(reporter_email="stil@example.nl", keep_informed=False)
    asked = make_signal(reporter_email="graag@example.nl", keep_informed=True)
    for each in (signal, asked):
        each.status = SignalStatus.IN_PROGRESS
    db.session.commit()
    refused(
        lambda: close_signal(signal, coordinator, Outcome.REFERRED),
        "Verwijst u door? Kies dan ‘Doorverwijzen’: daar kiest u het initiatief.",
        "outcome",
    )
    refused(
        lambda: close_signal(signal, coordinator, Outcome.UNREACHABLE),
        "‘Niet bereikbaar’ kan pas na minstens 3 contactpogingen.",
        "outcome",
    )
    before = {mail.recipient for mail in mails()}
    close_signal(signal, coordinator, Outcome.NO_HELP_NEEDED)
    close_signal(asked, coordinator, Outcome.NO_HELP_NEEDED)
    db.session.commit()
    thanked = [mail for mail in mails() if mail.recipient not in before or mail.subject.endswith("is afgerond")]
    assert [(mail.recipient, mail.signal_id) for mail in thanked if mail.subject.endswith("is afgerond")] == [
        ("graag@example.nl", asked.id)
    ]


def test_linking_a_duplicate_says_plainly_why_it_cannot(app: Flask) -> None:
    coordinator = make_user(Role.COORDINATOR)
    signal, primary, linked = make_signal(), make_signal(), make_signal()
    elsewhere = Organisation(name="Buurgemeente", slug="buurgemeente")
    db.session.add(elsewhere)
    db.session.flush()
    other_team = make_signal()
    other_team.organisation_id = elsewhere.id
    mark_duplicate(linked, coordinator, primary)
    db.session.commit()

    refused(lambda: mark_duplicate(signal, coordinator, signal), "Een melding kan geen dubbele van zichzelf zijn.")
    refused(lambda: mark_duplicate(signal, coordinator, other_team), "Die melding kunt u niet koppelen.")
    refused(
        lambda: mark_duplicate(signal, coordinator, linked),
        "Die melding is zelf een dubbele; koppel aan de oorspronkelijke melding.",
    )
    assert db.session.get(Signal, signal.id).status == SignalStatus.NEW


def test_a_note_needs_words_and_urgency_is_set_once(app: Flask) -> None:
    coordinator = make_user(Role.COORDINATOR)
    signal = make_signal()
    refused(lambda: add_note(signal, coordinator, "   "), "Schrijf eerst een notitie.")
    mark_urgent(signal, coordinator, "Buren horen geroep.")
    db.session.commit()
    refused(lambda: mark_urgent(signal, coordinator), "Deze melding is al urgent.")
    refused(
        lambda: assign_signal(signal, make_user(Role.VIEWER), make_user(Role.WORKER)),
        "Dit kan nu niet bij deze melding, of u heeft er geen rechten voor.",
    )


def test_each_team_keeps_signals_for_its_own_retention_period_to_the_second(app: Flask) -> None:
    now = utcnow()
    home = db.session.scalar(sa.select(Organisation).order_by(Organisation.id))
    home.retention_months = 12
    longer = Organisation(name="Buurgemeente", slug="buurgemeente", retention_months=36)
    db.session.add(longer)
    db.session.flush()
    cutoff = retention_cutoff(now, 12)
    exactly, just_before, theirs = make_signal(), make_signal(), make_signal()
    theirs.organisation_id = longer.id
    for signal, closed in (
        (exactly, cutoff),
        (just_before, cutoff - timedelta(seconds=1)),
        (theirs, now - timedelta(days=600)),
    ):
        signal.status, signal.closed_at = SignalStatus.CLOSED, closed
    db.session.commit()

    report = anonymise(now)
    db.session.commit()

    assert report.signals == 1
    assert [db.session.get(Signal, s.id).anonymised_at is not None for s in (exactly, just_before, theirs)] == [
        False,
        True,
        False,
    ], "kept until the very end of the period, and another team's longer period is its own"


def test_the_timeline_keeps_what_each_step_says(app: Flask) -> None:
    coordinator, worker = make_user(Role.COORDINATOR), make_user(Role.WORKER)
    spam, primary, duplicate, visited = make_signal(), make_signal(), make_signal(), make_signal()
    reject_signal(spam, coordinator, RejectionReason.SPAM, "Reclame voor een webshop.")
    mark_duplicate(duplicate, coordinator, primary)
    assign_signal(visited, coordinator, worker)
    record_contact_attempt(visited, worker, ContactMethod.HOME_VISIT, utcnow(), False, "Niemand thuis.")
    db.session.commit()

    rejected = db.session.get(Signal, spam.id)
    assert (rejected.rejection_reason, rejected.closed_at is not None) == (RejectionReason.SPAM, True)
    assert (rejected.events[-1].note, rejected.events[-1].data) == ("Reclame voor een webshop.", {"reason": "spam"})
    assert db.session.get(Signal, duplicate.id).events[-1].data == {"primary": primary.reference}
    linked = db.session.get(Signal, primary.id).events[-1]
    assert (linked.data, linked.actor_id) == ({"duplicate": duplicate.reference}, coordinator.id)
    attempt = db.session.get(Signal, visited.id).events[-1]
    assert attempt.note == "Niemand thuis."
    assert set(attempt.data) == {"method", "reached", "attempted_at"}


def test_mail_about_a_signal_is_signed_by_its_team(app: Flask) -> None:
    team = db.session.scalar(sa.select(Organisation).order_by(Organisation.id))
    team.name = "Signaalpunt Terneuzen"
    coordinator = make_user(Role.COORDINATOR)
    signal = make_signal(reporter_email="koerier@example.nl", keep_informed=True)
    assign_signal(signal, coordinator, make_user(Role.WORKER))
    db.session.commit()
    signed = {mail.subject: "<br>Signaalpunt Terneuzen</p>" in mail.body_html for mail in mails()}
    assert signed == dict.fromkeys(signed, True) and len(signed) == 3, signed
