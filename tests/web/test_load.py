"""Several clients at once against gunicorn on loopback: nothing accepted is lost, nothing is doubled."""

import http.cookiejar
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from signaalpunt.extensions import db
from signaalpunt.models import OutboxMessage, Signal
from tests.mail_server import free_port

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 8
REPORTS_EACH = 4


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object) -> None:
        return None


class Browser:
    """A minimal HTTP client with its own cookies, as one person's browser."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(jar, NoRedirect())

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 - loopback test server

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base + path, data=body, method="POST"))  # noqa: S310

    def _open(self, req: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(req, timeout=30) as response:
                return response.status, response.read().decode(), response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers.get("Location", "")


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]*)"', html).group(1)


def _healthy(base: str) -> bool:
    try:
        return Browser(base).get("/healthz")[0] == 200
    except OSError:
        return False


@pytest.fixture
def live_gunicorn(app: Flask) -> Iterator[str]:
    """The app under gunicorn with three worker processes, on the test's own database."""
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "SIGNAALPUNT_SECRET_KEY": "s" * 40,
        "SIGNAALPUNT_REPORT_RATE_LIMIT": '"10000 per hour"',
        "SIGNAALPUNT_MAIL_BACKEND": '"smtp"',
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SIGNAALPUNT_BIND": f"127.0.0.1:{port}",
        "SIGNAALPUNT_WORKERS": "3",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "app:app", "-c", "gunicorn.conf.py"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while not _healthy(base):
        assert time.monotonic() < deadline, "gunicorn did not come up"
        time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=20)


def test_eight_clients_reporting_at_once_lose_nothing(app: Flask, live_gunicorn: str) -> None:
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def courier(number: int) -> None:
        browser = Browser(live_gunicorn)
        for report in range(REPORTS_EACH):
            _, form, _ = browser.get("/melden")
            data = {
                "csrf_token": hidden(form, "csrf_token"),
                "submission_token": hidden(form, "submission_token"),
                "reporter_role": "courier",
                "partner": "",
                "postcode": "4531 AB",
                "house_number": str(number * 10 + report + 1),
                "description": f"Koerier {number} meldt zorg nummer {report}.",
                "age_band": "",
                "person_aware": "unknown",
                "acute_danger": "no",
                "reporter_email": f"koerier{number}@example.nl",
            }
            status, _, location = browser.post("/melden", data)
            with lock:
                results.append((status, location))

    threads = [threading.Thread(target=courier, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == CLIENTS * REPORTS_EACH
    assert all(result == (302, "/melden/ontvangen") for result in results), results
    db.session.expire_all()
    references = db.session.scalars(sa.select(Signal.reference)).all()
    assert len(references) == len(set(references)) == CLIENTS * REPORTS_EACH
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == CLIENTS * REPORTS_EACH
