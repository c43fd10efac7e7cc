"""An initiative confirms or corrects its details on the social map through its twice-yearly link, and answers a
warm handover through the link in its mail."""

from flask import render_template, request

from signaalpunt.accounts import audit
from signaalpunt.core.clock import utcnow
from signaalpunt.core.errors import DomainError
from signaalpunt.forms.initiative import HandoverAnswerForm, InitiativeForm
from signaalpunt.initiatives import bp
from signaalpunt.organisations.models import Organisation
from signaalpunt.referrals.enums import HandoverAnswer
from signaalpunt.referrals.service import answer_handover, handover_for, handover_of_any_state
from signaalpunt.socialmap.checks import answer_check, check_for, check_of_any_state
from signaalpunt.web.refusals import show_refusal


def _link_gone(team: Organisation | None, handover: bool = False) -> tuple[str, int]:
    """A used or expired link says so plainly, with the team to contact instead."""
    return render_template("initiatives/link_gone.html", team=team, handover=handover), 404


@bp.route("/<token>", methods=["GET", "POST"])
def check(token: str) -> str | tuple[str, int]:
    now = utcnow()
    found = check_for(token, now)
    if found is None:
        known = check_of_any_state(token)
        return _link_gone(known.initiative.organisation if known is not None else None)
    initiative = found.initiative
    form = InitiativeForm(obj=initiative)
    if request.method == "GET":
        form.fill_from(initiative)
    elif form.validate_on_submit():
        corrected = None if request.form.get("answer") == "confirm" else form.details()
        try:
            answer_check(found, now, corrected)
        except DomainError as error:
            show_refusal(error, form)
        else:
            answered = "initiative.confirmed" if corrected is None else "initiative.corrected"
            audit.record(answered, object_type="initiative", object_key=str(initiative.id))
            return render_template("initiatives/thanks.html", initiative=initiative)
    return render_template("initiatives/check.html", form=form, initiative=initiative)


@bp.route("/overdracht/<token>", methods=["GET", "POST"])
def handover(token: str) -> str | tuple[str, int]:
    """The page shows no one's details: whoever holds the link already has them in the mail."""
    now = utcnow()
    referral = handover_for(token, now)
    if referral is None:
        known = handover_of_any_state(token)
        return _link_gone(known.signal.organisation if known is not None else None, handover=True)
    form = HandoverAnswerForm()
    if form.validate_on_submit():
        try:
            answer_handover(referral, HandoverAnswer(form.answer.data), form.reason.data or "", now)
        except DomainError as error:
            show_refusal(error, form)
        else:
            return render_template("initiatives/handover_thanks.html", referral=referral)
    return render_template("initiatives/handover.html", form=form, referral=referral, now=now)
