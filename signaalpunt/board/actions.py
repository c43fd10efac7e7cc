"""Each action on a signal: its form and the workflow call it makes. Views look actions up here."""

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from signaalpunt.accounts.models import User
from signaalpunt.board.forms import (
    AssignForm,
    CloseForm,
    ContactAttemptForm,
    DuplicateForm,
    FollowUpForm,
    NoteForm,
    RecordConsentForm,
    ReferForm,
    RejectForm,
    ReopenForm,
    TakeForm,
    TransferForm,
    UnlinkDuplicateForm,
    UrgentForm,
    WithdrawConsentForm,
)
from signaalpunt.consent.enums import ConsentKind, ConsentMethod, SharedDetail
from signaalpunt.consent.service import record_consent, withdraw_consent
from signaalpunt.core.clock import dutch_now_to_minute, utcnow
from signaalpunt.core.errors import DomainError
from signaalpunt.forms.base import BaseForm
from signaalpunt.referrals.enums import Landed
from signaalpunt.referrals.service import ReferralChoice, active_initiatives, record_follow_up, refer_signal
from signaalpunt.signals.enums import ContactMethod, Outcome, ReferralTarget, RejectionReason
from signaalpunt.signals.models import Signal
from signaalpunt.signals.queries import (
    Suggestion,
    assignment_suggestions,
    other_organisation,
    other_organisations,
    signal_by_reference,
    user_in_organisation,
)
from signaalpunt.signals.workflow import (
    Action,
    add_note,
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


@dataclass(frozen=True)
class ActionSpec:
    form_class: type[BaseForm]
    perform: Callable[[Signal, User, BaseForm], None]
    done: str


def _assign(signal: Signal, actor: User, form: AssignForm) -> None:
    assignee = user_in_organisation(actor, form.assignee.data)
    if assignee is None:
        raise DomainError(str(_l("Kies een medewerker uit de lijst.")), field="assignee")
    assign_signal(signal, actor, assignee, form.version.data)


def _contact(signal: Signal, actor: User, form: ContactAttemptForm) -> None:
    record_contact_attempt(
        signal,
        actor,
        ContactMethod(form.method.data),
        form.attempted_at_utc(),
        form.reached.data == "yes",
        form.note.data,
        form.version.data,
    )


def _close(signal: Signal, actor: User, form: CloseForm) -> None:
    close_signal(signal, actor, Outcome(form.outcome.data), form.note.data, form.version.data)


def _chosen_initiative(signal: Signal, initiative_id: int | None) -> Initiative | None:
    return next((i for i in active_initiatives(signal.organisation_id) if i.id == initiative_id), None)


def _record_consent(signal: Signal, actor: User, form: RecordConsentForm) -> None:
    record_consent(
        signal,
        actor,
        [ConsentKind(kind) for kind in form.kinds.data],
        ConsentMethod(form.method.data),
        _chosen_initiative(signal, form.initiative.data),
        tuple(SharedDetail(detail) for detail in form.details.data or ()),
    )


def _refer(signal: Signal, actor: User, form: ReferForm) -> None:
    chosen = set(form.initiatives.data or ())
    choice = ReferralChoice(
        need=ReferralTarget(form.need.data),
        initiatives=tuple(i for i in active_initiatives(signal.organisation_id) if i.id in chosen),
        elsewhere=form.elsewhere.data or "",
        language=form.language.data,
        message=form.message.data or "",
    )
    refer_signal(signal, actor, choice, utcnow(), form.note.data, form.version.data)


def _follow_up(signal: Signal, actor: User, form: FollowUpForm) -> None:
    landed, reopen = Landed(form.landed.data), form.reopen.data == "yes"
    record_follow_up(signal, actor, form.referral.data, landed, form.reason.data or "", reopen, utcnow())


def _duplicate(signal: Signal, actor: User, form: DuplicateForm) -> None:
    primary = signal_by_reference(form.primary_reference.data)
    if primary is None:
        raise DomainError(str(_l("Er is geen melding met dit referentienummer.")), field="primary_reference")
    mark_duplicate(signal, actor, primary, form.version.data)


def _transfer(signal: Signal, actor: User, form: TransferForm) -> None:
    target = other_organisation(signal, form.organisation.data)
    if target is None:
        raise DomainError(str(_l("Kies een team uit de lijst.")), field="organisation")
    transfer_signal(signal, actor, target, form.reason.data, form.version.data)


ACTIONS: dict[Action, ActionSpec] = {
    Action.ASSIGN: ActionSpec(AssignForm, _assign, _l("De melding is toegewezen.")),
    Action.TAKE: ActionSpec(
        TakeForm, lambda s, a, f: take_signal(s, a, f.version.data), _l("U heeft de melding opgepakt.")
    ),
    Action.CONTACT_ATTEMPT: ActionSpec(ContactAttemptForm, _contact, _l("De contactpoging is vastgelegd.")),
    Action.NOTE: ActionSpec(NoteForm, lambda s, a, f: add_note(s, a, f.text.data), _l("De notitie is toegevoegd.")),
    Action.CLOSE: ActionSpec(CloseForm, _close, _l("De melding is afgerond.")),
    Action.REOPEN: ActionSpec(
        ReopenForm, lambda s, a, f: reopen_signal(s, a, f.note.data, f.version.data), _l("De melding is heropend.")
    ),
    Action.MARK_DUPLICATE: ActionSpec(DuplicateForm, _duplicate, _l("De melding is gekoppeld als dubbele melding.")),
    Action.REJECT: ActionSpec(
        RejectForm,
        lambda s, a, f: reject_signal(s, a, RejectionReason(f.reason.data), f.note.data, f.version.data),
        _l("De melding wordt niet opgepakt."),
    ),
    Action.TRANSFER: ActionSpec(TransferForm, _transfer, _l("De melding is overgedragen aan het andere team.")),
    Action.UNLINK_DUPLICATE: ActionSpec(
        UnlinkDuplicateForm,
        lambda s, a, f: unlink_duplicate(s, a, f.version.data),
        _l("De koppeling is ongedaan gemaakt; de melding staat weer bij de nieuwe meldingen."),
    ),
    Action.MARK_URGENT: ActionSpec(
        UrgentForm,
        lambda s, a, f: mark_urgent(s, a, f.note.data, f.version.data),
        _l("De melding is urgent; de coördinatoren hebben direct een e-mail gekregen."),
    ),
    Action.RECORD_CONSENT: ActionSpec(RecordConsentForm, _record_consent, _l("De toestemming is vastgelegd.")),
    Action.WITHDRAW_CONSENT: ActionSpec(
        WithdrawConsentForm,
        lambda s, a, f: withdraw_consent(s, a, f.consent.data),
        _l("De toestemming is ingetrokken; vanaf nu gaat er niets meer op grond van deze toestemming weg."),
    ),
    Action.REFER: ActionSpec(ReferForm, _refer, _l("De melding is doorverwezen en afgerond.")),
    # Its second button also takes the signal back to work: that step is FOLLOW_UP_REOPEN in the table.
    Action.FOLLOW_UP: ActionSpec(FollowUpForm, _follow_up, _l("Het nabellen is vastgelegd.")),
}


def build_form(
    action: Action, signal: Signal, submitted: bool = False, suggestions: list[Suggestion] | None = None
) -> BaseForm:
    """The action's form, prefixed so several share one page; ``submitted`` binds the posted values. The page
    passes the ``suggestions`` it shows, so that they are looked up once."""
    form_class = ACTIONS[action].form_class
    form = form_class(prefix=action.value) if submitted else form_class(formdata=None, prefix=action.value)
    if isinstance(form, ContactAttemptForm) and not submitted:
        form.attempted_at.data = dutch_now_to_minute()
    if isinstance(form, AssignForm):
        offered = assignment_suggestions(signal) if suggestions is None else suggestions
        form.assignee.choices = [SelectChoice(s.user.id, s.user.name) for s in offered]
    if isinstance(form, TransferForm):
        form.organisation.choices = [SelectChoice(o.id, o.name) for o in other_organisations(signal)]
    if isinstance(form, (RecordConsentForm, ReferForm)):
        form.offer_initiatives(active_initiatives(signal.organisation_id))
    if isinstance(form, FollowUpForm) and not submitted:
        form.referral.data = next((r.id for r in signal.referrals if r.landed is None), None)
    return form


def refresh_version(form: BaseForm, signal: Signal) -> None:
    """After a refusal the page shows the signal as it is now; a resubmission acts on that state."""
    if hasattr(form, "version"):
        form.version.data = signal.version


def is_stale(form: BaseForm, signal: Signal) -> bool:
    """The form was made for an earlier version of the signal than the stored one."""
    version = getattr(form, "version", None)
    return version is not None and isinstance(version.data, int) and version.data != signal.version
