"""The status machine and every rule about acting on a signal. Views and commands only call in here.

Each action checks who acts and the current status, changes the signal, writes its timeline event
and queues its mail in the caller's session, and commits nothing: the caller commits once, so an
action is applied whole or not at all. A refused action raises DomainError and changes nothing.
"""

from datetime import datetime, timedelta
from enum import StrEnum

from flask_babel import force_locale
from flask_babel import gettext as _

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.core.clock import utcnow
from signaalpunt.core.errors import DomainError, StaleError
from signaalpunt.core.links import public_url
from signaalpunt.core.mail import queue_mail
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


def allowed_actions(actor: User, signal: Signal) -> set[Action]:
    """Every action ``actor`` may take on ``signal`` right now; pages show exactly these."""
    if not can_view_signal(actor, signal) or signal.anonymised_at is not None:
        return set()
    status = signal.status
    is_assignee = signal.assignee_id is not None and signal.assignee_id == actor.id
    actions: set[Action] = set()
    if actor.role == Role.COORDINATOR:
        actions.add(Action.NOTE)
        if status in (SignalStatus.NEW, SignalStatus.ASSIGNED, SignalStatus.IN_PROGRESS):
            actions.add(Action.ASSIGN)
        if status in (SignalStatus.NEW, SignalStatus.ASSIGNED):
            actions.add(Action.MARK_DUPLICATE)
        if status == SignalStatus.NEW:
            actions.add(Action.REJECT)
        if status in (SignalStatus.CLOSED, SignalStatus.NOT_PURSUED):
            actions.add(Action.REOPEN)
    if (
        actor.role == Role.WORKER
        and status == SignalStatus.NEW
        and signal.assignee_id is None
        and covers_area(actor, signal)
    ):
        actions.add(Action.TAKE)
    if is_assignee and status in (SignalStatus.ASSIGNED, SignalStatus.IN_PROGRESS):
        actions |= {Action.CONTACT_ATTEMPT, Action.NOTE}
    if (is_assignee or actor.role == Role.COORDINATOR) and status == SignalStatus.IN_PROGRESS:
        actions.add(Action.CLOSE)
    return actions


def assign_signal(signal: Signal, actor: User, assignee: User, expected_version: int | None = None) -> None:
    """Give the signal to ``assignee`` (or to another one; reassignment keeps the status) and e-mail them."""
    _check(signal, actor, Action.ASSIGN, expected_version)
    _assign(signal, actor, assignee)


def take_signal(signal: Signal, actor: User, expected_version: int | None = None) -> None:
    """A worker picks up a new, unassigned signal in her own area."""
    _check(signal, actor, Action.TAKE, expected_version)
    _assign(signal, actor, actor)


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
    _check(signal, actor, Action.CONTACT_ATTEMPT, expected_version)
    if attempted_at > utcnow() + CLOCK_SKEW:
        raise DomainError(_("Een contactpoging kan niet in de toekomst liggen."))
    if attempted_at < signal.created_at - CLOCK_SKEW:
        raise DomainError(_("Een contactpoging kan niet vóór de melding liggen."))
    attempt = ContactAttempt(actor=actor, attempted_at=attempted_at, method=method, reached=reached)
    signal.contact_attempts.append(attempt)
    if signal.first_contact_at is None or attempted_at < signal.first_contact_at:
        signal.first_contact_at = attempted_at
    signal.status = SignalStatus.IN_PROGRESS
    _log(
        signal,
        EventKind.CONTACT_ATTEMPT,
        actor,
        {"method": method.value, "reached": reached, "attempted_at": attempted_at.isoformat(timespec="minutes")},
        note,
    )
    return attempt


def add_note(signal: Signal, actor: User, text: str) -> None:
    """Add a note to the timeline. Notes never conflict, so no version check; the assignee's note starts the work."""
    _check(signal, actor, Action.NOTE, None)
    if not text.strip():
        raise DomainError(_("Schrijf eerst een notitie."))
    if signal.status == SignalStatus.ASSIGNED and signal.assignee_id == actor.id:
        signal.status = SignalStatus.IN_PROGRESS
    _log(signal, EventKind.NOTE, actor, {}, text)


