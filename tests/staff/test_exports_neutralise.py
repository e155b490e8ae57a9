"""Every cell of a row is neutralised by the one rule, however the row's cells are mixed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.services.exports.columns import FORMULA_STARTS, neutralise_all

CONTROLS = {code: None for code in range(32) if code not in (9, 10, 13)}
CELLS = st.text(alphabet=st.sampled_from([*FORMULA_STARTS, "\n", "\x01", "\x1f", "a", "é", "7", " ", "'", "\u2028"]))


def one_cell(text: str) -> str:
    """The rule, cell by cell: controls Excel cannot hold go, then a formula start gets an apostrophe."""
    text = text.translate(CONTROLS)
    return ("'" + text) if text.startswith(FORMULA_STARTS) else text


@settings(max_examples=500, deadline=None)
@given(st.lists(CELLS | st.sampled_from(["+447700900123", "Norwich", ""]), max_size=12))
def test_a_row_is_neutralised_exactly_as_each_cell_on_its_own(row):
    assert neutralise_all(row) == [one_cell(cell) for cell in row]


def test_a_control_character_in_front_of_a_formula_cannot_hide_it():
    """Dropped after the formula check, `\\x01` hid `=` from it, and the export held a live HYPERLINK."""
    assert neutralise_all(['\x01=HYPERLINK("http://x")', "\x1f\x00+1", "\x02\t=1"]) == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'\t=1",
    ]
