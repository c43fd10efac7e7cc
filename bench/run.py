"""``make bench``: throughput, page latency, page weight and memory, each against a baseline from the same run.

Builds a SQLite database with N generated signals (``flask signaalpunt generate``), serves it with gunicorn
and the project's gunicorn.conf.py on loopback, and next to it the bare endpoints of ``bench/bare_app.py``
served the same way. With ``TEST_POSTGRES_URL`` set (``make bench`` starts a throw-away cluster), the report
load runs on PostgreSQL too. Prints one Markdown table; see bench/README.md for the latest.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset, lighthouse
from bench.bare_app import create_table
from signaalpunt.core.clock import dutch_midnight
from signaalpunt.core.tokens import hashed
from signaalpunt.ops.demo import DEMO_PASSWORD
from tests.live_server import Browser, LiveServer, gunicorn_serving

CLIENTS = 8
LOAD_ROUNDS = 3
WARM_UP = 5
COORDINATOR = "coordinator@terneuzen.demo.signaalpunt.nl"
REGION_VIEWER = "regiocijfers@demo.signaalpunt.nl"
# The whole history the figures allow in one file: every signal the bench generated.
HISTORY_FIRST, HISTORY_LAST = date(2022, 1, 1), date(2026, 12, 31)
WHOLE_HISTORY = f"/cijfers/export.csv?van={HISTORY_FIRST}&tot={HISTORY_LAST}"
ONE_DAY = "/cijfers/export.csv?van=2026-01-05&tot=2026-01-05"
# Entries on one signal's timeline, and views of its page, for the access-request export.
LONG_HISTORY = 100_000
PAGES = {
    "trivial page (/privacy)": "/privacy",
    "board, first page": "/werk/",
    "board, filtered search": "/werk/?q=teststraat&urgent=1&tab=in_progress",
    "figures, last 26 weeks": "/cijfers/",
}
BARE_APP = "bench.bare_app:from_environment()"


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass
class Load:
    """What N clients saw: one latency per request, and how many answers were not the expected one."""

    latencies: list[float] = field(default_factory=list)
    started: float = float("inf")
    ended: float = 0.0
    answered: int = 0
    unexpected: int = 0
    server_cpu_seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return len(self.latencies) / (self.ended - self.started)

    @property
    def cpu_per_request(self) -> float:
        """The server's CPU seconds per request."""
        return self.server_cpu_seconds / len(self.latencies)

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 0.95)

    def summary(self) -> str:
        p50, p95, cpu = (value * 1000 for value in (statistics.median(self.latencies), self.p95, self.cpu_per_request))
        return f"{self.per_second:.0f}/s (p50 {p50:.0f} ms, p95 {p95:.0f} ms; server CPU {cpu:.1f} ms)"


def _report(number: int, index: int) -> dict[str, str]:
    return {
        "reporter_role": "courier",
        "postcode": "4531 AB",
        "house_number": str(number * 1000 + index + 1),
        "description": f"Koerier {number} ziet al weken de post opstapelen en de gordijnen dicht ({index}).",
        "reporter_email": f"koerier{number}@example.nl",
    }


# The key the benchmark's partner app posts with (made in the database by api_key()).
API_KEY = "sp_benchmark-key-for-the-partner-app"


def _api_report(number: int, index: int) -> dict[str, str]:
    report = _report(number, index)
    return {
        "api_key": API_KEY,
        "service_code": "zorg-om-ander",
        "address_string": f"{report['postcode']} {report['house_number']}",
        "attribute[reporter_role]": "courier",
        "description": report["description"],
        "email": report["reporter_email"],
    }


