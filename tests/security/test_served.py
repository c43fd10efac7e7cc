"""Limits that must hold across gunicorn's worker processes and parallel requests, tried through gunicorn itself."""

import http.client
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from signaalpunt import create_app
from signaalpunt.accounts.enums import Role
from signaalpunt.extensions import db
from tests.conftest import Databases, make_config
from tests.factories import make_user
from tests.live_server import ROOT, Browser, gunicorn_serving
from tests.mail_server import free_port

pytestmark = pytest.mark.slow


def test_a_rate_limit_counts_across_all_workers(databases: Databases, tmp_path: Path) -> None:
    limit = {"SIGNAALPUNT_STATUS_RATE_LIMIT": '"5 per hour"'}
    with gunicorn_serving(databases.fresh(tmp_path), workers=3, **limit) as server:
        browser = Browser(server.base)
        lookup = browser.page("/status")
        with ThreadPoolExecutor(max_workers=6) as pool:
            answers = list(pool.map(lambda _: browser.submit(lookup, {"reference": "SP-AAAA-AAAA"})[0], range(15)))
    assert sorted(answers) == [200] * 5 + [429] * 10, "5 per hour means 5, whichever worker answers"


def test_per_process_counters_are_refused_with_several_workers(databases: Databases, tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "SIGNAALPUNT_SECRET_KEY": "s" * 40,
        "DATABASE_URL": databases.fresh(tmp_path),
        "SIGNAALPUNT_BIND": f"127.0.0.1:{free_port()}",
        "SIGNAALPUNT_WORKERS": "2",
        "SIGNAALPUNT_RATELIMIT_STORAGE_URI": '"memory://"',
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(
        [str(gunicorn), "app:app", "-c", "gunicorn.conf.py"], cwd=ROOT, env=env, capture_output=True, timeout=60
    )
    assert result.returncode != 0
    assert "counts per worker" in result.stderr.decode()


def test_a_burst_of_parallel_wrong_passwords_counts_every_attempt(databases: Databases, tmp_path: Path) -> None:
    url = databases.fresh(tmp_path)
    with create_app(make_config(url)).app_context():
        email = make_user(Role.COORDINATOR).email
        db.session.remove()
        db.engine.dispose()
    with gunicorn_serving(url, workers=3, SIGNAALPUNT_LOGIN_RATE_LIMIT='"1000 per minute"') as server:
        browser = Browser(server.base)
        page = browser.page("/inloggen")
        with ThreadPoolExecutor(max_workers=6) as pool:
            answers = list(
                pool.map(lambda _: browser.submit(page, {"email": email, "password": "verkeerd!"})[1], range(12))
            )
    wrong = sum("Het e-mailadres of het wachtwoord klopt niet." in answer for answer in answers)
    locked = sum("Te veel mislukte pogingen." in answer for answer in answers)
    assert (wrong, locked) == (5, 7)


def _post_chunked(base: str, path: str, body: bytes) -> int:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    pieces = (body[start : start + 65536] for start in range(0, len(body), 65536))
    connection.request(
        "POST",
        path,
        body=pieces,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked"},
        encode_chunked=True,
    )
    status = connection.getresponse().status
    connection.close()
    return status


def test_a_chunked_body_over_the_limit_is_refused_not_cut_off(databases: Databases, tmp_path: Path) -> None:
    with gunicorn_serving(databases.fresh(tmp_path), workers=1) as server:
        assert _post_chunked(server.base, "/status", b"reference=SP-AAAA-AAAA&x=" + b"a" * 400_000) == 413
        # Within the limit, the same request is read as usual (and refused for its missing CSRF token).
        assert _post_chunked(server.base, "/status", b"reference=SP-AAAA-AAAA&x=" + b"a" * 1000) == 400
