"""Staff accounts: passwords, invitations and single-use links. No message here reveals whether an account exists."""

import secrets
from datetime import timedelta
from functools import cache

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from signaalpunt.accounts import audit
from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import PasswordResetRequest, User, UserSession, UserToken
from signaalpunt.accounts.passwords import password_problem
from signaalpunt.core.clock import utcnow
from signaalpunt.core.database import write_transaction
from signaalpunt.core.errors import DomainError
from signaalpunt.core.links import public_url
from signaalpunt.core.mail import queue_mail
from signaalpunt.core.tokens import hashed
from signaalpunt.extensions import db, limiter
from signaalpunt.organisations.models import Organisation

INVITE = "invite"
RESET = "reset"
LOGIN = "login"
ACCOUNT_THROTTLE_SECONDS = 3600


def hash_secret(secret: str) -> str:
    """Hash a password or recovery code with the configured method (scrypt unless set otherwise)."""
    return generate_password_hash(secret, method=current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_hex(16), method=method)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def _attempt_keys(email: str, origin: str | None) -> tuple[str, str]:
    key = normalise_email(email)
    return f"login/{key}/{origin or '-'}", f"login/{key}"


def count_login_attempt(email: str, origin: str | None) -> bool:
    """Count one attempt for this address typed from ``origin``, before anything is checked; False when locked.

    Counted up front and atomically, so a burst of parallel attempts counts every one. Locked are: this
    account from this origin after LOGIN_MAX_FAILURES attempts (someone elsewhere cannot lock a colleague
    out), and this account from anywhere after the slower LOGIN_ACCOUNT_MAX_FAILURES an hour. The same
    for addresses without an account, so the answer tells nothing.
    """
    config = current_app.config
    pair, account = _attempt_keys(email, origin)
    from_here = limiter.storage.incr(pair, config["LOGIN_LOCKOUT_MINUTES"] * 60)
    from_anywhere = limiter.storage.incr(account, ACCOUNT_THROTTLE_SECONDS)
    return from_here <= config["LOGIN_MAX_FAILURES"] and from_anywhere <= config["LOGIN_ACCOUNT_MAX_FAILURES"]


def forget_login_attempts(email: str, origin: str | None) -> None:
    """After a complete login: the attempts that led to it no longer count."""
    for key in _attempt_keys(email, origin):
        limiter.storage.clear(key)


