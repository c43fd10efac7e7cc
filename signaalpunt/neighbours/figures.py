"""Figures about calls for good neighbours: calls sent, sign-ups per call, calls filled, the median days from a
call to a network, and networks still working at the call-back. Counts only."""

import statistics
from dataclasses import dataclass

import sqlalchemy as sa

from signaalpunt.extensions import db
from signaalpunt.neighbours.models import NeighbourCall
from signaalpunt.referrals.enums import Landed
from signaalpunt.signals.figures import Period, as_datetime, scope_of_joined_signals
from signaalpunt.signals.models import Signal


@dataclass(frozen=True)
class NetworkFigures:
    calls: int
    signups: int
    filled: int
    followed_up: int
    working: int
    # From sending the call to picking the neighbours, in days (exact median).
    median_days_to_network: float | None

    @property
    def signups_per_call(self) -> float | None:
        return self.signups / self.calls if self.calls else None


def network_figures(organisation_ids: tuple[int, ...], period: Period, area_id: int | None) -> NetworkFigures:
    """The calls about signals reported in the period, of these teams (optionally one area)."""
    scope = [*scope_of_joined_signals(organisation_ids, period, area_id), Signal.id == NeighbourCall.signal_id]
    calls, signups, filled, followed_up, working = db.session.execute(
        sa.select(
            sa.func.count(NeighbourCall.id),
            sa.func.coalesce(sa.func.sum(NeighbourCall.signups_received), 0),
            sa.func.count(NeighbourCall.filled_at),
            sa.func.count(NeighbourCall.follow_up),
            sa.func.count(NeighbourCall.id).filter(NeighbourCall.follow_up == Landed.YES),
        ).where(*scope)
    ).one()
    spans = db.session.execute(
        sa.select(NeighbourCall.created_at, NeighbourCall.filled_at).where(*scope, NeighbourCall.filled_at.is_not(None))
    ).all()
    days = [(as_datetime(filled_at) - as_datetime(sent)).total_seconds() / 86400 for sent, filled_at in spans]
    return NetworkFigures(calls, signups, filled, followed_up, working, statistics.median(days) if days else None)
