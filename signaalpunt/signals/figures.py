"""The figures pages' numbers, summed from the running totals (``signals.tallies``): a period's whole weeks
from the week rows, its edges from the day rows, so the work depends on the period's length and not on how many
signals it holds. Never a name, an address or free text.

The median and 90th percentile of the time to first contact come from the tallies' histogram, in the steps the
page shows them in (whole hours below two days, tenths of a day from there), and are off by less than one step.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from signaalpunt.accounts.models import User
from signaalpunt.core.clock import dutch_day, dutch_midnight
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Area, Organisation, Partner
from signaalpunt.signals import tallies
from signaalpunt.signals.enums import Outcome, ReporterRole
from signaalpunt.signals.models import Signal, SignalTally
from signaalpunt.signals.queries import open_signals_per_assignee
from signaalpunt.signals.sla import judged_on_deadline_clause

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
        """Dutch midnight at its first day, as naive UTC like the stored times it is compared with."""
        return dutch_midnight(self.first)

    @property
    def end(self) -> datetime:
        return dutch_midnight(self.last + timedelta(days=1))

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


ONE_DAY = timedelta(days=1)
BY_MONTH = (tallies.MONTH, tallies.WEEK, tallies.DAY)
BY_WEEK = (tallies.WEEK, tallies.DAY)


def tally_ranges(period: Period, spans: tuple[str, ...] = BY_MONTH) -> list[tuple[str, date, date]]:
    """The period as (span, first start, last start) ranges of tally rows that count each of its days once: its
    whole months from the month rows, the whole weeks before and after them from the week rows, the days at the
    edges from the day rows (``spans``: coarsest first, days last)."""
    return _ranges(period.first, period.last, spans)


def _ranges(first: date, last: date, spans: tuple[str, ...]) -> list[tuple[str, date, date]]:
    if first > last:
        return []
    span, finer = spans[0], spans[1:]
    if not finer:
        return [(span, first, last)]
    start = tallies.start_of(span, first)
    if start < first:
        start = tallies.next_start(span, start)
    whole = []
    while tallies.next_start(span, start) - ONE_DAY <= last:
        whole.append(start)
        start = tallies.next_start(span, start)
    if not whole:
        return _ranges(first, last, finer)
    before = _ranges(first, whole[0] - ONE_DAY, finer)
    after = _ranges(tallies.next_start(span, whole[-1]), last, finer)
    return [(span, whole[0], whole[-1]), *before, *after]


# ``tally_ranges`` gives at most this many ranges: the whole months, and on each side whole weeks with days before
# and after them.
MAX_RANGES = 7


@cache
def _tally_sums(*keys: str) -> sa.Select:
    """The sum of the tallies per ``keys`` over up to ``MAX_RANGES`` ranges, each an arm that reads one stretch of
    the primary key per owner and measure. Built once: the page runs it with parameters, a range not needed being
    one that ends before it starts."""
    columns = SignalTally.__table__.c
    arms = [
        sa.select(*(columns[key] for key in keys), columns.count).where(
            columns.organisation_id.in_(sa.bindparam("owners", expanding=True)),
            columns.area_id == sa.bindparam("area"),
            columns.measure.in_(sa.bindparam("measures", expanding=True)),
            columns.span == sa.bindparam(f"span{arm}", type_=sa.String),
            columns.starts_on.between(
                sa.bindparam(f"first{arm}", type_=sa.Date), sa.bindparam(f"last{arm}", type_=sa.Date)
            ),
        )
        for arm in range(MAX_RANGES)
    ]
    ranges = sa.union_all(*arms).subquery()
    grouped = [ranges.c[key] for key in keys]
    return sa.select(*grouped, sa.func.sum(ranges.c.count)).group_by(*grouped)


def _tallied(
    owners: tuple[int, ...],
    period: Period,
    area_id: int | None,
    measures: tuple[tallies.Measure, ...],
    *keys: str,
    spans: tuple[str, ...] = BY_MONTH,
) -> Sequence[sa.Row]:
    """The sums of these measures' tallies of these owners (teams, or the whole region) per ``keys``, fetched at
    once (a page reads some five hundred; one at a time cost a tenth of its time)."""
    ranges = tally_ranges(period, spans)
    unused = (tallies.DAY, period.last, period.first - ONE_DAY)
    parameters = {"owners": list(owners), "area": area_id or tallies.ALL_AREAS, "measures": [*measures]}
    for arm, (span, first, last) in enumerate(ranges + [unused] * (MAX_RANGES - len(ranges))):
        parameters |= {f"span{arm}": span, f"first{arm}": first, f"last{arm}": last}
    return db.session.connection().execute(_tally_sums(*keys), parameters).all()


@dataclass(frozen=True)
class PeriodSums:
    """What a figures page reads from the running totals, in one query: every measure's sums per key for these
    teams (or the whole region's own rows) in the period, optionally for one area; and every team's name."""

    organisation_ids: tuple[int, ...]
    period: Period
    area_id: int | None
    team_names: dict[int, str]
    per_measure: dict[str, dict[str, int]]

    def of(self, measure: tallies.Measure) -> dict[str, int]:
        return self.per_measure.get(measure, {})


def period_sums(organisation_ids: tuple[int, ...], period: Period, area_id: int | None) -> PeriodSums:
    """The running totals a figures page shows, read once for its signal, referral and network figures."""
    team_names = dict(db.session.execute(sa.select(Organisation.id, Organisation.name)).all())
    owners = _tally_owners(organisation_ids, team_names)
    per_measure: dict[str, dict[str, int]] = defaultdict(dict)
    for measure, key, n in _tallied(owners, period, area_id, tuple(tallies.Measure), "measure", "key"):
        per_measure[measure][key] = per_measure[measure].get(key, 0) + n
    return PeriodSums(organisation_ids, period, area_id, team_names, per_measure)


def sums_and_median_days(
    sums: PeriodSums, measures: tuple[tallies.Measure, ...], histogram: tallies.Measure
) -> tuple[dict[str, Counter], float | None]:
    """Per key, the sums of these measures, and the median of the ``histogram`` among them (a histogram of
    hours), in days."""
    per_key: dict[str, Counter] = defaultdict(Counter)
    for measure in measures:
        if measure != histogram:
            for key, n in sums.of(measure).items():
                per_key[key][measure] += n
    buckets = {int(key): n for key, n in sums.of(histogram).items()}
    [median_hours] = histogram_percentiles(buckets, (0.5,))
    return per_key, None if median_hours is None else median_hours / 24


def histogram_percentiles(buckets: dict[int, int], fractions: tuple[float, ...]) -> list[float | None]:
    """Continuous percentiles (as PostgreSQL's percentile_cont) of the hours in a contact-time histogram: each
    bucket's values are taken as evenly spread over it, so a result is off by less than a bucket's width."""
    total = sum(buckets.values())
    if not total:
        return [None] * len(fractions)
    ordered = sorted(buckets.items())

    def value_at(position: int) -> float:
        seen = 0
        for bucket, n in ordered:
            if position < seen + n:
                low, high = tallies.bucket_bounds(bucket)
                return low + (high - low) * (position - seen + 0.5) / n
            seen += n
        raise ValueError(position)

    results = []
    for fraction in fractions:
        rank = fraction * (total - 1)
        low, high = value_at(math.floor(rank)), value_at(math.ceil(rank))
        results.append(low + (high - low) * (rank - math.floor(rank)))
    return results


def _largest_first(counts: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    return sorted(((key, n) for key, n in counts if n), key=lambda item: (-item[1], item[0]))


def _named(counts: dict[str, int], names: dict[int, str]) -> list[tuple[str, int]]:
    """Counts per id (tally keys), as names; two teams' areas may share a name, so names stay apart."""
    return _largest_first((names.get(int(key), "") if key else "", n) for key, n in counts.items())


def _overdue_today(organisation_ids: tuple[int, ...], period: Period, area_id: int | None, now: datetime) -> int:
    """Signals whose deadline passed today without contact: the tallies know only the deadline's day. Only the
    deadline is asked of the WHERE (so the database reads today's stretch of that index, however long the period);
    the rest is counted in the SELECT, in the database, not row by row here: late in the day a region has
    hundreds of them."""
    midnight = dutch_midnight(dutch_day(now))
    counted = sa.and_(
        Signal.organisation_id.in_(organisation_ids),
        Signal.created_at >= period.start,
        Signal.created_at < period.end,
        Signal.area_id == area_id if area_id else sa.true(),
        judged_on_deadline_clause(Signal.status, Signal.due_at),
    )
    overdue = sa.select(sa.func.count(sa.case((counted, 1)))).where(
        Signal.due_at >= midnight, Signal.due_at < now, Signal.first_contact_at.is_(None)
    )
    return db.session.scalar(overdue)


def _tally_owners(organisation_ids: tuple[int, ...], every_team: Iterable[int]) -> tuple[int, ...]:
    """Whose tallies to sum: every team asked for is the whole region, which has rows of its own (one team's
    worth of rows to sum rather than every team's)."""
    return (
        (tallies.WHOLE_REGION,)
        if len(organisation_ids) > 1 and {*organisation_ids} == {*every_team}
        else organisation_ids
    )


def compute_figures(sums: PeriodSums, now: datetime, with_staff: bool) -> Figures:
    """All figures of ``sums``' teams for their period (reports made in it), optionally for one area;
    ``with_staff`` adds the open caseload per worker, for a view of one team."""
    organisation_ids, period, area_id = sums.organisation_ids, sums.period, sums.area_id
    weeks: dict[date, int] = {}
    teams: dict[str, int] = {}
    reports = (tallies.Measure.REPORTS,)
    per_team_and_week = _tallied(
        organisation_ids, period, area_id, reports, "organisation_id", "starts_on", spans=BY_WEEK
    )
    for team_id, starts_on, n in per_team_and_week:
        monday = tallies.week_of(starts_on)
        weeks[monday] = weeks.get(monday, 0) + n
        teams[str(team_id)] = teams.get(str(team_id), 0) + n
    per_week = []
    monday = tallies.week_of(period.first)
    while monday <= period.last:
        per_week.append((monday, weeks.get(monday, 0)))
        monday += timedelta(weeks=1)

    roles = sums.of(tallies.Measure.ROLE)
    buckets = {int(key): n for key, n in sums.of(tallies.Measure.CONTACT_HOURS).items() if n}
    median, p90 = histogram_percentiles(buckets, (0.5, 0.9))
    contacted = sums.of(tallies.Measure.CONTACTED)
    today = dutch_day(now).isoformat()
    overdue = sum(n for due_day, n in sums.of(tallies.Measure.WAITING).items() if due_day < today)
    overdue += _overdue_today(organisation_ids, period, area_id, now)
    partner_names = dict(db.session.execute(sa.select(Partner.id, Partner.name)).all())
    area_names = dict(db.session.execute(sa.select(Area.id, Area.name)).all())
    return Figures(
        total=sum(weeks.values()),
        per_week=per_week,
        by_role=[(ReporterRole(role).label, n) for role, n in _largest_first(roles.items())],
        self_reports=roles.get(ReporterRole.SELF.value, 0),
        by_partner=_named(sums.of(tallies.Measure.PARTNER), partner_names),
        by_area=_named(sums.of(tallies.Measure.AREA), area_names),
        by_outcome=[
            (Outcome(outcome).label, n) for outcome, n in _largest_first(sums.of(tallies.Measure.OUTCOME).items())
        ],
        median_hours_to_contact=median,
        p90_hours_to_contact=p90,
        within_sla=contacted.get(tallies.IN_TIME, 0),
        sla_decided=sum(contacted.values()) + overdue,
        caseload=open_caseload(organisation_ids[0]) if with_staff else [],
        by_organisation=_named(teams, sums.team_names) if len(organisation_ids) > 1 else [],
    )


def open_caseload(organisation_id: int) -> list[tuple[str, int]]:
    """Open signals per assignee, right now, named."""
    per_assignee = open_signals_per_assignee(organisation_id)
    names = dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(list(per_assignee)))).all())
    return _largest_first((names[assignee], n) for assignee, n in per_assignee.items())
