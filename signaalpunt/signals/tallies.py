"""Running totals behind the figures, so that the figures page sums a few hundred rows instead of reading every
signal of the period: it stays as fast at a million signals as at a thousand.

Each signal counts once under each of its keys (``contributions``), on the (Dutch) day, in the week and in the
month it was reported, for its team as a whole, again for its area (the area filter) and again for the whole region.
Every change to a counted column moves the signal from its old keys to its new ones in the same transaction: the
ORM's flush for the workflow (``_after_flush``), ``add_new`` for the plain inserts of the report form and
``generate``. A bulk UPDATE of a counted column would have to do the same; none exists (anonymising touches no
counted column).

``rebuild_day`` recomputes one team's day rows from its signals, ``rebuild_span`` a week's or a month's rows from its
days, ``rebuild_region`` the region's rows as the sum of the teams'; ``flask signaalpunt rebuild-figures`` goes through
every week that way (``rebuild_steps``), each step a short transaction of its own, so reports keep flowing while it
runs.

A signal's referrals and calls for good neighbours count with it, under its team, area and day (``DEPENDENTS``):
each referral under its initiative and under its kind, and the signal once under the time from its report to the
first initiative that said it made contact; each call as sent, filled (and how long that took), called back about.
A flush that adds or changes such a row, or moves a signal that has some, moves the signal's keys of that table too
(``_count_dependents``).

The time to first contact, and to first help, is kept as a histogram in the steps the page shows it in (whole hours
below two days, tenths of a day from there); medians and percentiles read from it are off by less than one such step.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache, partial
from typing import NamedTuple

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from signaalpunt.core.clock import dutch_day, dutch_midnight
from signaalpunt.neighbours.models import NeighbourCall
from signaalpunt.organisations.models import Area, Organisation
from signaalpunt.referrals.enums import HandoverAnswer, Landed
from signaalpunt.referrals.models import Referral
from signaalpunt.signals.enums import SignalStatus
from signaalpunt.signals.models import Signal, SignalTally
from signaalpunt.signals.sla import contacted_in_time, judged_on_deadline

ALL_AREAS = 0
# The rows of the whole region (every team together) repeat the teams' rows, so the region's figures sum one
# team's worth of rows rather than every team's.
WHOLE_REGION = 0
DAY, WEEK, MONTH = "d", "w", "m"
# Months beside weeks: half a year is five months and a few weeks and days, half the rows of 26 weeks, and sorting
# those rows to sum them per key was the region's figures page's largest cost.
SPANS = (DAY, WEEK, MONTH)
# The histogram's buckets are the steps the page shows a time in: whole hours below two days, tenths of a day
# from there, each centred on its step, so that a median read from it shows as the exact one would.
HOURS_SHOWN_BELOW = 48
TENTH_OF_A_DAY = 2.4
FIRST_TENTH = round(HOURS_SHOWN_BELOW / TENTH_OF_A_DAY)
IN_TIME, LATE = "in_time", "late"
KEY_COLUMNS = ("organisation_id", "area_id", "measure", "span", "starts_on", "key")


class Measure(StrEnum):
    REPORTS = "reports"
    ROLE = "role"
    PARTNER = "partner"
    AREA = "area"
    # Closed signals only, by outcome.
    OUTCOME = "outcome"
    # Contacted signals, by the histogram bucket of hours from the report to the first contact.
    CONTACT_HOURS = "contact_hours"
    # Signals with a deadline that were followed up: contacted in time or late…
    CONTACTED = "sla_contacted"
    # …or not contacted yet, by the (Dutch) day of their deadline: decided once that has passed.
    WAITING = "sla_waiting"
    # Referrals, each under its initiative ("i12"; "i" for a place not on the map) and under its kind ("kbuddy";
    # "k" for none): made, handed over warmly, confirmed by the initiative, called back about, landed, partly.
    REFERRED = "ref_made"
    HANDED_OVER = "ref_handover"
    CONFIRMED = "ref_confirmed"
    FOLLOWED_UP = "ref_followed_up"
    LANDED = "ref_landed"
    LANDED_PARTLY = "ref_partly"
    # Signals an initiative helped, by the histogram bucket of hours from the report to the first that said so.
    HELP_HOURS = "ref_help_hours"
    # Calls for good neighbours: sent, sign-ups received (a sum), filled, called back about, still working…
    CALLS = "nb_calls"
    SIGNUPS = "nb_signups"
    FILLED = "nb_filled"
    CALL_FOLLOWED_UP = "nb_followed_up"
    WORKING = "nb_working"
    # …and filled calls by the histogram bucket of hours from sending the call to picking the neighbours.
    NETWORK_HOURS = "nb_network_hours"


# In the order of ``referrals.figures.ReferralCounts``.
REFERRAL_COUNTERS = (
    Measure.REFERRED,
    Measure.HANDED_OVER,
    Measure.CONFIRMED,
    Measure.FOLLOWED_UP,
    Measure.LANDED,
    Measure.LANDED_PARTLY,
)
REFERRAL_MEASURES = (*REFERRAL_COUNTERS, Measure.HELP_HOURS)
# In the order of ``neighbours.figures.NetworkFigures``.
CALL_COUNTERS = (Measure.CALLS, Measure.SIGNUPS, Measure.FILLED, Measure.CALL_FOLLOWED_UP, Measure.WORKING)
CALL_MEASURES = (*CALL_COUNTERS, Measure.NETWORK_HOURS)
SIGNAL_MEASURES = tuple(measure for measure in Measure if measure not in (*REFERRAL_MEASURES, *CALL_MEASURES))
INITIATIVE_KEY, KIND_KEY = "i", "k"


class Counted(NamedTuple):
    """What of a signal the figures count."""

    organisation_id: int
    area_id: int | None
    created_at: datetime
    status: SignalStatus
    reporter_role: str
    partner_id: int | None
    outcome: str | None
    first_contact_at: datetime | None
    due_at: datetime | None


class Owner(NamedTuple):
    """Where a signal counts: its team, its area and the day it was reported."""

    organisation_id: int
    area_id: int | None
    created_at: datetime


def _owner_of(counted: Counted) -> Owner:
    return Owner(counted.organisation_id, counted.area_id, counted.created_at)


COUNTED_COLUMNS = Counted._fields


class CountedReferral(NamedTuple):
    """What of a referral the figures count."""

    initiative_id: int | None
    kind: str | None
    handover: bool
    answer: str | None
    answered_at: datetime | None
    landed: str | None


class CountedCall(NamedTuple):
    """What of a call for good neighbours the figures count."""

    created_at: datetime
    signups_received: int
    filled_at: datetime | None
    follow_up: str | None


def contact_bucket(hours: float) -> int:
    """The histogram bucket of a time to first contact."""
    hours = max(hours, 0.0)
    if hours < HOURS_SHOWN_BELOW - 0.5:
        return math.floor(hours + 0.5)
    return HOURS_SHOWN_BELOW + math.floor(hours / TENTH_OF_A_DAY + 0.5) - FIRST_TENTH


def bucket_bounds(bucket: int) -> tuple[float, float]:
    """The hours a histogram bucket covers, from (inclusive) and to (exclusive)."""
    if bucket < HOURS_SHOWN_BELOW:
        return max(bucket - 0.5, 0.0), bucket + 0.5
    middle = (bucket - HOURS_SHOWN_BELOW + FIRST_TENTH) * TENTH_OF_A_DAY
    return max(middle - TENTH_OF_A_DAY / 2, HOURS_SHOWN_BELOW - 0.5), middle + TENTH_OF_A_DAY / 2


def contributions(signal: Counted) -> list[tuple[Measure, str]]:
    """The (measure, key) pairs this signal counts under."""
    keys = [
        (Measure.REPORTS, ""),
        (Measure.ROLE, str(signal.reporter_role)),
        (Measure.PARTNER, _id_key(signal.partner_id)),
        (Measure.AREA, _id_key(signal.area_id)),
    ]
    if signal.status == SignalStatus.CLOSED:
        keys.append((Measure.OUTCOME, str(signal.outcome or "")))
    contacted = signal.first_contact_at
    if contacted is not None:
        hours = (contacted - signal.created_at).total_seconds() / 3600
        keys.append((Measure.CONTACT_HOURS, str(contact_bucket(hours))))
    if judged_on_deadline(signal.status, signal.due_at):
        if contacted is not None:
            keys.append((Measure.CONTACTED, IN_TIME if contacted_in_time(contacted, signal.due_at) else LATE))
        else:
            keys.append((Measure.WAITING, dutch_day(signal.due_at).isoformat()))
    return keys


def referral_contributions(reported_at: datetime, referrals: Iterable[CountedReferral]) -> list[tuple[Measure, str]]:
    """The (measure, key) pairs a signal's referrals count under."""
    keys = []
    first_help = None
    for referral in referrals:
        counters = [Measure.REFERRED]
        if referral.handover:
            counters.append(Measure.HANDED_OVER)
        if referral.answer == HandoverAnswer.CONTACT_MADE and referral.answered_at is not None:
            counters.append(Measure.CONFIRMED)
            first_help = referral.answered_at if first_help is None else min(first_help, referral.answered_at)
        if referral.landed is not None:
            counters.append(Measure.FOLLOWED_UP)
        if referral.landed == Landed.YES:
            counters.append(Measure.LANDED)
        elif referral.landed == Landed.PARTLY:
            counters.append(Measure.LANDED_PARTLY)
        initiative = INITIATIVE_KEY + _id_key(referral.initiative_id)
        kind = KIND_KEY + (referral.kind or "")
        keys += [(counter, key) for counter in counters for key in (initiative, kind)]
    if first_help is not None:
        hours = (first_help - reported_at).total_seconds() / 3600
        keys.append((Measure.HELP_HOURS, str(contact_bucket(hours))))
    return keys


