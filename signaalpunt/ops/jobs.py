"""The scheduled jobs (daily digest, retention, asking initiatives to check their details), each in one write
transaction, and how their failures are told.

A job writes in ``write_transaction()``: on SQLite it waits its turn for the write lock up front, instead of
reading first and failing with "database is locked" when a report was stored in between.
"""

import logging
import traceback
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa

from signaalpunt.accounts import audit
from signaalpunt.accounts.models import PendingLogin
from signaalpunt.core.clock import utcnow
from signaalpunt.core.database import write_transaction
from signaalpunt.core.rate_limits import remove_ended_windows
from signaalpunt.extensions import db
from signaalpunt.neighbours.retention import forget_volunteers
from signaalpunt.ops.progress import progress
from signaalpunt.signals.digest import digest_recipients, queue_digest
from signaalpunt.signals.retention import anonymise_signals, count_due, due_in_batches
from signaalpunt.signals.search import forget_removed_words_step
from signaalpunt.socialmap.checks import ask_initiatives

logger = logging.getLogger(__name__)
# Unfinished logins are kept this long for the audit of what happened, then removed.
PENDING_LOGINS_KEPT = timedelta(days=1)
# Signals anonymised per transaction: SQLite's write lock is held for tens of milliseconds at a time, so
# reports keep being stored while the job works through a large backlog.
ANONYMISE_BATCH = 200


def queue_digests() -> str:
    """Queue the overdue digest for every coordinator whose team has overdue signals, each in a transaction of its
    own (the write lock held for one digest at a time)."""
    now = utcnow()
    coordinators = digest_recipients()
    queued = 0
    with progress("Overzichten", len(coordinators)) as advance:
        for coordinator_id in coordinators:
            with write_transaction():
                queued += queue_digest(coordinator_id, now)
            advance(1)
    return f"Digest queued for {queued} coordinators."


def apply_retention() -> str:
    """Anonymise what is past the retention period, batch by batch (each with its audit record), let the search
    index forget their words step by step; then drop volunteers not picked, expired login state and rate-limit
    counters."""
    now = utcnow()
    signals = messages = 0
    with progress("Anonimiseren", count_due(now)) as advance:
        # Each batch is found by reading, then checked and written in a transaction of its own: the write lock is
        # held only for the writing.
        for batch in due_in_batches(now, ANONYMISE_BATCH):
            with write_transaction():
                report = anonymise_signals(list(db.session.scalars(batch)), now)
                audit.record("retention.anonymise", object_type="signals", object_key=str(report.signals))
            signals, messages = signals + report.signals, messages + report.outbox_messages
            advance(report.signals)
    done = False
    while not done:
        with write_transaction():
            done = forget_removed_words_step()
    with write_transaction():
        forgotten = forget_volunteers(now)
        remove_ended_windows()
        db.session.execute(sa.delete(PendingLogin).where(PendingLogin.created_at < now - PENDING_LOGINS_KEPT))
    return f"Anonymised {signals} signals and removed {messages} e-mails; forgot {forgotten} volunteers not picked."


def ask_initiatives_job() -> str:
    """Ask the initiatives whose details were last confirmed half a year ago to check them."""
    with write_transaction():
        asked = ask_initiatives(utcnow())
    return f"Asked {asked} initiatives to check their details."


def run_logged(job: Callable[[], str]) -> str | None:
    """Run ``job``; its summary, or ``None`` after logging the failure.

    The log names the job, the kind of error and where it happened, never the error's own text: that
    can hold names, addresses or mail bodies.
    """
    try:
        return job()
    except Exception as error:
        db.session.rollback()
        kinds = []
        failure: BaseException | None = error
        while failure is not None:
            kinds.append(type(failure).__name__)
            failure = failure.__cause__ or failure.__context__
        where = "".join(traceback.format_tb(error.__traceback__))
        logger.error("Job %s failed (%s)\n%s", job.__name__, " <- ".join(kinds), where)
        return None
