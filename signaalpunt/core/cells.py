"""Spreadsheet cells that stay text: what staff and initiatives typed is never run as a formula."""

import re

# A spreadsheet runs a cell that starts with one of these as a formula. A cell may also start after a
# comma or semicolon inside a value, when the spreadsheet splits on the other delimiter than the one chosen.
_FORMULA_START = re.compile(r"""(^|[,;])(["\s]*)([=+\-@\t\r])""")
_NEUTRALISED_START = re.compile(r"""^'(?=[=+\-@\t\r])""")


def neutralise(cell: str) -> str:
    """Make a cell inert in Excel and LibreOffice, however they split it: formulas become plain text."""
    return _FORMULA_START.sub(r"\1\2'\3", cell)


def read_back(cell: str) -> str:
    """A cell as it was before ``neutralise`` marked its start, so an exported sheet reads back in unchanged."""
    return _NEUTRALISED_START.sub("", cell)