def api_key(database_url: str) -> None:
    """A key for the first partner's app, stored hashed as the app stores it (once per database)."""
    with dataset.connected(database_url, write=True) as connection:
        known = connection.execute(sa.text("SELECT count(*) FROM api_keys WHERE prefix = :p"), {"p": API_KEY[:10]})
        if known.scalar():
            return
        partner = connection.execute(sa.text("SELECT min(id) FROM partners")).scalar()
        user = connection.execute(sa.text("SELECT min(id) FROM users")).scalar()
        connection.execute(
            sa.text(
                "INSERT INTO api_keys (partner_id, label, key_hash, prefix, created_by_id, created_at)"
                " VALUES (:partner, 'benchmark', :hash, :prefix, :user, CURRENT_TIMESTAMP)"
            ),
            {
                "partner": partner,
                "hash": hashed(API_KEY),
                "prefix": API_KEY[:10],
                "user": user,
            },
        )


def _client(base: str, kind: str, number: int, count: int, start: object, results: object) -> None:
    """One client process: prepares its forms, warms the workers up, waits for the others, sends ``count``.

    The warm-up requests (untimed) let every worker compile its templates and SQL first, as a server
    that has been up for a while has; they are stored and checked like the rest.
    """
    browser = Browser(base)
    # Each report filled in before the start line, so reading the form's HTML is not timed (nor its CPU).
    forms = [browser.page("/melden") for _ in range(WARM_UP + count)] if kind == "report" else []
    reports = [{**form.form_values("main form"), **_report(number, i)} for i, form in enumerate(forms)]
    requests: dict[str, Callable[[int], tuple[int, str, str]]] = {
        "report": lambda i: browser.post("/melden", reports[i]),
        "api": lambda i: browser.post("/open311/v2/requests.json", _api_report(number, i)),
        "insert": lambda i: browser.post("/insert", {"body": _report(number, i)["description"]}),
        "hello": lambda i: browser.get("/hello"),
    }
    expected = {
        "report": (303, "/melden/ontvangen"),
        "api": (201, ""),
        "insert": (303, "/hello"),
        "hello": (200, ""),
    }[kind]
    load = Load()
    for index in range(WARM_UP):
        load.answered += 1
        load.unexpected += requests[kind](index)[::2] != expected
    start.wait()
    load.started = time.monotonic()
    for index in range(WARM_UP, WARM_UP + count):
        began = time.monotonic()
        status, _, location = requests[kind](index)
        load.latencies.append(time.monotonic() - began)
        load.answered += 1
        load.unexpected += (status, location) != expected
    load.ended = time.monotonic()
    results.put(load)


def run_clients(server: LiveServer, kind: str, count: int) -> Load:
    """``CLIENTS`` processes (so the clients do not share one interpreter lock), each sending ``count``."""
    context = multiprocessing.get_context("fork")
    # This process waits at the start line too, to read the server's CPU time once the clients are ready.
    start, results = context.Barrier(CLIENTS + 1), context.Queue()
    processes = [
        context.Process(target=_client, args=(server.base, kind, number, count, start, results))
        for number in range(CLIENTS)
    ]
    for process in processes:
        process.start()
    start.wait()
    cpu_before = server.worker_cpu_seconds()
    total = Load()
    for _ in processes:
        load = results.get()
        total.latencies += load.latencies
        total.started, total.ended = min(total.started, load.started), max(total.ended, load.ended)
        total.answered += load.answered
        total.unexpected += load.unexpected
    total.server_cpu_seconds = server.worker_cpu_seconds() - cpu_before
    for process in processes:
        process.join()
    return total


def stored_reports(database_url: str) -> tuple[int, int, int]:
    """(signals, distinct references, outbox rows) as the database holds them now."""
    with dataset.connected(database_url) as connection:
        counts = connection.execute(
            sa.text(
                "SELECT (SELECT count(*) FROM signals), (SELECT count(DISTINCT reference) FROM signals),"
                " (SELECT count(*) FROM outbox_messages)"
            )
        ).one()
    return tuple(counts)


@dataclass
class Row:
    measurement: str
    result: str
    baseline: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None

    def markdown(self) -> str:
        ratio = f"{self.ratio:.2f}×" if self.ratio is not None else ""
        met = {True: "yes", False: "**no**", None: ""}[self.met]
        return f"| {self.measurement} | {self.result} | {self.baseline} | {ratio} | {self.target} | {met} |"


