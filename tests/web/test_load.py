"""Several people at once against gunicorn on loopback: nothing accepted is lost, nothing is doubled."""

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.accounts.enums import Role
from signaalpunt.accounts.models import User
from signaalpunt.core.models import OutboxMessage
from signaalpunt.extensions import db
from signaalpunt.signals.enums import SignalStatus
from signaalpunt.signals.models import Signal, TimelineEvent
from tests.factories import PASSWORD, make_signal, make_user
from tests.live_server import Browser, gunicorn_serving
from tests.staff import current_code

pytestmark = pytest.mark.slow

CLIENTS = 8
REPORTS_EACH = 4
RACES = 6


@pytest.fixture
def live_gunicorn(app: Flask) -> Iterator[str]:
    """The app under gunicorn with three worker processes, on the test's own database."""
    settings = {"SIGNAALPUNT_REPORT_RATE_LIMIT": '"10000 per hour"'}
    with gunicorn_serving(app.config["SQLALCHEMY_DATABASE_URI"], workers=3, **settings) as server:
        yield server.base


def run_together(*tasks: Callable[[], None]) -> None:
    """Run the tasks in threads at once; a task's exception fails the test."""
    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        for future in [pool.submit(task) for task in tasks]:
            future.result()


def test_eight_clients_reporting_at_once_lose_nothing(app: Flask, live_gunicorn: str) -> None:
    results: list[tuple[int, str]] = []

    def courier(number: int) -> None:
        browser = Browser(live_gunicorn)
        for report in range(REPORTS_EACH):
            form = browser.page("/melden")
            typed = {
                "reporter_role": "courier",
                "postcode": "4531 AB",
                "house_number": str(number * 10 + report + 1),
                "description": f"Koerier {number} meldt zorg nummer {report}.",
                "reporter_email": f"koerier{number}@example.nl",
            }
            status, _, location = browser.submit(form, typed)
            results.append((status, location))

    run_together(*(lambda n=n: courier(n) for n in range(CLIENTS)))

    assert len(results) == CLIENTS * REPORTS_EACH
    assert all(result == (303, "/melden/ontvangen") for result in results), results
    db.session.rollback()
    references = db.session.scalars(sa.select(Signal.reference)).all()
    assert len(references) == len(set(references)) == CLIENTS * REPORTS_EACH
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == CLIENTS * REPORTS_EACH


def logged_in(base: str, user: User) -> Browser:
    browser = Browser(base)
    status, _, location = browser.submit(browser.page("/inloggen"), {"email": user.email, "password": PASSWORD})
    assert (status, location) == (303, "/inloggen/code")
    status, _, _ = browser.submit(browser.page("/inloggen/code"), {"code": current_code(user)})
    assert status == 303
    return browser


def assign_at_once(coordinators: list[Browser], workers: list[User], signal: Signal) -> dict[int, tuple[int, str, str]]:
    """Each coordinator opens the signal, then all press "Toewijzen" (each to a different worker) together."""
    url = f"/werk/meldingen/{signal.reference}"
    changes = [{"assign-assignee": str(worker.id)} for worker in workers]
    pages = [coordinator.page(url) for coordinator in coordinators]
    start = threading.Barrier(len(coordinators))
    answers: dict[int, tuple[int, str, str]] = {}

    def assign(index: int) -> None:
        start.wait()
        answers[index] = coordinators[index].submit(pages[index], changes[index], "form[action$='/assign']")

    run_together(*(lambda i=i: assign(i) for i in range(len(coordinators))))
    return answers


def test_two_coordinators_assigning_the_same_signal_at_once_one_wins(app: Flask, live_gunicorn: str) -> None:
    workers = [make_user(Role.WORKER, name=name) for name in ("Sanne de Vries", "Joost Verhoeven")]
    accounts = [make_user(Role.COORDINATOR) for _ in workers]
    signals = [make_signal() for _ in range(RACES)]
    # End the test's transaction: on SQLite it would keep reading a snapshot from before the server's writes.
    db.session.commit()
    coordinators = [logged_in(live_gunicorn, account) for account in accounts]

    for signal in signals:
        answers = assign_at_once(coordinators, workers, signal)

        assert sorted(status for status, _, _ in answers.values()) == [303, 409], signal.reference
        winner = workers[next(index for index, (status, _, _) in answers.items() if status == 303)]
        refused = next(body for status, body, _ in answers.values() if status == 409)
        assert "Iemand anders heeft deze melding intussen gewijzigd." in refused
        assert f"Toegewezen aan {winner.name}" in " ".join(refused.split()), "the loser sees who won"
        db.session.rollback()
        stored = db.session.get(Signal, signal.id)
        assert (stored.assignee_id, stored.status) == (winner.id, SignalStatus.ASSIGNED)
        kinds = db.session.scalars(sa.select(TimelineEvent.kind).where(TimelineEvent.signal_id == signal.id)).all()
        assert [kind.value for kind in kinds] == ["reported", "assigned"]
