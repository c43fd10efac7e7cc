"""Aggregations for the figures pages, computed in SQL; never a name, an address or free text.

Week grouping and hour differences are the two expressions SQLite and PostgreSQL spell differently;
they are chosen per dialect here. Percentiles use window functions, which both databases have.
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from signaalpunt.enums import Outcome, ReporterRole, SignalStatus
from signaalpunt.extensions import db
from signaalpunt.models import Area, Partner, Signal, User
from signaalpunt.models.signal import OPEN_STATUSES

NOT_FOLLOWED_UP = (SignalStatus.NOT_PURSUED, SignalStatus.DUPLICATE)


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
    caseload: list[tuple[str, int]] = field(default_factory=list)

    @property
    def sla_share(self) -> float | None:
        return self.within_sla / self.sla_decided if self.sla_decided else None


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


def _scope(organisation_id: int, period: Period, area_id: int | None) -> list[sa.ColumnElement[bool]]:
    clauses = [
        Signal.organisation_id == organisation_id,
        Signal.created_at >= period.start,
        Signal.created_at < period.end,
    ]
    if area_id:
        clauses.append(Signal.area_id == area_id)
    return clauses


def _grouped(label: sa.ColumnElement, scope: list, *joins: tuple) -> list[tuple[object, int]]:
    query = sa.select(label, sa.func.count(Signal.id)).select_from(Signal)
    for target, on in joins:
        query = query.outerjoin(target, on)
    rows = db.session.execute(query.where(*scope).group_by(label).order_by(sa.func.count(Signal.id).desc(), label))
    return [(key, count) for key, count in rows]


def percentile(values: sa.ColumnElement, scope: list, fraction: float) -> float | None:
    """Continuous percentile (as PostgreSQL's percentile_cont) of ``values``, reading at most two rows."""
    ranked = (
        sa.select(
            values.label("value"),
            sa.func.row_number().over(order_by=values).label("position"),
            sa.func.count().over().label("total"),
        )
        .where(*scope)
        .subquery()
    )
    total = db.session.scalar(sa.select(ranked.c.total).limit(1))
    if not total:
        return None
    exact = fraction * (total - 1)
    low, high = math.floor(exact) + 1, math.ceil(exact) + 1
    rows = dict(
        db.session.execute(sa.select(ranked.c.position, ranked.c.value).where(ranked.c.position.in_({low, high}))).all()
    )
    return rows[low] + (rows[high] - rows[low]) * (exact - math.floor(exact))


def compute_figures(
    organisation_id: int, period: Period, area_id: int | None, now: datetime, with_staff: bool
) -> Figures:
    """All figures for the period (reports made in it), optionally for one area."""
    scope = _scope(organisation_id, period, area_id)
    total = db.session.scalar(sa.select(sa.func.count(Signal.id)).where(*scope))
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

    by_role = [(ReporterRole(role).label, count) for role, count in _grouped(Signal.reporter_role, scope)]
    by_partner = _grouped(sa.func.coalesce(Partner.name, ""), scope, (Partner, Partner.id == Signal.partner_id))
    by_area = _grouped(sa.func.coalesce(Area.name, ""), scope, (Area, Area.id == Signal.area_id))
    closed_scope = [*scope, Signal.status == SignalStatus.CLOSED]
    by_outcome = [(Outcome(outcome).label, count) for outcome, count in _grouped(Signal.outcome, closed_scope)]

    contacted = [*scope, Signal.first_contact_at.is_not(None)]
    hours = hours_between(Signal.created_at, Signal.first_contact_at)
    decided = [
        *scope,
        Signal.status.not_in(NOT_FOLLOWED_UP),
        Signal.due_at.is_not(None),
        sa.or_(Signal.first_contact_at.is_not(None), Signal.due_at < now),
    ]
    in_time = sa.and_(Signal.first_contact_at.is_not(None), Signal.first_contact_at <= Signal.due_at)
    within, decided_count = db.session.execute(
        sa.select(sa.func.count(Signal.id).filter(in_time), sa.func.count(Signal.id)).where(*decided)
    ).one()
    caseload = []
    if with_staff:
        caseload = [
            (name, count)
            for name, count in db.session.execute(
                sa.select(User.name, sa.func.count(Signal.id))
                .join(Signal, Signal.assignee_id == User.id)
                .where(Signal.organisation_id == organisation_id, Signal.status.in_(OPEN_STATUSES))
                .group_by(User.id, User.name)
                .order_by(sa.func.count(Signal.id).desc(), User.name)
            )
        ]
    return Figures(
        total=total,
        per_week=per_week,
        by_role=by_role,
        by_partner=[(name, count) for name, count in by_partner],
        by_area=[(name, count) for name, count in by_area],
        by_outcome=by_outcome,
        median_hours_to_contact=percentile(hours, contacted, 0.5),
        p90_hours_to_contact=percentile(hours, contacted, 0.9),
        within_sla=within,
        sla_decided=decided_count,
        caseload=caseload,
    )
