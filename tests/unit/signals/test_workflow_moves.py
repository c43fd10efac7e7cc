"""The rules of the steps that move a signal or change its urgency: a transfer to another team, placing a signal
once an area covers it, making it urgent, undoing a duplicate link; and every step refuses a stale page."""

from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.core.clock import utcnow
from signaalpunt.core.errors import DomainError, StaleError
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.signals.enums import ContactMethod, EventKind, Outcome, RejectionReason, SignalStatus
from signaalpunt.signals.models import Signal
from signaalpunt.signals.workflow import (
    assign_signal,
    close_signal,
    mark_duplicate,
    mark_urgent,
    place_in_area,
    record_contact_attempt,
    reject_signal,
    reopen_signal,
    take_signal,
    transfer_signal,
    unlink_duplicate,
)
from tests.factories import make_area, make_organisation, make_signal, make_user, organisation


@pytest.fixture
def region(app: Flask) -> dict:
    home = organisation()
    other = make_organisation()
    centrum = make_area("Centrum", ((4531, 4531),))
    flakkee = make_area("Middelharnis", ((3241, 3241),), team=other)
    return {
        "home": home,
        "other": other,
        "centrum": centrum,
        "flakkee": flakkee,
        "coordinator": make_user(Role.COORDINATOR, "Fatima El Amrani", email="fatima@example.nl"),
        "sanne": make_user(Role.WORKER, "Sanne de Vries", areas=(centrum,), email="sanne@example.nl"),
        "joost": make_user(Role.WORKER, "Joost Verhoeven", areas=(centrum,), email="joost@example.nl"),
        "theirs": make_user(Role.COORDINATOR, team=other, email="theirs@example.nl"),
        "their_former": make_user(Role.COORDINATOR, team=other, email="former@example.nl", active=False),
        "their_worker": make_user(Role.WORKER, team=other, email="werker@example.nl"),
    }


def refused(step: Callable[[], object], message: str) -> None:
    with pytest.raises(DomainError) as refusal:
        step()
    assert refusal.value.message == message
    db.session.rollback()


def mails_to(*recipients: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient.in_(recipients))))


def events(signal: Signal, kind: EventKind) -> list:
    return [event for event in db.session.get(Signal, signal.id).events if event.kind == kind]


def test_a_transfer_needs_another_team_and_a_reason(region: dict) -> None:
    signal = make_signal(postcode="4531 AB")
    coordinator = region["coordinator"]
    refused(
        lambda: transfer_signal(signal, coordinator, region["home"], "Verhuisd"), "De melding hoort al bij dit team."
    )
    refused(
        lambda: transfer_signal(signal, coordinator, region["other"], "  "),
        f"Schrijf waarom de melding naar {region['other'].name} gaat.",
    )
    assert db.session.get(Signal, signal.id).organisation_id == region["home"].id


def test_a_transfer_moves_the_signal_and_its_duplicates_and_tells_the_other_coordinators(region: dict) -> None:
    coordinator = region["coordinator"]
    # Reported to this team, though the postcode lies in the other team's area (taken by phone, say).
    signal = make_signal(postcode="3241 AB")
    duplicate = make_signal(postcode="3241 AB")
    for taken in (signal, duplicate):
        taken.organisation_id, taken.area_id = region["home"].id, None
    db.session.commit()
    assign_signal(signal, coordinator, region["sanne"])
    mark_duplicate(duplicate, coordinator, signal)
    db.session.commit()

    transfer_signal(signal, coordinator, region["other"], "Woont in Middelharnis")
    db.session.commit()

    moved = db.session.get(Signal, signal.id)
    assert (moved.organisation_id, moved.status, moved.assignee_id, moved.area_id) == (
        region["other"].id,
        SignalStatus.NEW,
        None,
        region["flakkee"].id,
    )
    [step] = events(signal, EventKind.TRANSFERRED)
    sender, receiver = region["home"].name, region["other"].name
    assert (step.data, step.note, step.actor_id) == (
        {"from": sender, "to": receiver},
        "Woont in Middelharnis",
        coordinator.id,
    )
    [along] = events(duplicate, EventKind.TRANSFERRED)
    assert (along.data, along.actor_id) == ({"from": sender, "to": receiver}, coordinator.id)
    assert db.session.get(Signal, duplicate.id).organisation_id == region["other"].id

    [told] = mails_to("theirs@example.nl", "former@example.nl", "werker@example.nl", "fatima@example.nl")
    assert (told.recipient, told.signal_id) == ("theirs@example.nl", signal.id)
    assert told.subject == f"Melding {signal.reference} is aan uw team overgedragen"
    assert f"Melding {signal.reference} is door {sender} aan uw team overgedragen." in told.body_text
    assert f"https://signaalpunt.example.nl/werk/meldingen/{signal.reference}" in told.body_text
    assert "Middelharnis" not in told.body_text, "the reason stays in the timeline"
    assert f"<br>{receiver}</p>" in told.body_html, "signed by the receiving team"


