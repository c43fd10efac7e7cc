"""The mail worker (``flask signaalpunt send-mail``): reset links and the outbox, once or round after round."""

import logging
import time
from collections.abc import Callable

import sqlalchemy as sa

from signaalpunt.accounts.service import send_requested_reset_links
from signaalpunt.core.database import checkpoint_wal, discard_failed_transaction
from signaalpunt.core.mail import DeliveryReport, deliver_due_messages
from signaalpunt.extensions import db

logger = logging.getLogger(__name__)
WAL_CHECKPOINT_SECONDS = 60


def deliver_once() -> DeliveryReport:
    """One round: the requested reset links, then every queued message that is due."""
    send_requested_reset_links()
    return deliver_due_messages()


def watch(pause: float, said: Callable[[DeliveryReport], None], rounds: int | None = None) -> None:
    """Round after round, ``pause`` seconds apart (``rounds`` of them, or for ever), emptying SQLite's
    write-ahead log now and then; ``said`` hears each round that sent, retried or gave up something.

    A database error (a lock held too long, a server restarting, a write refused) is logged and the round tried
    again next time: the worker must outlive it, or mail would wait until someone restarted the worker."""
    last_checkpoint = time.monotonic()
    done = 0
    while rounds is None or done < rounds:
        done += 1
        try:
            report = deliver_once()
            if report.sent or report.retrying or report.given_up:
                said(report)
            if time.monotonic() - last_checkpoint >= WAL_CHECKPOINT_SECONDS:
                checkpoint_wal()
                last_checkpoint = time.monotonic()
        except sa.exc.DBAPIError as error:
            discard_failed_transaction(error)
        db.session.remove()
        time.sleep(pause)
