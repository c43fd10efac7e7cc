"""Page timings at scale: board, filtered search and figures with N signals, against a trivial page.

Run with ``make bench`` or ``.venv/bin/python bench/pages.py --signals 100000``. Builds its own SQLite
database in a temporary folder (migrations, demo data, generated signals), then times each page
in-process through the Flask test client as a logged-in coordinator. Timings are only ever reported
as ratios against the trivial page measured in the same run.
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import flask_migrate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from signaalpunt import create_app
from signaalpunt.demo import DEMO_PASSWORD, load_demo_casework, load_demo_partners
from signaalpunt.extensions import db
from signaalpunt.generate import generate_signals

PAGES = {
    "trivial page (/privacy)": "/privacy",
    "board, first page": "/werk/",
    "board, filtered search": "/werk/?q=teststraat&urgent=1&tab=in_progress",
    "figures, last 26 weeks": "/cijfers/",
}


def timed(client, url: str, rounds: int) -> list[float]:
    client.get(url)  # warm caches and the connection
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return samples


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signals", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="signaalpunt-bench-"))
    app = create_app(
        {
            "SECRET_KEY": "bench-" + "x" * 40,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "TWO_FACTOR_REQUIRED": False,
            "MAIL_BACKEND": "console",
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
        load_demo_partners()
        db.session.commit()
        load_demo_casework()
        started = time.perf_counter()
        generate_signals(args.signals, organisation_id=1)
        print(f"Generated {args.signals} signals in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    client = app.test_client()
    client.post("/inloggen", data={"email": "coordinator@demo.signaalpunt.nl", "password": DEMO_PASSWORD})
    assert "Werkvoorraad" in client.get("/werk/").get_data(as_text=True)

    results = {name: timed(client, url, args.rounds) for name, url in PAGES.items()}
    baseline = statistics.median(results["trivial page (/privacy)"])
    baseline_p95 = percentile(results["trivial page (/privacy)"], 0.95)
    print(f"\n{args.signals} signals, {args.rounds} requests per page, SQLite, in-process\n")
    print("| page | p50 ms | p95 ms | p50 x trivial | p95 x trivial p95 |")
    print("|---|---:|---:|---:|---:|")
    for name, samples in results.items():
        p50, p95 = statistics.median(samples), percentile(samples, 0.95)
        print(f"| {name} | {p50 * 1000:.1f} | {p95 * 1000:.1f} | {p50 / baseline:.1f} | {p95 / baseline_p95:.1f} |")
    body = client.get("/cijfers/").get_data(as_text=True)
    total = re.search(r'id="figure-total">(\d+)', body).group(1)
    print(f"\nFigures page total shown: {total}")


if __name__ == "__main__":
    main()
