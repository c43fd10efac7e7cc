"""Thin views for the staff side: load, check, call the workflow, commit once, redirect."""

from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm.exc import StaleDataError
from werkzeug import Response

from signaalpunt.accounts import audit
from signaalpunt.accounts.enums import Role
from signaalpunt.board import bp
from signaalpunt.board.actions import ACTIONS, build_form, is_stale, refresh_version
from signaalpunt.board.display import board_rows
from signaalpunt.board.forms import BulkAssignForm, CloseForm, PlaceInAreasForm, ReferForm
from signaalpunt.consent.enums import ConsentKind
from signaalpunt.consent.service import has_consent
from signaalpunt.core.clock import utcnow
from signaalpunt.core.errors import DomainError
from signaalpunt.core.languages import PUBLIC_LANGUAGES, RIGHT_TO_LEFT
from signaalpunt.core.listing import Shown
from signaalpunt.core.request_input import id_arg
from signaalpunt.extensions import db
from signaalpunt.forms.base import BaseForm
from signaalpunt.forms.report import ReportForm
from signaalpunt.neighbours.service import network_follow_ups_due
from signaalpunt.organisations.routing import municipalities_to_offer
from signaalpunt.referrals.service import (
    follow_up_due,
    follow_ups_due,
    person_language,
    referral_of,
    suggestions,
    unconfirmed_handovers,
)
from signaalpunt.signals.bulk import assign_many
from signaalpunt.signals.enums import Channel, Outcome, ReferralTarget
from signaalpunt.signals.intake import active_partners, new_submission_token, submit_report
from signaalpunt.signals.models import Signal
from signaalpunt.signals.permissions import WORKS_SIGNALS, may_see_reporter
from signaalpunt.signals.queries import (
    DUPLICATE_WINDOW,
    SIGNAL_VIEW,
    TABS,
    BoardFilters,
    assignment_suggestions,
    board_page,
    every_contact_attempt,
    every_event,
    every_view,
    filter_choices,
    possible_duplicates,
    signal_views,
    signals_to_place,
    user_in_organisation,
    visible_signal,
)
from signaalpunt.signals.workflow import (
    MIN_ATTEMPTS_FOR_UNREACHABLE,
    Action,
    StaleSignalError,
    allowed_actions,
    close_problem,
    place_in_area,
    reporters_to_tell,
)
from signaalpunt.web.access import roles_required
from signaalpunt.web.refusals import show_refusal
from signaalpunt.web.streaming import streamed_page

# The oldest lines of each list to check that the board shows, with a link to all.
LINES_TO_CHECK = 10


def _filters(mine: bool, default_tab: str) -> BoardFilters:
    area = request.args.get("area", "")
    assignee = request.args.get("assignee", "")
    tab = request.args.get("tab", default_tab)
    return BoardFilters(
        tab=tab if tab in TABS else default_tab,
        area_id=id_arg("area"),
        outside_area=area == "outside",
        assignee_id=id_arg("assignee"),
        unassigned=assignee == "none",
        partner_id=id_arg("partner"),
        urgent=request.args.get("urgent") == "1",
        overdue=request.args.get("overdue") == "1",
        text=request.args.get("q", "").strip()[:100],
        page=id_arg("page") or 1,
        mine=mine,
    )


def _render_board(mine: bool, default_tab: str, bulk: BulkAssignForm | None = None) -> str:
    filters = _filters(mine, default_tab)
    now = utcnow()
    page = board_page(current_user, filters, now, current_app.config["BOARD_PAGE_SIZE"])
    coordinating = current_user.role == Role.COORDINATOR and not mine
    choices = filter_choices(current_user)
    if coordinating and bulk is None:
        bulk = BulkAssignForm(formdata=None)
        bulk.offer_colleagues(choices["users"])
    return render_template(
        "board/board.html",
        page=page,
        rows=board_rows(page.signals, page.repeats),
        filters=filters,
        tabs=TABS,
        now=now,
        mine=mine,
        to_place=signals_to_place(current_user) if coordinating else [],
        bulk=bulk,
        **_to_check(now, shown=mine or coordinating),
        **choices,
    )


