"""Login, logout and the invitation link."""

from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug import Response

from signaalpunt.accounts import INVITE, AccountError, authenticate, set_password_with_token, user_for_token
from signaalpunt.auth import bp
from signaalpunt.auth.forms import LoginForm, SetPasswordForm
from signaalpunt.enums import Role
from signaalpunt.extensions import db


def home_for(role: Role) -> str:
    """Where a person lands after logging in."""
    if role == Role.WORKER:
        return url_for("board.my_signals")
    if role == Role.VIEWER:
        return url_for("figures.overview")
    return url_for("board.board")


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: ``https://elsewhere``, ``//elsewhere`` and ``/\\elsewhere`` are ignored."""
    if not target or "\\" in target or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


@bp.route("/inloggen", methods=["GET", "POST"])
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(home_for(current_user.role))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            session.clear()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or home_for(user.role))
        form.password.errors.append(_("Het e-mailadres of het wachtwoord klopt niet."))
    return render_template("auth/login.html", form=form)


@bp.route("/uitloggen", methods=["POST"])
@login_required
def logout() -> Response:
    logout_user()
    session.clear()
    flash(_("U bent uitgelogd."))
    return redirect(url_for("auth.login"))


@bp.route("/wachtwoord-kiezen/<token>", methods=["GET", "POST"])
def set_password(token: str) -> Response | str:
    user = user_for_token(token, INVITE)
    if user is None:
        abort(404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password_with_token(token, INVITE, form.password.data)
        except AccountError as error:
            form.password.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Uw wachtwoord is ingesteld. U kunt nu inloggen."))
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, user=user)
