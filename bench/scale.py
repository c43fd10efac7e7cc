"""``make bench-scale``: the cost curve. The same pages, the CSV export and the anonymise job at 10,000, 100,000 and
1,000,000 signals, and the growth from each size to the next.

What grows is the history, as in the issue's region: a team gets 10,000 reports a year (a large city's), its history
grows from one year to ten, then nine more teams like it join the region (``history_shape``). The pages are the
first team's, as its coordinator sees them. ``--one-year`` puts every size in one team's single year instead: then
the team's open and lately finished work grows tenfold too (60,000 open signals at 1,000,000), which the board shows
and counts.

A page a person waits for must stay flat (growth ≤ 1.3× per tenfold); an export or a job may grow at most
linearly (≤ 10×). Prints a Markdown table and writes ``bench/scale.svg`` (a log-log chart drawn here).
"""

import argparse
import itertools
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import dataset
from bench.run import COORDINATOR, WARM_UP_ROUNDS, percentile
from signaalpunt.ops.demo import DEMO_PASSWORD
from tests.live_server import Browser, gunicorn_serving

SIZES = (10_000, 100_000, 1_000_000)
YEARLY_REPORTS = 10_000
MOST_YEARS = 10
PAGES = {
    "trivial page (/privacy)": "/privacy",
    "board, first page": "/werk/",
    "board, filtered": "/werk/?urgent=1&tab=in_progress",
    "board, full-text search": "/werk/?q=brievenbus",
    "signal page": "/werk/meldingen/{reference}",
    "figures, last 26 weeks": "/cijfers/",
}
EXPORT = "/cijfers/export.csv?van=2022-01-01&tot=2026-12-31"
A_DAYS_EXPORT = "/cijfers/export.csv?van=2026-01-05&tot=2026-01-05"
EXPORT_DOWNLOADS = 3
FLAT, LINEAR = 1.3, 10.0
CHART = Path(__file__).resolve().parent / "scale.svg"


@dataclass
class Curve:
    name: str
    kind: str  # "page" (flat), "bulk" (at most linear) or "baseline" (the trivial page, for the machine's mood)
    values: list[float]

    def growths(self) -> list[float]:
        return [after / before for before, after in itertools.pairwise(self.values)]

    @property
    def limit(self) -> float:
        return {"page": FLAT, "bulk": LINEAR}.get(self.kind, math.inf)

    @property
    def met(self) -> bool:
        return all(growth <= self.limit for growth in self.growths())


def open_signal_of_coordinator(database_url: str) -> str:
    """The first open signal of the coordinator's team: its page shows the actions and whom to assign it to, as the
    coordinator opens it from the board (the first signal of all is anonymised in a long history)."""
    query = sa.text(
        "SELECT signals.reference FROM signals JOIN users ON users.organisation_id = signals.organisation_id "
        "WHERE users.email = :email AND signals.status IN ('new', 'assigned', 'in_progress') "
        "ORDER BY signals.id LIMIT 1"
    )
    with dataset.connected(database_url) as connection:
        return connection.execute(query, {"email": COORDINATOR}).scalar_one()


def page_times(database_url: str, rounds: int) -> dict[str, float]:
    """p95 seconds per page, one request at a time, interleaved round by round after the rounds that warm up every
    worker (as ``make bench`` does: with one round, a worker's first, cold request of a page landed in the p95)."""
    with gunicorn_serving(database_url, **dataset.server_environment(database_url)) as server:
        browser = Browser(server.base)
        status, _, _ = browser.submit(browser.page("/inloggen"), {"email": COORDINATOR, "password": DEMO_PASSWORD})
        assert status == 303, status
        reference = open_signal_of_coordinator(database_url)
        samples: dict[str, list[float]] = {name: [] for name in PAGES}
        for round_number in range(WARM_UP_ROUNDS + rounds):
            for name, url in PAGES.items():
                began = time.monotonic()
                status, _, _ = browser.get(url.format(reference=reference))
                assert status == 200, (url, status)
                if round_number >= WARM_UP_ROUNDS:
                    samples[name].append(time.monotonic() - began)
        first, total = export_times(server.base, browser)
    times = {name: percentile(taken, 0.95) for name, taken in samples.items()}
    times["CSV export, first row"] = first
    times["CSV export, all rows"] = total
    return times


def export_times(base: str, browser: Browser) -> tuple[float, float]:
    """The median of three downloads of the five years' export: to its first row and to its end. Every worker
    has sent a day's export before (a worker's first export compiles its query: ~30 ms on one sample)."""
    for _warm_up in range(WARM_UP_ROUNDS):
        browser.get(A_DAYS_EXPORT)
    firsts, totals = [], []
    for _download in range(EXPORT_DOWNLOADS):
        began = time.monotonic()
        with browser.opener.open(base + EXPORT, timeout=600) as response:
            response.readline()
            response.readline()
            firsts.append(time.monotonic() - began)
            for _line in response:
                pass
        totals.append(time.monotonic() - began)
    return statistics.median(firsts), statistics.median(totals)


