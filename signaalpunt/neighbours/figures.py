"""Figures about calls for good neighbours: calls sent, sign-ups per call, calls filled, the median days from a
call to a network, and networks still working at the call-back. Counts only, summed from the running totals; the
median comes from their histogram (off by less than an hour below two days, a tenth of a day from there)."""

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from signaalpunt.extensions import db
from signaalpunt.organisations.models import Organisation
from signaalpunt.signals import tallies
from signaalpunt.signals.figures import Period, histogram_percentiles, tallied, tally_owners


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


def network_figures(organisation_ids: tuple[int, ...], period: Period, area_id: int | None) -> NetworkFigures:
    """The calls about signals reported in the period, of these teams (optionally one area), summed from the
    running totals (``signals.tallies``)."""
    teams = db.session.scalars(sa.select(Organisation.id)).all()
    counts: Counter = Counter()
    network_hours: Counter = Counter()
    measures = tallies.CALL_MEASURES
    for measure, key, n in tallied(tally_owners(organisation_ids, teams), period, area_id, measures, "measure", "key"):
        if measure == tallies.Measure.NETWORK_HOURS:
            network_hours[int(key)] += n
        else:
            counts[measure] += n
    [median_hours] = histogram_percentiles(dict(network_hours), (0.5,))
    return NetworkFigures(
        *(counts[counter] for counter in tallies.CALL_COUNTERS),
        median_days_to_network=None if median_hours is None else median_hours / 24,
    )
