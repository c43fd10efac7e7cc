"""Dutch postcodes and house numbers: normalise what people type, refuse what cannot exist."""

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from signaalpunt.signals.models import Signal

_POSTCODE = re.compile(r"^([1-9][0-9]{3})([A-Z]{2})$")
# PostNL never issues these letter pairs.
_FORBIDDEN_LETTERS = frozenset({"SA", "SD", "SS"})
# A suffix follows a separator ("12-2", "12/1") or starts with a letter ("12a", "12 bis").
_HOUSE_NUMBER = re.compile(r"^([1-9][0-9]{0,4})(?:\s*[-/]\s*([A-Z0-9]{1,6})|\s*([A-Z][A-Z0-9]{0,5}))?$")


def normalise_postcode(raw: str) -> str | None:
    """``" 1234ab "`` → ``"1234 AB"``; ``None`` when it is not a possible Dutch postcode."""
    compact = re.sub(r"\s+", "", raw).upper()
    match = _POSTCODE.match(compact)
    if match is None or match.group(2) in _FORBIDDEN_LETTERS:
        return None
    return f"{match.group(1)} {match.group(2)}"


def pc4(postcode: str) -> str:
    """The four digits of a normalised postcode, the part figures may keep."""
    return postcode[:4]


def parse_house_number(raw: str) -> tuple[int, str | None] | None:
    """``"12"`` → ``(12, None)``, ``"12a"`` / ``"12-2"`` → ``(12, "A")`` / ``(12, "2")``; ``None`` when impossible."""
    match = _HOUSE_NUMBER.match(raw.strip().upper())
    if match is None:
        return None
    return int(match.group(1)), match.group(2) or match.group(3)


def normalise_house_number_suffix(raw: str) -> str | None:
    """Upper-case a suffix such as ``"a"`` or ``"bis"``; ``None`` when it is not 1 to 6 letters or digits."""
    compact = re.sub(r"[\s\-/]+", "", raw).upper()
    return compact if re.fullmatch(r"[A-Z0-9]{1,6}", compact) else None


def postal_address(signal: "Signal") -> str:
    """Street and number, postcode and town, as one line; the parts that are known."""
    street = " ".join(
        part for part in (signal.street, f"{signal.house_number or ''}{signal.house_number_suffix or ''}") if part
    )
    place = " ".join(part for part in (signal.postcode, signal.town) if part)
    return ", ".join(part for part in (street, place) if part)
