"""Random sequences of actions by random staff: the status machine's rules hold after every step."""

from datetime import timedelta

import pytest
from flask import Flask
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.consent.enums import ConsentKind, ConsentMethod
from signaalpunt.consent.service import record_consent, withdraw_consent
from signaalpunt.core.clock import utcnow
from signaalpunt.core.errors import DomainError
from signaalpunt.extensions import db
from signaalpunt.referrals.enums import Landed
from signaalpunt.referrals.service import ReferralChoice, record_follow_up, refer_signal
from signaalpunt.signals.enums import ContactMethod, Outcome, ReferralTarget, RejectionReason, SignalStatus
from signaalpunt.signals.models import Signal
from signaalpunt.signals.workflow import (
    MIN_ATTEMPTS_FOR_UNREACHABLE,
    add_note,
    assign_signal,
    close_signal,
    mark_duplicate,
    record_contact_attempt,
    reject_signal,
    reopen_signal,
    take_signal,
)
from tests.factories import make_area, make_signal, make_user
from tests.unit.signals.design import DESIGNED_MOVES

pytestmark = pytest.mark.slow

S = SignalStatus
# "assignee" acts as whoever holds the signal now, so that deep sequences (assign, attempts, close) are common.
ACTORS = ("coordinator", "coordinator", "assignee", "assignee", "worker_in_area", "other_worker", "admin", "viewer")
ACTIONS = (
    *("assign",) * 3,
    "take",
    *("contact",) * 5,
    "note",
    *("close",) * 4,
    *("reopen",) * 2,
    "duplicate",
    "reject",
    *("consent",) * 2,
    "withdraw",
    *("refer",) * 2,
    *("follow_up",) * 2,
)

step = st.tuples(
    st.sampled_from(ACTIONS),
    st.sampled_from(ACTORS),
    st.sampled_from(("worker_in_area", "other_worker", "coordinator")),
    st.sampled_from([Outcome.UNREACHABLE, Outcome.UNREACHABLE, *Outcome]),
    st.booleans(),
)


@pytest.fixture
def staff(app: Flask) -> dict:
    area = make_area("Centrum", ((4531, 4532),))
    return {
        "coordinator": make_user(Role.COORDINATOR),
        "worker_in_area": make_user(Role.WORKER, areas=(area,)),
        "other_worker": make_user(Role.WORKER),
        "admin": make_user(Role.ADMIN),
        "viewer": make_user(Role.VIEWER),
        "primary": make_signal(postcode="4531 AB"),
    }


def perform(signal: Signal, staff: dict, action: str, actor: User, target: str, outcome, flag) -> None:
    if action == "assign":
        assign_signal(signal, actor, staff[target])
    elif action == "take":
        take_signal(signal, actor)
    elif action == "contact":
        record_contact_attempt(signal, actor, ContactMethod.PHONE, utcnow() - timedelta(minutes=1), flag)
    elif action == "note":
        add_note(signal, actor, "Notitie")
    elif action == "close":
        close_signal(signal, actor, outcome)
    elif action == "consent":
        record_consent(signal, actor, [ConsentKind.REFERRAL], ConsentMethod.PHONE)
    elif action == "withdraw":
        withdraw_consent(signal, actor, signal.consents[-1].id if signal.consents else 0)
    elif action == "refer":
        refer_signal(signal, actor, ReferralChoice(ReferralTarget.BUDDY, elsewhere="Maatje"), utcnow())
    elif action == "follow_up":
        record_follow_up(
            signal, actor, signal.referrals[-1].id if signal.referrals else 0, Landed.NO, "Wachtlijst", flag, utcnow()
        )
    elif action == "reopen":
        reopen_signal(signal, actor)
    elif action == "duplicate":
        mark_duplicate(signal, actor, staff["primary"])
    elif action == "reject":
        reject_signal(signal, actor, RejectionReason.NO_CONCERN)


def snapshot(signal: Signal) -> tuple:
    return (
        signal.status,
        signal.assignee_id,
        signal.outcome,
        signal.referral_target,
        signal.closed_at,
        signal.version,
        len(signal.events),
        len(signal.contact_attempts),
        len(signal.consents),
        len(signal.referrals),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=5, max_size=30))
def test_rules_hold_after_every_step(staff: dict, steps: list) -> None:
    signal = make_signal(postcode="4531 AB")
    for action, actor_name, target, outcome, flag in steps:
        actor = (signal.assignee or staff["coordinator"]) if actor_name == "assignee" else staff[actor_name]
        before = snapshot(signal)
        try:
            perform(signal, staff, action, actor, target, outcome, flag)
        except DomainError as error:
            assert error.message
            db.session.rollback()
            db.session.expire_all()
            assert snapshot(signal) == before, "a refused action must change nothing"
            continue
        db.session.commit()
        event(f"{action} by {actor.role.value} -> {signal.status.value}")
        after = snapshot(signal)
        assert after[6] == before[6] + 1, "every successful action writes exactly one timeline event"
        if after[0] != before[0]:
            assert (before[0], after[0]) in DESIGNED_MOVES, f"illegal transition {before[0]} → {after[0]}"
        if action == "reopen":
            assert actor.role == Role.COORDINATOR
        assert actor.role not in (Role.ADMIN, Role.VIEWER), "admins and viewers do no casework"
        if signal.status == S.CLOSED:
            assert signal.outcome is not None and signal.closed_at is not None
            assert (signal.referral_target is not None) == (signal.outcome == Outcome.REFERRED)
        else:
            assert signal.outcome is None
        if action == "refer":
            assert any(c.active and c.kind == ConsentKind.REFERRAL for c in signal.consents), "referred with consent"
        if action in ("consent", "refer"):
            assert any(attempt.reached for attempt in signal.contact_attempts), "consent after a successful contact"
        if signal.outcome == Outcome.UNREACHABLE:
            assert len(signal.contact_attempts) >= MIN_ATTEMPTS_FOR_UNREACHABLE
        if signal.status in (S.ASSIGNED, S.IN_PROGRESS, S.CLOSED):
            assert signal.assignee_id is not None