def _to_check(now: datetime, shown: bool) -> dict[str, Shown]:
    """Referrals to call back about, handovers no initiative confirmed, networks to call back about: on the worker's
    own page, and on the coordinator's board for the whole team; the oldest few unless all were asked for."""
    if not shown:
        return {name: Shown([], 0) for name in ("follow_ups", "unconfirmed", "network_follow_ups")}
    limit = None if request.args.get("nagaan") == "alle" else LINES_TO_CHECK
    return {
        "follow_ups": follow_ups_due(current_user, now, limit),
        "unconfirmed": unconfirmed_handovers(current_user, now, limit),
        "network_follow_ups": network_follow_ups_due(current_user, now, limit),
    }


@bp.route("/toewijzen", methods=["POST"])
@roles_required(Role.COORDINATOR)
def assign_picked() -> Response | tuple[str, int]:
    """Several ticked signals to one colleague: each checked by the workflow, each reported."""
    form = BulkAssignForm()
    form.offer_colleagues(filter_choices(current_user)["users"])
    if not form.validate():
        return _render_board(mine=False, default_tab="new", bulk=form), 422
    assignee = user_in_organisation(current_user, form.assignee.data)
    for result in assign_many(current_user, assignee, form.picked_signals()):
        flash(result.message, "message" if result.done else "error")
    return redirect(url_for("board.board", **request.args))


@bp.route("/")
@roles_required(*WORKS_SIGNALS)
def board() -> str:
    return _render_board(mine=False, default_tab="new")


@bp.route("/buiten-werkgebied", methods=["POST"])
@roles_required(Role.COORDINATOR)
def place_in_areas() -> Response:
    """Signals that came in outside every area, now that an area has their PC4: each to its area (or its team)."""
    form = PlaceInAreasForm()
    if not form.validate_on_submit():
        abort(400)
    placed = signals_to_place(current_user)
    for signal in placed:
        place_in_area(signal, current_user)
        audit.record("signal.place_in_area", object_type="signal", object_key=signal.reference)
    flash(ngettext("%(num)s melding is geplaatst.", "%(num)s meldingen zijn geplaatst.", len(placed)))
    return redirect(url_for("board.board"))


@bp.route("/mijn")
@roles_required(*WORKS_SIGNALS)
def my_signals() -> str:
    return _render_board(mine=True, default_tab="open")


# The flash category of a saved step: the signal page shows it at the timeline, not at the top (base.html).
SAVED = "saved"


def load_signal(reference: str, with_history: bool = True) -> Signal:
    """The signal, if this user may see it; otherwise the refusal is audited and the answer is 404."""
    signal = visible_signal(current_user, reference, with_history)
    if signal is None:
        audit.record_refusal(f"signal.{request.endpoint.rsplit('.', 1)[-1]}", "signal", reference)
        abort(404)
    return signal


def _render_signal(
    signal: Signal,
    submitted: tuple[Action, object] | None = None,
    status: int = 200,
    show_reporter: bool = False,
    confirming: CloseForm | None = None,
) -> tuple[str, int]:
    """The signal page; after a form (refused, or a close to confirm) with the posted values, at its own address."""
    if submitted is not None and submitted[0] == Action.REFER:
        return _render_referral(signal, submitted[1], status)
    actions = allowed_actions(current_user, signal)
    # Steps taken through another action's form (a follow-up that reopens) have none of their own.
    suggestions = assignment_suggestions(signal) if Action.ASSIGN in actions else []
    forms = {action: build_form(action, signal, suggestions=suggestions) for action in actions if action in ACTIONS}
    if submitted is not None and submitted[0] in forms:
        forms[submitted[0]] = submitted[1]
    for form in forms.values():
        refresh_version(form, signal)
    now = utcnow()
    return render_template(
        "board/signal.html",
        signal=signal,
        forms=forms,
        Action=Action,
        now=now,
        duplicates=possible_duplicates(signal, now),
        duplicate_window_days=DUPLICATE_WINDOW.days,
        min_attempts_for_unreachable=MIN_ATTEMPTS_FOR_UNREACHABLE,
        suggestions=suggestions,
        views=signal_views(signal) if current_user.role == Role.ADMIN else [],
        show_reporter=show_reporter,
        may_see_reporter=may_see_reporter(current_user, signal),
        reporter_left_contact=any(
            report.reporter_name or report.reporter_phone or report.reporter_email
            for report in (signal, *signal.duplicates)
        ),
        confirming=confirming,
        reporters_to_tell=reporters_to_tell(signal) if confirming else [],
        follow_up_due=follow_up_due,
        may_call_neighbours=Action.CALL_NEIGHBOURS in actions,
        agreed_to_volunteers=has_consent(signal, ConsentKind.VOLUNTEERS),
        # Without a fragment: scrolling to one after the page loads would take the focus off the error summary.
        canonical=url_for("board.signal_page", reference=signal.reference) if submitted else None,
    ), status