def history_shape(size: int, one_year: bool) -> tuple[int, int]:
    """(teams, years) that hold ``size`` signals at ``YEARLY_REPORTS`` a team: a longer history up to
    ``MOST_YEARS``, then more teams; or one team's single year."""
    if one_year:
        return 1, 1
    years = min(max(size // YEARLY_REPORTS, 1), MOST_YEARS)
    return max(size // (YEARLY_REPORTS * years), 1), years


def anonymise_seconds(database_url: str, folder: Path) -> float:
    """The daily retention job on a copy whose teams keep signals three months instead of twelve: what ended
    between three and twelve months ago is due (what ended before was anonymised when the history was built)."""
    source = Path(sa.make_url(database_url).database)
    copy = folder / f"anonymise-{source.name}"
    shutil.copyfile(source, copy)
    url = f"sqlite:///{copy}"
    with dataset.connected(url, write=True) as connection:
        connection.execute(sa.text("UPDATE organisations SET retention_months = 3"))
    flask = [str(Path(sys.executable).with_name("flask")), "signaalpunt", "anonymise"]
    began = time.monotonic()
    subprocess.run(flask, cwd=dataset.ROOT, env=dataset.server_environment(url), check=True, capture_output=True)
    taken = time.monotonic() - began
    copy.unlink()
    return taken


def curves(folder: Path, rounds: int, sizes: tuple[int, ...], one_year: bool) -> list[Curve]:
    measured: dict[str, list[float]] = {}
    for size in sizes:
        teams, years = history_shape(size, one_year)
        url = dataset.build(folder, size, teams, years)
        for name, seconds in page_times(url, rounds).items():
            measured.setdefault(name, []).append(seconds)
        measured.setdefault("anonymise job", []).append(anonymise_seconds(url, folder))
        print(f"Measured {size:,} signals ({teams} teams, {years} years)", file=sys.stderr)
    kinds = {"CSV export, all rows": "bulk", "anonymise job": "bulk", "trivial page (/privacy)": "baseline"}
    return [Curve(name, kinds.get(name, "page"), values) for name, values in measured.items()]


def table(results: list[Curve], sizes: tuple[int, ...]) -> str:
    columns = " | ".join(f"{size:,}" for size in sizes)
    steps = " | ".join(f"{a:,} → {b:,}" for a, b in itertools.pairwise(sizes))
    lines = [
        f"| measurement | {columns} | {steps} | target | met |",
        "|---" + "|---:" * (2 * len(sizes) - 1) + "|---|---|",
    ]
    for curve in results:
        values = " | ".join(_seconds(value) for value in curve.values)
        growths = " | ".join(f"{growth:.2f}×" for growth in curve.growths())
        if curve.kind == "baseline":
            lines.append(f"| {curve.name} | {values} | {growths} | baseline | |")
            continue
        target = f"≤ {curve.limit:g}× per tenfold"
        lines.append(f"| {curve.name} | {values} | {growths} | {target} | {'yes' if curve.met else '**no**'} |")
    return "\n".join(lines)


def _seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.1f} s"


def chart(results: list[Curve], sizes: tuple[int, ...]) -> str:
    """Log-log lines, one per measurement: flat is good for a page, a slope of one is linear."""
    width, height, left, bottom, top, right = 640, 360, 60, 40, 20, 220
    lowest = min(min(curve.values) for curve in results)
    highest = max(max(curve.values) for curve in results)
    low, high = math.floor(math.log10(lowest)), math.ceil(math.log10(highest))

    def x(index: int) -> float:
        return left + index * (width - left - right) / (len(sizes) - 1)

    def y(value: float) -> float:
        share = (math.log10(value) - low) / (high - low)
        return height - bottom - share * (height - bottom - top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
        'font-size="11" role="img" aria-label="Kosten per grootte (log-log)">',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
    ]
    for power in range(low, high + 1):
        label = _seconds(10.0**power)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(10.0**power):.1f}" y2="{y(10.0**power):.1f}" '
            'stroke="#ddd"/>'
        )
        parts.append(f'<text x="{left - 6}" y="{y(10.0**power) + 4:.1f}" text-anchor="end">{label}</text>')
    for index, size in enumerate(sizes):
        parts.append(f'<text x="{x(index):.1f}" y="{height - bottom + 16}" text-anchor="middle">{size:,}</text>')
    colours = ["#1d4f91", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#2c3e50", "#f39c12"]
    for number, curve in enumerate(results):
        colour = colours[number % len(colours)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(curve.values))
        dash = "" if curve.kind == "page" else ' stroke-dasharray="5,3"'
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        parts.append(f'<text x="{width - right + 8}" y="{top + 14 * number + 4}" fill="{colour}">{curve.name}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=100, help="requests per page and size")
    parser.add_argument("--folder", type=Path, help="keep the databases here and reuse them next time")
    parser.add_argument(
        "--sizes",
        type=lambda text: tuple(int(part) for part in text.split(",")),
        default=SIZES,
        help="signals per step, comma-separated (default 10000,100000,1000000)",
    )
    parser.add_argument(
        "--one-year", action="store_true", help="every size in one team's single year (its open work grows too)"
    )
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="signaalpunt-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    results = curves(folder, args.rounds, args.sizes, args.one_year)
    CHART.write_text(chart(results, args.sizes))
    shapes = ", ".join(
        "{:,} ({} teams, {} years)".format(size, *history_shape(size, args.one_year)) for size in args.sizes
    )
    print(f"\nThe first team's pages at {shapes}; gunicorn on loopback; chart: {CHART.name}\n")
    print(table(results, args.sizes))


if __name__ == "__main__":
    main()
