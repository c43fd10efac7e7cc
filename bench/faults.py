"""``make faults``: the faults a municipal server really meets, under load, on SQLite and PostgreSQL.

Each scenario serves a fresh demo installation with gunicorn (the project's gunicorn.conf.py) on loopback, with
the mail worker sending to a real SMTP server (aiosmtpd), while ``--clients`` browsers post reports through the real
form. A browser that gets no confirmation sends the same form again (as a person presses again), until it gets one
or the scenario ends. Then the database is read: every reference that got a confirmation must be stored with all its
rows (the signal, its "reported" event, its acknowledgement), no form may be stored twice, and every acknowledgement
must have reached the SMTP server exactly once.

Prints one table: scenario, database, sent, accepted, stored, lost, duplicated, half-written, 5xx, recovery seconds
(from the end of the fault to the next confirmation). A benchmark-style script, not a timed test.
"""

import argparse
import contextlib
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller

from bench import dataset
from tests.factories import report_form
from tests.live_server import Browser, LiveServer, healthy
from tests.mail_server import Inbox, free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MARKER = re.compile(r"\[(F\d+-\d+)\]")
REFERENCE = re.compile(r'id="reference"[^>]*>\s*([A-Z0-9-]+)')
MAIL_REFERENCE = re.compile(r"SP-[A-Z0-9]{4}-[A-Z0-9]{4}")
# How long the load runs around a fault, and how long a browser keeps trying one form.
LOAD_SECONDS = 20
FAULT_SECONDS = 10
PATIENCE_SECONDS = 90