def call_contributions(_reported_at: datetime, calls: Iterable[CountedCall]) -> list[tuple[Measure, str]]:
    """The (measure, key) pairs a signal's calls for good neighbours count under."""
    keys = []
    for call in calls:
        keys.append((Measure.CALLS, ""))
        # A sum: the key once per sign-up.
        keys += [(Measure.SIGNUPS, "")] * call.signups_received
        if call.filled_at is not None:
            keys.append((Measure.FILLED, ""))
            hours = (call.filled_at - call.created_at).total_seconds() / 3600
            keys.append((Measure.NETWORK_HOURS, str(contact_bucket(hours))))
        if call.follow_up is not None:
            keys.append((Measure.CALL_FOLLOWED_UP, ""))
        if call.follow_up == Landed.YES:
            keys.append((Measure.WORKING, ""))
    return keys


class Dependent(NamedTuple):
    """Rows of another table that belong to a signal and count with it, under its team, area and day."""

    model: type[Referral] | type[NeighbourCall]
    # What of a row counts, as a named tuple whose fields are the model's columns.
    counted: type[CountedReferral] | type[CountedCall]
    contributions: Callable[[datetime, Iterable], list[tuple[Measure, str]]]

    @property
    def fields(self) -> tuple[str, ...]:
        return self.counted._fields

    def columns(self) -> list[sa.ColumnElement]:
        return [getattr(self.model, name) for name in self.fields]


