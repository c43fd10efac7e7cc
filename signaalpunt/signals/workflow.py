"""The status machine and every rule about acting on a signal. Views and commands only call in here.

The machine is a declared table, ``TRANSITIONS``: which action, from which status, to which status, by
whom. One function checks a step against it and writes the step's timeline event; ``allowed_actions``
is read from the same table. Each action changes the signal and queues its mail in the caller's
session and commits nothing: the request commits once, so an action is applied whole or not at all.
A refused action raises DomainError and changes nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask_babel import force_locale
from flask_babel import gettext as _

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.accounts.service import active_coordinators
from signaalpunt.core.clock import utcnow
from signaalpunt.core.errors import DomainError, StaleError
from signaalpunt.core.links import public_url
from signaalpunt.core.mail import queue_mail
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.organisations.areas import area_of_pc4
from signaalpunt.organisations.models import Area, Organisation
from signaalpunt.signals.enums import (
    ContactMethod,
    EventKind,
    Outcome,
    PublicStatus,
    ReferralTarget,
    RejectionReason,
    SignalStatus,
)
from signaalpunt.signals.models import ContactAttempt, Signal, TimelineEvent
from signaalpunt.signals.permissions import can_view_signal, covers_area
from signaalpunt.signals.sla import first_contact_due
from signaalpunt.signals.urgent import coordinator_alerts

MIN_ATTEMPTS_FOR_UNREACHABLE = 3
ASSIGNABLE_ROLES = (Role.WORKER, Role.COORDINATOR)
# Clocks on phones drift; a contact attempt may be logged a little "in the future".
CLOCK_SKEW = timedelta(minutes=10)

_PUBLIC_STATUS = {
    SignalStatus.NEW: PublicStatus.RECEIVED,
    SignalStatus.ASSIGNED: PublicStatus.PICKED_UP,
    SignalStatus.IN_PROGRESS: PublicStatus.PICKED_UP,
    SignalStatus.DUPLICATE: PublicStatus.PICKED_UP,
    SignalStatus.CLOSED: PublicStatus.COMPLETED,
    SignalStatus.NOT_PURSUED: PublicStatus.COMPLETED,
}


class Action(StrEnum):
    ASSIGN = "assign"
    TAKE = "take"
    CONTACT_ATTEMPT = "contact_attempt"
    NOTE = "note"
    CLOSE = "close"
    REOPEN = "reopen"
    MARK_DUPLICATE = "mark_duplicate"
    REJECT = "reject"
    TRANSFER = "transfer"
    MARK_URGENT = "mark_urgent"
    UNLINK_DUPLICATE = "unlink_duplicate"
    RECORD_CONSENT = "record_consent"
    WITHDRAW_CONSENT = "withdraw_consent"
    REFER = "refer"
    # Six weeks after a referral: did help land? The second also takes the signal back to work.
    FOLLOW_UP = "follow_up"
    FOLLOW_UP_REOPEN = "follow_up_reopen"
    # A call for good neighbours: send, widen, close; then pick the neighbours, and four weeks on, call back.
    CALL_NEIGHBOURS = "call_neighbours"
    FORM_NETWORK = "form_network"
    NETWORK_FOLLOW_UP = "network_follow_up"


class Actor(StrEnum):
    """Who may take a step, by their place in the team and towards the signal."""

    COORDINATOR = "coordinator"
    ASSIGNEE = "assignee"
    # A worker who covers the signal's area, while nobody has it yet.
    AREA_WORKER = "area_worker"


@dataclass(frozen=True)
class Transition:
    action: Action
    source: SignalStatus
    target: SignalStatus
    actors: frozenset[Actor]


def _rows(action: Action, actors: set[Actor], *moves: tuple[SignalStatus, SignalStatus]) -> list[Transition]:
    return [Transition(action, source, target, frozenset(actors)) for source, target in moves]


S = SignalStatus
# The first row that fits wins: the assignee's rows come first, so a coordinator who holds the signal works
# it as its assignee (her note starts the work). A row whose target is its source changes no status.
TRANSITIONS: tuple[Transition, ...] = (
    *_rows(Action.CONTACT_ATTEMPT, {Actor.ASSIGNEE}, (S.ASSIGNED, S.IN_PROGRESS), (S.IN_PROGRESS, S.IN_PROGRESS)),
    *_rows(Action.NOTE, {Actor.ASSIGNEE}, (S.ASSIGNED, S.IN_PROGRESS), (S.IN_PROGRESS, S.IN_PROGRESS)),
    *_rows(Action.CLOSE, {Actor.ASSIGNEE, Actor.COORDINATOR}, (S.IN_PROGRESS, S.CLOSED)),
    *_rows(Action.NOTE, {Actor.COORDINATOR}, *((status, status) for status in SignalStatus)),
    *_rows(
        Action.ASSIGN,
        {Actor.COORDINATOR},
        (S.NEW, S.ASSIGNED),
        (S.ASSIGNED, S.ASSIGNED),
        (S.IN_PROGRESS, S.IN_PROGRESS),
    ),
    *_rows(Action.TAKE, {Actor.AREA_WORKER}, (S.NEW, S.ASSIGNED)),
    *_rows(Action.MARK_DUPLICATE, {Actor.COORDINATOR}, (S.NEW, S.DUPLICATE), (S.ASSIGNED, S.DUPLICATE)),
    # A link made by mistake: the signal comes back as new, to be triaged on its own.
    *_rows(Action.UNLINK_DUPLICATE, {Actor.COORDINATOR}, (S.DUPLICATE, S.NEW)),
    *_rows(Action.REJECT, {Actor.COORDINATOR}, (S.NEW, S.NOT_PURSUED)),
    *_rows(Action.REOPEN, {Actor.COORDINATOR}, (S.CLOSED, S.IN_PROGRESS), (S.NOT_PURSUED, S.NEW)),
    # To the team of another municipality, which starts it afresh: its coordinator assigns it there.
    *_rows(Action.TRANSFER, {Actor.COORDINATOR}, *((status, S.NEW) for status in SignalStatus.open_statuses())),
    # Whoever holds the signal may find acute danger; the status stays.
    *_rows(
        Action.MARK_URGENT,
        {Actor.COORDINATOR, Actor.ASSIGNEE},
        *((status, status) for status in SignalStatus.open_statuses()),
    ),
    # Consent is asked once the person was reached, and may be given or withdrawn after closing too.
    *_rows(
        Action.RECORD_CONSENT,
        {Actor.ASSIGNEE, Actor.COORDINATOR},
        (S.IN_PROGRESS, S.IN_PROGRESS),
        (S.CLOSED, S.CLOSED),
    ),
    *_rows(
        Action.WITHDRAW_CONSENT,
        {Actor.ASSIGNEE, Actor.COORDINATOR},
        (S.IN_PROGRESS, S.IN_PROGRESS),
        (S.CLOSED, S.CLOSED),
    ),
    # Referring closes the signal as referred; what follows lives on the referrals, not in the status.
    *_rows(Action.REFER, {Actor.ASSIGNEE, Actor.COORDINATOR}, (S.IN_PROGRESS, S.CLOSED)),
    *_rows(Action.FOLLOW_UP, {Actor.ASSIGNEE, Actor.COORDINATOR}, (S.CLOSED, S.CLOSED)),
    # Help did not land: whoever called back takes the signal up again (the one reopening a worker may do).
    *_rows(Action.FOLLOW_UP_REOPEN, {Actor.ASSIGNEE, Actor.COORDINATOR}, (S.CLOSED, S.IN_PROGRESS)),
    # The neighbour network is built once the person agreed, while the signal is worked on or after it closed.
    *(
        row
        for action in (Action.CALL_NEIGHBOURS, Action.FORM_NETWORK, Action.NETWORK_FOLLOW_UP)
        for row in _rows(
            action, {Actor.ASSIGNEE, Actor.COORDINATOR}, (S.IN_PROGRESS, S.IN_PROGRESS), (S.CLOSED, S.CLOSED)
        )
    ),
)


class StaleSignalError(StaleError):
    """Somebody else changed the signal after this person's page was loaded."""

    def __init__(self) -> None:
        super().__init__(
            _("Iemand anders heeft deze melding intussen gewijzigd. U ziet nu de nieuwe stand.")
            + " "
            + _("Kijk of uw actie nog nodig is.")
        )


