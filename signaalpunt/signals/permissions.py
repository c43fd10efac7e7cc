"""Who may see what of a signal. Every page and query about signals asks here; nothing else decides."""

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.organisations.models import area_workers
from signaalpunt.signals.enums import SignalStatus
from signaalpunt.signals.models import Signal

SEES_ALL_SIGNALS = (Role.ADMIN, Role.COORDINATOR)
WORKS_SIGNALS = (Role.ADMIN, Role.COORDINATOR, Role.WORKER)


def covers_area(user: User, signal: Signal) -> bool:
    """The signal lies in one of the areas this worker covers."""
    return signal.area_id is not None and any(area.id == signal.area_id for area in user.areas)


def followed_up_as(signal: Signal) -> Signal:
    """The signal whose follow-up covers this one: its primary for a linked duplicate, else itself."""
    if signal.status == SignalStatus.DUPLICATE and signal.duplicate_of is not None:
        return signal.duplicate_of
    return signal


def can_view_signal(user: User, signal: Signal) -> bool:
    """Coordinators and admins: their team's signals. Workers: their own, and unassigned new ones in their areas;
    a linked duplicate as its primary, so the worker following up sees everything that was reported."""
    if user.organisation_id != signal.organisation_id:
        return False
    if user.role in SEES_ALL_SIGNALS:
        return True
    if user.role != Role.WORKER:
        return False
    signal = followed_up_as(signal)
    if signal.assignee_id == user.id:
        return True
    return signal.assignee_id is None and signal.status == SignalStatus.NEW and covers_area(user, signal)


def may_see_reporter(user: User, signal: Signal) -> bool:
    """The reporter's contact details are for the coordinator and the assignee (of the primary, for a duplicate),
    who may need to call back."""
    return can_view_signal(user, signal) and (
        user.role == Role.COORDINATOR or followed_up_as(signal).assignee_id == user.id
    )


def visible_signals_clause(user: User) -> sa.ColumnElement[bool]:
    """The same rule as ``can_view_signal``, as a SQL condition for lists and searches."""
    in_organisation = Signal.organisation_id == user.organisation_id
    if user.role in SEES_ALL_SIGNALS:
        return in_organisation
    if user.role != Role.WORKER:
        return sa.false()
    my_areas = sa.select(area_workers.c.area_id).where(area_workers.c.user_id == user.id)

    def workers_own(signals: type[Signal]) -> sa.ColumnElement[bool]:
        return sa.or_(
            signals.assignee_id == user.id,
            sa.and_(signals.assignee_id.is_(None), signals.status == SignalStatus.NEW, signals.area_id.in_(my_areas)),
        )

    primary = aliased(Signal)
    primaries_of_mine = sa.select(primary.id).where(workers_own(primary))
    return sa.and_(
        in_organisation,
        sa.or_(
            sa.and_(Signal.status != SignalStatus.DUPLICATE, workers_own(Signal)),
            sa.and_(
                Signal.status == SignalStatus.DUPLICATE,
                sa.or_(
                    Signal.duplicate_of_id.in_(primaries_of_mine),
                    sa.and_(Signal.duplicate_of_id.is_(None), workers_own(Signal)),
                ),
            ),
        ),
    )