REFERRALS = Dependent(Referral, CountedReferral, referral_contributions)
DEPENDENTS = (REFERRALS, Dependent(NeighbourCall, CountedCall, call_contributions))


def _id_key(value: int | None) -> str:
    return "" if value is None else str(value)


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def start_of(span: str, day: date) -> date:
    """The first day of the day, week or month ``day`` lies in."""
    if span == MONTH:
        return day.replace(day=1)
    return week_of(day) if span == WEEK else day


def next_start(span: str, start: date) -> date:
    """The first day of the day, week or month after the one that starts on ``start``."""
    if span == MONTH:
        return (start + timedelta(days=31)).replace(day=1)
    return start + timedelta(weeks=1) if span == WEEK else start + timedelta(days=1)


def count(signal: Counted, sign: int, delta: Counter, spans: tuple[str, ...] = SPANS, with_region: bool = True) -> None:
    """Add ``sign`` (1 or -1) to each row this signal counts in (its day's, week's and month's rows; its team's, its
    area's and, ``with_region``, the whole region's)."""
    count_keys(_owner_of(signal), contributions(signal), sign, delta, spans, with_region)


def count_keys(
    owner: Owner,
    keys: Iterable[tuple[Measure, str]],
    sign: int,
    delta: Counter,
    spans: tuple[str, ...] = SPANS,
    with_region: bool = True,
) -> None:
    """Add ``sign`` to each row of these keys of a signal that counts where ``owner`` says."""
    day = dutch_day(owner.created_at)
    owners = [(owner.organisation_id, ALL_AREAS)]
    if owner.area_id is not None:
        owners.append((owner.organisation_id, owner.area_id))
    if with_region:
        owners.append((WHOLE_REGION, ALL_AREAS))
    starts = {span: start_of(span, day) for span in spans}
    for measure, key in keys:
        for organisation_id, area in owners:
            for span in spans:
                delta[(organisation_id, area, measure, span, starts[span], key)] += sign


