"""Queries behind the staff pages: the board, one signal, suggestions, duplicates, overdue lists."""

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, selectinload

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import AuditEvent, User
from signaalpunt.core.database import PLANNED_PER_RUN
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Area, AreaPostcode, Organisation, Partner, area_workers
from signaalpunt.signals.enums import SignalStatus
from signaalpunt.signals.models import ContactAttempt, Signal, SignalObservation, TimelineEvent
from signaalpunt.signals.permissions import can_view_signal, visible_signals_clause
from signaalpunt.signals.reference import ALPHABET, PREFIX, compact, normalise_reference
from signaalpunt.signals.search import matching_signal_ids
from signaalpunt.signals.workflow import ASSIGNABLE_ROLES

DUPLICATE_WINDOW = timedelta(days=90)
RECENT_WINDOW = timedelta(days=30)
SIGNAL_VIEW = "signal.view"

TABS = {
    "open": SignalStatus.open_statuses(),
    "new": (SignalStatus.NEW,),
    "assigned": (SignalStatus.ASSIGNED,),
    "in_progress": (SignalStatus.IN_PROGRESS,),
    "closed": (SignalStatus.CLOSED,),
    "other": (SignalStatus.NOT_PURSUED, SignalStatus.DUPLICATE),
}
FINISHED_TABS = ("closed", "other")


def _board_columns(now: datetime) -> tuple[sa.ColumnElement, ...]:
    """Only what a board row shows, as plain columns: 25 signals loaded as models with their area, worker, partner
    and observations cost four times as much as these, and each would be a statement more on PostgreSQL."""
    observations = (
        sa.select(sa.func.aggregate_strings(SignalObservation.observation, ","))
        .where(SignalObservation.signal_id == Signal.id)
        .scalar_subquery()
    )
    return (
        Signal.id,
        Signal.reference,
        # The version a coordinator saw, for assigning ticked rows.
        Signal.version,
        Signal.status,
        Signal.urgent,
        Signal.created_at,
        Signal.due_at,
        Signal.first_contact_at,
        Signal.pc4,
        Signal.is_overdue(now).label("overdue"),
        Signal.outside_area.label("outside_area"),
        # What the row says the signal is about.
        Signal.description,
        Signal.street,
        Signal.house_number,
        Signal.house_number_suffix,
        Signal.place_description,
        Signal.reporter_role,
        observations.label("observations"),
        Area.name.label("area"),
        User.name.label("assignee"),
        Partner.name.label("partner"),
    )


@dataclass
class BoardFilters:
    tab: str = "new"
    area_id: int | None = None
    outside_area: bool = False
    assignee_id: int | None = None
    unassigned: bool = False
    partner_id: int | None = None
    urgent: bool = False
    overdue: bool = False
    text: str = ""
    page: int = 1
    mine: bool = False


@dataclass
class BoardPage:
    # A row per signal with the columns of ``_board_columns``, by name.
    signals: list[sa.Row]
    total: int
    page: int
    pages: int
    tab_counts: dict[str, int] = field(default_factory=dict)
    # Signal id -> its number among the reports at its address (open, or of the last 90 days), from the second on.
    repeats: dict[int, int] = field(default_factory=dict)


def _filter_clauses(actor: User, filters: BoardFilters, now: datetime) -> list[sa.ColumnElement[bool]]:
    clauses = [visible_signals_clause(actor)]
    if filters.mine:
        clauses.append(Signal.assignee_id == actor.id)
    if filters.outside_area:
        clauses.append(Signal.outside_area)
    elif filters.area_id:
        clauses.append(Signal.area_id == filters.area_id)
    if filters.unassigned:
        clauses.append(Signal.assignee_id.is_(None))
    elif filters.assignee_id:
        clauses.append(Signal.assignee_id == filters.assignee_id)
    if filters.partner_id:
        clauses.append(Signal.partner_id == filters.partner_id)
    if filters.urgent:
        clauses.append(Signal.urgent.is_(True))
    if filters.overdue:
        clauses.append(Signal.is_overdue(now))
    if filters.text:
        clauses.append(_text_clause(filters.text, actor.organisation_id))
    return clauses


# A full postcode and a PC4, once spaces are gone and letters are capitals ("4531ab", "4531 AB", "4531").
_POSTCODE = re.compile(r"\d{4}[A-Z]{2}")
_PC4 = re.compile(r"\d{4}")


