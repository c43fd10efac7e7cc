"""Thin views for volunteers: the sign-up form (the report form's rules), withdrawal, the one-time address."""

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug import Response

from signaalpunt.core.clock import utcnow
from signaalpunt.core.errors import DomainError
from signaalpunt.extensions import limiter
from signaalpunt.forms.base import BaseForm
from signaalpunt.forms.volunteer import VolunteerForm
from signaalpunt.neighbours.address import address_for, open_address
from signaalpunt.neighbours.models import CallInvite
from signaalpunt.neighbours.signups import invite_for, sign_up, signup_for_withdrawal, withdraw
from signaalpunt.socialmap.enums import SpokenLanguage
from signaalpunt.volunteers import bp

THANKS_KEY = "volunteer_signed_up"


def _signup_limit() -> str:
    return current_app.config["REPORT_RATE_LIMIT"]


def _invite(token: str) -> CallInvite:
    invite = invite_for(token)
    if invite is None:
        abort(404)
    return invite


def _closed(invite: CallInvite) -> tuple[str, int]:
    """A closed or expired call says so; what was typed is not kept."""
    return render_template("volunteers/closed.html", team=invite.call.signal.organisation), 410


def _form_page(
    invite: CallInvite, form: VolunteerForm, notice: str | None = None, status: int = 200
) -> tuple[str, int]:
    return render_template("volunteers/signup.html", invite=invite, call=invite.call, form=form, notice=notice), status


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"])
def signup(token: str) -> Response | tuple[str, int]:
    invite = _invite(token)
    now = utcnow()
    if not invite.call.is_open(now):
        return _closed(invite)
    form = VolunteerForm()
    if request.method == "GET":
        spoken = str(get_locale())
        form.languages.data = [spoken if spoken in set(SpokenLanguage) else SpokenLanguage.DUTCH.value]
    if not form.validate_on_submit():
        return _form_page(invite, form, status=422 if form.errors else 200)
    try:
        _signup, merged = sign_up(invite, form.details(str(get_locale())), now)
    except DomainError:
        return _closed(invite)
    session[THANKS_KEY] = {"merged": merged, "team": invite.call.signal.organisation.name}
    return redirect(url_for("volunteers.thanks", token=token))


@bp.route("/<token>/bedankt")
def thanks(token: str) -> Response | str:
    shown = session.pop(THANKS_KEY, None)
    if shown is None:
        return redirect(url_for("volunteers.signup", token=token))
    return render_template("volunteers/thanks.html", **shown)


def _token() -> str:
    """The sign-up link's token, for the error pages that show its form again."""
    return str(dict(request.view_args or {}).pop("token", ""))


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError) -> tuple[str, int]:
    """An expired page re-shows the sign-up form with everything typed and a fresh token."""
    invite = invite_for(_token()) if request.endpoint == "volunteers.signup" else None
    if invite is None:
        return render_template("errors/form_expired.html"), 400
    notice = _("Het formulier was verlopen. Controleer uw gegevens en verstuur opnieuw.")
    return _form_page(invite, VolunteerForm(request.form), notice, 400)


@bp.errorhandler(429)
def too_many(error: Exception) -> tuple[str, int]:
    invite = invite_for(_token())
    if invite is None:
        return render_template("errors/http_error.html", error=error), 429
    notice = _("U heeft veel aanmeldingen kort na elkaar verstuurd. Wacht even en verstuur dan opnieuw.")
    return _form_page(invite, VolunteerForm(request.form), notice, 429)


@bp.route("/afmelden/<token>", methods=["GET", "POST"], endpoint="withdraw")
def withdraw_signup(token: str) -> tuple[str, int]:
    signup = signup_for_withdrawal(token)
    if signup is None:
        return render_template("volunteers/withdrawn.html", already=True), 404
    form = BaseForm()
    if form.validate_on_submit():
        withdraw(signup)
        return render_template("volunteers/withdrawn.html", already=False), 200
    return render_template("volunteers/withdraw.html", form=form, call=signup.call), 200


@bp.route("/adres/<token>")
def address(token: str) -> tuple[str, int]:
    """Once: the person's address for a neighbour who was picked. Used or expired, it says whom to call."""
    signup, team = open_address(token, utcnow())
    if signup is None:
        return render_template("volunteers/address_gone.html", team=team), 404
    return render_template("volunteers/address.html", signup=signup, address=address_for(signup), team=team), 200
