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
from signaalpunt.signals.digest import send_overdue_digests
from signaalpunt.signals.retention import anonymise
from signaalpunt.socialmap.checks import ask_initiatives

logger = logging.getLogger(__name__)
# Unfinished logins are kept this long for the audit of what happened, then removed.
PENDING_LOGINS_KEPT = timedelta(days=1)


def queue_digests() -> str:
    """Queue the overdue digest for every coordinator whose team has overdue signals."""
    with write_transaction():
        queued = send_overdue_digests(utcnow())
    return f"Digest queued for {queued} coordinators."


def apply_retention() -> str:
    """Anonymise what is past the retention period, and drop expired login state and rate-limit counters."""
    now = utcnow()
    with write_transaction():
        report = anonymise(now)
        audit.record("retention.anonymise", object_type="signals", object_key=str(report.signals))
        forgotten = forget_volunteers(now)
        remove_ended_windows()
        db.session.execute(sa.delete(PendingLogin).where(PendingLogin.created_at < now - PENDING_LOGINS_KEPT))
    return (
        f"Anonymised {report.signals} signals and removed {report.outbox_messages} e-mails;"
        f" forgot {forgotten} volunteers not picked."
    )


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