@contextmanager
def both_servers(database_url: str) -> Iterator[tuple[LiveServer, LiveServer]]:
    """The app and the bare endpoints, each under gunicorn with the project's configuration."""
    create_table(database_url)
    settings = dataset.server_environment(database_url)
    with gunicorn_serving(database_url, **settings) as app, gunicorn_serving(database_url, app=BARE_APP) as bare:
        yield app, bare


@dataclass
class LoadRound:
    """One round of (a): the three loads back to back, so that their ratios share the machine's mood."""

    hello: Load
    insert: Load
    report: Load
    api: Load

    @property
    def cpu_to_insert(self) -> float:
        return self.report.cpu_per_request / self.insert.cpu_per_request

    @property
    def to_hello(self) -> float:
        return self.report.per_second / self.hello.per_second


def throughput_rows(label: str, database_url: str, count: int) -> list[Row]:
    """(a): report POSTs against bare inserts and bare hellos, in rounds; then checks nothing was lost or doubled.

    This machine's disk and CPU speed drift from minute to minute, and the bare insert (bound by the
    disk) drifts differently from the report (bound by the CPU); the table shows the median round by its
    server CPU per report against the insert's, and every round's ratios.
    """
    before = stored_reports(database_url)
    api_key(database_url)
    rounds = []
    with both_servers(database_url) as (app, bare):
        for _ in range(LOAD_ROUNDS):
            hello = run_clients(bare, "hello", count * 4)
            insert = run_clients(bare, "insert", count)
            report = run_clients(app, "report", count)
            rounds.append(LoadRound(hello, insert, report, run_clients(app, "api", count)))
        memory = peak_memory_mib(app)
    after = stored_reports(database_url)
    accepted = sum(r.report.answered - r.report.unexpected + r.api.answered - r.api.unexpected for r in rounds)
    added = [now - then for now, then in zip(after, before, strict=True)]
    intact = added == [accepted, accepted, accepted] and not any(r.report.unexpected + r.api.unexpected for r in rounds)
    median = sorted(rounds, key=lambda r: r.cpu_to_insert)[len(rounds) // 2]
    per_round = ", ".join(f"{r.cpu_to_insert:.2f}×" for r in rounds)
    per_round_p95 = ", ".join(f"{r.report.p95 / r.insert.p95:.2f}×" for r in rounds)
    insert_to_hello = ", ".join(f"{r.insert.per_second / r.hello.per_second:.2f}×" for r in rounds)
    name = f"(a) report POST, {CLIENTS} clients, {label}"
    return [
        Row(
            f"{name}: server CPU per report",
            median.report.summary(),
            f"bare insert {median.insert.summary()}; rounds: {per_round}",
            median.cpu_to_insert,
            "≤ 2× the bare insert's",
            median.cpu_to_insert <= 2,
        ),
        Row(
            f"{name}: p95 latency",
            f"{median.report.p95 * 1000:.0f} ms",
            f"bare insert p95 {median.insert.p95 * 1000:.0f} ms; rounds: {per_round_p95}",
            median.report.p95 / median.insert.p95,
        ),
        Row(
            f"{name}: reports per second",
            f"{median.report.per_second:.0f}/s",
            f"bare hello {median.hello.summary()}",
            median.to_hello,
        ),
        Row(
            f"(a) bare insert itself (the database's limit for a durable write), {label}",
            f"{median.insert.per_second:.0f}/s",
            f"bare hello {median.hello.per_second:.0f}/s; rounds: {insert_to_hello}",
            median.insert.per_second / median.hello.per_second,
        ),
        Row(
            f"(a) nothing lost, {label}",
            f"{accepted} accepted, {added[0]} stored, {added[1]} unique references, {added[2]} outbox rows",
            target="all equal, no errors",
            met=intact,
        ),
        Row(
            f"(f) API POST (Open311), {CLIENTS} clients, {label}",
            median.api.summary(),
            f"web form POST {median.report.summary()}; rounds: "
            + ", ".join(f"{r.api.per_second / r.report.per_second:.2f}×" for r in rounds),
            median.api.per_second / median.report.per_second,
        ),
        Row(f"(e) peak memory of one app worker, {label}", f"{memory:.0f} MiB"),
    ]


def peak_memory_mib(server: LiveServer) -> float:
    """The highest resident set size (VmHWM) any worker reached so far."""
    return max(resident_mib(pid, "VmHWM") for pid in server.worker_pids())


def resident_mib(pid: int, field: str) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith(f"{field}:"))) / 1024