@cache
def _upsert(dialect: str) -> sa.Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(SignalTally)
    return statement.on_conflict_do_update(
        index_elements=KEY_COLUMNS, set_={"count": SignalTally.count + statement.excluded["count"]}
    )


def apply(connection: sa.Connection, delta: Counter) -> None:
    """Add the counts in ``delta`` to the tallies, in key order (so concurrent writers never deadlock)."""
    rows = _rows(delta)
    if rows:
        connection.execute(_upsert(connection.dialect.name), rows)


def _rows(delta: Counter) -> list[dict[str, object]]:
    return [dict(zip(KEY_COLUMNS, key, strict=True), count=n) for key, n in sorted(delta.items()) if n]


def add_new(
    connection: sa.Connection, rows: Sequence[Mapping[str, object]], referrals: Iterable[Mapping[str, object]] = ()
) -> None:
    """Count signals just inserted as plain rows (with the status a new signal gets unless they say one), and the
    referrals inserted with them (each naming its signal's ``id``)."""
    defaults = {"status": SignalStatus.NEW}
    delta: Counter = Counter()
    for row in rows:
        count(Counted(*(row.get(name, defaults.get(name)) for name in COUNTED_COLUMNS)), 1, delta)
    per_signal: dict[object, list[tuple]] = defaultdict(list)
    for referral in referrals:
        per_signal[referral["signal_id"]].append(REFERRALS.counted(*(referral[name] for name in REFERRALS.fields)))
    for row in rows:
        if row.get("id") in per_signal:
            owner = Owner(*(row[name] for name in Owner._fields))
            count_keys(owner, REFERRALS.contributions(owner.created_at, per_signal[row["id"]]), 1, delta)
    apply(connection, delta)


def _current(signal: Signal) -> Counted:
    return Counted(*(getattr(signal, name) for name in COUNTED_COLUMNS))


def _before_flush_state(instance: Signal, columns: Sequence[str] = COUNTED_COLUMNS) -> tuple:
    """The counted values as the database held them before this flush (the columns keep their old value:
    ``active_history``; a signal changed meanwhile by another request fails its flush on its version)."""
    attributes = sa.inspect(instance).attrs
    values = []
    for name in columns:
        history = attributes[name].history
        values.append(history.deleted[0] if history.deleted else getattr(instance, name))
    return tuple(values)


# session.info's key for the stored state of the referrals and calls a flush changes, read just before it.
STORED_BEFORE = "tallies.stored_before"


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    """Read the counted columns of the referrals and calls this flush changes as the database holds them now, and
    hold those rows until the commit (PostgreSQL; SQLite's writing request holds the whole database). What the
    request read earlier may be stale: another request may have changed another column of the same row meanwhile
    (an initiative's answer and the worker's call-back), and the totals must move the row from its stored state."""
    stored: dict[tuple[type, int], tuple] = {}
    for dependent in DEPENDENTS:
        model = dependent.model
        ids = [
            instance.id
            for instance in (*session.dirty, *session.deleted)
            if isinstance(instance, model) and instance.id is not None
        ]
        if ids:
            rows = session.connection().execute(
                sa.select(model.id, *dependent.columns()).where(model.id.in_(ids)).with_for_update()
            )
            stored |= {(model, row_id): dependent.counted(*values) for row_id, *values in rows}
    session.info[STORED_BEFORE] = stored


def _after_flush(session: Session, _context: object) -> None:
    delta: Counter = Counter()
    for instance in session.new:
        if isinstance(instance, Signal):
            count(_current(instance), 1, delta)
    for instance in session.dirty:
        if isinstance(instance, Signal):
            before, after = Counted(*_before_flush_state(instance)), _current(instance)
            if before != after:
                count(before, -1, delta)
                count(after, 1, delta)
    for instance in session.deleted:
        if isinstance(instance, Signal):
            count(Counted(*_before_flush_state(instance)), -1, delta)
    _count_dependents(session, delta)
    apply(session.connection(), delta)


