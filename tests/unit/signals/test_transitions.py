"""Walk the declared status table: every row can be taken by its actors and lands where it says, and
nothing outside the table is allowed."""

import secrets
from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.consent.enums import ConsentKind, ConsentMethod
from signaalpunt.consent.models import Consent
from signaalpunt.consent.service import record_consent, withdraw_consent
from signaalpunt.core.clock import utcnow
from signaalpunt.extensions import db
from signaalpunt.neighbours.enums import NeighbourHelp
from signaalpunt.neighbours.models import NeighbourCall, VolunteerSignup
from signaalpunt.neighbours.service import CallDraft, form_network, record_network_follow_up, send_call
from signaalpunt.referrals.enums import Landed
from signaalpunt.referrals.models import Referral
from signaalpunt.referrals.service import ReferralChoice, record_follow_up, refer_signal
from signaalpunt.signals.enums import ContactMethod, Outcome, ReferralTarget, RejectionReason, SignalStatus
from signaalpunt.signals.models import ContactAttempt, Signal, TimelineEvent
from signaalpunt.signals.workflow import (
    TRANSITIONS,
    Action,
    Actor,
    add_note,
    allowed_actions,
    assign_signal,
    close_signal,
    mark_duplicate,
    mark_urgent,
    record_contact_attempt,
    reject_signal,
    reopen_signal,
    take_signal,
    transfer_signal,
    unlink_duplicate,
)
from signaalpunt.socialmap.models import Initiative
from tests.factories import make_area, make_organisation, make_signal, make_user
from tests.unit.signals.design import DESIGNED_MOVES


@pytest.fixture
def team(app: Flask) -> dict:
    area = make_area()
    return {
        "coordinator": make_user(Role.COORDINATOR),
        "worker": make_user(Role.WORKER, areas=(area,)),
        "colleague": make_user(Role.WORKER, areas=(area,)),
        "primary": make_signal(),
        "other_team": make_organisation(),
    }


def reached_and_agreed(signal: Signal, actor: User) -> Consent:
    """The person was reached and agreed to be referred (stored directly: no step of its own)."""
    signal.contact_attempts.append(
        ContactAttempt(actor=actor, attempted_at=utcnow(), method=ContactMethod.PHONE, reached=True)
    )
    consent = Consent(kind=ConsentKind.REFERRAL, method=ConsentMethod.PHONE, recorded_by=actor)
    signal.consents.append(consent)
    db.session.flush()
    return consent


def referred(signal: Signal) -> Referral:
    referral = Referral(organisation_id=signal.organisation_id, name="Huisarts")
    signal.referrals.append(referral)
    db.session.flush()
    return referral


def with_neighbours(signal: Signal, actor: User, formed: bool = False) -> NeighbourCall:
    """The person agreed to volunteers; a call with one sign-up (stored directly: no step of its own)."""
    signal.consents.append(Consent(kind=ConsentKind.VOLUNTEERS, method=ConsentMethod.PHONE, recorded_by=actor))
    now = utcnow()
    call = NeighbourCall(
        organisation_id=signal.organisation_id,
        text="Koffie",
        pc4="4531",
        created_by=actor,
        expires_at=now + timedelta(days=7),
    )
    call.signups.append(
        VolunteerSignup(name="Bram", email="bram@example.nl", withdraw_token_hash=secrets.token_hex(32))
    )
    call.filled_at = now if formed else None
    signal.calls.append(call)
    db.session.flush()
    return call


def call_partner(signal: Signal, actor: User) -> None:
    """A network partner for the whole municipality (once per team), and the person's consent to volunteers."""
    known = sa.select(Initiative.id).where(Initiative.organisation_id == signal.organisation_id)
    if db.session.scalar(known) is None:
        db.session.add(
            Initiative(
                organisation_id=signal.organisation_id,
                name="Kerk De Ark",
                kind="faith",
                whole_municipality=True,
                network_partner=True,
                email="kerk@example.nl",
            )
        )
    signal.consents.append(Consent(kind=ConsentKind.VOLUNTEERS, method=ConsentMethod.PHONE, recorded_by=actor))
    db.session.flush()