def public_status(signal: Signal) -> PublicStatus:
    """The coarse status a reporter may see: received, picked up or completed, and nothing more."""
    if signal.status == SignalStatus.DUPLICATE and signal.duplicate_of is not None:
        return public_status(signal.duplicate_of)
    return _PUBLIC_STATUS[signal.status]


def _actors(actor: User, signal: Signal) -> set[Actor]:
    found = set()
    if actor.role == Role.COORDINATOR:
        found.add(Actor.COORDINATOR)
    if signal.assignee_id is not None and signal.assignee_id == actor.id:
        found.add(Actor.ASSIGNEE)
    if actor.role == Role.WORKER and signal.assignee_id is None and covers_area(actor, signal):
        found.add(Actor.AREA_WORKER)
    return found


def transition_for(actor: User, signal: Signal, action: Action) -> Transition | None:
    """The row of ``TRANSITIONS`` that lets ``actor`` take ``action`` on ``signal`` now, if any."""
    if not can_view_signal(actor, signal) or signal.anonymised_at is not None:
        return None
    actors = _actors(actor, signal)
    return next(
        (row for row in TRANSITIONS if row.action == action and row.source == signal.status and row.actors & actors),
        None,
    )


def allowed_actions(actor: User, signal: Signal) -> set[Action]:
    """Every action ``actor`` may take on ``signal`` right now, read from the table; pages show exactly these."""
    return {action for action in Action if transition_for(actor, signal, action) is not None}