def test_a_transfer_outside_the_other_teams_areas_leaves_the_area_empty(region: dict) -> None:
    signal = make_signal(postcode="4531 AB")
    transfer_signal(signal, region["coordinator"], region["other"], "Woont bij haar dochter in Ouddorp")
    db.session.commit()
    assert db.session.get(Signal, signal.id).area_id is None


def test_placing_a_signal_needs_an_open_signal_outside_every_area_whose_postcode_an_area_now_has(
    region: dict,
) -> None:
    coordinator = region["coordinator"]
    nowhere = make_signal(postcode="9999 ZZ")
    in_area = make_signal(postcode="4531 AB")
    closed = make_signal(postcode="9998 ZZ")
    make_area("Noord", ((9998, 9998),))
    closed.status = SignalStatus.CLOSED
    db.session.commit()
    for signal in (nowhere, in_area, closed):
        refused(
            lambda signal=signal: place_in_area(signal, coordinator),
            "Deze melding ligt niet (meer) buiten een werkgebied dat nu bestaat.",
        )


def test_a_signal_is_placed_in_its_teams_new_area_or_handed_to_the_team_that_has_it(region: dict) -> None:
    coordinator = region["coordinator"]
    ours, theirs = make_signal(postcode="9998 AB"), make_signal(postcode="9997 AB")
    noord = make_area("Noord", ((9998, 9998),))
    make_area("Sommelsdijk", ((9997, 9997),), team=region["other"])
    refused(
        lambda: place_in_area(ours, region["sanne"]),
        "Dit kan nu niet bij deze melding, of u heeft er geen rechten voor.",
    )

    place_in_area(ours, coordinator)
    place_in_area(theirs, coordinator)
    db.session.commit()

    assert db.session.get(Signal, ours.id).area_id == noord.id
    [placed] = events(ours, EventKind.AREA_SET)
    assert (placed.data, placed.actor_id) == ({"area": "Noord"}, coordinator.id)
    handed = db.session.get(Signal, theirs.id)
    assert handed.organisation_id == region["other"].id
    [step] = events(theirs, EventKind.TRANSFERRED)
    assert step.note == f"De postcode valt nu in een werkgebied van {region['other'].name}."


def test_making_a_signal_urgent_brings_its_deadline_forward_never_back(region: dict) -> None:
    coordinator = region["coordinator"]
    fresh, late = make_signal(postcode="4531 AB"), make_signal(postcode="4531 AB")
    late.due_at = utcnow() - timedelta(days=2)
    db.session.commit()
    normal_due = fresh.due_at

    mark_urgent(fresh, coordinator, "Geroep gehoord.")
    mark_urgent(late, coordinator)
    db.session.commit()

    assert db.session.get(Signal, fresh.id).due_at < normal_due
    assert db.session.get(Signal, late.id).due_at == late.due_at, "already overdue: not given more time"
    [step] = events(fresh, EventKind.MARKED_URGENT)
    assert (step.data, step.note, step.actor_id) == ({}, "Geroep gehoord.", coordinator.id)
    alerts = mails_to("fatima@example.nl")
    assert {mail.signal_id for mail in alerts} == {fresh.id, late.id}
    assert mails_to("theirs@example.nl", "sanne@example.nl") == []


