"""Aggregations for the figures pages, computed in SQL."""

import sqlalchemy as sa

from signaalpunt.enums import SignalStatus
from signaalpunt.extensions import db
from signaalpunt.models import Signal


def status_counts(organisation_id: int) -> list[tuple[SignalStatus, int]]:
    """How many signals the organisation has in each status, every status listed."""
    counts = dict(
        db.session.execute(
            sa.select(Signal.status, sa.func.count())
            .where(Signal.organisation_id == organisation_id)
            .group_by(Signal.status)
        ).all()
    )
    return [(status, counts.get(status, 0)) for status in SignalStatus]
