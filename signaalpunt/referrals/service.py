"""The rules of a referral. Referring closes the signal as referred; what follows lives on its referrals: the
initiative's answer to a warm handover, and six weeks later the worker's call whether help landed.

A warm handover goes only to an initiative that accepts them, has an address, and that the person agreed to
share their details with; it carries only the details the person agreed to and the worker's message. Every
other referral gets a card the worker gives the person, and nothing about the person leaves the Signaalpunt.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from signaalpunt.accounts import audit
from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.consent.enums import ConsentKind, SharedDetail
from signaalpunt.consent.models import Consent
from signaalpunt.consent.service import consent_to_share, has_consent
from signaalpunt.core.errors import DomainError
from signaalpunt.core.links import public_url
from signaalpunt.core.listing import Shown, first_lines
from signaalpunt.core.mail import queue_mail
from signaalpunt.core.tokens import hashed
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Organisation
from signaalpunt.referrals.enums import HandoverAnswer, Landed
from signaalpunt.referrals.figures import InitiativeReport
from signaalpunt.referrals.models import Referral
from signaalpunt.signals.enums import EventKind, Outcome, ReferralTarget, ReporterRole, SignalStatus
from signaalpunt.signals.models import Signal
from signaalpunt.signals.postcode import postal_address
from signaalpunt.signals.workflow import Action, finish, log_event, resume, take_step
from signaalpunt.socialmap.enums import InitiativeKind
from signaalpunt.socialmap.models import Initiative, InitiativePostcode
from signaalpunt.socialmap.service import mail_initiative

HANDOVER_LINK_VALID = timedelta(days=30)

# The kinds of initiative that give the help a person needs; the rest of the map is still offered below them.
KINDS_FOR_NEED: dict[ReferralTarget, tuple[InitiativeKind, ...]] = {
    ReferralTarget.BUDDY: (InitiativeKind.BUDDY, InitiativeKind.VOLUNTEERS),
    ReferralTarget.WELFARE: (InitiativeKind.WELFARE,),
    ReferralTarget.ACTIVITIES: (InitiativeKind.ACTIVITIES, InitiativeKind.CLUB, InitiativeKind.FAITH),
    ReferralTarget.CARER_SUPPORT: (InitiativeKind.CARER_SUPPORT,),
    ReferralTarget.DEBT_HELP: (InitiativeKind.DEBT_HELP,),
}


@dataclass(frozen=True)
class Suggestion:
    """An initiative of the team, and why it fits (or not) this person."""

    initiative: Initiative
    serves_here: bool
    fits_need: bool
    speaks_language: bool
    # The person agreed to share details with it and it takes warm handovers by e-mail.
    handover: bool

    @property
    def suggested(self) -> bool:
        return self.serves_here and self.fits_need


def suggestions(signal: Signal, need: ReferralTarget | None, language: str) -> list[Suggestion]:
    """Every active initiative of the signal's team, those serving the person's PC4 with the help needed first,
    then those speaking the person's language, then by name."""
    pc4 = int(signal.pc4) if signal.pc4 and signal.pc4.isdigit() else None
    serving = set(
        db.session.scalars(sa.select(InitiativePostcode.initiative_id).where(InitiativePostcode.pc4 == pc4)).all()
    )
    wanted = KINDS_FOR_NEED.get(need) if need is not None else None
    found = []
    for initiative in active_initiatives(signal.organisation_id):
        found.append(
            Suggestion(
                initiative=initiative,
                serves_here=initiative.whole_municipality or initiative.id in serving,
                fits_need=wanted is None or initiative.kind in wanted,
                speaks_language=language in initiative.languages.split(","),
                handover=can_hand_over(signal, initiative),
            )
        )
    return sorted(found, key=lambda s: (not s.suggested, not s.speaks_language, s.initiative.name.lower()))


def active_initiatives(organisation_id: int) -> list[Initiative]:
    query = sa.select(Initiative).where(Initiative.organisation_id == organisation_id, Initiative.active.is_(True))
    return list(db.session.scalars(query.order_by(Initiative.name)))


def person_language(signal: Signal) -> str:
    """The language to suggest initiatives and write the card in: a self-report says it; otherwise Dutch until
    the worker says otherwise."""
    return signal.reporter_language if signal.reporter_role == ReporterRole.SELF else "nl"


def can_hand_over(signal: Signal, initiative: Initiative) -> bool:
    return bool(initiative.warm_handover and initiative.email) and consent_to_share(signal, initiative) is not None