def _count_dependents(session: Session, delta: Counter) -> None:
    """Move the keys of every signal whose referrals or calls changed in this flush, or that moved (another team,
    area or day): out under their state before the flush, in under their state now (read back from the database,
    so a signal's other rows count too)."""
    moved: dict[int, Owner | None] = {}
    for instance in session.new:
        if isinstance(instance, Signal):
            moved[instance.id] = None
    for instance in (*session.dirty, *session.deleted):
        if isinstance(instance, Signal):
            before = Owner(*_before_flush_state(instance, Owner._fields))
            if instance in session.deleted or before != Owner(*(getattr(instance, name) for name in Owner._fields)):
                moved[instance.id] = before
    stored = session.info.get(STORED_BEFORE, {})
    for dependent in DEPENDENTS:
        # Per signal: its rows this flush changed, each with its state before (None: added now).
        changed: dict[int, dict[int, tuple | None]] = defaultdict(dict)
        for instance in session.new:
            if isinstance(instance, dependent.model):
                changed[instance.signal_id][instance.id] = None
        for instance in (*session.dirty, *session.deleted):
            if isinstance(instance, dependent.model):
                changed[instance.signal_id][instance.id] = stored[(dependent.model, instance.id)]
        affected = changed.keys() | moved.keys()
        if affected:
            _move(session.connection(), dependent, affected, changed, moved, delta)


def _move(
    connection: sa.Connection,
    dependent: Dependent,
    affected: Iterable[int],
    changed: dict[int, dict[int, tuple | None]],
    moved: dict[int, Owner | None],
    delta: Counter,
) -> None:
    now_owned, rows_now = _dependents_now(connection, dependent, affected)
    for signal_id in affected:
        rows = rows_now.get(signal_id, {})
        before = {key: row for key, row in rows.items() if key not in changed[signal_id]}
        before |= {key: row for key, row in changed[signal_id].items() if row is not None}
        owner_before = moved[signal_id] if signal_id in moved else now_owned.get(signal_id)
        if owner_before is not None and before:
            count_keys(owner_before, dependent.contributions(owner_before.created_at, before.values()), -1, delta)
        owner = now_owned.get(signal_id)
        if owner is not None and rows:
            count_keys(owner, dependent.contributions(owner.created_at, rows.values()), 1, delta)


def _dependents_now(
    connection: sa.Connection, dependent: Dependent, signal_ids: Iterable[int]
) -> tuple[dict[int, Owner], dict[int, dict[int, tuple]]]:
    """Where these signals count now, and their rows of ``dependent`` as stored now (by row id)."""
    model = dependent.model
    rows = connection.execute(
        sa.select(Signal.id, *(getattr(Signal, name) for name in Owner._fields), model.id)
        .add_columns(*dependent.columns())
        .outerjoin(model, model.signal_id == Signal.id)
        .where(Signal.id.in_(list(signal_ids)))
    )
    owners: dict[int, Owner] = {}
    found: dict[int, dict[int, tuple]] = defaultdict(dict)
    width = len(Owner._fields)
    for signal_id, *values in rows:
        owners[signal_id] = Owner(*values[:width])
        if values[width] is not None:
            found[signal_id][values[width]] = dependent.counted(*values[width + 1 :])
    return owners, found


def init_app(app: Flask) -> None:
    """Keep the tallies with every flush of every session (once: the hooks are on the Session class)."""
    if not sa.event.contains(Session, "after_flush", _after_flush):
        sa.event.listen(Session, "before_flush", _before_flush)
        sa.event.listen(Session, "after_flush", _after_flush)


def forget_area(connection: sa.Connection, area_id: int) -> None:
    """Before an area is removed (its signals then belong to none): its own rows go, and the team's rows count
    its signals under "no area"."""
    moved: Counter = Counter()
    rows = connection.execute(
        sa.select(SignalTally.organisation_id, SignalTally.span, SignalTally.starts_on, SignalTally.count).where(
            SignalTally.area_id == ALL_AREAS, SignalTally.measure == Measure.AREA, SignalTally.key == str(area_id)
        )
    )
    for organisation_id, span, starts_on, n in rows:
        moved[(organisation_id, ALL_AREAS, Measure.AREA.value, span, starts_on, str(area_id))] -= n
        moved[(organisation_id, ALL_AREAS, Measure.AREA.value, span, starts_on, "")] += n
    connection.execute(sa.delete(SignalTally).where(SignalTally.area_id == area_id))
    apply(connection, moved)


