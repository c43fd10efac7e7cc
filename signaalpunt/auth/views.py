"""Login in two steps (password, then the second factor), logout, and the e-mailed password links."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug import Response

from signaalpunt import audit, twofactor
from signaalpunt.accounts import (
    INVITE,
    LOGIN,
    RESET,
    AccountError,
    authenticate,
    is_locked,
    record_login,
    request_password_reset,
    set_password_with_token,
    user_for_token,
)
from signaalpunt.auth import bp
from signaalpunt.auth.forms import CodeForm, ForgotPasswordForm, LoginForm, SetPasswordForm
from signaalpunt.clock import utcnow
from signaalpunt.enums import Role
from signaalpunt.extensions import db, limiter
from signaalpunt.models import User
from signaalpunt.sessions import end_current_session, start_session

PENDING_USER = "pending_user_id"
PENDING_SINCE = "pending_since"
PENDING_SECRET = "pending_totp_secret"  # noqa: S105 - the name of a session key
PENDING_NEXT = "pending_next"
FRESH_CODES = "fresh_recovery_codes"
PENDING_VALID = timedelta(minutes=5)


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


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _pending_user() -> User | None:
    """The user who gave the right password in the last few minutes but has not given the second factor yet."""
    user_id, since = session.get(PENDING_USER), session.get(PENDING_SINCE)
    if user_id is None or since is None or utcnow() - datetime.fromisoformat(since) > PENDING_VALID:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active else None


def _finish_login(user: User) -> Response:
    target = session.get(PENDING_NEXT)
    codes = session.get(FRESH_CODES)
    user.last_login_at = utcnow()
    record_login(user.email, audit.OK, user)
    start_session(user)
    db.session.commit()
    if codes:
        session[FRESH_CODES] = codes
        return redirect(url_for("auth.recovery_codes"))
    return redirect(_safe_next(target) or home_for(user.role))


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(home_for(current_user.role))
    form = LoginForm()
    if form.validate_on_submit():
        if is_locked(form.email.data):
            form.password.errors.append(
                _(
                    "Te veel mislukte pogingen. Wacht %(minutes)s minuten en probeer het dan opnieuw.",
                    minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"],
                )
            )
            record_login(form.email.data, audit.REFUSED)
            db.session.commit()
            return render_template("auth/login.html", form=form)
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            record_login(form.email.data, audit.FAILED)
            db.session.commit()
            form.password.errors.append(_("Het e-mailadres of het wachtwoord klopt niet."))
            return render_template("auth/login.html", form=form)
        session.clear()
        session[PENDING_NEXT] = request.args.get("next")
        if user.totp_secret is None and not current_app.config["TWO_FACTOR_REQUIRED"]:
            return _finish_login(user)
        session[PENDING_USER] = user.id
        session[PENDING_SINCE] = utcnow().isoformat()
        return redirect(url_for("auth.second_factor" if user.totp_secret else "auth.enrol_second_factor"))
    return render_template("auth/login.html", form=form)


@bp.route("/inloggen/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def second_factor() -> Response | str:
    user = _pending_user()
    if user is None or user.totp_secret is None:
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if is_locked(user.email):
            form.code.errors.append(_("Te veel mislukte pogingen. Log over een kwartier opnieuw in."))
        elif twofactor.code_is_valid(user.totp_secret, form.code.data) or twofactor.use_recovery_code(
            user, form.code.data
        ):
            return _finish_login(user)
        else:
            record_login(user.email, audit.FAILED, user, step=f"{LOGIN}.code")
            db.session.commit()
            form.code.errors.append(_("Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat."))
    return render_template("auth/second_factor.html", form=form)


@bp.route("/inloggen/tweede-stap-instellen", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def enrol_second_factor() -> Response | str:
    user = _pending_user()
    if user is None or user.totp_secret is not None:
        return redirect(url_for("auth.login"))
    secret = session.setdefault(PENDING_SECRET, twofactor.new_secret())
    form = CodeForm()
    if form.validate_on_submit():
        if twofactor.code_is_valid(secret, form.code.data):
            session[FRESH_CODES] = twofactor.enable(user, secret)
            audit.record("account.second_factor_enabled", actor=user, object_type="user", object_key=str(user.id))
            return _finish_login(user)
        form.code.errors.append(_("Deze code klopt niet. Scan de QR-code opnieuw of typ de sleutel over."))
    uri = twofactor.provisioning_uri(user, secret)
    qr = twofactor.qr_code_svg(uri, _("QR-code om de tweede stap in te stellen"))
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render_template("auth/enrol.html", form=form, qr=qr, secret=grouped)


@bp.route("/inloggen/herstelcodes")
@login_required
def recovery_codes() -> Response | str:
    codes = session.pop(FRESH_CODES, None)
    if not codes:
        return redirect(home_for(current_user.role))
    return render_template("auth/recovery_codes.html", codes=codes, next_url=home_for(current_user.role))


@bp.route("/uitloggen", methods=["POST"])
@login_required
def logout() -> Response:
    audit.record("logout", object_type="user", object_key=str(current_user.id))
    end_current_session()
    db.session.commit()
    flash(_("U bent uitgelogd."))
    return redirect(url_for("auth.login"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password() -> Response | str:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data)
        audit.record("account.reset_requested", object_type="account", object_key=form.email.data.lower())
        db.session.commit()
        flash(_("Als er een account is met dit e-mailadres, ontvangt u binnen enkele minuten een e-mail met een link."))
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


def _choose_password(token: str, purpose: str) -> Response | str | tuple[str, int]:
    user = user_for_token(token, purpose)
    if user is None:
        # Said plainly, with the way to a new link: a colleague whose invitation ran out is not lost.
        return render_template("auth/link_expired.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password_with_token(token, purpose, form.password.data)
        except AccountError as error:
            form.password.errors.append(error.message)
        else:
            audit.record(f"account.password_set.{purpose}", actor=user, object_type="user", object_key=str(user.id))
            db.session.commit()
            flash(_("Uw wachtwoord is ingesteld. U kunt nu inloggen."))
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, user=user)


@bp.route("/wachtwoord-kiezen/<token>", methods=["GET", "POST"])
def set_password(token: str) -> Response | str | tuple[str, int]:
    return _choose_password(token, INVITE)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | str | tuple[str, int]:
    return _choose_password(token, RESET)