def _record_reading(signal: Signal, *actions: str) -> Signal:
    """Audit who read the signal, in a short write of its own, and return the signal loaded again.

    The commit expires the signal; loading it again brings its timeline in a few queries, not one per part.
    """
    reference = signal.reference
    audit.record_reading(*actions, object_type="signal", object_key=reference)
    return load_signal(reference)


@bp.route("/meldingen/<reference>")
@roles_required(*WORKS_SIGNALS)
def signal_page(reference: str) -> tuple[str, int]:
    signal = load_signal(reference)
    show_reporter = request.args.get("melder") == "tonen" and may_see_reporter(current_user, signal)
    actions = (SIGNAL_VIEW, "signal.view_reporter") if show_reporter else (SIGNAL_VIEW,)
    return _render_signal(_record_reading(signal, *actions), show_reporter=show_reporter)


@bp.route("/meldingen/<reference>/inzage")
@roles_required(Role.COORDINATOR)
def signal_export(reference: str) -> Response:
    """Everything stored about one signal, as a readable document (for a request to see one's data), sent as it is
    read: a long history starts at once and never sits whole in memory."""
    load_signal(reference, with_history=False)  # refused (and audited) here, before anything is sent
    audit.record_reading("signal.export", object_type="signal", object_key=reference)

    def contents() -> dict[str, object]:
        signal = load_signal(reference, with_history=False)
        return {
            "signal": signal,
            "attempts": every_contact_attempt(signal),
            "events": every_event(signal),
            "views": every_view(signal),
            "now": utcnow(),
        }

    return streamed_page("board/export.html", contents)


@bp.route("/meldingen/<reference>/<action>", methods=["POST"])
@roles_required(*WORKS_SIGNALS)
def act(reference: str, action: str) -> Response | tuple[str, int]:
    signal = load_signal(reference)
    chosen = next((known for known in ACTIONS if known.value == action), None)
    if chosen is None:
        abort(404)
    form = build_form(chosen, signal, submitted=True)
    if chosen not in allowed_actions(current_user, signal):
        if is_stale(form, signal):
            return _refused(reference, chosen, form, StaleSignalError())
        audit.record_refusal(f"signal.{chosen.value}", "signal", reference)
        abort(403)
    if not form.validate():
        return _render_signal(signal, (chosen, form), status=422)
    if isinstance(form, ReferForm) and form.refresh.data:
        return _render_referral(signal, form)
    if isinstance(form, CloseForm) and form.confirmed.data != "yes":
        return _confirm_close(signal, form)
    try:
        ACTIONS[chosen].perform(signal, current_user, form)
        audit.record(f"signal.{chosen.value}", object_type="signal", object_key=reference)
        # Now, not at the request's commit: a colleague's change in between is found here and said plainly.
        db.session.flush()
    except StaleDataError:
        return _refused(reference, chosen, form, StaleSignalError())
    except DomainError as error:
        return _refused(reference, chosen, form, error)
    if visible_signal(current_user, reference) is None:
        flash(str(ACTIONS[chosen].done))
        return redirect(url_for("board.my_signals" if current_user.role == Role.WORKER else "board.board"))
    # Back at the timeline, where the step now shows, with the confirmation beside it.
    flash(str(ACTIONS[chosen].done), SAVED)
    return redirect(url_for("board.signal_page", reference=reference, _anchor="timeline-heading"))