# Untimed rounds first, so that each of gunicorn's five workers has most likely served each page once (compiled its
# templates and SQL) before the timing starts: any worker may take any request.
WARM_UP_ROUNDS = 20


def page_rows(database_url: str, rounds: int, scope: str = "", region_viewer: bool = False) -> list[Row]:
    """(b), (c): pages for a logged-in coordinator (or the region's viewer, for the figures of the whole
    region), one request at a time, interleaved round by round; ``scope`` names the dataset in each row when the
    table holds more than one."""
    with gunicorn_serving(database_url, **dataset.server_environment(database_url)) as server:
        browser = Browser(server.base)
        email, home = (REGION_VIEWER, "/cijfers/") if region_viewer else (COORDINATOR, "/werk/")
        status, _, location = browser.submit(browser.page("/inloggen"), {"email": email, "password": DEMO_PASSWORD})
        assert (status, location) == (303, home), (status, location)
        if region_viewer:
            pages = {"trivial page (/privacy)": "/privacy", "figures of the whole region, last 26 weeks": "/cijfers/"}
        else:
            pages = {**PAGES, "API GET requests/{id}": f"/open311/v2/requests/{any_reference(database_url)}.json"}
        samples: dict[str, list[float]] = {name: [] for name in pages}
        for round_number in range(WARM_UP_ROUNDS + rounds):
            for name, url in pages.items():
                began = time.monotonic()
                status, _, _ = browser.get(url)
                assert status == 200, (url, status)
                if round_number >= WARM_UP_ROUNDS:
                    samples[name].append(time.monotonic() - began)
    trivial = samples["trivial page (/privacy)"]
    rows = []
    for name, taken in samples.items():
        p50, p95 = statistics.median(taken), percentile(taken, 0.95)
        ratio = p95 / percentile(trivial, 0.95)
        target = "p95 ≤ 3× trivial" if name.startswith(("board", "figures")) else ""
        rows.append(
            Row(
                f"(b/c) {scope}{name}",
                f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms",
                "trivial page p95",
                ratio,
                target,
                ratio <= 3 if target else None,
            )
        )
    return rows


def export_row(database_url: str, scope: str = "") -> Row:
    """(h): the region viewer's anonymous CSV of the whole history, read as a browser downloads it: the time to
    its first row, to its end, and how much the worker that sent it grew."""
    # One worker, warmed up by a day's export first: its growth is the long export's, not its first request's.
    with gunicorn_serving(database_url, workers=1, **dataset.server_environment(database_url)) as server:
        browser = Browser(server.base)
        status, _, _ = browser.submit(browser.page("/inloggen"), {"email": REGION_VIEWER, "password": DEMO_PASSWORD})
        assert status == 303, status
        assert browser.get(ONE_DAY)[0] == 200
        [worker] = server.worker_pids()
        before = peak = resident_mib(worker, "VmRSS")
        began = time.monotonic()
        with browser.opener.open(server.base + WHOLE_HISTORY, timeout=600) as response:
            header = response.readline()
            first_row = response.readline()
            first = time.monotonic() - began
            rows = 1
            for _line in response:
                rows += 1
                if rows % 2000 == 0:
                    peak = max(peak, resident_mib(worker, "VmRSS"))
        total = time.monotonic() - began
        growth = max(peak, resident_mib(worker, "VmRSS")) - before
    assert header.startswith(b"\xef\xbb\xbf") and first_row, "a file with rows"
    # The period's bounds are Dutch midnights, as the export's.
    bounds = {"start": dutch_midnight(HISTORY_FIRST), "end": dutch_midnight(HISTORY_LAST + timedelta(days=1))}
    with dataset.connected(database_url) as connection:
        expected = connection.execute(
            sa.text("SELECT count(*) FROM signals WHERE created_at >= :start AND created_at < :end"),
            {name: str(moment) for name, moment in bounds.items()},
        ).scalar()
    return Row(
        f"(h) {scope}CSV export of every signal, as the region's viewer",
        f"{rows:,} of {expected:,} rows; first row after {first * 1000:.0f} ms, all after {total:.1f} s; "
        f"worker grew {growth:.1f} MiB",
        target="every row; first row ≤ 1 s; growth < 20 MiB",
        met=rows == expected and first <= 1 and growth < 20,
    )


