"""Aggregations for the figures pages, computed in SQL; never a name, an address or free text.

Week grouping and hour differences are the two expressions SQLite and PostgreSQL spell differently;
they are chosen per dialect here. Percentiles use window functions, which both databases have.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from signaalpunt.accounts.models import User
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Area, Organisation, Partner
from signaalpunt.signals.enums import Outcome, ReporterRole, SignalStatus
from signaalpunt.signals.models import Signal

# Figures and exports cover at most this long a period, from this day on: the work stays bounded.
MAX_PERIOD_YEARS = 5
EARLIEST_DAY = date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    """From the start of ``first`` to the end of ``last`` (dates, inclusive)."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, datetime.min.time())

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), datetime.min.time())

    @classmethod
    def last_weeks(cls, today: date, weeks: int = 26) -> "Period":
        monday = today - timedelta(days=today.weekday())
        return cls(monday - timedelta(weeks=weeks - 1), today)


def is_too_long(period: Period) -> bool:
    return period.last >= period.first + relativedelta(years=MAX_PERIOD_YEARS)


@dataclass
class Figures:
    total: int
    per_week: list[tuple[date, int]]
    by_role: list[tuple[str, int]]
    by_partner: list[tuple[str, int]]
    by_area: list[tuple[str, int]]
    by_outcome: list[tuple[str, int]]
    median_hours_to_contact: float | None
    p90_hours_to_contact: float | None
    within_sla: int
    sla_decided: int
    # Reports people made about themselves, counted apart from those about someone else.
    self_reports: int = 0
    caseload: list[tuple[str, int]] = field(default_factory=list)
    # Only for a view over several teams (the region's).
    by_organisation: list[tuple[str, int]] = field(default_factory=list)

    @property
    def sla_share(self) -> float | None:
        return self.within_sla / self.sla_decided if self.sla_decided else None


