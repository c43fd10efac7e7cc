"""Demo calls for good neighbours: in each demo team one open call with a few sign-ups, and one signal whose
network was formed."""

import sqlalchemy as sa

from signaalpunt.consent.enums import ConsentKind, ConsentMethod
from signaalpunt.consent.service import has_consent, record_consent
from signaalpunt.core.clock import utcnow
from signaalpunt.core.errors import DomainError
from signaalpunt.extensions import db
from signaalpunt.neighbours.enums import Availability, NeighbourHelp
from signaalpunt.neighbours.models import NeighbourCall
from signaalpunt.neighbours.service import CallDraft, form_network, send_call
from signaalpunt.neighbours.signups import SignupDetails, sign_up
from signaalpunt.organisations.models import Organisation
from signaalpunt.referrals.models import Referral
from signaalpunt.signals.models import Signal
from signaalpunt.socialmap.enums import SpokenLanguage

CALL = "Een vrouw in deze buurt woont sinds kort alleen en zou graag eens per week iemand op de koffie krijgen."
VOLUNTEERS = (("Anouk Verlinde", "AB", 3), ("Kees Dominicus", "CD", 18), ("Fatma Yilmaz", "GH", 41))


def load_demo_neighbours() -> int:
    """Once: per demo team an open call and a formed network on referred signals; returns how many calls. Does
    not commit."""
    if db.session.scalar(sa.select(sa.func.count(NeighbourCall.id))):
        return 0
    made = 0
    for team in db.session.scalars(sa.select(Organisation).order_by(Organisation.id)):
        referred = db.session.scalars(
            sa.select(Signal)
            .where(
                Signal.organisation_id == team.id, Signal.id.in_(sa.select(Referral.signal_id)), Signal.pc4.is_not(None)
            )
            .order_by(Signal.id)
            .limit(2)
        ).all()
        for signal, forms_network in zip(referred, (False, True), strict=False):
            if _call(signal, forms_network):
                made += 1
    return made


def _call(signal: Signal, forms_network: bool) -> bool:
    worker = signal.assignee
    if not has_consent(signal, ConsentKind.VOLUNTEERS):
        record_consent(signal, worker, [ConsentKind.VOLUNTEERS], ConsentMethod.IN_PERSON)
    now = utcnow()
    try:
        call = send_call(signal, worker, CallDraft(CALL, (NeighbourHelp.COFFEE, NeighbourHelp.WALK), 2), now)
    except DomainError:
        # A demo signal without a network partner near it simply gets no call.
        return False
    for name, letters, number in VOLUNTEERS:
        details = SignupDetails(
            name=name,
            postcode=f"{signal.pc4} {letters}",
            house_number=number,
            phone=None,
            email=f"{name.split()[0].lower()}@example.nl",
            availability=(Availability.WEEKDAY_MORNING, Availability.WEEKEND),
            languages=(SpokenLanguage.DUTCH,),
            motivation="Ik woon hier al jaren en heb tijd over.",
        )
        sign_up(call.invites[0], details, now)
    if forms_network:
        form_network(signal, worker, call, {call.signups[0].id, call.signups[1].id}, True, now)
    return True