def assign_signal(signal: Signal, actor: User, assignee: User, expected_version: int | None = None) -> None:
    """Give the signal to ``assignee`` (or to another one; reassignment keeps the status) and e-mail them."""
    _assign(signal, actor, assignee, Action.ASSIGN, expected_version)


def take_signal(signal: Signal, actor: User, expected_version: int | None = None) -> None:
    """A worker picks up a new, unassigned signal in her own area."""
    _assign(signal, actor, actor, Action.TAKE, expected_version)


def record_contact_attempt(
    signal: Signal,
    actor: User,
    method: ContactMethod,
    attempted_at: datetime,
    reached: bool,
    note: str | None = None,
    expected_version: int | None = None,
) -> ContactAttempt:
    """Log a try to reach the person; the first one starts the work and stops the SLA clock."""
    problem = None
    if attempted_at > utcnow() + CLOCK_SKEW:
        problem = DomainError(_("Een contactpoging kan niet in de toekomst liggen."), field="attempted_at")
    elif attempted_at < signal.created_at - CLOCK_SKEW:
        problem = DomainError(_("Een contactpoging kan niet vóór de melding liggen."), field="attempted_at")
    data = {"method": method.value, "reached": reached, "attempted_at": attempted_at.isoformat(timespec="minutes")}
    take_step(signal, actor, Action.CONTACT_ATTEMPT, expected_version, EventKind.CONTACT_ATTEMPT, data, note, problem)
    attempt = ContactAttempt(actor=actor, attempted_at=attempted_at, method=method, reached=reached)
    signal.contact_attempts.append(attempt)
    if signal.first_contact_at is None or attempted_at < signal.first_contact_at:
        signal.first_contact_at = attempted_at
    return attempt


def add_note(signal: Signal, actor: User, text: str) -> None:
    """Add a note to the timeline. Notes never conflict, so no version check; the assignee's note starts the work."""
    problem = None if text.strip() else _("Schrijf eerst een notitie.")
    take_step(signal, actor, Action.NOTE, None, EventKind.NOTE, {}, text, problem)