def test_undoing_a_link_is_written_on_both_timelines_by_whoever_did_it(region: dict) -> None:
    coordinator = region["coordinator"]
    primary, duplicate = make_signal(), make_signal()
    mark_duplicate(duplicate, coordinator, primary)
    db.session.commit()
    unlink_duplicate(duplicate, coordinator)
    db.session.commit()
    [on_duplicate] = events(duplicate, EventKind.DUPLICATE_UNLINKED)
    [on_primary] = events(primary, EventKind.DUPLICATE_UNLINKED)
    assert (on_duplicate.data, on_duplicate.actor_id) == ({"primary": primary.reference}, coordinator.id)
    assert (on_primary.data, on_primary.actor_id) == ({"duplicate": duplicate.reference}, coordinator.id)


def test_a_first_assignment_and_a_reassignment_read_differently(region: dict) -> None:
    coordinator = region["coordinator"]
    signal = make_signal(postcode="4531 AB")
    assign_signal(signal, coordinator, region["sanne"])
    assign_signal(signal, coordinator, region["joost"])
    db.session.commit()
    kinds = [event.kind for event in db.session.get(Signal, signal.id).events]
    assert kinds[-2:] == [EventKind.ASSIGNED, EventKind.REASSIGNED]


def test_reopening_what_cannot_be_reopened_is_refused_plainly(region: dict) -> None:
    signal = make_signal()
    refused(
        lambda: reopen_signal(signal, region["coordinator"]),
        "Dit kan nu niet bij deze melding, of u heeft er geen rechten voor.",
    )


STEPS: dict[str, Callable[[Signal, dict, int], object]] = {
    "assign": lambda s, r, v: assign_signal(s, r["coordinator"], r["joost"], v),
    "take": lambda s, r, v: take_signal(s, r["sanne"], v),
    "contact": lambda s, r, v: record_contact_attempt(s, r["sanne"], ContactMethod.PHONE, utcnow(), False, None, v),
    "close": lambda s, r, v: close_signal(s, r["coordinator"], Outcome.NO_HELP_NEEDED, None, v),
    "reopen": lambda s, r, v: reopen_signal(s, r["coordinator"], None, v),
    "duplicate": lambda s, r, v: mark_duplicate(s, r["coordinator"], make_signal(), v),
    "unlink": lambda s, r, v: unlink_duplicate(s, r["coordinator"], v),
    "reject": lambda s, r, v: reject_signal(s, r["coordinator"], RejectionReason.SPAM, None, v),
    "transfer": lambda s, r, v: transfer_signal(s, r["coordinator"], r["other"], "Verhuisd", v),
    "urgent": lambda s, r, v: mark_urgent(s, r["coordinator"], None, v),
}
STATUS_FOR = {
    "contact": SignalStatus.ASSIGNED,
    "close": SignalStatus.IN_PROGRESS,
    "reopen": SignalStatus.CLOSED,
    "unlink": SignalStatus.DUPLICATE,
}


@pytest.mark.parametrize("step", STEPS)
def test_every_step_refuses_a_page_older_than_the_signal(region: dict, step: str) -> None:
    signal = make_signal(postcode="4531 AB")
    signal.status = STATUS_FOR.get(step, SignalStatus.NEW)
    if step == "contact":
        signal.assignee = region["sanne"]
    if step == "unlink":
        signal.duplicate_of = make_signal()
    db.session.commit()
    seen = signal.version
    signal.version += 1  # a colleague's change since the page was made
    db.session.commit()

    before = (signal.status, signal.version, len(signal.events))

    with pytest.raises(StaleError):
        STEPS[step](signal, region, seen)
    db.session.rollback()
    after = db.session.get(Signal, signal.id)
    assert (after.status, after.version, len(after.events)) == before, "nothing of the step was taken"