@dataclass(frozen=True)
class ReferralChoice:
    """What the worker chose on the referral page."""

    need: ReferralTarget
    initiatives: tuple[Initiative, ...] = ()
    # A place not on the map, in the worker's words.
    elsewhere: str = ""
    # The person's language: the card is written in it.
    language: str = "nl"
    # For the initiatives that get a warm handover: what the person wants them to know.
    message: str = ""


def _refer_problem(signal: Signal, choice: ReferralChoice) -> DomainError | None:
    if not choice.initiatives and not choice.elsewhere.strip():
        message = _("Kies een of meer initiatieven, of vul in waarheen u anders doorverwijst.")
        return DomainError(message, field="initiatives")
    if not has_consent(signal, ConsentKind.REFERRAL):
        message = _("Leg eerst vast dat de persoon wil worden doorverwezen (bij ‘Toestemming vastleggen’).")
        return DomainError(message, field="initiatives")
    return None


def refer_signal(
    signal: Signal,
    actor: User,
    choice: ReferralChoice,
    now: datetime,
    note: str | None = None,
    expected_version: int | None = None,
) -> list[Referral]:
    """Close the signal as referred to the chosen initiatives (and a place not on the map); each initiative that
    may have it gets a warm handover, every other one becomes a card for the person."""
    handovers = [initiative for initiative in choice.initiatives if can_hand_over(signal, initiative)]
    elsewhere = choice.elsewhere.strip()
    places = [initiative.name for initiative in choice.initiatives] + ([elsewhere] if elsewhere else [])
    data = {
        "outcome": Outcome.REFERRED.value,
        "referral_target": choice.need.value,
        "initiatives": places,
        "handovers": [initiative.name for initiative in handovers],
    }
    problem = _refer_problem(signal, choice)
    take_step(signal, actor, Action.REFER, expected_version, EventKind.REFERRED, data, note, problem)
    made = []
    for initiative in choice.initiatives:
        referral = _referral(signal, choice, initiative.name, initiative.kind, initiative)
        if initiative in handovers:
            _hand_over(signal, actor, referral, consent_to_share(signal, initiative), choice.message, now)
        made.append(referral)
    if elsewhere:
        made.append(_referral(signal, choice, elsewhere[:120], None, None))
    finish(signal, Outcome.REFERRED, choice.need)
    return made


def _referral(
    signal: Signal, choice: ReferralChoice, name: str, kind: InitiativeKind | None, initiative: Initiative | None
) -> Referral:
    referral = Referral(
        organisation_id=signal.organisation_id, initiative=initiative, name=name, kind=kind, language=choice.language
    )
    signal.referrals.append(referral)
    return referral


def _hand_over(signal: Signal, actor: User, referral: Referral, consent: Consent, message: str, now: datetime) -> None:
    token = secrets.token_urlsafe(32)
    shared = consent.shared_details
    referral.handover = True
    referral.shared = consent.details
    referral.message = message.strip() or None
    referral.token_hash = hashed(token)
    referral.link_expires_at = now + HANDOVER_LINK_VALID
    initiative = referral.initiative
    mail_initiative(
        initiative,
        lazy_gettext("Warme overdracht van %(team)s", team=initiative.organisation.name),
        "handover",
        about=signal,
        worker=actor,
        person_name=signal.person_name if SharedDetail.NAME in shared else None,
        address=postal_address(signal) if SharedDetail.ADDRESS in shared else None,
        message=referral.message,
        link=public_url("initiatives.handover", token=token),
        valid_days=HANDOVER_LINK_VALID.days,
    )
    audit.record("referral.handover", object_type="signal", object_key=f"{signal.reference} → {initiative.name}")


def handover_for(token: str, now: datetime) -> Referral | None:
    """The open handover this token belongs to; ``None`` alike for unknown, answered and expired links."""
    referral = handover_of_any_state(token)
    if referral is None or referral.answered_at is not None or referral.link_expires_at < now:
        return None
    return referral


def handover_of_any_state(token: str) -> Referral | None:
    """The handover this token belongs to, even answered or expired: to say whom to contact instead."""
    return db.session.scalar(sa.select(Referral).where(Referral.token_hash == hashed(token)))