def _confirm_close(signal: Signal, form: CloseForm) -> tuple[str, int]:
    """Before closing: the outcome and what the reporter will be told, to confirm (or go back and change)."""
    problem = close_problem(signal, Outcome(form.outcome.data))
    if problem is not None:
        return _refused(signal.reference, Action.CLOSE, form, problem)
    return _render_signal(signal, (Action.CLOSE, form), confirming=form)


def _refused(reference: str, action: Action, form: BaseForm, error: DomainError) -> tuple[str, int]:
    """Show the signal as it is now with the reason, keeping what was typed; audited like every refusal,
    whatever the order of the checks that found it (a stale form for a forbidden action too)."""
    status = show_refusal(error, form)
    audit.record_refusal(f"signal.{action.value}", "signal", reference)
    return _render_signal(load_signal(reference), (action, form), status=status)


@bp.route("/meldingen/<reference>/doorverwijzen")
@roles_required(*WORKS_SIGNALS)
def referral_page(reference: str) -> tuple[str, int]:
    """Choose the initiatives to refer to, suggested by the person's PC4, language and the help needed."""
    signal = load_signal(reference)
    if Action.REFER not in allowed_actions(current_user, signal):
        audit.record_refusal("signal.refer", "signal", reference)
        abort(403)
    form = build_form(Action.REFER, signal)
    refresh_version(form, signal)
    form.need.data = request.args.get("hulp") if request.args.get("hulp") in set(ReferralTarget) else None
    form.language.data = person_language(signal)
    return _render_referral(signal, form)


def _render_referral(signal: Signal, form: ReferForm, status: int = 200) -> tuple[str, int]:
    """The referral page, with what was chosen so far (ticked initiatives stay, whatever the suggestions)."""
    need = ReferralTarget(form.need.data) if form.need.data in set(ReferralTarget) else None
    found = suggestions(signal, need, form.language.data or "nl")
    return render_template(
        "board/referral.html",
        signal=signal,
        form=form,
        suggested=[s for s in found if s.suggested],
        others=[s for s in found if not s.suggested],
        ticked=set(form.initiatives.data or ()),
    ), status


@bp.route("/meldingen/<reference>/verwijzingen/<int:referral_id>/kaart")
@roles_required(*WORKS_SIGNALS)
def referral_card(reference: str, referral_id: int) -> str:
    """A card to give (or text) the person: the initiative's name, phone and address, in their language."""
    signal = load_signal(reference)
    referral = referral_of(signal, referral_id)
    if referral is None:
        abort(404)
    wanted = request.args.get("kaarttaal") or referral.language
    language = wanted if wanted in PUBLIC_LANGUAGES else "nl"
    with force_locale(language):
        card = render_template(
            "board/_card.html", referral=referral, initiative=referral.initiative, team=signal.organisation
        )
    return render_template(
        "board/card.html",
        signal=signal,
        referral=referral,
        card=Markup(card),  # noqa: S704 - our own template's output, escaped as it was rendered
        language=language,
        direction="rtl" if language in RIGHT_TO_LEFT else "ltr",
        untranslated=wanted != language,
        languages=PUBLIC_LANGUAGES,
    )


@bp.route("/telefonische-melding", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.WORKER)
def phone_intake() -> Response | str:
    form = ReportForm()
    form.offer_partners(active_partners())
    form.offer_municipalities(municipalities_to_offer())
    if request.method == "GET":
        form.submission_token.data = new_submission_token()
    if form.validate_on_submit():
        report = form.to_report(Channel.PHONE, str(get_locale()))
        stored = submit_report(report, form.submission_token.data or None, taken_by=current_user)
        flash(_("De telefonische melding is opgeslagen als %(reference)s.", reference=stored.reference))
        target = visible_signal(current_user, stored.reference)
        return redirect(url_for("board.signal_page", reference=stored.reference) if target else url_for("board.board"))
    return render_template("board/phone_intake.html", form=form)
