"""The app under gunicorn on a loopback port, and a small browser with its own cookies to talk to it."""

import http.cookiejar
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from tests.mail_server import free_port
from tests.pages import Page

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class LivePage(Page):
    """A page read from the live server; ``path`` is where a form without an action posts to."""

    path: str = ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object) -> None:
        return None


class Browser:
    """One person's browser: its own cookies, redirects left for the caller to see."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(jar, NoRedirect())

    def get(self, path: str) -> tuple[int, str, str]:
        """``(status, body, Location)``."""
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310 - loopback test server

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        return self._open(urllib.request.Request(self.base + path, data=body, method="POST"))  # noqa: S310

    def page(self, path: str) -> LivePage:
        """A page to read and submit as the test client's pages are (the response itself is not kept)."""
        status, body, _ = self.get(path)
        assert status == 200, (path, status)
        return LivePage(response=None, soup=BeautifulSoup(body, "html.parser"), path=path)

    def submit(self, page: LivePage, changes: dict, selector: str = "main form") -> tuple[int, str, str]:
        target = page.one(selector).get("action") or page.path
        return self.post(target, {**page.form_values(selector), **changes})

    def _open(self, req: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, response.read().decode(), response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers.get("Location", "")


def healthy(base: str) -> bool:
    try:
        return Browser(base).get("/healthz")[0] == 200
    except OSError:
        return False


@dataclass
class LiveServer:
    base: str
    process: subprocess.Popen

    def worker_pids(self) -> list[int]:
        """gunicorn's worker processes (the children of its master process)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        return [int(pid) for pid in children.split()]

    def worker_cpu_seconds(self) -> float:
        """CPU time (user and system) the workers have used so far."""
        ticks = 0
        for pid in self.worker_pids():
            # Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")


@contextmanager
def gunicorn_serving(
    database_url: str, workers: int | None = None, app: str = "app:app", log: Path | None = None, **settings: str
) -> Iterator[LiveServer]:
    """Serve ``app`` with the project's gunicorn.conf.py on a free loopback port (``workers`` None: its default).

    Its standard error (gunicorn's messages and the app's request log) goes to ``log`` when given.
    """
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "SIGNAALPUNT_SECRET_KEY": "s" * 40,
        "SIGNAALPUNT_MAIL_BACKEND": '"smtp"',
        "DATABASE_URL": database_url,
        "SIGNAALPUNT_BIND": f"127.0.0.1:{port}",
        **({"SIGNAALPUNT_WORKERS": str(workers)} if workers else {}),
        **settings,
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    errors = log.open("w") if log else subprocess.DEVNULL
    server = subprocess.Popen([str(gunicorn), app, "-c", "gunicorn.conf.py"], cwd=ROOT, env=env, stderr=errors)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not healthy(base):
            assert server.poll() is None, "gunicorn stopped"
            assert time.monotonic() < deadline, "gunicorn did not come up"
            time.sleep(0.2)
        yield LiveServer(base, server)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if log:
            errors.close()
