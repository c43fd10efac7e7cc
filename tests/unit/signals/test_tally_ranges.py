"""A figures period is read from running totals of whole months, weeks and days: every day of it exactly once."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from signaalpunt.signals import tallies
from signaalpunt.signals.figures import BY_MONTH, BY_WEEK, MAX_RANGES, Period, tally_ranges


def _days_counted(span: str, first_start: date, last_start: date) -> list[date]:
    days, start = [], first_start
    while start <= last_start:
        end = tallies.next_start(span, start)
        days += [start + timedelta(days=offset) for offset in range((end - start).days)]
        start = end
    return days


@given(
    first=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    length=st.integers(min_value=0, max_value=5 * 366),
    spans=st.sampled_from([BY_MONTH, BY_WEEK]),
)
def test_every_day_of_a_period_is_counted_once(first: date, length: int, spans: tuple[str, ...]) -> None:
    period = Period(first, first + timedelta(days=length))
    ranges = tally_ranges(period, spans)
    counted = sorted(day for span, start, last in ranges for day in _days_counted(span, start, last))
    assert counted == [first + timedelta(days=offset) for offset in range(length + 1)]
    assert len(ranges) <= MAX_RANGES
    assert {span for span, _start, _last in ranges} <= set(spans)
    assert all(start == tallies.start_of(span, start) for span, start, _last in ranges)


def test_half_a_year_reads_its_months_and_only_the_edges_finer() -> None:
    ranges = tally_ranges(Period(date(2026, 5, 28), date(2026, 11, 25)))
    assert ranges == [
        (tallies.MONTH, date(2026, 6, 1), date(2026, 10, 1)),
        (tallies.DAY, date(2026, 5, 28), date(2026, 5, 31)),
        (tallies.WEEK, date(2026, 11, 2), date(2026, 11, 16)),
        (tallies.DAY, date(2026, 11, 1), date(2026, 11, 1)),
        (tallies.DAY, date(2026, 11, 23), date(2026, 11, 25)),
    ]
