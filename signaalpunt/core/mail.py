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
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app, render_template

from signaalpunt.core.clock import utcnow
from signaalpunt.core.database import write_transaction
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db

if TYPE_CHECKING:
    from signaalpunt.signals.models import Signal

logger = logging.getLogger(__name__)
# How long a worker holds a message it is sending before another may take it (the first one died).
CLAIM_SECONDS = 300
# Mail that has not got through for this long is reported to the administrators.
STALLED_AFTER = timedelta(hours=1)


def render_mail(recipient: str, subject: str, template: str, **context: object) -> dict[str, str]:
    """Render ``email/<template>.txt`` and ``.html``: an outbox row's contents."""
    return {
        "recipient": recipient,
        "subject": subject,
        "body_text": render_template(f"email/{template}.txt", **context),
        "body_html": render_template(f"email/{template}.html", subject=subject, **context),
    }


def queue_mail(
    recipient: str, subject: str, template: str, about: "Signal | None" = None, **context: object
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
    """Send every message that is due, one at a time: each is claimed first, so two workers running at once
    never send the same message, and each outcome is committed on its own, so a crash resends at most one."""
    now = now or utcnow()
    report = DeliveryReport()
    while (message := _claim_next_due(now)) is not None:
        error: Exception | None = None
        try:
            _send(message)
        except (OSError, smtplib.SMTPException) as failure:
            error = failure
        with write_transaction():
            message.claimed_until = None
            if error is None:
                message.attempts += 1
                message.sent_at = now
                report.sent += 1
            else:
                _record_failure(message, error, now, report)
    if report.retrying and mail_stalled_since(now) is not None:
        logger.error("E-mail has not been delivered for over %s; check the mail server", STALLED_AFTER)
    return report


def _claim_next_due(now: datetime) -> OutboxMessage | None:
    """Take the oldest due message no other worker holds, for ``CLAIM_SECONDS``; ``None`` when there is none.

    One statement in a write transaction: SQLite lets one writer at a time run it, PostgreSQL skips rows
    another worker has locked, so a message is never taken twice.
    """
    due = (
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
        .where(OutboxMessage.next_attempt_at <= now)
        .where(sa.or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < utcnow()))
        .order_by(OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    with write_transaction():
        claimed = db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == due)
            .values(claimed_until=utcnow() + timedelta(seconds=CLAIM_SECONDS))
            .returning(OutboxMessage.id)
        ).scalar()
    return db.session.get(OutboxMessage, claimed) if claimed is not None else None


def _record_failure(message: OutboxMessage, error: Exception, now: datetime, report: DeliveryReport) -> None:
    config = current_app.config
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    if now - message.created_at >= timedelta(days=config["MAIL_GIVE_UP_AFTER_DAYS"]):
        message.failed_at = now
        report.given_up += 1
        logger.error(
            "Outbox message %s given up after %s attempts (retry-mail sends it again)", message.id, message.attempts
        )
        return
    # Doubling pauses, capped: an outage of hours or days is retried every MAIL_RETRY_MAX_MINUTES until it ends.
    backoff = timedelta(seconds=config["MAIL_RETRY_BASE_SECONDS"] * 2 ** min(message.attempts - 1, 20))
    message.next_attempt_at = now + min(backoff, timedelta(minutes=config["MAIL_RETRY_MAX_MINUTES"]))
    report.retrying += 1
    logger.warning("Outbox message %s not delivered (attempt %s), will retry", message.id, message.attempts)


def mail_stalled_since(now: datetime) -> datetime | None:
    """When the oldest message that failed and still waits was queued, if that is over ``STALLED_AFTER`` ago:
    mail has not been getting through for that long. ``None`` while mail flows."""
    oldest = db.session.scalar(
        sa.select(sa.func.min(OutboxMessage.created_at)).where(
            OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None), OutboxMessage.attempts > 0
        )
    )
    return oldest if oldest is not None and now - oldest > STALLED_AFTER else None


def requeue_given_up_messages(now: datetime) -> int:
    """Try every given-up message again from now on (after a long outage was fixed); how many."""
    return db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_not(None))
        .values(failed_at=None, next_attempt_at=now, claimed_until=None)
    ).rowcount


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
