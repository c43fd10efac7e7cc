"""Staff accounts: passwords, invitations and single-use links. No message here reveals whether an account exists."""

import hashlib
import secrets
from datetime import timedelta
from functools import cache

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from signaalpunt.clock import utcnow
from signaalpunt.enums import Role
from signaalpunt.extensions import db
from signaalpunt.links import public_url
from signaalpunt.mail import queue_mail
from signaalpunt.models import Organisation, User, UserToken

INVITE = "invite"
MIN_PASSWORD_LENGTH = 12


class AccountError(ValueError):
    """A request about an account that cannot be honoured; ``message`` is for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or ``None``; equal work either way, so timing tells nothing."""
    user = find_user_by_email(email)
    if user is None or user.password_hash is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def set_password(user: User, password: str) -> None:
    """Hash and store a new password (scrypt, werkzeug's default)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_("Kies een wachtwoord van minstens %(count)s tekens.", count=MIN_PASSWORD_LENGTH))
    user.password_hash = generate_password_hash(password)


def create_user(organisation: Organisation, email: str, name: str, role: Role, password: str | None = None) -> User:
    """A new staff account; without a password it can only be used after the invitation link is followed."""
    if find_user_by_email(email) is not None:
        raise AccountError(_("Er is al een account met dit e-mailadres."))
    user = User(organisation=organisation, email=normalise_email(email), name=name.strip(), role=role)
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    return user


def invite_user(organisation: Organisation, email: str, name: str, role: Role, invited_by: User) -> User:
    """Create the account and e-mail a single-use link to choose a password."""
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


def user_for_token(token: str, purpose: str) -> User | None:
    """The user a valid (unused, unexpired) token belongs to, without using it up."""
    found = _find_token(token, purpose)
    return found.user if found else None


def set_password_with_token(token: str, purpose: str, password: str) -> User:
    """Use the token once to set the password; a used or expired token is refused."""
    found = _find_token(token, purpose)
    if found is None:
        raise AccountError(_("Deze link is verlopen of al gebruikt. Vraag een nieuwe aan."))
    set_password(found.user, password)
    found.used_at = utcnow()
    return found.user


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue_token(user: User, purpose: str, valid_for: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserToken(user=user, purpose=purpose, token_hash=_hash_token(token), expires_at=utcnow() + valid_for)
    )
    return token


def _find_token(token: str, purpose: str) -> UserToken | None:
    return db.session.scalar(
        sa.select(UserToken).where(
            UserToken.token_hash == _hash_token(token),
            UserToken.purpose == purpose,
            UserToken.used_at.is_(None),
            UserToken.expires_at > utcnow(),
        )
    )