def access_export_row(database_url: str) -> Row:
    """(h): a coordinator's access-request export of a signal with a long history, read as a browser downloads it:
    the time to its first bytes, to its end, and how much the worker that sent it grew."""
    long, short = dataset.long_history(database_url, COORDINATOR, LONG_HISTORY)
    with gunicorn_serving(database_url, workers=1, **dataset.server_environment(database_url)) as server:
        browser = Browser(server.base)
        status, _, _ = browser.submit(browser.page("/inloggen"), {"email": COORDINATOR, "password": DEMO_PASSWORD})
        assert status == 303, status
        # Warmed up by a short history first: the growth is the long export's, not its first request's.
        assert browser.get(f"/werk/meldingen/{short}/inzage")[0] == 200
        [worker] = server.worker_pids()
        before = peak = resident_mib(worker, "VmRSS")
        began = time.monotonic()
        with browser.opener.open(f"{server.base}/werk/meldingen/{long}/inzage", timeout=600) as response:
            first_bytes = response.read(1)
            first = time.monotonic() - began
            events = 0
            for number, line in enumerate(response):
                events += line.count(b'class="timeline__event"')
                if number % 5000 == 0:
                    peak = max(peak, resident_mib(worker, "VmRSS"))
        total = time.monotonic() - began
        growth = max(peak, resident_mib(worker, "VmRSS")) - before
    assert first_bytes and events >= LONG_HISTORY, events
    return Row(
        f"(h) access-request export of a signal with {LONG_HISTORY:,} timeline entries and {LONG_HISTORY:,} views",
        f"first bytes after {first * 1000:.0f} ms, all after {total:.1f} s; worker grew {growth:.1f} MiB",
        target="first bytes ≤ 1 s; growth < 20 MiB",
        met=first <= 1 and growth < 20,
    )


def any_reference(database_url: str) -> str:
    with dataset.connected(database_url) as connection:
        return connection.execute(sa.text("SELECT reference FROM signals ORDER BY id LIMIT 1")).scalar()


def weight_row(database_url: str) -> Row:
    """(d): the report form's HTML with the stylesheet and script it loads, uncompressed."""
    with gunicorn_serving(database_url, workers=1, **dataset.server_environment(database_url)) as server:
        browser = Browser(server.base)
        page = browser.page("/melden")
        assets = [link["href"] for link in page.soup.select("link[rel=stylesheet]")]
        assets += [script["src"] for script in page.soup.select("script[src]")]
        sizes = [len(browser.get("/melden")[1].encode())] + [len(browser.get(asset)[1].encode()) for asset in assets]
    total = sum(sizes)
    detail = f"{total:,} bytes (HTML {sizes[0]:,} + {len(assets)} files {sum(sizes[1:]):,})"
    return Row("(d) report form page weight", detail, target="< 50 KB", met=total < 50 * 1024)


