"""Spreadsheet cells that stay text: what staff and initiatives typed is never run as a formula."""

import re

# A spreadsheet runs a cell that starts with one of these as a formula. A cell may also start after a
# comma or semicolon inside a value, when the spreadsheet splits on the other delimiter than the one chosen.
_FORMULA_START = re.compile(r"""(^|[,;])(["\s]*)([=+\-@\t\r])""")
_NEUTRALISED_START = re.compile(r"""^'(?=[=+\-@\t\r])""")
# What may open a cell's start before a formula sign: the sign itself, a quote, white space.
_MAY_OPEN = frozenset('"=+-@\t\r')


def neutralise(cell: str) -> str:
    """Make a cell inert in Excel and LibreOffice, however they split it: formulas become plain text."""
    # Most cells (dates, categories, names) have no delimiter inside and start with a letter or digit: no
    # formula can start anywhere in them, and a million-row export skips the expression for them.
    if "," not in cell and ";" not in cell and cell[:1] not in _MAY_OPEN and not cell[:1].isspace():
        return cell
    return _FORMULA_START.sub(r"\1\2'\3", cell)


def read_back(cell: str) -> str:
    """A cell as it was before ``neutralise`` marked its start, so an exported sheet reads back in unchanged."""
    return _NEUTRALISED_START.sub("", cell)