def as_datetime(value: datetime | str) -> datetime:
    """A timestamp from an aggregate or a raw query: SQLite may return it as text."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _dialect() -> str:
    return db.engine.dialect.name


def week_start(column: sa.ColumnElement) -> sa.ColumnElement:
    """The Monday of the (UTC) week a timestamp falls in, as a date."""
    if _dialect() == "postgresql":
        return sa.cast(sa.func.date_trunc("week", column), sa.Date)
    return sa.func.date(column, "weekday 0", "-6 days")


def hours_between(start: sa.ColumnElement, end: sa.ColumnElement) -> sa.ColumnElement:
    if _dialect() == "postgresql":
        return sa.extract("epoch", end - start) / 3600.0
    return (sa.func.julianday(end) - sa.func.julianday(start)) * 24.0


def scope_clauses(
    organisation_ids: tuple[int, ...], period: Period, area_id: int | None
) -> list[sa.ColumnElement[bool]]:
    clauses = [
        Signal.organisation_id.in_(organisation_ids),
        Signal.created_at >= period.start,
        Signal.created_at < period.end,
    ]
    if area_id:
        clauses.append(Signal.area_id == area_id)
    return clauses


def percentiles(values: sa.ColumnElement, scope: list, fractions: tuple[float, ...]) -> list[float | None]:
    """Continuous percentiles (as PostgreSQL's percentile_cont) in one pass, reading at most two rows each."""
    total = db.session.scalar(sa.select(sa.func.count()).where(*scope))
    if not total:
        return [None] * len(fractions)
    wanted = {}
    for fraction in fractions:
        exact = fraction * (total - 1)
        wanted[fraction] = (math.floor(exact) + 1, math.ceil(exact) + 1, exact - math.floor(exact))
    ranked = (
        sa.select(values.label("value"), sa.func.row_number().over(order_by=values).label("position"))
        .where(*scope)
        .subquery()
    )
    positions = {position for low, high, _share in wanted.values() for position in (low, high)}
    around = sa.select(ranked.c.position, ranked.c.value).where(ranked.c.position.in_(positions))
    rows = dict(db.session.execute(around).all())
    return [rows[low] + (rows[high] - rows[low]) * share for low, high, share in wanted.values()]


def _grouped(label: sa.ColumnElement, scope: list) -> list[tuple[object, int]]:
    """Counts per value of ``label``, largest first; each such query reads only the covering index."""
    count = sa.func.count()
    query = sa.select(label, count).where(*scope).group_by(label).order_by(count.desc(), label)
    return [(key, n) for key, n in db.session.execute(query)]


def _named(rows: list[tuple[object, int]], names: dict) -> list[tuple[str, int]]:
    return [(names.get(key, ""), n) for key, n in rows]


def compute_figures(
    organisation_ids: tuple[int, ...], period: Period, area_id: int | None, now: datetime, with_staff: bool
) -> Figures:
    """All figures for the period (reports made in it) of these teams, optionally for one area; ``with_staff``
    adds the open caseload per worker, for a view of one team."""
    scope = scope_clauses(organisation_ids, period, area_id)
    partner_names = dict(db.session.execute(sa.select(Partner.id, Partner.name)).all())
    area_names = dict(db.session.execute(sa.select(Area.id, Area.name)).all())
    organisation_names = dict(db.session.execute(sa.select(Organisation.id, Organisation.name)).all())
    # SQLite gives the week as text, PostgreSQL as a date.
    weeks = {
        date.fromisoformat(week) if isinstance(week, str) else week: count
        for week, count in _grouped(week_start(Signal.created_at), scope)
    }
    per_week = []
    monday = period.first - timedelta(days=period.first.weekday())
    while monday <= period.last:
        per_week.append((monday, weeks.get(monday, 0)))
        monday += timedelta(weeks=1)

    roles = _grouped(Signal.reporter_role, scope)
    contacted = [*scope, Signal.first_contact_at.is_not(None)]
    median, p90 = percentiles(hours_between(Signal.created_at, Signal.first_contact_at), contacted, (0.5, 0.9))
    decided = [
        *scope,
        Signal.status.not_in(SignalStatus.not_followed_up()),
        Signal.due_at.is_not(None),
        sa.or_(Signal.first_contact_at.is_not(None), Signal.due_at < now),
    ]
    in_time = sa.and_(Signal.first_contact_at.is_not(None), Signal.first_contact_at <= Signal.due_at)
    within, decided_count = db.session.execute(
        sa.select(sa.func.count().filter(in_time), sa.func.count()).where(*decided)
    ).one()
    return Figures(
        total=sum(weeks.values()),
        per_week=per_week,
        by_role=[(ReporterRole(role).label, n) for role, n in roles],
        self_reports=sum(n for role, n in roles if role == ReporterRole.SELF),
        by_partner=_named(_grouped(Signal.partner_id, scope), partner_names),
        by_area=_named(_grouped(Signal.area_id, scope), area_names),
        by_outcome=[
            (Outcome(outcome).label, n)
            for outcome, n in _grouped(Signal.outcome, [*scope, Signal.status == SignalStatus.CLOSED])
        ],
        median_hours_to_contact=median,
        p90_hours_to_contact=p90,
        within_sla=within,
        sla_decided=decided_count,
        caseload=open_caseload(organisation_ids[0]) if with_staff else [],
        by_organisation=_named(_grouped(Signal.organisation_id, scope), organisation_names)
        if len(organisation_ids) > 1
        else [],
    )


def open_caseload(organisation_id: int) -> list[tuple[str, int]]:
    """Open signals per assignee, right now."""
    query = (
        sa.select(User.name, sa.func.count(Signal.id))
        .join(Signal, Signal.assignee_id == User.id)
        .where(Signal.organisation_id == organisation_id, Signal.status.in_(SignalStatus.open_statuses()))
        .group_by(User.id, User.name)
        .order_by(sa.func.count(Signal.id).desc(), User.name)
    )
    return [(name, count) for name, count in db.session.execute(query)]
