"""Server-side session records, so logging out, deactivation and time-outs end a session for real.

Flask's signed cookie cannot be revoked, so the cookie carries a random token whose hash names a
``UserSession`` row; without a live row the cookie is worthless.
"""

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app, flash, g, request, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from sqlalchemy.orm import joinedload

from signaalpunt.accounts.models import PendingLogin, User, UserSession
from signaalpunt.core.clock import utcnow
from signaalpunt.core.database import write_transaction
from signaalpunt.core.tokens import hashed
from signaalpunt.extensions import db, login_manager

SESSION_ID_KEY = "sid"
PENDING_LOGIN_KEY = "pending_login"
TOUCH_INTERVAL = timedelta(minutes=1)
# How long the second factor may be given after the password.
PENDING_VALID = timedelta(minutes=5)


def start_pending_login(user: User, next_url: str | None) -> None:
    """The password was right: remember that on the server, for the second-factor step of this browser only."""
    session.clear()
    token = secrets.token_urlsafe(32)
    db.session.add(PendingLogin(user=user, token_hash=hashed(token), next_url=next_url))
    session[PENDING_LOGIN_KEY] = token


def pending_login() -> PendingLogin | None:
    """This browser's unused password check of the last few minutes, for an active account; else ``None``."""
    token = session.get(PENDING_LOGIN_KEY)
    if not isinstance(token, str):
        return None
    record = db.session.scalar(sa.select(PendingLogin).where(PendingLogin.token_hash == hashed(token)))
    if record is None or record.used_at is not None or utcnow() - record.created_at > PENDING_VALID:
        return None
    return record if record.user.is_active else None


def start_session(user: User) -> None:
    """Log ``user`` in with a fresh session: everything from before (and its id) is discarded."""
    session.clear()
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user=user, token_hash=hashed(token)))
    session[SESSION_ID_KEY] = token
    login_user(user)


def end_current_session() -> None:
    """Log out here and on the server: the cookie cannot be replayed afterwards."""
    token = session.get(SESSION_ID_KEY)
    if token:
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.token_hash == hashed(token), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
    logout_user()
    session.clear()


def _expired(record: UserSession) -> bool:
    now = utcnow()
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    return now - record.last_seen_at > idle or now - record.created_at > absolute


def check_session() -> None:
    """Before each request: accept the session only if its record is live, and keep it alive."""
    token = session.get(SESSION_ID_KEY)
    if token is None or request.endpoint == "static":
        return
    # The user and their team come along: every staff page reads the one, many the other (two round trips fewer).
    record = db.session.scalar(
        sa.select(UserSession)
        .options(joinedload(UserSession.user).joinedload(User.organisation))
        .where(UserSession.token_hash == hashed(token))
    )
    if record is None or record.ended_at is not None or _expired(record):
        if record is not None and record.ended_at is None:
            with write_transaction():
                record.ended_at = utcnow()
            flash(_("U was een tijd niet actief en bent uitgelogd. Log opnieuw in."))
        logout_user()
        session.pop(SESSION_ID_KEY, None)
        return
    if utcnow() - record.last_seen_at > TOUCH_INTERVAL:
        with write_transaction():
            record.last_seen_at = utcnow()
    g.user_session = record


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: only the user of the live session record checked before this request."""
    record = g.get("user_session")
    if record is None or str(record.user_id) != user_id:
        return None
    return record.user if record.user.is_active else None


def init_app(app: Flask) -> None:
    app.before_request(check_session)
    login_manager.user_loader(load_user)
