"""Who may see a signal: the Python rule and its SQL twin agree, team by team and role by role."""

import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.accounts.service import create_user
from signaalpunt.extensions import db
from signaalpunt.organisations.models import Organisation
from signaalpunt.signals.enums import SignalStatus
from signaalpunt.signals.models import Signal
from signaalpunt.signals.permissions import can_view_signal, may_see_reporter, visible_signals_clause
from signaalpunt.signals.workflow import Action, allowed_actions
from tests.factories import PASSWORD, make_area, make_signal, make_user


def visible(user: User) -> set[int]:
    return set(db.session.scalars(sa.select(Signal.id).where(visible_signals_clause(user))))


def agree(user: User, signals: list[Signal]) -> set[int]:
    """The ids the user may see, after checking the Python rule gives the same answer as the SQL one."""
    seen = visible(user)
    assert {signal.id for signal in signals if can_view_signal(user, signal)} == seen, user.role
    return seen


def test_another_team_sees_nothing_of_ours(app: Flask) -> None:
    ours = make_signal()
    other = Organisation(name="Buurgemeente", slug="buurgemeente")
    db.session.add(other)
    db.session.flush()
    for role in (Role.ADMIN, Role.COORDINATOR, Role.WORKER):
        stranger = create_user(other, f"{role.value}@buurgemeente.nl", "Vreemde", role, PASSWORD)
        db.session.commit()
        assert agree(stranger, [ours]) == set(), role


def test_a_viewer_never_sees_a_signal(app: Flask) -> None:
    signal = make_signal()
    assert agree(make_user(Role.VIEWER), [signal]) == set()


def test_a_worker_sees_her_own_and_the_new_unassigned_ones_in_her_area(app: Flask) -> None:
    area = make_area("Centrum", ((4531, 4532),))
    worker = make_user(Role.WORKER, areas=(area,))
    colleague = make_user(Role.WORKER, areas=(area,))
    new_here, hers, colleagues, closed_here, elsewhere = (
        make_signal(),
        make_signal(),
        make_signal(),
        make_signal(),
        make_signal(postcode="9999 ZZ"),
    )
    hers.status, hers.assignee = SignalStatus.ASSIGNED, worker
    colleagues.status, colleagues.assignee = SignalStatus.ASSIGNED, colleague
    closed_here.status = SignalStatus.CLOSED
    db.session.commit()
    everything = [new_here, hers, colleagues, closed_here, elsewhere]
    assert agree(worker, everything) == {new_here.id, hers.id}


def test_a_coordinator_covering_an_area_assigns_but_does_not_take(app: Flask) -> None:
    area = make_area("Centrum", ((4531, 4532),))
    coordinator = make_user(Role.COORDINATOR, areas=(area,))
    assert Action.TAKE not in allowed_actions(coordinator, make_signal())
    assert Action.ASSIGN in allowed_actions(coordinator, make_signal())


def test_a_worker_sees_the_duplicates_of_the_signal_she_follows_up(app: Flask) -> None:
    area = make_area("Centrum", ((4531, 4532),))
    worker = make_user(Role.WORKER, areas=(area,))
    colleague = make_user(Role.WORKER, areas=(area,))
    hers, colleagues = make_signal(), make_signal()
    of_hers, of_colleagues = make_signal(), make_signal()
    hers.status, hers.assignee = SignalStatus.ASSIGNED, worker
    colleagues.status, colleagues.assignee = SignalStatus.ASSIGNED, colleague
    of_hers.status, of_hers.duplicate_of = SignalStatus.DUPLICATE, hers
    of_colleagues.status, of_colleagues.duplicate_of = SignalStatus.DUPLICATE, colleagues
    db.session.commit()

    assert agree(worker, [hers, colleagues, of_hers, of_colleagues]) == {hers.id, of_hers.id}
    assert may_see_reporter(worker, of_hers)
    assert not may_see_reporter(colleague, of_hers)


def test_a_duplicate_she_once_held_is_seen_as_the_primary_it_now_belongs_to(app: Flask) -> None:
    area = make_area("Centrum", ((4531, 4532),))
    worker = make_user(Role.WORKER, areas=(area,))
    colleague = make_user(Role.WORKER, areas=(area,))
    primary, once_hers = make_signal(), make_signal()
    primary.status, primary.assignee = SignalStatus.ASSIGNED, colleague
    # Linked while it was assigned to her: the assignee stays on the row, the follow-up is the colleague's.
    once_hers.status, once_hers.assignee, once_hers.duplicate_of = SignalStatus.DUPLICATE, worker, primary
    db.session.commit()
    assert agree(worker, [primary, once_hers]) == set()
    assert agree(colleague, [primary, once_hers]) == {primary.id, once_hers.id}
