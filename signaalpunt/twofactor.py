"""The second factor: TOTP from an authenticator app, and single-use recovery codes."""

import secrets

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup
from werkzeug.security import check_password_hash

from signaalpunt.accounts import hash_secret
from signaalpunt.clock import utcnow
from signaalpunt.extensions import db
from signaalpunt.models import RecoveryCode, User

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


def code_is_valid(secret: str, code: str) -> bool:
    """A six-digit code from the app, allowing one 30-second step of clock drift either way."""
    digits = "".join(code.split())
    return len(digits) == 6 and digits.isdigit() and pyotp.TOTP(secret).verify(digits, valid_window=1)


def enable(user: User, secret: str) -> list[str]:
    """Store the confirmed secret and issue fresh recovery codes; returns them, to be shown once."""
    user.totp_secret = secret
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