def lighthouse_rows(database_url: str, runs: int) -> list[Row]:
    """(g): Lighthouse's mobile preset on the public pages in every public language, the median of ``runs``."""
    with gunicorn_serving(database_url, workers=2, **dataset.server_environment(database_url)) as server:
        scores = lighthouse.measure(server.base, runs)
    target = f"all 100; FCP, LCP ≤ {lighthouse.PAINT_LIMIT_MS / 1000:.1f} s"
    return [Row(f"(g) Lighthouse mobile, {s.page}", s.summary(), target=target, met=s.met) for s in scores]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signals", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50, help="requests per client for (a)")
    parser.add_argument("--rounds", type=int, default=40, help="requests per page for (b) and (c)")
    parser.add_argument("--folder", type=Path, help="keep the database here and reuse it next time")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("TEST_POSTGRES_URL"),
        help="also run (a) on a database created on this PostgreSQL server (default: $TEST_POSTGRES_URL)",
    )
    parser.add_argument("--pages-only", action="store_true", help="only (b), (c) and (d), for quick comparisons")
    parser.add_argument(
        "--teams", type=int, default=1, help="spread the signals evenly over this many teams of one region"
    )
    parser.add_argument(
        "--region",
        type=lambda text: tuple(int(part) for part in text.split(",")),
        default=(1_000_000, 10, 10),
        metavar="SIGNALS,TEAMS,YEARS",
        help="also time the pages on a region of TEAMS teams sharing SIGNALS signals over the last YEARS years "
        "(default 1000000,10,10: the issue's ten municipalities with several years of history)",
    )
    parser.add_argument(
        "--export-region",
        type=lambda text: tuple(int(part) for part in text.split(",")),
        default=(1_000_000, 10),
        metavar="SIGNALS,TEAMS",
        help="time the export of a million rows on TEAMS teams sharing SIGNALS signals of one year (an export covers "
        "at most five years, which hold half the ten years' region)",
    )
    parser.add_argument(
        "--no-region", action="store_true", help="skip the region rows (the pages and the million-row export)"
    )
    parser.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page (0: none)")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="signaalpunt-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    database_url = dataset.build(folder, args.signals, args.teams)

    rows = page_rows(database_url, args.rounds)
    if not args.no_region:
        region_signals, region_teams, region_years = args.region
        region_url = dataset.build(folder, region_signals, region_teams, region_years)
        region = f"{region_teams} teams sharing {region_signals:,} signals of {region_years} years, "
        rows += page_rows(region_url, args.rounds, f"{region}one team's ")
        rows += page_rows(region_url, args.rounds, region, True)
        export_signals, export_teams = args.export_region
        export_url = dataset.build(folder, export_signals, export_teams)
        rows.append(export_row(export_url, f"{export_teams} teams sharing {export_signals:,} signals of one year, "))
    if args.postgres_url:
        # The same pages on PostgreSQL, on a team of the same size (its own database, built afresh each run).
        pages_url = dataset.build_postgres(args.postgres_url, args.signals, "signaalpunt_pages")
        rows += page_rows(pages_url, args.rounds, "PostgreSQL, one team's ")
        rows += page_rows(pages_url, args.rounds, "PostgreSQL, ", True)
    rows.append(export_row(database_url))
    rows.append(access_export_row(database_url))
    rows.append(weight_row(database_url))
    if args.lighthouse_runs and lighthouse.available():
        rows += lighthouse_rows(database_url, args.lighthouse_runs)
    if not args.pages_only:
        rows += throughput_rows("SQLite (WAL, synchronous=FULL)", database_url, args.requests)
    if args.postgres_url and not args.pages_only:
        rows += throughput_rows("PostgreSQL", dataset.build_postgres(args.postgres_url), args.requests)

    teams = f" over {args.teams} teams (pages as one team's coordinator)" if args.teams > 1 else ""
    print(
        f"\n{args.signals:,} signals{teams}; {CLIENTS} client processes; gunicorn with gunicorn.conf.py on loopback\n"
    )
    print("| measurement | result | baseline (same run) | ratio | target | met |")
    print("|---|---|---|---:|---|---|")
    for row in rows:
        print(row.markdown())


if __name__ == "__main__":
    main()
