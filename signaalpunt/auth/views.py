"""Login in two steps (password, then the second factor), logout, and the e-mailed password links."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug import Response

from signaalpunt.accounts import audit, twofactor
from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import PendingLogin, User
from signaalpunt.accounts.service import (
    INVITE,
    LOGIN,
    RESET,
    authenticate,
    count_login_attempt,
    forget_login_attempts,
    record_login,
    request_password_reset,
    set_password_with_token,
    user_for_token,
)
from signaalpunt.auth import bp
from signaalpunt.auth.forms import CodeForm, EnrolCodeForm, ForgotPasswordForm, LoginForm, SetPasswordForm
from signaalpunt.core.clock import utcnow
from signaalpunt.core.database import after_commit, write_transaction
from signaalpunt.core.errors import DomainError
from signaalpunt.core.links import same_site_path
from signaalpunt.extensions import limiter
from signaalpunt.web.refusals import show_refusal
from signaalpunt.web.sessions import end_current_session, pending_login, start_pending_login, start_session

MAX_NEXT_LENGTH = 500


def home_for(role: Role) -> str:
    """Where a person lands after logging in."""
    if role == Role.WORKER:
        return url_for("board.my_signals")
    if role in (Role.VIEWER, Role.REGION_VIEWER):
        return url_for("figures.overview")
    if role == Role.REGION_ADMIN:
        return url_for("admin.organisations")
    return url_for("board.board")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _finish_login(user: User, next_url: str | None, pending: PendingLogin | None = None) -> Response:
    """Start the session (the pending password check is used up), commit, and go where the person was heading."""
    if pending is not None:
        pending.used_at = utcnow()
    user.last_login_at = utcnow()
    record_login(user.email, audit.OK, user)
    start_session(user)
    email, origin = user.email, request.remote_addr
    # Only once the login is stored: the attempts that led to it no longer count.
    after_commit(lambda: forget_login_attempts(email, origin))
    return redirect(same_site_path(next_url) or home_for(user.role))


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(home_for(current_user.role))
    form = LoginForm()
    if form.validate_on_submit():
        if not count_login_attempt(form.email.data, request.remote_addr):
            form.password.errors.append(
                _(
                    "Te veel mislukte pogingen. Wacht %(minutes)s minuten en probeer het dan opnieuw.",
                    minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"],
                )
            )
            record_login(form.email.data, audit.REFUSED)
            return render_template("auth/login.html", form=form)
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            record_login(form.email.data, audit.FAILED)
            form.password.errors.append(_("Het e-mailadres of het wachtwoord klopt niet."))
            return render_template("auth/login.html", form=form)
        next_url = same_site_path(request.args.get("next"))
        if next_url and len(next_url) > MAX_NEXT_LENGTH:
            next_url = None
        return _after_password(user, next_url)
    return render_template("auth/login.html", form=form)


def _after_password(user: User, next_url: str | None) -> Response:
    """The password is known to be right: the second factor next (or, where it is optional and not set up, in)."""
    if user.totp_secret is None and not current_app.config["TWO_FACTOR_REQUIRED"]:
        return _finish_login(user, next_url)
    start_pending_login(user, next_url)
    return redirect(url_for("auth.second_factor" if user.totp_secret else "auth.enrol_second_factor"))


def _refuse_locked_code(form: CodeForm | EnrolCodeForm, user: User, step: str) -> None:
    record_login(user.email, audit.REFUSED, user, step=step)
    form.code.errors.append(_("Te veel mislukte pogingen. Log over een kwartier opnieuw in."))


@bp.route("/inloggen/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def second_factor() -> Response | str:
    pending = pending_login()
    if pending is None or pending.user.totp_secret is None:
        return redirect(url_for("auth.login"))
    user = pending.user
    form = CodeForm()
    if form.validate_on_submit():
        if not count_login_attempt(user.email, request.remote_addr):
            _refuse_locked_code(form, user, f"{LOGIN}.code")
        elif twofactor.use_code(user, form.code.data) or twofactor.use_recovery_code(user, form.code.data):
            return _finish_login(user, pending.next_url, pending)
        else:
            record_login(user.email, audit.FAILED, user, step=f"{LOGIN}.code")
            form.code.errors.append(_("Deze code klopt niet. Kijk of de tijd op uw telefoon goed staat."))
    return render_template("auth/second_factor.html", form=form)


@bp.route("/inloggen/tweede-stap-instellen", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def enrol_second_factor() -> Response | str:
    pending = pending_login()
    if pending is None or pending.user.totp_secret is not None:
        return redirect(url_for("auth.login"))
    user = pending.user
    if pending.totp_secret is None:
        with write_transaction():
            pending.totp_secret = twofactor.new_secret()
    secret = pending.totp_secret
    form = EnrolCodeForm()
    if form.validate_on_submit():
        step = twofactor.matching_step(secret, form.code.data)
        if not count_login_attempt(user.email, request.remote_addr):
            _refuse_locked_code(form, user, f"{LOGIN}.enrol")
        elif step is not None:
            codes = twofactor.enable(user, secret, step)
            audit.record("account.second_factor_enabled", actor=user, object_type="user", object_key=str(user.id))
            _finish_login(user, None, pending)
            # Shown in this answer only: the codes are never kept anywhere but as hashes.
            return render_template("auth/recovery_codes.html", codes=codes, next_url=home_for(user.role))
        else:
            record_login(user.email, audit.FAILED, user, step=f"{LOGIN}.enrol")
            form.code.errors.append(_("Deze code klopt niet. Scan de QR-code opnieuw of typ de sleutel over."))
    uri = twofactor.provisioning_uri(user, secret)
    qr = twofactor.qr_code_svg(uri, _("QR-code om de tweede stap in te stellen"))
    groups = [secret[i : i + 4] for i in range(0, len(secret), 4)]
    return render_template("auth/enrol.html", form=form, qr=qr, uri=uri, secret_groups=groups)


@bp.route("/uitloggen", methods=["POST"])
@login_required
def logout() -> Response:
    audit.record("logout", object_type="user", object_key=str(current_user.id))
    end_current_session()
    flash(_("U bent uitgelogd."))
    return redirect(url_for("auth.login"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password() -> Response | str:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data)
        audit.record("account.reset_requested", object_type="account", object_key=form.email.data.lower())
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
        except DomainError as error:
            show_refusal(error, form)
        else:
            audit.record(f"account.password_set.{purpose}", actor=user, object_type="user", object_key=str(user.id))
            if purpose == INVITE:
                # The new colleague just proved the link and chose the password: on to the second factor at once.
                onwards = _after_password(user, None)
                # After it: starting the login clears the session, and with it any earlier message.
                flash(_("Uw wachtwoord is ingesteld. Stel nu de tweede stap in."))
                return onwards
            flash(_("Uw wachtwoord is ingesteld. U kunt nu inloggen."))
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, user=user)


@bp.route("/wachtwoord-kiezen/<token>", methods=["GET", "POST"])
def set_password(token: str) -> Response | str | tuple[str, int]:
    return _choose_password(token, INVITE)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | str | tuple[str, int]:
    return _choose_password(token, RESET)