def close_signal(
    signal: Signal,
    actor: User,
    outcome: Outcome,
    referral_target: ReferralTarget | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Close with an outcome and thank every reporter who asked to be kept informed (no details)."""
    _check(signal, actor, Action.CLOSE, expected_version)
    if outcome == Outcome.REFERRED and referral_target is None:
        raise DomainError(_("Kies waarnaar u heeft doorverwezen."))
    if outcome != Outcome.REFERRED and referral_target is not None:
        raise DomainError(_("Een doorverwijzing hoort alleen bij de uitkomst ‘doorverwezen’."))
    if outcome == Outcome.UNREACHABLE and len(signal.contact_attempts) < MIN_ATTEMPTS_FOR_UNREACHABLE:
        raise DomainError(
            _("‘Niet bereikbaar’ kan pas na minstens %(count)s contactpogingen.", count=MIN_ATTEMPTS_FOR_UNREACHABLE)
        )
    signal.status = SignalStatus.CLOSED
    signal.outcome = outcome
    signal.referral_target = referral_target
    signal.closed_at = utcnow()
    data = {"outcome": outcome.value}
    if referral_target is not None:
        data["referral_target"] = referral_target.value
    _log(signal, EventKind.CLOSED, actor, data, note)
    for reported in (signal, *signal.duplicates):
        if reported.keep_informed and reported.reporter_email:
            with force_locale(reported.reporter_language):
                queue_mail(
                    reported.reporter_email,
                    _("Uw melding %(reference)s is afgerond", reference=reported.reference),
                    "reporter_closed",
                    about=reported,
                    signal=reported,
                )


def reopen_signal(signal: Signal, actor: User, note: str | None = None, expected_version: int | None = None) -> None:
    """Coordinator only: a closed signal goes back to work, a rejected one back to new."""
    _check(signal, actor, Action.REOPEN, expected_version)
    if signal.status == SignalStatus.CLOSED:
        signal.status = SignalStatus.IN_PROGRESS
        signal.outcome = None
        signal.referral_target = None
        signal.closed_at = None
    else:
        signal.status = SignalStatus.NEW
        signal.rejection_reason = None
        signal.closed_at = None
    _log(signal, EventKind.REOPENED, actor, {"status": signal.status.value}, note)


def mark_duplicate(signal: Signal, actor: User, primary: Signal, expected_version: int | None = None) -> None:
    """Link a signal to the one it repeats; its reporter still hears when the primary closes."""
    _check(signal, actor, Action.MARK_DUPLICATE, expected_version)
    if primary.id == signal.id:
        raise DomainError(_("Een melding kan geen dubbele van zichzelf zijn."))
    if primary.organisation_id != signal.organisation_id or not can_view_signal(actor, primary):
        raise DomainError(_("Die melding kunt u niet koppelen."))
    if primary.status == SignalStatus.DUPLICATE:
        raise DomainError(_("Die melding is zelf een dubbele; koppel aan de oorspronkelijke melding."))
    signal.status = SignalStatus.DUPLICATE
    signal.duplicate_of, signal.duplicate_of_id = primary, primary.id
    _log(signal, EventKind.MARKED_DUPLICATE, actor, {"primary": primary.reference})
    _log(primary, EventKind.DUPLICATE_LINKED, actor, {"duplicate": signal.reference})


def reject_signal(
    signal: Signal,
    actor: User,
    reason: RejectionReason,
    note: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Coordinator only: a new signal is not pursued (spam, outside the area, no concern)."""
    _check(signal, actor, Action.REJECT, expected_version)
    signal.status = SignalStatus.NOT_PURSUED
    signal.rejection_reason = reason
    signal.closed_at = utcnow()
    _log(signal, EventKind.REJECTED, actor, {"reason": reason.value}, note)


def _assign(signal: Signal, actor: User, assignee: User) -> None:
    if not assignee.is_active or assignee.role not in ASSIGNABLE_ROLES:
        raise DomainError(_("Deze medewerker kan geen meldingen krijgen."))
    if assignee.organisation_id != signal.organisation_id:
        raise DomainError(_("Deze medewerker hoort niet bij dit team."))
    if signal.assignee_id == assignee.id:
        raise DomainError(_("De melding is al aan %(name)s toegewezen.", name=assignee.name))
    kind = EventKind.ASSIGNED if signal.status == SignalStatus.NEW else EventKind.REASSIGNED
    if signal.status == SignalStatus.NEW:
        signal.status = SignalStatus.ASSIGNED
    # Set the key too, so rules checked before the next flush already see the new assignee.
    signal.assignee, signal.assignee_id = assignee, assignee.id
    _log(signal, kind, actor, {"assignee": assignee.name})
    queue_mail(
        assignee.email,
        _("Melding %(reference)s is aan u toegewezen", reference=signal.reference),
        "assigned",
        about=signal,
        signal=signal,
        link=public_url("board.signal_page", reference=signal.reference),
    )


def _check(signal: Signal, actor: User, action: Action, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != signal.version:
        raise StaleSignalError()
    if action not in allowed_actions(actor, signal):
        raise DomainError(_("Dit kan nu niet bij deze melding, of u heeft er geen rechten voor."))


def _log(signal: Signal, kind: EventKind, actor: User | None, data: dict, note: str | None = None) -> None:
    signal.events.append(TimelineEvent(kind=kind, actor=actor, data=data, note=note or None))
