"""The rules of a call for good neighbours.

A call needs the person's consent to be contacted by volunteers, and its text may not hold the person's name,
street or a full postcode: it goes, anonymised, to the network partners serving the person's PC4 and those
around it, who forward it to people they trust. The worker picks the nearest volunteers; only to them, and only
after she confirms the person agreed, goes the address, by a one-time link. The others are thanked.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from signaalpunt.accounts import audit
from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.consent.enums import ConsentKind
from signaalpunt.consent.service import has_consent
from signaalpunt.core.errors import DomainError
from signaalpunt.core.links import public_url
from signaalpunt.core.listing import Shown, first_lines
from signaalpunt.core.tokens import hashed
from signaalpunt.extensions import db
from signaalpunt.neighbours.enums import NeighbourHelp
from signaalpunt.neighbours.models import CallInvite, NeighbourCall, VolunteerSignup
from signaalpunt.neighbours.signups import mail_volunteer
from signaalpunt.referrals.enums import Landed
from signaalpunt.signals.enums import EventKind
from signaalpunt.signals.models import Signal
from signaalpunt.signals.workflow import Action, take_step
from signaalpunt.socialmap.models import Initiative, InitiativePostcode
from signaalpunt.socialmap.service import mail_initiative

CALL_OPEN = timedelta(weeks=4)
ADDRESS_LINK_VALID = timedelta(days=14)
NETWORK_FOLLOW_UP = timedelta(weeks=4)
# PC4 numbers either side a call first reaches: the person's own and the ones next to it, until widened.
FIRST_RADIUS = 1
WIDEN_BY = 3
MAX_WANTED = 10
FULL_POSTCODE = re.compile(r"\b[1-9][0-9]{3}\s?[A-Za-z]{2}\b")


def _mentions(text: str, words: str | None) -> bool:
    return bool(words) and re.search(rf"\b{re.escape(words)}\b", text, re.IGNORECASE) is not None


def call_text_problems(signal: Signal, text: str) -> list[str]:
    """What in the text points to the person: their name (or any of its words), their street, a full postcode."""
    problems = []
    name_words = [word for word in re.split(r"[\s.,]+", signal.person_name or "") if len(word) >= 3]
    named = [word for word in name_words if word.lower() not in {"mevrouw", "meneer", "van", "der", "den"}]
    if any(_mentions(text, word) for word in named):
        problems.append(_("De tekst noemt de naam van de persoon. Haal de naam weg."))
    if _mentions(text, signal.street):
        problems.append(_("De tekst noemt de straat van de persoon. Noem alleen de buurt of het dorp."))
    if FULL_POSTCODE.search(text):
        problems.append(_("De tekst bevat een volledige postcode. Het postcodegebied (vier cijfers) staat er al bij."))
    return problems


def network_partners(organisation_id: int, pc4: int, radius: int) -> list[Initiative]:
    """The team's active network partners serving a PC4 within ``radius`` numbers of ``pc4`` (or the whole
    municipality)."""
    nearby = sa.exists().where(
        InitiativePostcode.initiative_id == Initiative.id,
        InitiativePostcode.pc4.between(pc4 - radius, pc4 + radius),
    )
    query = sa.select(Initiative).where(
        Initiative.organisation_id == organisation_id,
        Initiative.active.is_(True),
        Initiative.network_partner.is_(True),
        sa.or_(Initiative.whole_municipality.is_(True), nearby),
    )
    return list(db.session.scalars(query.order_by(Initiative.name)))


@dataclass(frozen=True)
class CallDraft:
    text: str
    kinds: tuple[NeighbourHelp, ...]
    wanted: int = 3
    radius: int = FIRST_RADIUS


def _call_problem(signal: Signal, draft: CallDraft) -> DomainError | None:
    if not has_consent(signal, ConsentKind.VOLUNTEERS):
        message = _(
            "Leg eerst vast dat de persoon benaderd wil worden door vrijwilligers (bij ‘Toestemming vastleggen’)."
        )
        return DomainError(message, field="text")
    if not signal.pc4 or not signal.pc4.isdigit():
        return DomainError(_("Zonder postcode van de persoon kan er geen oproep in de buurt uit."), field="text")
    text_problems = call_text_problems(signal, draft.text)
    if text_problems:
        return DomainError(" ".join(text_problems), field="text")
    if not draft.kinds:
        return DomainError(_("Kies wat voor buur u zoekt."), field="kinds")
    if not network_partners(signal.organisation_id, int(signal.pc4), draft.radius):
        message = _(
            "Er is geen netwerkpartner in dit gebied. Vergroot het gebied, of zet partners op de sociale kaart."
        )
        return DomainError(message, field="radius")
    return None


def send_call(signal: Signal, actor: User, draft: CallDraft, now: datetime) -> NeighbourCall:
    """Write the call and e-mail it to every network partner of the area, each with its own sign-up link."""
    problem = _call_problem(signal, draft)
    data = {"pc4": signal.pc4, "kinds": [kind.value for kind in draft.kinds], "wanted": draft.wanted}
    take_step(signal, actor, Action.CALL_NEIGHBOURS, None, EventKind.CALL_SENT, data, draft.text, problem)
    call = NeighbourCall(
        organisation_id=signal.organisation_id,
        text=draft.text.strip(),
        pc4=signal.pc4,
        kinds=",".join(kind.value for kind in NeighbourHelp if kind in draft.kinds),
        wanted=draft.wanted,
        radius=draft.radius,
        created_by=actor,
        created_at=now,
        expires_at=now + CALL_OPEN,
    )
    signal.calls.append(call)
    _invite(call, network_partners(signal.organisation_id, int(signal.pc4), draft.radius), now)
    db.session.flush()
    audit.record("call.send", object_type="call", object_key=f"{signal.reference} #{call.id}")
    return call


def _not_yet_asked(call: NeighbourCall, partners: list[Initiative]) -> list[Initiative]:
    asked = {invite.initiative_id for invite in call.invites}
    return [partner for partner in partners if partner.id not in asked]


def _invite(call: NeighbourCall, partners: list[Initiative], now: datetime) -> int:
    """Mail the call to each partner not asked before, each with its own sign-up link; returns how many."""
    fresh = _not_yet_asked(call, partners)
    for partner in fresh:
        invite = CallInvite(initiative=partner, token=secrets.token_urlsafe(24), sent_at=now)
        call.invites.append(invite)
        mail_initiative(
            partner,
            lazy_gettext("Burenoproep: wie wil iemand in %(pc4)s leren kennen?", pc4=call.pc4),
            "neighbour_call",
            call=call,
            recipient=partner.call_email,
            link=public_url("volunteers.signup", token=invite.token),
        )
    return len(fresh)


def call_of(signal: Signal, call_id: int) -> NeighbourCall | None:
    return next((call for call in signal.calls if call.id == call_id), None)


def widen_call(signal: Signal, actor: User, call: NeighbourCall, now: datetime) -> int:
    """Few answers: the call goes to the partners a few PC4 numbers further out too."""
    radius = call.radius + WIDEN_BY
    fresh = _not_yet_asked(call, network_partners(signal.organisation_id, int(call.pc4), radius))
    problem = None
    if not call.is_open(now):
        problem = DomainError(_("Deze oproep is gesloten."))
    elif not fresh:
        problem = DomainError(_("Ook in een groter gebied is er geen andere netwerkpartner."))
    take_step(signal, actor, Action.CALL_NEIGHBOURS, None, EventKind.CALL_WIDENED, {"radius": radius}, None, problem)
    call.radius = radius
    return _invite(call, fresh, now)


def close_call(signal: Signal, actor: User, call: NeighbourCall, now: datetime) -> None:
    """Close early; every volunteer who signed up is thanked."""
    problem = None if call.is_open(now) else DomainError(_("Deze oproep is al gesloten."))
    take_step(signal, actor, Action.CALL_NEIGHBOURS, None, EventKind.CALL_CLOSED, {}, None, problem)
    call.closed_at = now
    _thank(call.signups, filled=False)


def form_network(
    signal: Signal, actor: User, call: NeighbourCall, picked_ids: set[int], person_agreed: bool, now: datetime
) -> list[VolunteerSignup]:
    """The worker picks the neighbours: each gets the person's address by a one-time link; the others are told
    the call was filled. The call then closes."""
    picked = [signup for signup in call.signups if signup.id in picked_ids]
    problem = None
    if not has_consent(signal, ConsentKind.VOLUNTEERS):
        problem = DomainError(_("Zonder vastgelegde toestemming van de persoon deelt u het adres niet."))
    elif not call.is_open(now):
        problem = DomainError(_("Deze oproep is gesloten."))
    elif not picked:
        problem = DomainError(_("Kies een of meer vrijwilligers."), field="picked")
    elif len(picked) > call.wanted:
        problem = DomainError(_("Kies hoogstens %(count)s vrijwilligers.", count=call.wanted), field="picked")
    elif not person_agreed:
        message = _("Bevestig dat de persoon ermee instemt dat deze vrijwilligers het adres krijgen.")
        problem = DomainError(message, field="person_agreed")
    data = {"count": len(picked)}
    take_step(signal, actor, Action.FORM_NETWORK, None, EventKind.NETWORK_FORMED, data, None, problem)
    for signup in picked:
        token = secrets.token_urlsafe(32)
        signup.picked_at = now
        signup.address_token_hash = hashed(token)
        signup.address_link_expires_at = now + ADDRESS_LINK_VALID
        mail_volunteer(
            signup,
            "volunteer_picked",
            link=public_url("volunteers.address", token=token),
            valid_days=ADDRESS_LINK_VALID.days,
        )
    call.filled_at = call.closed_at = now
    _thank([signup for signup in call.signups if signup.picked_at is None], filled=True)
    audit.record("call.address_shared", object_type="call", object_key=f"{signal.reference} #{call.id}")
    return picked


def _thank(signups: list[VolunteerSignup], filled: bool) -> None:
    for signup in signups:
        mail_volunteer(signup, "volunteer_thanks", filled=filled)


def network_follow_ups_due(actor: User, now: datetime, limit: int | None = None) -> Shown[sa.Row]:
    """Networks formed four weeks ago that nobody called back about: the worker's own, or the team's; oldest
    first (the first ``limit`` lines: the call, its signal and when)."""
    query = (
        sa.select(NeighbourCall.id, NeighbourCall.filled_at, Signal.reference)
        .join(Signal, Signal.id == NeighbourCall.signal_id)
        .where(
            NeighbourCall.organisation_id == actor.organisation_id,
            NeighbourCall.filled_at <= now - NETWORK_FOLLOW_UP,
            NeighbourCall.follow_up.is_(None),
            Signal.anonymised_at.is_(None),
        )
        .order_by(NeighbourCall.filled_at)
    )
    if actor.role != Role.COORDINATOR:
        query = query.where(Signal.assignee_id == actor.id)
    return first_lines(query, limit)


def record_network_follow_up(
    signal: Signal, actor: User, call: NeighbourCall, landed: Landed, reason: str, now: datetime
) -> None:
    """Four weeks on: does the network work?"""
    problem = None
    if call.filled_at is None:
        problem = DomainError(_("Bij deze oproep is nog geen netwerk gevormd."))
    elif call.follow_up is not None:
        problem = DomainError(_("Het nabellen over dit netwerk is al vastgelegd."))
    elif landed == Landed.NO and not reason.strip():
        problem = DomainError(_("Schrijf kort waarom het netwerk niet werkt."), field="reason")
    data = {"landed": landed.value}
    take_step(signal, actor, Action.NETWORK_FOLLOW_UP, None, EventKind.NETWORK_FOLLOWED_UP, data, reason, problem)
    call.follow_up, call.follow_up_reason, call.followed_up_at = landed, reason.strip() or None, now