def _text_clause(text: str, organisation_id: int) -> sa.ColumnElement[bool]:
    """Words in what was written (full-text), a postcode however typed, or a reference or part of one."""
    options = []
    written = matching_signal_ids(text, organisation_id)
    if written is not None:
        options.append(Signal.id.in_(written))
    typed = re.sub(r"\s+", "", text).upper()
    if _POSTCODE.fullmatch(typed):
        options.append(Signal.postcode == f"{typed[:4]} {typed[4:]}")
    elif _PC4.fullmatch(typed):
        options.append(Signal.pc4 == typed)
    reference = normalise_reference(text)
    if reference:
        options.append(Signal.reference == reference)
    elif (part := _reference_part(text)) is not None:
        options.append(sa.func.replace(Signal.reference, "-", "").contains(part, autoescape=True))
    return sa.or_(*options) if options else sa.false()


def _reference_part(text: str) -> str | None:
    """Part of a reference, as a person reads it off a note ("7K3M", "sp-7k3m-q9"): 4 or more characters of
    the reference alphabet with a digit among them (so that an ordinary word is not taken for one)."""
    part = compact(text).removeprefix(PREFIX)
    if 4 <= len(part) < 8 and set(part) <= set(ALPHABET) and any(character.isdigit() for character in part):
        return part
    return None


def _tab_clause(tab: str, now: datetime) -> sa.ColumnElement[bool]:
    clause = Signal.status.in_(TABS[tab])
    if tab in FINISHED_TABS:
        clause = sa.and_(clause, Signal.updated_at >= now - RECENT_WINDOW)
    return clause


def _tab_counts(clauses: list[sa.ColumnElement[bool]], now: datetime) -> dict[str, int]:
    """Signals per tab. Open and recently finished signals are counted apart, so each count reads one index range."""
    finished = [status for tab in FINISHED_TABS for status in TABS[tab]]
    recently_finished = sa.and_(Signal.status.in_(finished), Signal.updated_at >= now - RECENT_WINDOW)
    counts = sa.union_all(
        *(
            sa.select(Signal.status, sa.func.count()).where(*clauses, where).group_by(Signal.status)
            for where in (Signal.status.in_(SignalStatus.open_statuses()), recently_finished)
        )
    )
    counted = db.session.execute(counts, execution_options={PLANNED_PER_RUN: True})
    per_status = {SignalStatus(status): count for status, count in counted}
    return {tab: sum(per_status.get(status, 0) for status in statuses) for tab, statuses in TABS.items()}