def weeks_to_rebuild(connection: sa.Connection) -> list[tuple[int, date]]:
    """Every (team, Monday) that has signals or tallies, in order."""
    weeks = set(
        connection.execute(
            sa.select(SignalTally.organisation_id, SignalTally.starts_on).where(SignalTally.span == WEEK).distinct()
        ).all()
    )
    spans = sa.select(Signal.organisation_id, sa.func.min(Signal.created_at), sa.func.max(Signal.created_at))
    for organisation_id, first, last in connection.execute(spans.group_by(Signal.organisation_id)):
        monday, last_monday = week_of(_as_date(first)), week_of(_as_date(last))
        while monday <= last_monday:
            weeks.add((organisation_id, monday))
            monday += timedelta(weeks=1)
    return sorted(weeks)


def _as_date(value: datetime | str) -> date:
    # SQLite gives an aggregate over a timestamp back as text.
    return dutch_day(datetime.fromisoformat(value) if isinstance(value, str) else value)


def _lock_against_counting(connection: sa.Connection) -> None:
    """Make a recount exact while others write. On SQLite the caller's write transaction already excludes them;
    on PostgreSQL this lock waits for those that already counted and holds back those about to (readers pass)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("LOCK TABLE signal_tallies IN EXCLUSIVE MODE")


def _stretch(
    connection: sa.Connection, organisation_id: int, span: str, first: date, last: date
) -> list[sa.ColumnElement[bool]]:
    """A team's rows of one span from ``first`` to ``last``, spelled so that the primary key finds them: every
    area and measure named (else SQLite reads all of the team's rows to pick these out)."""
    areas = connection.scalars(sa.select(Area.id).where(Area.organisation_id == organisation_id)).all()
    return [
        SignalTally.organisation_id == organisation_id,
        SignalTally.area_id.in_([ALL_AREAS, *areas]),
        SignalTally.measure.in_(list(Measure)),
        SignalTally.span == span,
        SignalTally.starts_on.between(first, last),
    ]


def rebuild_day(connection: sa.Connection, organisation_id: int, day: date) -> int:
    """Recompute one team's day rows from its signals of that day, with their referrals and calls (the region's
    rows are ``rebuild_region``'s); returns how many signals there were."""
    _lock_against_counting(connection)
    connection.execute(sa.delete(SignalTally).where(*_stretch(connection, organisation_id, DAY, day, day)))
    of_the_day = [
        Signal.organisation_id == organisation_id,
        Signal.created_at >= dutch_midnight(day),
        Signal.created_at < dutch_midnight(day + timedelta(days=1)),
    ]
    signals = connection.execute(
        sa.select(Signal.id, *(getattr(Signal, name) for name in COUNTED_COLUMNS)).where(*of_the_day)
    )
    dependents = []
    for dependent in DEPENDENTS:
        per_signal: dict[int, list[tuple]] = defaultdict(list)
        of_signals = sa.select(dependent.model.signal_id, *dependent.columns()).join(Signal).where(*of_the_day)
        for signal_id, *values in connection.execute(of_signals):
            per_signal[signal_id].append(dependent.counted(*values))
        dependents.append((dependent, per_signal))
    delta: Counter = Counter()
    found = 0
    for signal_id, *values in signals:
        signal = Counted(*values)
        count(signal, 1, delta, spans=(DAY,), with_region=False)
        for dependent, per_signal in dependents:
            if signal_id in per_signal:
                keys = dependent.contributions(signal.created_at, per_signal[signal_id])
                count_keys(_owner_of(signal), keys, 1, delta, spans=(DAY,), with_region=False)
        found += 1
    if delta:
        connection.execute(sa.insert(SignalTally), _rows(delta))
    return found


def rebuild_span(connection: sa.Connection, organisation_id: int, span: str, starts_on: date) -> None:
    """Recompute one team's rows of a week or month as the sums of its (exact) day rows."""
    _lock_against_counting(connection)
    connection.execute(sa.delete(SignalTally).where(*_stretch(connection, organisation_id, span, starts_on, starts_on)))
    keys = (SignalTally.organisation_id, SignalTally.area_id, SignalTally.measure, SignalTally.key)
    days = _stretch(connection, organisation_id, DAY, starts_on, next_start(span, starts_on) - timedelta(days=1))
    summed = (
        sa.select(*keys, sa.literal(span), sa.literal(starts_on, sa.Date), sa.func.sum(SignalTally.count))
        .where(*days)
        .group_by(*keys)
    )
    columns = ("organisation_id", "area_id", "measure", "key", "span", "starts_on", "count")
    connection.execute(sa.insert(SignalTally).from_select(columns, summed))


def rebuild_region(connection: sa.Connection, span: str, starts_on: date) -> None:
    """Recompute the whole region's rows of one day, week or month as the sums of the teams' rows."""
    _lock_against_counting(connection)
    teams = connection.scalars(sa.select(Organisation.id)).all()
    stretch = [SignalTally.measure.in_(list(Measure)), SignalTally.span == span, SignalTally.starts_on == starts_on]
    connection.execute(
        sa.delete(SignalTally).where(
            SignalTally.organisation_id == WHOLE_REGION, SignalTally.area_id == ALL_AREAS, *stretch
        )
    )
    keys = (SignalTally.measure, SignalTally.span, SignalTally.starts_on, SignalTally.key)
    summed = (
        sa.select(sa.literal(WHOLE_REGION), sa.literal(ALL_AREAS), *keys, sa.func.sum(SignalTally.count))
        .where(SignalTally.organisation_id.in_(teams))
        .where(SignalTally.area_id == ALL_AREAS, *stretch)
        .group_by(*keys)
    )
    columns = ("organisation_id", "area_id", "measure", "span", "starts_on", "key", "count")
    connection.execute(sa.insert(SignalTally).from_select(columns, summed))


def days_of(monday: date) -> list[date]:
    return [monday + timedelta(days=offset) for offset in range(7)]


def months_of(monday: date) -> list[date]:
    """The first days of the one or two months a week lies in."""
    return sorted({start_of(MONTH, monday), start_of(MONTH, monday + timedelta(days=6))})


def months_to_rebuild(connection: sa.Connection) -> list[tuple[int, date]]:
    """Every (team, first of the month) that has signals or tallies, in order."""
    weeks = weeks_to_rebuild(connection)
    return sorted({(organisation_id, month) for organisation_id, monday in weeks for month in months_of(monday)})


def rebuild_week(connection: sa.Connection, organisation_id: int, monday: date) -> int:
    """Recompute one team's week in one go (its days, then its week rows; its months are ``rebuild_span``'s once
    all their days are); returns how many signals it read."""
    found = sum(rebuild_day(connection, organisation_id, day) for day in days_of(monday))
    rebuild_span(connection, organisation_id, WEEK, monday)
    return found


def rebuild_steps(organisation_id: int, monday: date) -> Iterator[Callable[[sa.Connection], int]]:
    """Recounting one team's week, as steps that each fit in a short transaction of their own: each day (with the
    region's day), then the week's rows and those of its months (with the region's). A month is summed again after
    each of its weeks, so it is exact once its last week is. Each step returns how many signals it read."""
    for day in days_of(monday):
        yield partial(_rebuild_day_and_region, organisation_id=organisation_id, day=day)
    yield partial(_rebuild_span_and_region, organisation_id=organisation_id, span=WEEK, starts_on=monday)
    for month in months_of(monday):
        yield partial(_rebuild_span_and_region, organisation_id=organisation_id, span=MONTH, starts_on=month)


def _rebuild_day_and_region(connection: sa.Connection, organisation_id: int, day: date) -> int:
    found = rebuild_day(connection, organisation_id, day)
    rebuild_region(connection, DAY, day)
    return found


def _rebuild_span_and_region(connection: sa.Connection, organisation_id: int, span: str, starts_on: date) -> int:
    rebuild_span(connection, organisation_id, span, starts_on)
    rebuild_region(connection, span, starts_on)
    return 0


def rebuild_all(connection: sa.Connection) -> int:
    """Recount everything on one connection, in one transaction (a migration's): every team's weeks, then the
    region's days, weeks and months once each; returns how many signals it read."""
    weeks = weeks_to_rebuild(connection)
    found = sum(rebuild_week(connection, organisation_id, monday) for organisation_id, monday in weeks)
    for monday in sorted({monday for _team, monday in weeks}):
        for day in days_of(monday):
            rebuild_region(connection, DAY, day)
        rebuild_region(connection, WEEK, monday)
    rebuild_months(connection)
    return found


def rebuild_months(connection: sa.Connection) -> None:
    """Every team's and the region's month rows as the sums of their (exact) day rows."""
    months = months_to_rebuild(connection)
    for organisation_id, month in months:
        rebuild_span(connection, organisation_id, MONTH, month)
    for month in sorted({month for _team, month in months}):
        rebuild_region(connection, MONTH, month)
