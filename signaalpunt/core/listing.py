"""The first lines of a list a page shows, and how many the whole list holds: a busy team's lists to call back
about may run to dozens of lines, and the board stays quick and readable with the oldest few and a link to all."""

from dataclasses import dataclass
from typing import Generic, TypeVar

import sqlalchemy as sa

from signaalpunt.extensions import db

Line = TypeVar("Line")


@dataclass(frozen=True)
class Shown(Generic[Line]):
    lines: list[Line]
    total: int

    @property
    def more(self) -> int:
        """How many lines are not shown."""
        return self.total - len(self.lines)

    def __bool__(self) -> bool:
        return self.total > 0


def first_lines(query: sa.Select, limit: int | None) -> Shown:
    """The first ``limit`` rows of an ORM query (all when ``None``), and how many it holds in all."""
    lines = list(db.session.scalars(query.limit(limit)))
    if limit is None or len(lines) < limit:
        return Shown(lines, len(lines))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    return Shown(lines, total)
