"""The rules for the person's consent. Nothing about the person leaves the Signaalpunt without an active consent
of the right kind; a withdrawal is honoured from that moment on, and an initiative that already received the
person's details is asked to delete them."""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext

from signaalpunt.accounts.models import User
from signaalpunt.consent.enums import ConsentKind, ConsentMethod, SharedDetail
from signaalpunt.consent.models import Consent
from signaalpunt.core.clock import utcnow
from signaalpunt.core.errors import DomainError
from signaalpunt.signals.enums import EventKind
from signaalpunt.signals.models import Signal
from signaalpunt.signals.workflow import Action, take_step
from signaalpunt.socialmap.models import Initiative
from signaalpunt.socialmap.service import mail_initiative


def active_consents(signal: Signal) -> list[Consent]:
    return [consent for consent in signal.consents if consent.active]


def has_consent(signal: Signal, kind: ConsentKind) -> bool:
    return any(consent.kind == kind for consent in active_consents(signal))


def consent_to_share(signal: Signal, initiative: Initiative) -> Consent | None:
    """The person's active consent to share their details with this initiative, if there is one."""
    return next(
        (
            consent
            for consent in active_consents(signal)
            # The relation, not the key: a consent given in this same request has no key yet.
            if consent.kind == ConsentKind.SHARE and consent.initiative is initiative
        ),
        None,
    )


def was_reached(signal: Signal) -> bool:
    return any(attempt.reached for attempt in signal.contact_attempts)


def _problem(signal: Signal, kinds: list[ConsentKind], initiative: Initiative | None) -> DomainError | None:
    if not was_reached(signal):
        message = _("Toestemming legt u vast na een geslaagd contact: leg eerst vast dat u de persoon bereikte.")
        return DomainError(message, field="kinds")
    if not kinds:
        return DomainError(_("Kies waarmee de persoon instemt."), field="kinds")
    if ConsentKind.SHARE in kinds:
        if initiative is None:
            return DomainError(_("Kies het initiatief waarmee de persoon gegevens wil delen."), field="initiative")
        if consent_to_share(signal, initiative) is not None:
            message = _("Toestemming om gegevens te delen met %(name)s is al vastgelegd.", name=initiative.name)
            return DomainError(message, field="initiative")
    for kind in kinds:
        if kind != ConsentKind.SHARE and has_consent(signal, kind):
            message = _("Deze toestemming is al vastgelegd: %(kind)s.", kind=kind.label.lower())
            return DomainError(message, field="kinds")
    return None


def record_consent(
    signal: Signal,
    actor: User,
    kinds: list[ConsentKind],
    method: ConsentMethod,
    initiative: Initiative | None = None,
    details: tuple[SharedDetail, ...] = (),
) -> list[Consent]:
    """What the person agreed to, told to the worker in person, by phone or by letter: one record per kind."""
    problem = _problem(signal, kinds, initiative)
    data: dict = {"kinds": [kind.value for kind in kinds], "method": method.value}
    if ConsentKind.SHARE in kinds and initiative is not None:
        data |= {"initiative": initiative.name, "details": [detail.value for detail in details]}
    take_step(signal, actor, Action.RECORD_CONSENT, None, EventKind.CONSENT_GIVEN, data, None, problem)
    shared = ",".join(detail.value for detail in SharedDetail if detail in details)
    recorded = [
        Consent(
            kind=kind,
            method=method,
            recorded_by=actor,
            initiative=initiative if kind == ConsentKind.SHARE else None,
            details=shared if kind == ConsentKind.SHARE else "",
        )
        for kind in kinds
    ]
    signal.consents.extend(recorded)
    return recorded


def withdraw_consent(signal: Signal, actor: User, consent_id: int, now: datetime | None = None) -> Consent:
    """One click ends a consent. An initiative that received the person's details by a warm handover is asked
    to delete them (the mail names no one: only the date of the handover)."""
    consent = next((c for c in signal.consents if c.id == consent_id), None)
    problem = None
    if consent is None:
        problem = DomainError(_("Deze toestemming hoort niet bij deze melding."))
    elif not consent.active:
        problem = DomainError(_("Deze toestemming is al ingetrokken."))
    data = {"kind": consent.kind.value} if consent else {}
    if consent is not None and consent.initiative is not None:
        data["initiative"] = consent.initiative.name
    take_step(signal, actor, Action.WITHDRAW_CONSENT, None, EventKind.CONSENT_WITHDRAWN, data, None, problem)
    consent.withdrawn_at, consent.withdrawn_by = now or utcnow(), actor
    if consent.kind == ConsentKind.SHARE and consent.initiative is not None:
        _ask_to_forget(signal, consent.initiative)
    return consent


def _ask_to_forget(signal: Signal, initiative: Initiative) -> None:
    handed_over = [referral for referral in signal.referrals if referral.handover and referral.initiative is initiative]
    if not handed_over or not initiative.email:
        return
    mail_initiative(
        initiative,
        lazy_gettext(
            "Toestemming ingetrokken: verwijder de gegevens van een doorverwijzing van %(team)s",
            team=initiative.organisation.name,
        ),
        "consent_withdrawn",
        about=signal,
        handed_over_on=[referral.created_at for referral in handed_over],
    )
