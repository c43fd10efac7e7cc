"""Demo referrals in every state, for the demo teams' reached persons once the social map is there: a warm
handover waiting, confirmed, refused, unanswered for weeks; a card for a person who shares nothing; a call-back
due; help that landed, partly landed, or did not."""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from signaalpunt.consent.enums import ConsentKind, ConsentMethod, SharedDetail
from signaalpunt.consent.service import record_consent
from signaalpunt.core.clock import utcnow
from signaalpunt.extensions import db
from signaalpunt.referrals.enums import HandoverAnswer, Landed
from signaalpunt.referrals.models import Referral
from signaalpunt.referrals.service import (
    ReferralChoice,
    active_initiatives,
    answer_handover,
    record_follow_up,
    refer_signal,
)
from signaalpunt.signals.enums import ReferralTarget, SignalStatus
from signaalpunt.signals.models import ContactAttempt, Signal


@dataclass(frozen=True)
class DemoReferral:
    days_ago: int
    handover: bool
    answer: HandoverAnswer | None = None
    landed: Landed | None = None
    language: str = "nl"


STATES = (
    DemoReferral(2, handover=True),
    DemoReferral(60, handover=True, answer=HandoverAnswer.CONTACT_MADE, landed=Landed.YES),
    DemoReferral(5, handover=False, language="tr"),
    DemoReferral(20, handover=True),
    DemoReferral(45, handover=False),
    DemoReferral(12, handover=True, answer=HandoverAnswer.COULD_NOT_HELP),
    DemoReferral(55, handover=False, landed=Landed.PARTLY),
    DemoReferral(50, handover=True, answer=HandoverAnswer.CONTACT_MADE, landed=Landed.NO),
)


def load_demo_referrals() -> int:
    """Refer the demo teams' reached persons, each in one state of ``STATES``, once; returns how many. Does not
    commit."""
    if db.session.scalar(sa.select(sa.func.count(Referral.id))):
        return 0
    reached = sa.exists().where(ContactAttempt.signal_id == Signal.id, ContactAttempt.reached.is_(True))
    candidates = db.session.scalars(
        sa.select(Signal).where(Signal.status == SignalStatus.IN_PROGRESS, reached).order_by(Signal.id)
    ).all()
    made = 0
    by_team: dict[int, int] = {}
    for signal in candidates:
        index = by_team.get(signal.organisation_id, 0)
        initiatives = active_initiatives(signal.organisation_id)
        if index >= len(STATES) or not initiatives:
            continue
        by_team[signal.organisation_id] = index + 1
        _refer(signal, STATES[index], initiatives)
        made += 1
    return made


def _refer(signal: Signal, state: DemoReferral, initiatives: list) -> None:
    worker = signal.assignee
    warm = [initiative for initiative in initiatives if initiative.warm_handover and initiative.email]
    cold = [initiative for initiative in initiatives if not initiative.warm_handover]
    initiative = (warm if state.handover else cold or warm)[0]
    share = [ConsentKind.SHARE] if state.handover else []
    record_consent(
        signal, worker, [ConsentKind.REFERRAL, *share], ConsentMethod.PHONE, initiative, (SharedDetail.NAME,)
    )
    now = utcnow()
    choice = ReferralChoice(
        ReferralTarget.BUDDY, (initiative,), language=state.language, message="Belt u haar 's ochtends?"
    )
    [referral] = refer_signal(signal, worker, choice, now)
    db.session.flush()
    _shift_back(signal, timedelta(days=state.days_ago))
    if state.answer is not None:
        reason = "Ons aanbod is vol tot het voorjaar." if state.answer == HandoverAnswer.COULD_NOT_HELP else ""
        answer_handover(referral, state.answer, reason, now - timedelta(days=state.days_ago - 3))
    if state.landed is not None:
        reason = "" if state.landed == Landed.YES else "Het klikte niet; mevrouw wil iets anders proberen."
        record_follow_up(signal, worker, referral.id, state.landed, reason, False, now)


def _shift_back(signal: Signal, age: timedelta) -> None:
    """Move the whole history back, so the referral is ``age`` old and everything before it older still."""
    signal.created_at -= age
    signal.closed_at -= age
    if signal.due_at:
        signal.due_at -= age
    if signal.first_contact_at:
        signal.first_contact_at -= age
    for item in (*signal.events, *signal.contact_attempts, *signal.consents, *signal.referrals):
        for name in ("created_at", "attempted_at", "recorded_at"):
            if getattr(item, name, None) is not None:
                setattr(item, name, getattr(item, name) - age)
    for referral in signal.referrals:
        if referral.link_expires_at:
            referral.link_expires_at -= age
