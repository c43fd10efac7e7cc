"""Figures about calls for good neighbours: calls sent, sign-ups per call, calls filled, the median days from a
call to a network, and networks still working at the call-back. Counts only, summed from the running totals; the
median comes from their histogram (off by less than an hour below two days, a tenth of a day from there)."""

from dataclasses import dataclass

from signaalpunt.signals import tallies
from signaalpunt.signals.figures import PeriodSums, sums_and_median_days


@dataclass(frozen=True)
class NetworkFigures:
    calls: int
    signups: int
    filled: int
    followed_up: int
    working: int
    # From sending the call to picking the neighbours, in days (from a histogram).
    median_days_to_network: float | None

    @property
    def signups_per_call(self) -> float | None:
        return self.signups / self.calls if self.calls else None


def network_figures(sums: PeriodSums) -> NetworkFigures:
    """The calls about signals reported in ``sums``' period, of its teams (optionally one area), from the running
    totals (``signals.tallies``)."""
    per_key, median_days = sums_and_median_days(sums, tallies.CALL_MEASURES, tallies.Measure.NETWORK_HOURS)
    return NetworkFigures(*(per_key[""][counter] for counter in tallies.CALL_COUNTERS), median_days)
