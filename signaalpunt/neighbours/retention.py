"""Volunteers who were not picked are forgotten 30 days after their call closed or expired; those picked stay with
the signal and go when it is anonymised."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from signaalpunt.extensions import db
from signaalpunt.neighbours.models import NeighbourCall, VolunteerSignup

VOLUNTEERS_KEPT = timedelta(days=30)


def forget_volunteers(now: datetime) -> int:
    """Delete the sign-ups nobody picked of calls ended 30 days ago; returns how many."""
    cutoff = now - VOLUNTEERS_KEPT
    ended = sa.select(NeighbourCall.id).where(
        sa.or_(
            NeighbourCall.closed_at < cutoff,
            sa.and_(NeighbourCall.closed_at.is_(None), NeighbourCall.expires_at < cutoff),
        )
    )
    result = db.session.execute(
        sa.delete(VolunteerSignup)
        .where(VolunteerSignup.call_id.in_(ended), VolunteerSignup.picked_at.is_(None))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def anonymise_calls(signal_ids: list[int], marker: str) -> None:
    """With the signal: the call's words, and everything about the volunteers of its calls."""
    calls = sa.select(NeighbourCall.id).where(NeighbourCall.signal_id.in_(signal_ids))
    db.session.execute(
        sa.update(NeighbourCall)
        .where(NeighbourCall.signal_id.in_(signal_ids))
        .values(text=marker, follow_up_reason=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(VolunteerSignup)
        .where(VolunteerSignup.call_id.in_(calls))
        .values(
            name=None,
            postcode=None,
            house_number=None,
            phone=None,
            email=None,
            motivation=None,
            address_token_hash=None,
        )
        .execution_options(synchronize_session=False)
    )
