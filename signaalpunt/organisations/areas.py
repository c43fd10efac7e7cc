"""Working areas: reading PC4 ranges as an admin types them, and finding the area of a postcode."""

import re

import sqlalchemy as sa

from signaalpunt.extensions import db
from signaalpunt.organisations.models import Area, AreaRange

_RANGE = re.compile(r"^([1-9][0-9]{3})(?:\s*-\s*([1-9][0-9]{3}))?$")


class AreaRangeError(ValueError):
    """The ranges text cannot be read; the message says which part, in Dutch."""


def parse_ranges(text: str) -> list[tuple[int, int]]:
    """``"4531-4536, 4538"`` → ``[(4531, 4536), (4538, 4538)]``; raises AreaRangeError naming the bad part."""
    ranges = []
    for part in (p.strip() for p in re.split(r"[,;\n]+", text)):
        if not part:
            continue
        match = _RANGE.match(part)
        if match is None:
            raise AreaRangeError(part)
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first:
            raise AreaRangeError(part)
        ranges.append((first, last))
    if not ranges:
        raise AreaRangeError(text)
    return sorted(ranges)


def set_area_ranges(area: Area, ranges: list[tuple[int, int]]) -> None:
    """Replace the area's ranges."""
    area.ranges = [AreaRange(first_pc4=first, last_pc4=last) for first, last in ranges]


def area_id_for_pc4(organisation_id: int, pc4: str | None) -> int | None:
    """The key of the organisation's area that contains this PC4, or ``None`` (outside the working area)."""
    if pc4 is None:
        return None
    number = int(pc4)
    return db.session.scalar(
        sa.select(Area.id)
        .join(AreaRange)
        .where(Area.organisation_id == organisation_id, AreaRange.first_pc4 <= number, AreaRange.last_pc4 >= number)
        .order_by(Area.id)
        .limit(1)
    )


def organisation_areas(organisation_id: int) -> list[Area]:
    """The organisation's areas by name."""
    query = sa.select(Area).where(Area.organisation_id == organisation_id).order_by(Area.name)
    return list(db.session.scalars(query))