def board_page(actor: User, filters: BoardFilters, now: datetime, page_size: int) -> BoardPage:
    """One page of the board: urgent first, then overdue, then by deadline; finished tabs newest first."""
    clauses = _filter_clauses(actor, filters, now)
    tab_counts = _tab_counts(clauses, now)
    total = tab_counts[filters.tab]
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, filters.page), pages)
    if filters.tab in FINISHED_TABS:
        order = [Signal.updated_at.desc(), Signal.id.desc()]
    else:
        overdue_first = sa.case((Signal.is_overdue(now), 0), else_=1)
        order = [Signal.urgent.desc(), overdue_first, Signal.due_at, Signal.id]
    # The page's keys first, sorted from the index alone; only those 25 rows are then read whole.
    page_keys = (
        sa.select(Signal.id)
        .where(*clauses, _tab_clause(filters.tab, now))
        .order_by(*order)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    signals = db.session.execute(
        sa.select(*_board_columns(now))
        .outerjoin(Signal.area)
        .outerjoin(Signal.assignee)
        .outerjoin(Signal.partner)
        .where(Signal.id.in_(page_keys.scalar_subquery()))
        .order_by(*order)
    ).all()
    repeats = _repeats_at_address([signal.id for signal in signals], now)
    return BoardPage(signals=list(signals), total=total, page=page, pages=pages, tab_counts=tab_counts, repeats=repeats)


def _still_relevant(signals: type[Signal], cutoff: datetime | sa.BindParameter) -> sa.ColumnElement[bool]:
    """Open, or reported or closed since ``cutoff`` (DUPLICATE_WINDOW ago): what a new report at the same address
    adds to."""
    return sa.or_(
        signals.status.in_(SignalStatus.open_statuses()), signals.created_at >= cutoff, signals.closed_at >= cutoff
    )


@cache
def _repeats_statement() -> sa.Select:
    """Built once: the board asks it on every load, and building it costs more than running it."""
    earlier = aliased(Signal)
    # Joined on (postcode, house number), so each address is one lookup in ix_signals_postcode_house_number.
    return (
        sa.select(Signal.id, sa.func.count(earlier.id))
        .join(
            earlier,
            sa.and_(
                earlier.postcode == Signal.postcode,
                earlier.house_number == Signal.house_number,
                earlier.organisation_id == Signal.organisation_id,
                sa.or_(
                    earlier.id == Signal.id,
                    sa.and_(
                        _still_relevant(earlier, sa.bindparam("cutoff")),
                        sa.or_(
                            earlier.created_at < Signal.created_at,
                            sa.and_(earlier.created_at == Signal.created_at, earlier.id < Signal.id),
                        ),
                    ),
                ),
            ),
        )
        .where(Signal.id.in_(sa.bindparam("ids", expanding=True)))
        .group_by(Signal.id)
    )


def _repeats_at_address(signal_ids: list[int], now: datetime) -> dict[int, int]:
    """A weak signal that repeats is a stronger one: for each of these signals that is not the first at its
    address, which report it is there (counting the team's reports there that are open or of the last 90 days)."""
    if not signal_ids:
        return {}
    numbers = db.session.execute(_repeats_statement(), {"ids": signal_ids, "cutoff": now - DUPLICATE_WINDOW})
    return {signal_id: number for signal_id, number in numbers if number > 1}


def visible_signal(actor: User, reference: str, with_history: bool = True) -> Signal | None:
    """The signal with this reference if ``actor`` may see it; ``None`` alike when it does not exist. Its timeline,
    contact attempts and duplicates come along ``with_history`` (a page that streams them reads them itself)."""
    history = (
        selectinload(Signal.events).joinedload(TimelineEvent.actor),
        selectinload(Signal.contact_attempts),
        selectinload(Signal.duplicates),
    )
    signal = db.session.scalar(
        sa.select(Signal)
        .where(Signal.reference == reference)
        .options(selectinload(Signal.observations), *(history if with_history else ()))
    )
    if signal is None or not can_view_signal(actor, signal):
        return None
    return signal


def signal_by_reference(raw_reference: str) -> Signal | None:
    """The signal with this reference as typed; visibility is the caller's (the workflow's) concern."""
    reference = normalise_reference(raw_reference)
    if reference is None:
        return None
    return db.session.scalar(sa.select(Signal).where(Signal.reference == reference))


def user_in_organisation(actor: User, user_id: int | None) -> User | None:
    user = db.session.get(User, user_id) if user_id else None
    return user if user is not None and user.organisation_id == actor.organisation_id else None


def _views_of(signal: Signal) -> sa.Select:
    return (
        sa.select(AuditEvent)
        .where(
            AuditEvent.action == SIGNAL_VIEW,
            AuditEvent.object_type == "signal",
            AuditEvent.object_key == signal.reference,
        )
        .options(joinedload(AuditEvent.actor))
    )


def signal_views(signal: Signal) -> list[AuditEvent]:
    """The latest views of the signal page, from the audit trail."""
    return list(db.session.scalars(_views_of(signal).order_by(AuditEvent.id.desc()).limit(50)))


# Rows per fetch when a whole history is read as it is sent (a server-side cursor on PostgreSQL).
STREAM_BATCH = 500


def _in_batches(query: sa.Select) -> Iterator:
    return db.session.scalars(query.execution_options(yield_per=STREAM_BATCH))


def every_view(signal: Signal) -> Iterator[AuditEvent]:
    """Every view of the signal page, oldest first, read in batches as they are used (a request to see one's data
    gets all of them, however many)."""
    return _in_batches(_views_of(signal).order_by(AuditEvent.id))


def every_contact_attempt(signal: Signal) -> Iterator[ContactAttempt]:
    """The signal's contact attempts in the order they were made, read in batches as they are used."""
    query = (
        sa.select(ContactAttempt)
        .where(ContactAttempt.signal_id == signal.id)
        .options(joinedload(ContactAttempt.actor))
        .order_by(ContactAttempt.attempted_at, ContactAttempt.id)
    )
    return _in_batches(query)


def every_event(signal: Signal) -> Iterator[TimelineEvent]:
    """The signal's whole timeline, oldest first, read in batches as it is used."""
    query = (
        sa.select(TimelineEvent)
        .where(TimelineEvent.signal_id == signal.id)
        .options(joinedload(TimelineEvent.actor))
        .order_by(TimelineEvent.id)
    )
    return _in_batches(query)


def possible_duplicates(signal: Signal, now: datetime) -> list[Signal]:
    """Other signals at the same postcode and house number: open, or reported or closed within DUPLICATE_WINDOW;
    the newest first."""
    if signal.postcode is None or signal.house_number is None:
        return []
    # Sorted here, not in SQL: asked to sort by date, SQLite read the team's date index, every signal of the team
    # (2 s at a million); the address index finds the few at once.
    found = db.session.scalars(
        sa.select(Signal).where(
            Signal.organisation_id == signal.organisation_id,
            Signal.postcode == signal.postcode,
            Signal.house_number == signal.house_number,
            Signal.id != signal.id,
            _still_relevant(Signal, now - DUPLICATE_WINDOW),
        )
    )
    return sorted(found, key=lambda other: (other.created_at, other.id), reverse=True)


@dataclass
class Suggestion:
    user: User
    open_signals: int
    covers_area: bool


def open_signals_per_assignee(organisation_id: int) -> dict[int, int]:
    """How many open signals of the team each colleague holds, right now: counted from the board's index alone
    (the team's open signals, not its history)."""
    return dict(
        db.session.execute(
            sa.select(Signal.assignee_id, sa.func.count())
            .where(
                Signal.organisation_id == organisation_id,
                Signal.status.in_(SignalStatus.open_statuses()),
                Signal.assignee_id.is_not(None),
            )
            .group_by(Signal.assignee_id)
        ).all()
    )


def assignment_suggestions(signal: Signal) -> list[Suggestion]:
    """Everyone who can take the signal: those covering its area first, then the lightest caseload."""
    covering = sa.exists().where(area_workers.c.user_id == User.id, area_workers.c.area_id == signal.area_id)
    rows = db.session.execute(
        sa.select(User, covering if signal.area_id else sa.false()).where(
            User.organisation_id == signal.organisation_id,
            User.active.is_(True),
            User.password_hash.is_not(None),
            User.role.in_(ASSIGNABLE_ROLES),
        )
    ).all()
    caseload = open_signals_per_assignee(signal.organisation_id)
    suggestions = [Suggestion(user, caseload.get(user.id, 0), bool(covers)) for user, covers in rows]
    return sorted(
        suggestions, key=lambda s: (not s.covers_area, s.user.role != Role.WORKER, s.open_signals, s.user.name)
    )


@dataclass(frozen=True)
class FilterChoice:
    id: int
    name: str


def filter_choices(actor: User) -> dict[str, list[FilterChoice]]:
    """Areas, assignable colleagues and partners of the actor's organisation by name, for the board's filters.

    One query for the three lists: the board is the page staff load most.
    """
    organisation_id = actor.organisation_id
    lists = {
        "areas": sa.select(Area.id, Area.name).where(Area.organisation_id == organisation_id),
        "users": sa.select(User.id, User.name).where(
            User.organisation_id == organisation_id, User.role.in_(ASSIGNABLE_ROLES)
        ),
        "partners": sa.select(Partner.id, Partner.name),
    }
    together = sa.union_all(*(query.add_columns(sa.literal(kind).label("kind")) for kind, query in lists.items()))
    choices: dict[str, list[FilterChoice]] = {kind: [] for kind in lists}
    for choice_id, name, kind in db.session.execute(together.order_by(sa.column("name"))):
        choices[kind].append(FilterChoice(choice_id, name))
    return choices


def overdue_signals(organisation_id: int, now: datetime) -> list[Signal]:
    """Open signals of the organisation past their first-contact deadline: urgent ones first, then the oldest
    deadline first."""
    return list(
        db.session.scalars(
            sa.select(Signal)
            .where(Signal.organisation_id == organisation_id, Signal.is_overdue(now))
            .options(joinedload(Signal.area), joinedload(Signal.assignee))
            .order_by(Signal.urgent.desc(), Signal.due_at)
        )
    )


def other_organisations(signal: Signal) -> list[Organisation]:
    """The teams a signal can be transferred to, by name."""
    query = sa.select(Organisation).where(Organisation.id != signal.organisation_id).order_by(Organisation.name)
    return list(db.session.scalars(query))


def other_organisation(signal: Signal, organisation_id: int | None) -> Organisation | None:
    team = db.session.get(Organisation, organisation_id) if organisation_id else None
    return team if team is not None and team.id != signal.organisation_id else None


def signals_to_place(actor: User) -> list[Signal]:
    """The team's open signals outside every area whose PC4 an area (of this or another team) now covers."""
    covered = sa.select(AreaPostcode.pc4)
    # Sorted here, not in SQL: an ORDER BY makes SQLite walk the team's whole created_at index instead of the
    # small index of signals outside every area, which holds their PC4 (ix_signals_outside_areas).
    signals = db.session.scalars(
        sa.select(Signal).where(
            visible_signals_clause(actor),
            Signal.status.in_(SignalStatus.open_statuses()),
            Signal.area_id.is_(None),
            sa.cast(Signal.pc4, sa.Integer).in_(covered),
        )
    )
    return sorted(signals, key=lambda signal: signal.created_at)