def record_login(email: str, result: str, user: User | None = None, step: str = LOGIN) -> None:
    """Log a login attempt (never the password) under the address typed, for the audit trail and lockout."""
    audit.record(step, result, actor=user, object_type="account", object_key=normalise_email(email))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or ``None``; equal work either way, so timing tells nothing."""
    user = find_user_by_email(email)
    if user is None or user.password_hash is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def set_password(user: User, password: str) -> None:
    """Check, hash (scrypt, werkzeug's default) and store a new password."""
    problem = password_problem(password, user.name, user.email)
    if problem:
        raise DomainError(problem, field="password")
    user.password_hash = hash_secret(password)
    # A changed password makes every link sent before it worthless.
    _revoke_tokens(user, (INVITE, RESET))


def create_user(
    organisation: Organisation | None, email: str, name: str, role: Role, password: str | None = None
) -> User:
    """A new staff account; without a password it can only be used after the invitation link is followed.
    The region's roles belong to no team; every other role to exactly one."""
    if (organisation is None) != role.is_regional:
        raise DomainError(
            _("Deze rol hoort bij een team.") if organisation is None else _("Deze rol hoort bij de regio."),
            field="role",
        )
    if find_user_by_email(email) is not None:
        raise DomainError(_("Er is al een account met dit e-mailadres."), field="email")
    user = User(organisation=organisation, email=normalise_email(email), name=name.strip(), role=role)
    db.session.add(user)
    if password is not None:
        set_password(user, password)
    return user


def active_coordinators(organisation_id: int) -> list[User]:
    """Who is told when something in the team needs a coordinator now (urgent signals, transfers)."""
    query = sa.select(User).where(
        User.organisation_id == organisation_id, User.role == Role.COORDINATOR, User.active.is_(True)
    )
    return list(db.session.scalars(query.order_by(User.id)))


def invite_user(organisation: Organisation, email: str, name: str, role: Role, invited_by: User) -> User:
    """Create the account and e-mail a single-use link to choose a password. Administrators invite any team role;
    a coordinator invites social workers to her own team (roles stay the administrator's)."""
    if invited_by.role == Role.COORDINATOR and (role != Role.WORKER or organisation.id != invited_by.organisation_id):
        raise DomainError(_("Als coördinator nodigt u alleen maatschappelijk werkers uit voor uw eigen team."))
    user = create_user(organisation, email, name, role)
    db.session.flush()
    token = _issue_token(user, INVITE, timedelta(hours=current_app.config["INVITE_VALID_HOURS"]))
    queue_mail(
        user.email,
        _("Uitnodiging voor %(site)s", site=current_app.config["SITE_NAME"]),
        "invite",
        user=user,
        invited_by=invited_by,
        link=public_url("auth.set_password", token=token),
        valid_hours=current_app.config["INVITE_VALID_HOURS"],
    )
    return user


def request_password_reset(email: str) -> None:
    """Note the request for the mail worker: the same quick insert whether or not an account has this address,
    so neither the answer nor its time tells which addresses have one."""
    db.session.add(PasswordResetRequest(email=normalise_email(email)[:254]))


def send_requested_reset_links() -> int:
    """Handle the waiting reset requests: a one-hour link by e-mail for each active account, nothing for other
    addresses, and every request deleted. Returns how many links were queued."""
    queued = 0
    with write_transaction():
        # SKIP LOCKED (PostgreSQL): two workers at once never handle the same request.
        waiting = db.session.scalars(
            sa.select(PasswordResetRequest).order_by(PasswordResetRequest.id).with_for_update(skip_locked=True)
        ).all()
        for request in waiting:
            db.session.delete(request)
            user = find_user_by_email(request.email)
            if user is None or not user.active:
                continue
            token = _issue_token(user, RESET, timedelta(hours=1))
            queue_mail(
                user.email,
                _("Nieuw wachtwoord voor %(site)s", site=current_app.config["SITE_NAME"]),
                "password_reset",
                user=user,
                link=public_url("auth.reset_password", token=token),
            )
            queued += 1
    return queued


def user_for_token(token: str, purpose: str) -> User | None:
    """The user a valid (unused, unexpired) token belongs to, without using it up."""
    found = _find_token(token, purpose)
    return found.user if found else None


def set_password_with_token(token: str, purpose: str, password: str) -> User:
    """Use the token once to set the password; a used or expired token is refused."""
    found = _find_token(token, purpose)
    if found is None:
        raise DomainError(_("Deze link is verlopen of al gebruikt. Vraag een nieuwe aan."), field="password")
    set_password(found.user, password)
    found.used_at = utcnow()
    end_all_sessions(found.user)
    return found.user


def end_all_sessions(user: User) -> None:
    """End every session of ``user`` (after deactivation or a password reset)."""
    db.session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def _revoke_tokens(user: User, purposes: tuple[str, ...]) -> None:
    if user.id is None:
        return
    db.session.execute(
        sa.update(UserToken)
        .where(UserToken.user_id == user.id, UserToken.purpose.in_(purposes), UserToken.used_at.is_(None))
        .values(used_at=utcnow())
    )


def _issue_token(user: User, purpose: str, valid_for: timedelta) -> str:
    """A new link token; older unused ones for the same purpose stop working (only the newest mail counts)."""
    _revoke_tokens(user, (purpose,))
    token = secrets.token_urlsafe(32)
    db.session.add(UserToken(user=user, purpose=purpose, token_hash=hashed(token), expires_at=utcnow() + valid_for))
    return token


def _find_token(token: str, purpose: str) -> UserToken | None:
    return db.session.scalar(
        sa.select(UserToken).where(
            UserToken.token_hash == hashed(token),
            UserToken.purpose == purpose,
            UserToken.used_at.is_(None),
            UserToken.expires_at > utcnow(),
        )
    )
