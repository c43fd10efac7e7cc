"""Postcode centroids from a CSV (postcode, latitude, longitude; `;` or `,`), as a municipality gets them from
the national address register: checked row by row, and stored only when every row is right."""

import csv
import io
from dataclasses import dataclass, field

import sqlalchemy as sa

from signaalpunt.extensions import db
from signaalpunt.neighbours.models import PostcodeCentroid
from signaalpunt.signals.postcode import normalise_postcode

HEADERS = ("postcode", "latitude", "longitude")
BATCH = 5000


@dataclass
class CentroidReport:
    file_problem: str | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)
    rows: list[tuple[str, float, float]] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.file_problem is None and not self.problems


def _coordinate(text: str, low: float, high: float) -> float | None:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if low <= value <= high else None


def check_centroids(data: bytes) -> CentroidReport:
    """Every row checked: a real postcode, once, with a latitude and longitude in the Netherlands."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return CentroidReport(file_problem="The file is not UTF-8.")
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
    names = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [header for header in HEADERS if header not in names]
    if missing:
        return CentroidReport(file_problem=f"Missing columns: {', '.join(missing)} (expected {', '.join(HEADERS)}).")
    report, seen = CentroidReport(), {}
    for line, raw in enumerate(reader, start=2):
        values = {key.strip().lower(): (value or "") for key, value in raw.items() if key is not None}
        postcode = normalise_postcode(values["postcode"])
        latitude = _coordinate(values["latitude"], 50.5, 53.8)
        longitude = _coordinate(values["longitude"], 3.2, 7.3)
        if postcode is None:
            report.problems.append((line, f"postcode {values['postcode']!r} is not a Dutch postcode"))
        elif postcode in seen:
            report.problems.append((line, f"postcode {postcode} is also on line {seen[postcode]}"))
        if latitude is None or longitude is None:
            report.problems.append((line, "latitude and longitude must be numbers within the Netherlands"))
        if postcode and postcode not in seen and latitude is not None and longitude is not None:
            seen[postcode] = line
            report.rows.append((postcode.replace(" ", ""), latitude, longitude))
    if not report.rows and not report.problems:
        report.file_problem = "The file has no rows under its headers."
    return report


def import_centroids(rows: list[tuple[str, float, float]]) -> int:
    """Replace the stored centroids with these, in batches; the caller commits once."""
    db.session.execute(sa.delete(PostcodeCentroid))
    for start in range(0, len(rows), BATCH):
        db.session.execute(
            sa.insert(PostcodeCentroid),
            [{"postcode": p, "latitude": lat, "longitude": lon} for p, lat, lon in rows[start : start + BATCH]],
        )
    return len(rows)