@dataclass
class Load:
    """What the browsers saw."""

    sent: int = 0
    accepted: dict[str, str] = field(default_factory=dict)
    server_errors: int = 0
    successes: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class MailServer:
    """A real SMTP server (aiosmtpd) that can be stopped and started again, keeping what it received, behind a
    loopback relay that can cut a connection in the middle of a message's DATA: the app sends to the relay."""

    def __init__(self) -> None:
        self.port = free_port()
        self.smtp_port = free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None
        # How many of the next messages to cut off half-way.
        self.cuts_left = 0
        self.cut = 0
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.smtp_port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        try:
            server = socket.create_connection(("127.0.0.1", self.smtp_port))
        except OSError:
            client.close()  # the server is down: the sender sees the connection end
            return
        threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()
        self._pump(client, server, True)

    def _pump(self, source: socket.socket, target: socket.socket, from_sender: bool) -> None:
        """Copy one direction; from the sender, after DATA and a first part of the message, maybe cut."""
        in_data = False
        try:
            while chunk := source.recv(4096):
                if from_sender and b"DATA\r\n" in chunk:
                    in_data = True
                elif from_sender and in_data and self.cuts_left > 0:
                    self.cuts_left -= 1
                    self.cut += 1
                    target.sendall(chunk[: len(chunk) // 2])
                    break
                target.sendall(chunk)
        except OSError:
            pass
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()


class Installation:
    """A demo installation served by gunicorn in its own process group (so that it can be killed whole), with
    the mail worker beside it."""

    def __init__(self, database_url: str, mail: MailServer, folder: Path) -> None:
        self.database_url = database_url
        self.mail = mail
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.folder = folder
        self.environment = {
            **dataset.server_environment(database_url),
            "SIGNAALPUNT_MAIL_BACKEND": '"smtp"',
            "SIGNAALPUNT_MAIL_SERVER": '"127.0.0.1"',
            "SIGNAALPUNT_MAIL_PORT": str(mail.port),
            "SIGNAALPUNT_MAIL_RETRY_BASE_SECONDS": "1",
            "SIGNAALPUNT_BIND": f"127.0.0.1:{self.port}",
        }
        self.server: subprocess.Popen | None = None
        self.mailer: subprocess.Popen | None = None

    def flask(self, *arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / "flask"), *arguments], cwd=ROOT, env=self.environment, capture_output=True, text=True
        )

    def start(self) -> None:
        log = (self.folder / "server.log").open("a")
        self.server = subprocess.Popen(
            [str(BIN / "gunicorn"), "app:app", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.environment,
            stderr=log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while not healthy(self.base):
            assert time.monotonic() < deadline, "gunicorn did not come up"
            time.sleep(0.1)

    def start_mailer(self) -> None:
        self.mailer = subprocess.Popen(
            [str(BIN / "flask"), "signaalpunt", "send-mail", "--watch", "1"],
            cwd=ROOT,
            env=self.environment,
            stdout=subprocess.DEVNULL,
            stderr=(self.folder / "mailer.log").open("a"),
            start_new_session=True,
        )

    def workers(self) -> list[int]:
        return LiveServer(self.base, self.server).worker_pids()

    def kill_all(self) -> None:
        """kill -9 of gunicorn's whole process group: master and workers at once."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait()

    def stop(self) -> None:
        for process in (self.mailer, self.server):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=60)


def browse(base: str, number: int, load: Load, stop: threading.Event) -> None:
    """One person's browser: fills in a report, sends it until it is confirmed, then the next."""
    browser = Browser(base)
    sequence = 0
    while not stop.is_set():
        sequence += 1
        marker = f"F{number}-{sequence}"
        values = None
        while values is None and not stop.is_set():
            try:
                values = {**browser.page("/melden").form_values()}
            except (OSError, AssertionError, http.client.HTTPException):
                time.sleep(0.2)
        if values is None:
            return
        values |= report_form(
            house_number=str(sequence),
            description=f"Brievenbus puilt uit, gordijnen dicht [{marker}].",
            reporter_email=f"{marker.lower()}@example.nl",
        )
        with load.lock:
            load.sent += 1
        give_up = time.monotonic() + PATIENCE_SECONDS
        while time.monotonic() < give_up:
            reference = _send(browser, values, load)
            if reference:
                with load.lock:
                    load.accepted[marker] = reference
                    load.successes.append(time.monotonic())
                break
            time.sleep(0.2)


def _send(browser: Browser, values: dict, load: Load) -> str | None:
    try:
        status, _, location = browser.post("/melden", values)
        if status >= 500:
            with load.lock:
                load.server_errors += 1
        if status != 303:
            return None
        status, body, _ = browser.get(location)
    except (OSError, http.client.HTTPException):
        # Refused, reset or cut off mid-answer (a killed worker): as a browser, try again.
        return None
    found = REFERENCE.search(body) if status == 200 else None
    return found.group(1) if found else None


@dataclass
class Row:
    scenario: str
    database: str
    sent: int
    accepted: int
    stored: int
    lost: int
    duplicated: int
    half_written: int
    server_errors: int
    recovery: float | None
    mail: str

    def markdown(self) -> str:
        recovery = "–" if self.recovery is None else f"{self.recovery:.1f}"
        return (
            f"| {self.scenario} | {self.database} | {self.sent} | {self.accepted} | {self.stored} | {self.lost} | "
            f"{self.duplicated} | {self.half_written} | {self.server_errors} | {recovery} | {self.mail} |"
        )


def stored_forms(database_url: str) -> tuple[Counter, dict[str, str], int]:
    """Per form marker how often it was stored, each marker's reference, and how many stored reports lack their
    "reported" event or their acknowledgement."""
    with dataset.connected(database_url) as connection:
        rows = connection.execute(
            sa.text(
                "SELECT s.reference, s.description,"
                " (SELECT count(*) FROM timeline_events e WHERE e.signal_id = s.id AND e.kind = 'reported'),"
                " (SELECT count(*) FROM outbox_messages m WHERE m.recipient = s.reporter_email)"
                " FROM signals s WHERE s.description LIKE '%[F%'"
            )
        ).all()
    counts: Counter = Counter()
    references = {}
    half_written = 0
    for reference, description, events, mails in rows:
        marker = MARKER.search(description).group(1)
        counts[marker] += 1
        references[marker] = reference
        half_written += events != 1 or mails != 1
    return counts, references, half_written


def _received(inbox: Inbox) -> Counter:
    return Counter(
        reference
        for message in list(inbox.messages)
        for reference in set(MAIL_REFERENCE.findall(message.get_body(("plain",)).get_content()))
    )


def _missing(inbox: Inbox, accepted: dict[str, str]) -> int:
    received = _received(inbox)
    return sum(1 for reference in accepted.values() if received[reference] == 0)


def mail_check(inbox: Inbox, accepted: dict[str, str]) -> str:
    """Every confirmed report's acknowledgement reached the SMTP server exactly once."""
    received = _received(inbox)
    missing = sum(1 for reference in accepted.values() if received[reference] == 0)
    doubled = sum(1 for reference in accepted.values() if received[reference] > 1)
    return f"{len(accepted) - missing} of {len(accepted)}, {doubled} twice"


def run_scenario(
    name: str, label: str, database_url: str, clients: int, fault: Callable[[Installation], float | None]
) -> Row:
    """Serve, load, put the fault in (``fault`` returns when it ended, or None for one that never stops), load a
    little longer, drain the outbox, and count."""
    folder = Path(tempfile.mkdtemp(prefix="signaalpunt-faults-"))
    mail = MailServer()
    mail.start()
    installation = Installation(database_url, mail, folder)
    for command in (["db", "upgrade"], ["signaalpunt", "load-demo"]):
        done = installation.flask(*command)
        assert done.returncode == 0, done.stderr
    installation.start()
    installation.start_mailer()
    load, stop = Load(), threading.Event()
    browsers = [
        threading.Thread(target=browse, args=(installation.base, number, load, stop)) for number in range(clients)
    ]
    for browser in browsers:
        browser.start()
    try:
        fault_ended = fault(installation)
        time.sleep(LOAD_SECONDS / 2)
    finally:
        stop.set()
        for browser in browsers:
            browser.join(timeout=PATIENCE_SECONDS + 30)
    _drain_outbox(mail.inbox, load.accepted)
    installation.stop()
    mail.stop()
    counts, references, half_written = stored_forms(database_url)
    lost = sum(1 for marker, reference in load.accepted.items() if references.get(marker) != reference)
    after = [moment for moment in load.successes if fault_ended is not None and moment > fault_ended]
    return Row(
        name,
        label,
        load.sent,
        len(load.accepted),
        sum(counts.values()),
        lost,
        sum(n - 1 for n in counts.values() if n > 1),
        half_written,
        load.server_errors,
        (min(after) - fault_ended) if after else None,
        mail_check(mail.inbox, load.accepted),
    )


def _drain_outbox(inbox: Inbox, accepted: dict[str, str], stalled_seconds: int = 30) -> None:
    """Wait until every confirmed report's acknowledgement has arrived, or the mail worker has delivered nothing
    new for ``stalled_seconds`` (what is missing then is counted as missing). The demo data queues mail of its
    own, so the references are counted, not the messages."""
    seen, last_progress = -1, time.monotonic()
    while time.monotonic() - last_progress < stalled_seconds:
        if len(inbox.messages) != seen:
            seen, last_progress = len(inbox.messages), time.monotonic()
            if not _missing(inbox, accepted):
                break
        time.sleep(0.5)
    time.sleep(2)  # a doubled send would show by now


# The faults. Each runs while the browsers post, and returns the moment it ended (None: it never did).


def kill_a_worker_every_few_seconds(installation: Installation) -> None:
    ends = time.monotonic() + LOAD_SECONDS
    while time.monotonic() < ends:
        time.sleep(random.uniform(2, 4))  # noqa: S311 - timing, not secrets
        with contextlib.suppress(ProcessLookupError, IndexError):
            os.kill(random.choice(installation.workers()), signal.SIGKILL)  # noqa: S311
    return None


def kill_everything_and_restart(installation: Installation) -> float:
    time.sleep(LOAD_SECONDS / 2)
    installation.kill_all()
    time.sleep(2)
    installation.start()
    return time.monotonic()


def smtp_down_then_up(installation: Installation) -> float:
    time.sleep(LOAD_SECONDS / 4)
    installation.mail.stop()
    time.sleep(FAULT_SECONDS)
    installation.mail.start()
    return time.monotonic()


def smtp_cuts_messages_half_way(installation: Installation) -> float:
    """The connection to the mail server drops in the middle of DATA, for the next twenty messages."""
    time.sleep(LOAD_SECONDS / 4)
    installation.mail.cuts_left = 20
    deadline = time.monotonic() + LOAD_SECONDS
    while installation.mail.cuts_left and time.monotonic() < deadline:
        time.sleep(0.2)
    return time.monotonic()


def jobs_during_load(installation: Installation) -> float:
    time.sleep(LOAD_SECONDS / 4)
    jobs = [["signaalpunt", "anonymise"], ["signaalpunt", "digest"]]
    if installation.database_url.startswith("sqlite"):
        jobs.append(["signaalpunt", "backup", str(installation.folder / "backup.db")])
    for job in jobs:
        done = installation.flask(*job)
        assert done.returncode == 0, (job, done.stderr[-500:])
    if installation.database_url.startswith("sqlite"):
        with dataset.connected(f"sqlite:///{installation.folder / 'backup.db'}") as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    return time.monotonic()


def database_away(installation: Installation) -> float:
    """PostgreSQL stopped for ``FAULT_SECONDS`` (immediate shutdown, as a crash); SQLite's write lock held by
    another process as long (a stuck job), so that every write waits and times out."""
    time.sleep(LOAD_SECONDS / 4)
    if installation.database_url.startswith("sqlite"):
        database = sa.make_url(installation.database_url).database
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLD_SQLITE_LOCK, database, str(FAULT_SECONDS)], stdout=subprocess.PIPE
        )
        holder.stdout.readline()  # the lock is taken
        holder.wait()
    else:
        subprocess.run(os.environ["SIGNAALPUNT_TEST_POSTGRES_STOP"], shell=True, check=True)  # noqa: S602
        time.sleep(FAULT_SECONDS)
        subprocess.run(os.environ["SIGNAALPUNT_TEST_POSTGRES_START"], shell=True, check=True)  # noqa: S602
    return time.monotonic()


