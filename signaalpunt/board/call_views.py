"""A call for good neighbours, from the signal's page: write and send it, widen or close it, see who signed up
(nearest first), pick the neighbours, and four weeks on, call back."""

from datetime import datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug import Response

from signaalpunt.accounts import audit
from signaalpunt.board import bp
from signaalpunt.board.forms import CallForm, NetworkFollowUpForm, PickForm
from signaalpunt.board.views import load_signal
from signaalpunt.core.clock import utcnow
from signaalpunt.core.errors import DomainError
from signaalpunt.extensions import db
from signaalpunt.forms.base import BaseForm
from signaalpunt.neighbours.enums import NeighbourHelp
from signaalpunt.neighbours.models import NeighbourCall
from signaalpunt.neighbours.ranking import ranked_signups
from signaalpunt.neighbours.service import (
    FIRST_RADIUS,
    NETWORK_FOLLOW_UP,
    CallDraft,
    call_of,
    close_call,
    form_network,
    network_partners,
    record_network_follow_up,
    send_call,
    widen_call,
)
from signaalpunt.referrals.enums import Landed
from signaalpunt.signals.models import Signal
from signaalpunt.signals.permissions import WORKS_SIGNALS
from signaalpunt.signals.workflow import Action, allowed_actions
from signaalpunt.web.access import roles_required
from signaalpunt.web.refusals import show_refusal


def _allowed(signal: Signal, action: Action) -> None:
    if action not in allowed_actions(current_user, signal):
        audit.record_refusal(f"signal.{action.value}", "signal", signal.reference)
        abort(403)


@bp.route("/meldingen/<reference>/burenoproep", methods=["GET", "POST"])
@roles_required(*WORKS_SIGNALS)
def new_call(reference: str) -> Response | tuple[str, int]:
    signal = load_signal(reference)
    _allowed(signal, Action.CALL_NEIGHBOURS)
    form = CallForm()
    status = 200
    if form.validate_on_submit():
        draft = CallDraft(form.text.data, tuple(NeighbourHelp(kind) for kind in form.kinds.data), form.wanted.data)
        try:
            call = send_call(signal, current_user, draft, utcnow())
        except DomainError as error:
            status = show_refusal(error, form)
        else:
            flash(
                ngettext(
                    "De oproep is verstuurd aan %(num)s netwerkpartner.",
                    "De oproep is verstuurd aan %(num)s netwerkpartners.",
                    len(call.invites),
                )
            )
            return redirect(url_for("board.call_page", reference=reference, call_id=call.id))
    elif form.errors:
        status = 422
    partners = (
        network_partners(signal.organisation_id, int(signal.pc4), FIRST_RADIUS)
        if signal.pc4 and signal.pc4.isdigit()
        else []
    )
    return render_template("board/call_new.html", signal=signal, form=form, partners=partners), status


def _call(signal: Signal, call_id: int) -> NeighbourCall:
    call = call_of(signal, call_id)
    if call is None:
        abort(404)
    return call


def _render_call(signal: Signal, call: NeighbourCall, status: int = 200, **forms: BaseForm) -> tuple[str, int]:
    now = utcnow()
    ranked, by_distance = ranked_signups(call, signal.postcode)
    pick = forms.get("pick") or PickForm(formdata=None)
    follow_up = forms.get("follow_up") or NetworkFollowUpForm(formdata=None)
    return render_template(
        "board/call.html",
        signal=signal,
        call=call,
        ranked=ranked,
        by_distance=by_distance,
        now=now,
        pick=pick,
        picked=set(pick.picked.data or ()),
        follow_up=follow_up,
        follow_up_due=call.filled_at + NETWORK_FOLLOW_UP if call.filled_at else None,
    ), status


@bp.route("/meldingen/<reference>/burenoproepen/<int:call_id>")
@roles_required(*WORKS_SIGNALS)
def call_page(reference: str, call_id: int) -> tuple[str, int]:
    signal = load_signal(reference)
    _allowed(signal, Action.CALL_NEIGHBOURS)
    return _render_call(signal, _call(signal, call_id))


STEPS = {
    "verder": (Action.CALL_NEIGHBOURS, BaseForm),
    "sluiten": (Action.CALL_NEIGHBOURS, BaseForm),
    "kiezen": (Action.FORM_NETWORK, PickForm),
    "nabellen": (Action.NETWORK_FOLLOW_UP, NetworkFollowUpForm),
}


@bp.route("/meldingen/<reference>/burenoproepen/<int:call_id>/<step>", methods=["POST"])
@roles_required(*WORKS_SIGNALS)
def call_step(reference: str, call_id: int, step: str) -> Response | tuple[str, int]:
    signal = load_signal(reference)
    if step not in STEPS:
        abort(404)
    action, form_class = STEPS[step]
    _allowed(signal, action)
    call = _call(signal, call_id)
    form = form_class()
    if not form.validate():
        return _render_call(signal, call, 422, **{_form_key(step): form})
    now = utcnow()
    try:
        done = _perform(step, signal, call, form, now)
        db.session.flush()
    except DomainError as error:
        status = show_refusal(error, form)
        audit.record_refusal(f"call.{step}", "signal", reference)
        signal = load_signal(reference)
        return _render_call(signal, _call(signal, call_id), status, **{_form_key(step): form})
    flash(done)
    return redirect(url_for("board.call_page", reference=reference, call_id=call_id))


def _form_key(step: str) -> str:
    return {"kiezen": "pick", "nabellen": "follow_up"}.get(step, "plain")


def _perform(step: str, signal: Signal, call: NeighbourCall, form: BaseForm, now: datetime) -> str:
    if step == "verder":
        count = widen_call(signal, current_user, call, now)
        return ngettext(
            "De oproep is ook verstuurd aan %(num)s netwerkpartner verderop.",
            "De oproep is ook verstuurd aan %(num)s netwerkpartners verderop.",
            count,
        )
    if step == "sluiten":
        close_call(signal, current_user, call, now)
        return _("De oproep is gesloten; wie zich aanmeldde krijgt een bedankje.")
    if step == "kiezen":
        picked = form_network(
            signal, current_user, call, set(form.picked.data or ()), bool(form.person_agreed.data), now
        )
        return ngettext(
            "%(num)s buur krijgt het adres; de anderen krijgen een bedankje.",
            "%(num)s buren krijgen het adres; de anderen krijgen een bedankje.",
            len(picked),
        )
    record_network_follow_up(signal, current_user, call, Landed(form.landed.data), form.reason.data or "", now)
    return _("Het nabellen over het burennetwerk is vastgelegd.")