def perform(action: Action, signal: Signal, actor: User, team: dict) -> None:
    performers: dict[Action, Callable[[], object]] = {
        Action.ASSIGN: lambda: assign_signal(signal, actor, team["colleague"]),
        Action.TAKE: lambda: take_signal(signal, actor),
        Action.CONTACT_ATTEMPT: lambda: record_contact_attempt(signal, actor, ContactMethod.PHONE, utcnow(), False),
        Action.NOTE: lambda: add_note(signal, actor, "Even gebeld met de buurvrouw."),
        Action.CLOSE: lambda: close_signal(signal, actor, Outcome.NO_HELP_NEEDED),
        Action.REOPEN: lambda: reopen_signal(signal, actor),
        Action.MARK_DUPLICATE: lambda: mark_duplicate(signal, actor, team["primary"]),
        Action.REJECT: lambda: reject_signal(signal, actor, RejectionReason.SPAM),
        Action.TRANSFER: lambda: transfer_signal(signal, actor, team["other_team"], "Woont in een andere gemeente"),
        Action.MARK_URGENT: lambda: mark_urgent(signal, actor),
        Action.UNLINK_DUPLICATE: lambda: unlink_duplicate(signal, actor),
        Action.RECORD_CONSENT: lambda: record_consent(signal, actor, [ConsentKind.VOLUNTEERS], ConsentMethod.IN_PERSON),
        Action.WITHDRAW_CONSENT: lambda: withdraw_consent(signal, actor, signal.consents[0].id),
        Action.REFER: lambda: refer_signal(
            signal, actor, ReferralChoice(ReferralTarget.GP, elsewhere="Huisarts"), utcnow()
        ),
        Action.FOLLOW_UP: lambda: record_follow_up(signal, actor, referred(signal).id, Landed.YES, "", False, utcnow()),
        Action.CALL_NEIGHBOURS: lambda: (
            call_partner(signal, actor),
            send_call(signal, actor, CallDraft("Iemand zoekt gezelschap", (NeighbourHelp.COFFEE,)), utcnow()),
        ),
        Action.FORM_NETWORK: lambda: form_network(
            signal, actor, call := with_neighbours(signal, actor), {call.signups[0].id}, True, utcnow()
        ),
        Action.NETWORK_FOLLOW_UP: lambda: record_network_follow_up(
            signal, actor, with_neighbours(signal, actor, formed=True), Landed.YES, "", utcnow()
        ),
        Action.FOLLOW_UP_REOPEN: lambda: record_follow_up(
            signal, actor, referred(signal).id, Landed.NO, "Wachtlijst", True, utcnow()
        ),
    }
    performers[action]()


def signal_in(status: SignalStatus, holder: User | None) -> Signal:
    signal = make_signal()
    signal.status, signal.assignee = status, holder
    db.session.commit()
    return signal


def events_of(signal: Signal) -> int:
    return db.session.scalar(sa.select(sa.func.count(TimelineEvent.id)).where(TimelineEvent.signal_id == signal.id))


def test_the_table_holds_exactly_the_designed_moves() -> None:
    assert {(row.source, row.target) for row in TRANSITIONS if row.source != row.target} == DESIGNED_MOVES


@pytest.mark.parametrize("row", TRANSITIONS, ids=lambda row: f"{row.action}-{row.source}-{row.target}")
def test_every_row_is_taken_by_each_of_its_actors(team: dict, row: object) -> None:
    for actor_kind in sorted(row.actors):
        actor = team["worker"] if actor_kind in (Actor.ASSIGNEE, Actor.AREA_WORKER) else team["coordinator"]
        holder = None if actor_kind == Actor.AREA_WORKER else team["worker"]
        if actor_kind == Actor.COORDINATOR and row.source in (SignalStatus.NEW, SignalStatus.NOT_PURSUED):
            holder = None
        signal = signal_in(row.source, holder)
        reached_and_agreed(signal, actor)
        before = events_of(signal)
        assert row.action in allowed_actions(actor, signal)
        perform(row.action, signal, actor, team)
        db.session.commit()
        assert signal.status == row.target, actor_kind
        assert events_of(signal) == before + 1, "one timeline event per step"


@pytest.mark.parametrize("status", list(SignalStatus))
def test_admins_and_viewers_do_no_casework_and_an_anonymised_signal_takes_no_step(
    team: dict, status: SignalStatus
) -> None:
    signal = signal_in(status, team["worker"])
    for role in (Role.ADMIN, Role.VIEWER):
        assert allowed_actions(make_user(role), signal) == set(), role
    signal.anonymised_at = utcnow()
    assert allowed_actions(team["coordinator"], signal) == set()
    assert allowed_actions(team["worker"], signal) == set()
