"""Spreadsheet cells: the quick way past ordinary cells never lets a formula through."""

from hypothesis import given
from hypothesis import strategies as st

from signaalpunt.core.cells import _FORMULA_START, neutralise

# Cells made of what matters: formula signs, delimiters, quotes, white space, and ordinary text.
CELLS = (
    st.text(alphabet=st.sampled_from(list("=+-@\t\r\n \",;'aZ09é\u00a0\u2003")), max_size=12)
    | st.text(max_size=12)
    # A formula behind white space or quotes, the case the quick way must not skip.
    | st.tuples(st.text(alphabet=' "\t\n\u00a0\u2003', max_size=3), st.sampled_from("=+-@"), st.text(max_size=4)).map(
        "".join
    )
)


@given(CELLS)
def test_skipping_the_expression_for_ordinary_cells_changes_no_cell(cell: str) -> None:
    assert neutralise(cell) == _FORMULA_START.sub(r"\1\2'\3", cell)


def test_ordinary_cells_are_left_alone_and_formulas_marked() -> None:
    for cell in ("2026-11-24", "Koerier", "4531", "Centrum", "", "Stichting De Brug"):
        assert neutralise(cell) == cell
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("Bakker;=1+1") == "Bakker;'=1+1"
    assert neutralise(' "@SUM(A1)') == " \"'@SUM(A1)"