def close_problem(signal: Signal, outcome: Outcome) -> DomainError | None:
    """Why this outcome cannot close the signal, if it cannot: asked before the worker confirms, and again
    when she does."""
    if outcome == Outcome.REFERRED:
        message = _("Verwijst u door? Kies dan ‘Doorverwijzen’: daar kiest u het initiatief.")
        return DomainError(message, field="outcome")
    if outcome == Outcome.UNREACHABLE and len(signal.contact_attempts) < MIN_ATTEMPTS_FOR_UNREACHABLE:
        message = _(
            "‘Niet bereikbaar’ kan pas na minstens %(count)s contactpogingen.", count=MIN_ATTEMPTS_FOR_UNREACHABLE
        )
        return DomainError(message, field="outcome")
    return None


def reporters_to_tell(signal: Signal) -> list[Signal]:
    """The signal and its duplicates whose reporter asked to be kept informed and left an address."""
    return [reported for reported in (signal, *signal.duplicates) if _wants_news(reported)]


def _wants_news(reported: Signal) -> bool:
    return reported.keep_informed and bool(reported.reporter_email)


def close_signal(
    signal: Signal,
    actor: User,
    outcome: Outcome,
    note: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Close with an outcome (a referral closes through ``refer_signal``) and thank every reporter who asked to
    be kept informed (no details)."""
    problem = close_problem(signal, outcome)
    take_step(
        signal, actor, Action.CLOSE, expected_version, EventKind.CLOSED, {"outcome": outcome.value}, note, problem
    )
    finish(signal, outcome)


def finish(signal: Signal, outcome: Outcome, referral_target: ReferralTarget | None = None) -> None:
    """The signal ends with its outcome, after its step was taken: the retention period starts, and every
    reporter who asked to be kept informed hears it was completed."""
    signal.outcome = outcome
    signal.referral_target = referral_target
    signal.closed_at = utcnow()
    _tell_reporters((signal, *signal.duplicates), "reporter_closed")


def reopen_signal(signal: Signal, actor: User, note: str | None = None, expected_version: int | None = None) -> None:
    """Coordinator only: a closed signal goes back to work, a rejected one back to new."""
    # The timeline says where it went back to, as the table has it.
    target = next(
        (row.target for row in TRANSITIONS if row.action == Action.REOPEN and row.source == signal.status), None
    )
    data = {"status": target.value if target else None}
    take_step(signal, actor, Action.REOPEN, expected_version, EventKind.REOPENED, data, note)
    resume(signal)


def resume(signal: Signal) -> None:
    """After a step back to work: the signal no longer has an ending."""
    signal.outcome = None
    signal.referral_target = None
    signal.rejection_reason = None
    signal.closed_at = None


def mark_duplicate(signal: Signal, actor: User, primary: Signal, expected_version: int | None = None) -> None:
    """Link a signal to the one it repeats; its reporter still hears when the primary closes."""
    problem = None
    if primary.id == signal.id:
        problem = _("Een melding kan geen dubbele van zichzelf zijn.")
    elif primary.organisation_id != signal.organisation_id or not can_view_signal(actor, primary):
        problem = _("Die melding kunt u niet koppelen.")
    elif primary.status == SignalStatus.DUPLICATE:
        problem = _("Die melding is zelf een dubbele; koppel aan de oorspronkelijke melding.")
    data = {"primary": primary.reference}
    take_step(signal, actor, Action.MARK_DUPLICATE, expected_version, EventKind.MARKED_DUPLICATE, data, None, problem)
    signal.duplicate_of, signal.duplicate_of_id = primary, primary.id
    log_event(primary, EventKind.DUPLICATE_LINKED, actor, {"duplicate": signal.reference})
    # Its reporter was promised a mail when the signal is picked up: the primary already was.
    if primary.status in (SignalStatus.ASSIGNED, SignalStatus.IN_PROGRESS):
        _tell_reporters((signal,), "reporter_picked_up")


def unlink_duplicate(signal: Signal, actor: User, expected_version: int | None = None) -> None:
    """Undo a duplicate link: the signal is new again, unassigned; the timelines of both say so."""
    primary = signal.duplicate_of
    data = {"primary": primary.reference if primary else None}
    take_step(signal, actor, Action.UNLINK_DUPLICATE, expected_version, EventKind.DUPLICATE_UNLINKED, data)
    if primary is not None:
        log_event(primary, EventKind.DUPLICATE_UNLINKED, actor, {"duplicate": signal.reference})
    signal.duplicate_of, signal.duplicate_of_id = None, None
    signal.assignee, signal.assignee_id = None, None


def reject_signal(
    signal: Signal,
    actor: User,
    reason: RejectionReason,
    note: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Coordinator only: a new signal is not pursued (spam, outside the area, no concern)."""
    take_step(signal, actor, Action.REJECT, expected_version, EventKind.REJECTED, {"reason": reason.value}, note)
    signal.rejection_reason = reason
    signal.closed_at = utcnow()


def _assign(signal: Signal, actor: User, assignee: User, action: Action, expected_version: int | None) -> None:
    problem = None
    if not assignee.is_active or assignee.role not in ASSIGNABLE_ROLES:
        problem = _("Deze medewerker kan geen meldingen krijgen.")
    elif assignee.organisation_id != signal.organisation_id:
        problem = _("Deze medewerker hoort niet bij dit team.")
    elif signal.assignee_id == assignee.id:
        problem = _("De melding is al aan %(name)s toegewezen.", name=assignee.name)
    first_time = signal.status == SignalStatus.NEW
    kind = EventKind.ASSIGNED if first_time else EventKind.REASSIGNED
    take_step(signal, actor, action, expected_version, kind, {"assignee": assignee.name}, None, problem)
    # Set the key too, so rules checked before the next flush already see the new assignee.
    signal.assignee, signal.assignee_id = assignee, assignee.id
    if first_time:
        _tell_reporters((signal, *signal.duplicates), "reporter_picked_up")
    queue_mail(
        assignee.email,
        _("Melding %(reference)s is aan u toegewezen", reference=signal.reference),
        "assigned",
        about=signal,
        signal=signal,
        organisation=signal.organisation,
        link=public_url("board.signal_page", reference=signal.reference),
    )


def take_step(
    signal: Signal,
    actor: User,
    action: Action,
    expected_version: int | None,
    kind: EventKind,
    data: dict,
    note: str | None = None,
    problem: str | DomainError | None = None,
) -> Transition:
    """The one place a step is checked and taken: against the version the person saw, then the table, then
    the action's own ``problem``; only then the status moves and the step's timeline event is written."""
    if expected_version is not None and expected_version != signal.version:
        raise StaleSignalError()
    transition = transition_for(actor, signal, action)
    if transition is None:
        raise DomainError(_("Dit kan nu niet bij deze melding, of u heeft er geen rechten voor."))
    if problem is not None:
        raise problem if isinstance(problem, DomainError) else DomainError(problem)
    signal.status = transition.target
    log_event(signal, kind, actor, data, note)
    return transition


def _tell_reporters(signals: tuple[Signal, ...], template: str) -> None:
    """The one short mail (picked up, or closed) to each reporter who asked to be kept informed: the reference
    and nothing more, in the language they reported in."""
    for reported in signals:
        if _wants_news(reported):
            with force_locale(reported.reporter_language):
                queue_mail(
                    reported.reporter_email,
                    _REPORTER_SUBJECTS[template](reported.reference),
                    template,
                    about=reported,
                    signal=reported,
                    organisation=reported.organisation,
                )


_REPORTER_SUBJECTS = {
    "reporter_picked_up": lambda reference: _("Uw melding %(reference)s is opgepakt", reference=reference),
    "reporter_closed": lambda reference: _("Uw melding %(reference)s is afgerond", reference=reference),
}


def mark_urgent(signal: Signal, actor: User, note: str | None = None, expected_version: int | None = None) -> None:
    """Staff find acute danger: the signal gets the urgent deadline (when that is sooner) and every coordinator
    of its team an e-mail at once."""
    problem = _("Deze melding is al urgent.") if signal.urgent else None
    take_step(signal, actor, Action.MARK_URGENT, expected_version, EventKind.MARKED_URGENT, {}, note, problem)
    signal.urgent = True
    if signal.first_contact_at is None:
        urgent_due = first_contact_due(utcnow(), signal.organisation.working_days(urgent=True))
        signal.due_at = min(signal.due_at, urgent_due) if signal.due_at else urgent_due
    for mail in coordinator_alerts(signal.organisation_id, signal.reference):
        db.session.add(OutboxMessage(signal=signal, **mail))


def log_event(signal: Signal, kind: EventKind, actor: User | None, data: dict, note: str | None = None) -> None:
    signal.events.append(TimelineEvent(kind=kind, actor=actor, data=data, note=note or None))


def transfer_signal(
    signal: Signal, actor: User, target: Organisation, reason: str, expected_version: int | None = None
) -> None:
    """Hand the signal (with the duplicates linked to it) to another municipality's team, with a reason. The
    sending team loses it at once; the receiving coordinators are e-mailed the reference only; the reporter's
    reference keeps working."""
    problem = None
    if target.id == signal.organisation_id:
        problem = _("De melding hoort al bij dit team.")
    elif not reason.strip():
        problem = _("Schrijf waarom de melding naar %(team)s gaat.", team=target.name)
    sender = signal.organisation
    data = {"from": sender.name, "to": target.name}
    take_step(signal, actor, Action.TRANSFER, expected_version, EventKind.TRANSFERRED, data, reason, problem)
    for duplicate in signal.duplicates:
        log_event(duplicate, EventKind.TRANSFERRED, actor, data)
    for moved in (signal, *signal.duplicates):
        _move_to(moved, target)
    _tell_coordinators(signal, target, sender)


def _move_to(signal: Signal, target: Organisation) -> None:
    routed = area_of_pc4(signal.pc4)
    signal.organisation, signal.organisation_id = target, target.id
    signal.area_id = routed[1] if routed and routed[0] == target.id else None
    signal.assignee, signal.assignee_id = None, None


def _tell_coordinators(signal: Signal, target: Organisation, sender: Organisation) -> None:
    for coordinator in active_coordinators(target.id):
        queue_mail(
            coordinator.email,
            _("Melding %(reference)s is aan uw team overgedragen", reference=signal.reference),
            "transferred",
            about=signal,
            signal=signal,
            sender=sender,
            organisation=target,
            link=public_url("board.signal_page", reference=signal.reference),
        )


def place_in_area(signal: Signal, actor: User) -> None:
    """A signal outside every area whose PC4 now lies in an area: into that area, or (another team's) to that
    team. For the coordinator, when the areas changed after the signal came in."""
    routed = area_of_pc4(signal.pc4)
    if routed is None or signal.area_id is not None or not signal.is_open:
        raise DomainError(_("Deze melding ligt niet (meer) buiten een werkgebied dat nu bestaat."))
    organisation_id, area_id = routed
    if organisation_id != signal.organisation_id:
        target = db.session.get(Organisation, organisation_id)
        reason = _("De postcode valt nu in een werkgebied van %(team)s.", team=target.name)
        transfer_signal(signal, actor, target, reason)
        return
    if Actor.COORDINATOR not in _actors(actor, signal) or not can_view_signal(actor, signal):
        raise DomainError(_("Dit kan nu niet bij deze melding, of u heeft er geen rechten voor."))
    signal.area_id = area_id
    log_event(signal, EventKind.AREA_SET, actor, {"area": db.session.get(Area, area_id).name})