def disk_full(installation: Installation) -> float:
    """The disk under SQLite's database fills up (a file takes every free byte of its small tmpfs) for
    ``FAULT_SECONDS``; then the space is returned."""
    time.sleep(LOAD_SECONDS / 4)
    filler = Path(sa.make_url(installation.database_url).database).parent / "filler"
    with filler.open("wb", buffering=0) as taking, contextlib.suppress(OSError):
        while True:
            taking.write(b"\0" * 65536)
    time.sleep(FAULT_SECONDS)
    filler.unlink()
    return time.monotonic()


HOLD_SQLITE_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("ROLLBACK")
"""

SCENARIOS: dict[str, Callable[[Installation], float | None]] = {
    "kill -9 one worker every 2–4 s": kill_a_worker_every_few_seconds,
    "kill -9 the whole process group, restart": kill_everything_and_restart,
    "database unavailable 10 s, then back": database_away,
    "anonymise, digest (and backup) during the load": jobs_during_load,
    "SMTP server down 10 s, then up": smtp_down_then_up,
    "SMTP connection cut in the middle of DATA (20 messages)": smtp_cuts_messages_half_way,
    "disk full 10 s, then space returned": disk_full,
}
# Faults only one database meets here: a full disk under SQLite's file (PostgreSQL's data directory is the
# throw-away cluster's).
SQLITE_ONLY = frozenset({"disk full 10 s, then space returned"})
TMPFS_MIB = 512


def fresh_postgres(server_url: str, name: str) -> str:
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)


def databases(folder: Path) -> Iterator[tuple[str, Callable[[int], str]]]:
    """Each scenario gets a database of its own."""
    yield "SQLite", lambda number: f"sqlite:///{folder / f'faults-{number}.db'}"
    server = os.environ.get("TEST_POSTGRES_URL")
    if server:
        yield "PostgreSQL", lambda number: fresh_postgres(server, f"signaalpunt_faults_{number}")


@contextlib.contextmanager
def small_disk() -> Iterator[Path | None]:
    """A tmpfs of ``TMPFS_MIB`` for the SQLite databases, so that one can be filled (None where mounting is not
    allowed: the disk-full scenario is then left out)."""
    folder = Path(tempfile.mkdtemp(prefix="signaalpunt-faults-disk-"))
    mount, umount = shutil.which("mount"), shutil.which("umount")
    options = ["-t", "tmpfs", "-o", f"size={TMPFS_MIB}m", "tmpfs", str(folder)]
    if not mount or subprocess.run([mount, *options], capture_output=True, check=False).returncode:
        print("No tmpfs could be mounted (root needed): the disk-full scenario is left out.", file=sys.stderr)
        yield None
        return
    try:
        yield folder
    finally:
        subprocess.run([umount, str(folder)], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=16, help="browsers posting at once (8–32)")
    parser.add_argument("--only", help="run the scenarios whose name contains this text")
    args = parser.parse_args()
    rows = []
    with small_disk() as disk:
        folder = disk or Path(tempfile.mkdtemp(prefix="signaalpunt-faults-"))
        for label, fresh_database in databases(folder):
            for number, (name, fault) in enumerate(SCENARIOS.items()):
                if args.only and args.only not in name:
                    continue
                if name in SQLITE_ONLY and (label != "SQLite" or disk is None):
                    continue
                print(f"{label}: {name}…", file=sys.stderr, flush=True)
                rows.append(run_scenario(name, label, fresh_database(number), args.clients, fault))
    print(f"\n{args.clients} browsers posting reports through gunicorn on loopback; mail worker to aiosmtpd\n")
    print(
        "| scenario | database | sent | accepted | stored | lost | duplicated | half-written | 5xx | recovery s "
        "| acknowledgements received |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        print(row.markdown())
    failed = any(row.lost or row.duplicated or row.half_written for row in rows)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