def answer_handover(referral: Referral, answer: HandoverAnswer, reason: str, now: datetime) -> None:
    """The initiative says it made contact, or could not help and why; the answer lands on the signal's timeline
    and the worker who referred is told (by reference only). The link is then used up."""
    if answer == HandoverAnswer.COULD_NOT_HELP and not reason.strip():
        raise DomainError(_("Schrijf kort waarom u niet kon helpen."), field="reason")
    referral.answer, referral.answer_reason, referral.answered_at = answer, reason.strip() or None, now
    signal = referral.signal
    log_event(signal, EventKind.HANDOVER_ANSWERED, None, {"initiative": referral.name, "answer": answer.value}, reason)
    audit.record("referral.answer", object_type="signal", object_key=f"{signal.reference} ← {referral.name}")
    worker = signal.assignee
    if worker is not None and worker.is_active:
        queue_mail(
            worker.email,
            _(
                "%(initiative)s antwoordde op uw doorverwijzing (%(reference)s)",
                initiative=referral.name,
                reference=signal.reference,
            ),
            "handover_answered",
            about=signal,
            signal=signal,
            referral=referral,
            organisation=signal.organisation,
            link=public_url("board.signal_page", reference=signal.reference),
        )


def follow_up_due(referral: Referral, organisation: Organisation) -> datetime:
    return referral.created_at + timedelta(weeks=organisation.follow_up_weeks)


def record_follow_up(
    signal: Signal,
    actor: User,
    referral_id: int,
    landed: Landed,
    reason: str,
    reopen: bool,
    now: datetime,
) -> Referral:
    """The worker called back: did the person get the help? Help that did not land may take the signal back to
    work, with whoever called as the one to act on it."""
    referral = referral_of(signal, referral_id)
    problem = None
    if referral is None:
        problem = DomainError(_("Deze doorverwijzing hoort niet bij deze melding."))
    elif referral.landed is not None:
        problem = DomainError(_("Het nabellen over %(name)s is al vastgelegd.", name=referral.name))
    elif landed == Landed.NO and not reason.strip():
        problem = DomainError(_("Schrijf kort waarom de hulp niet is geland."), field="reason")
    action = Action.FOLLOW_UP_REOPEN if reopen else Action.FOLLOW_UP
    data = {"initiative": referral.name if referral else None, "landed": landed.value, "reopened": reopen}
    take_step(signal, actor, action, None, EventKind.FOLLOWED_UP, data, reason, problem)
    referral.landed, referral.landed_reason, referral.landed_at = landed, reason.strip() or None, now
    if reopen:
        resume(signal)
    return referral


def _open_referrals(actor: User) -> list[sa.ColumnElement[bool]]:
    """Referrals of closed, still personal signals that nobody called back about yet: the worker's own, or for a
    coordinator the team's."""
    clauses = [
        Referral.organisation_id == actor.organisation_id,
        Referral.landed.is_(None),
        Signal.status == SignalStatus.CLOSED,
        Signal.outcome == Outcome.REFERRED,
        Signal.anonymised_at.is_(None),
    ]
    if actor.role != Role.COORDINATOR:
        clauses.append(Signal.assignee_id == actor.id)
    return clauses


def _referral_lines(actor: User, *clauses: sa.ColumnElement[bool]) -> sa.Select:
    """A board's lines of open referrals, oldest first: the signal, the initiative and its phone, when, and the
    worker."""
    return (
        sa.select(
            Referral.name,
            Referral.created_at,
            Signal.reference,
            User.name.label("worker"),
            Initiative.phone.label("phone"),
        )
        .join(Signal, Signal.id == Referral.signal_id)
        .outerjoin(User, User.id == Signal.assignee_id)
        .outerjoin(Initiative, Initiative.id == Referral.initiative_id)
        .where(*_open_referrals(actor), *clauses)
        .order_by(Referral.created_at)
    )


def follow_ups_due(actor: User, now: datetime, limit: int | None = None) -> Shown[sa.Row]:
    """*Nabellen*: referrals made at least the team's number of weeks ago (the first ``limit`` lines)."""
    weeks = actor.organisation.follow_up_weeks
    return first_lines(_referral_lines(actor, Referral.created_at <= now - timedelta(weeks=weeks)), limit)


def unconfirmed_handovers(actor: User, now: datetime, limit: int | None = None) -> Shown[sa.Row]:
    """Warm handovers the initiative has not answered in two weeks (the first ``limit`` lines): the worker may want
    to call them."""
    return first_lines(_referral_lines(actor, Referral.is_unconfirmed(now)), limit)


def referral_of(signal: Signal, referral_id: int) -> Referral | None:
    return next((referral for referral in signal.referrals if referral.id == referral_id), None)


def send_initiative_report(report: InitiativeReport) -> None:
    """Mail an initiative its year in numbers: how many were referred, confirmed, landed. No one is named."""
    initiative = report.initiative
    mail_initiative(
        initiative,
        lazy_gettext(
            "Uw doorverwijzingen van %(team)s in %(year)s", team=initiative.organisation.name, year=report.year
        ),
        "initiative_report",
        report=report,
    )
