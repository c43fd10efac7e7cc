"""The second factor: TOTP from an authenticator app, and single-use recovery codes."""

import hmac
import secrets
from datetime import UTC, datetime

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup
from werkzeug.security import check_password_hash

from signaalpunt.accounts.models import RecoveryCode, User
from signaalpunt.accounts.service import hash_secret
from signaalpunt.core.clock import utcnow
from signaalpunt.extensions import db

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config["SITE_NAME"])


def qr_code_svg(uri: str, title: str) -> Markup:
    """The QR code as inline SVG, made here: the secret never leaves the server for an image service."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, title=title, dark="#000", light="#fff")
    return Markup(svg)  # noqa: S704 - segno's own SVG; the title is escaped by segno


def matching_step(secret: str, code: str, now: datetime | None = None) -> int | None:
    """The 30-second step whose code was typed, allowing one step of clock drift either way; ``None`` if none."""
    digits = "".join(code.split())
    if len(digits) != 6 or not digits.isascii() or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    # Aware UTC: pyotp reads a naive time as the machine's local time.
    current = totp.timecode((now or utcnow()).replace(tzinfo=UTC))
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return step
    return None


def use_code(user: User, code: str) -> bool:
    """Accept a code from the user's app once: a code (or an older one) that was used before is refused."""
    step = matching_step(user.totp_secret, code)
    if step is None:
        return False
    # One conditional update: of two requests racing with the same code, only one changes the row.
    claimed = db.session.execute(
        sa.update(User)
        .where(User.id == user.id, sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
    )
    return claimed.rowcount == 1


def enable(user: User, secret: str, step: int) -> list[str]:
    """Store the confirmed secret (``step``: the code that confirmed it, now used) and issue fresh recovery codes.

    Returns the codes, to be shown once.
    """
    user.totp_secret = secret
    user.totp_last_step = step
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=hash_secret(code)))
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Accept an unused recovery code once."""
    typed = code.strip().lower()
    unused = db.session.scalars(
        sa.select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
    for candidate in unused:
        if check_password_hash(candidate.code_hash, typed):
            candidate.used_at = utcnow()
            return True
    return False
