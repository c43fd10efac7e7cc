"""The outbox: mail is queued in the caller's transaction and delivered later, with retries.

A report must never fail because a mail server is down, so nothing here is sent inline.
"""

import logging
import smtplib
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import sqlalchemy as sa
from flask import current_app, render_template

from signaalpunt.clock import utcnow
from signaalpunt.database import write_transaction
from signaalpunt.extensions import db
from signaalpunt.models import OutboxMessage, Signal

logger = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=6)


def render_mail(recipient: str, subject: str, template: str, **context: object) -> dict[str, str]:
    """Render ``email/<template>.txt`` and ``.html``: an outbox row's contents."""
    return {
        "recipient": recipient,
        "subject": subject,
        "body_text": render_template(f"email/{template}.txt", **context),
        "body_html": render_template(f"email/{template}.html", subject=subject, **context),
    }


def queue_mail(
    recipient: str, subject: str, template: str, about: Signal | None = None, **context: object
) -> OutboxMessage:
    """Compose the message and add it to the session, uncommitted: it is sent once the change is committed.

    ``about`` links the message to a signal, so that anonymising the signal removes the message too.
    """
    message = OutboxMessage(signal=about, **render_mail(recipient, subject, template, **context))
    db.session.add(message)
    return message


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    given_up: int = 0


def deliver_due_messages(now: datetime | None = None) -> DeliveryReport:
    """Try every message that is due; each outcome is committed on its own, so a crash resends at most one."""
    now = now or utcnow()
    report = DeliveryReport()
    due = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
        .where(OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
    ).all()
    for message in due:
        error: Exception | None = None
        try:
            _send(message)
        except (OSError, smtplib.SMTPException) as failure:
            error = failure
        # One short write per message, committed at once: a crash resends at most this one.
        with write_transaction():
            if error is None:
                message.attempts += 1
                message.sent_at = now
                report.sent += 1
            else:
                _record_failure(message, error, now, report)
    return report


def _record_failure(message: OutboxMessage, error: Exception, now: datetime, report: DeliveryReport) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.failed_at = now
        report.given_up += 1
        logger.error("Outbox message %s given up after %s attempts", message.id, message.attempts)
        return
    backoff = timedelta(seconds=current_app.config["MAIL_RETRY_BASE_SECONDS"] * 2 ** (message.attempts - 1))
    message.next_attempt_at = now + min(backoff, MAX_BACKOFF)
    report.retrying += 1
    logger.warning("Outbox message %s not delivered (attempt %s), will retry", message.id, message.attempts)


def _as_email(message: OutboxMessage) -> EmailMessage:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at.replace(tzinfo=UTC))
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}")
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    return email


def _send(message: OutboxMessage) -> None:
    config = current_app.config
    email = _as_email(message)
    if config["MAIL_BACKEND"] == "console":
        sys.stdout.write(f"{email.as_string()}\n{'-' * 72}\n")
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)
