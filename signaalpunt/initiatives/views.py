"""An initiative confirms or corrects its details on the social map through its twice-yearly link."""

from flask import render_template, request

from signaalpunt.accounts import audit
from signaalpunt.core.clock import utcnow
from signaalpunt.core.errors import DomainError
from signaalpunt.forms.initiative import InitiativeForm
from signaalpunt.initiatives import bp
from signaalpunt.socialmap.checks import answer_check, check_for, check_of_any_state
from signaalpunt.web.refusals import show_refusal


def _link_gone(token: str) -> tuple[str, int]:
    """A used or expired link says so plainly, with the team to contact instead."""
    known = check_of_any_state(token)
    team = known.initiative.organisation if known is not None else None
    return render_template("initiatives/link_gone.html", team=team), 404


@bp.route("/<token>", methods=["GET", "POST"])
def check(token: str) -> str | tuple[str, int]:
    now = utcnow()
    found = check_for(token, now)
    if found is None:
        return _link_gone(token)
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
