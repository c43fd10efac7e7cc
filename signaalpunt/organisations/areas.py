"""Working areas: reading PC4 ranges as an admin types them, keeping each PC4 in one area of the whole region."""

import re

import sqlalchemy as sa

from signaalpunt.extensions import db
from signaalpunt.organisations.models import Area, AreaPostcode

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


def _within(ranges: list[tuple[int, int]]) -> sa.ColumnElement[bool]:
    return sa.or_(*(AreaPostcode.pc4.between(first, last) for first, last in ranges))


def area_holding(ranges: list[tuple[int, int]], other_than: Area | None) -> Area | None:
    """An area (of any team) that already has one of these PC4s, other than ``other_than``."""
    query = sa.select(Area).join(AreaPostcode).where(_within(ranges)).order_by(AreaPostcode.pc4).limit(1)
    if other_than is not None and other_than.id is not None:
        query = query.where(Area.id != other_than.id)
    return db.session.scalar(query)


def set_area_ranges(area: Area, ranges: list[tuple[int, int]]) -> None:
    """Give the area exactly these PC4s; the ones it keeps stay the same rows."""
    wanted = {number for first, last in ranges for number in range(first, last + 1)}
    kept = [postcode for postcode in area.postcodes if postcode.pc4 in wanted]
    have = {postcode.pc4 for postcode in kept}
    area.postcodes = kept + [AreaPostcode(pc4=number) for number in sorted(wanted - have)]


def area_of_pc4(pc4: str | None) -> tuple[int, int] | None:
    """``(organisation id, area id)`` of the area that has this PC4, or ``None`` when no area of the region has it."""
    if pc4 is None:
        return None
    found = db.session.execute(
        sa.select(Area.organisation_id, Area.id).join(AreaPostcode).where(AreaPostcode.pc4 == int(pc4))
    ).first()
    return (found[0], found[1]) if found else None


def organisation_areas(organisation_id: int) -> list[Area]:
    """The organisation's areas by name."""
    query = sa.select(Area).where(Area.organisation_id == organisation_id).order_by(Area.name)
    return list(db.session.scalars(query))
