"""Anonymisation after the retention period (AVG): what identifies a person goes, what figures need stays.

Kept: PC4, town, dates, categories, reporter role, partner, area, status, outcome and referral target; what kinds
of consent were given and withdrawn, and when; which initiatives on the map were referred to and how the
handover and the call-back went.
Removed: the person's name, full postcode, street, house number, place description, the description,
every timeline note, the reporter's name and contact details, the mail sent about the signal, the message and
answers of a referral and the name of a place not on the map, the words of a call for neighbours and everything
about its volunteers; and their words from the search index.
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.neighbours.retention import anonymise_calls
from signaalpunt.organisations.models import Organisation
from signaalpunt.referrals.models import Referral
from signaalpunt.signals.enums import SignalStatus
from signaalpunt.signals.models import Signal, TimelineEvent
from signaalpunt.signals.search import forget_removed_words

logger = logging.getLogger(__name__)
ANONYMISED_TEXT = "[geanonimiseerd]"
# Categories only: how contact was sought, outcomes, reasons, teams and areas. Names of people (even of staff)
# do not stay.
KEPT_EVENT_DATA = frozenset(
    {
        "channel",
        "method",
        "reached",
        "attempted_at",
        "outcome",
        "referral_target",
        "reason",
        "status",
        "from",
        "to",
        "area",
        "kinds",
        "kind",
        "details",
        "answer",
        "landed",
        "reopened",
        "pc4",
        "wanted",
        "count",
        "radius",
        "picked",
    }
)


@dataclass
class AnonymisationReport:
    signals: int
    outbox_messages: int


def retention_cutoff(now: datetime, months: int) -> datetime:
    return now - relativedelta(months=months)


def signals_due_for_anonymisation(now: datetime, months: int, organisation_id: int) -> sa.Select:
    """The team's signals ended before the cutoff and not yet anonymised; duplicates go together with the signal
    they repeat."""
    cutoff = retention_cutoff(now, months)
    ended_long_ago = sa.and_(Signal.status.in_(SignalStatus.ended_statuses()), Signal.closed_at < cutoff)
    primary = sa.orm.aliased(Signal)
    duplicate_of_ended = sa.and_(
        Signal.status == SignalStatus.DUPLICATE,
        Signal.duplicate_of_id.in_(
            sa.select(primary.id).where(primary.status.in_(SignalStatus.ended_statuses()), primary.closed_at < cutoff)
        ),
    )
    return sa.select(Signal.id).where(
        Signal.organisation_id == organisation_id,
        sa.or_(ended_long_ago, duplicate_of_ended),
        Signal.anonymised_at.is_(None),
    )


def _retention_by_team() -> list[tuple[int, int]]:
    """Each team with the months it keeps ended signals."""
    return [tuple(row) for row in db.session.execute(sa.select(Organisation.id, Organisation.retention_months))]


def due_in_batches(now: datetime, size: int) -> Iterator[sa.Select]:
    """The signals due, ``size`` at a time, team by team in id order, each batch as a query to run again inside
    the transaction that anonymises it (a signal reopened in between is then left alone). A batch is found when
    the one before has been handled, so memory stays constant however large the backlog."""
    for organisation_id, months in _retention_by_team():
        due = signals_due_for_anonymisation(now, months, organisation_id)
        after = 0
        while True:
            ids = list(db.session.scalars(due.where(Signal.id > after).order_by(Signal.id).limit(size)))
            if not ids:
                break
            yield due.where(Signal.id.in_(ids))
            after = ids[-1]


def count_due(now: datetime) -> int:
    due = [signals_due_for_anonymisation(now, months, team).subquery() for team, months in _retention_by_team()]
    return sum(db.session.scalar(sa.select(sa.func.count()).select_from(query)) for query in due)


def anonymise(now: datetime, dry_run: bool = False) -> AnonymisationReport:
    """Remove the personal data of every signal past its team's retention period, and their words from the search
    index; running it again changes nothing. (The daily job does the same batch by batch.)"""
    ids = [
        signal_id
        for organisation_id, months in _retention_by_team()
        for signal_id in db.session.scalars(signals_due_for_anonymisation(now, months, organisation_id))
    ]
    if dry_run:
        return AnonymisationReport(signals=len(ids), outbox_messages=_messages_about(ids))
    report = anonymise_signals(ids, now)
    forget_removed_words()
    return report


def _messages_about(ids: list[int]) -> int:
    if not ids:
        return 0
    return db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(OutboxMessage.signal_id.in_(ids)))


def anonymise_signals(ids: list[int], now: datetime) -> AnonymisationReport:
    """Anonymise these signals (found due by ``signals_due_for_anonymisation``); their words leave the search
    index with ``forget_removed_words``."""
    report = AnonymisationReport(signals=len(ids), outbox_messages=_messages_about(ids))
    if not ids:
        return report
    db.session.execute(
        sa.update(Signal)
        .where(Signal.id.in_(ids))
        .values(
            person_name=None,
            postcode=None,
            street=None,
            house_number=None,
            house_number_suffix=None,
            place_description=None,
            description=ANONYMISED_TEXT,
            reporter_name=None,
            reporter_phone=None,
            reporter_email=None,
            submission_token=None,
            anonymised_at=now,
            version=Signal.version + 1,
            # Not a step in the work (updated_at would otherwise move to now): the board's tabs of what finished in
            # the last 30 days would fill with signals that ended a year or more ago.
            updated_at=Signal.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
    for event in db.session.scalars(sa.select(TimelineEvent).where(TimelineEvent.signal_id.in_(ids))):
        event.note = None
        event.data = {key: value for key, value in (event.data or {}).items() if key in KEPT_EVENT_DATA}
    db.session.execute(sa.delete(OutboxMessage).where(OutboxMessage.signal_id.in_(ids)))
    db.session.execute(
        sa.update(Referral)
        .where(Referral.signal_id.in_(ids))
        .values(
            message=None,
            answer_reason=None,
            landed_reason=None,
            token_hash=None,
            name=sa.case((Referral.initiative_id.is_(None), ANONYMISED_TEXT), else_=Referral.name),
        )
        .execution_options(synchronize_session=False)
    )
    anonymise_calls(ids, ANONYMISED_TEXT)
    db.session.flush()
    logger.info("Anonymised %s signals and removed %s e-mails about them", report.signals, report.outbox_messages)
    return report
