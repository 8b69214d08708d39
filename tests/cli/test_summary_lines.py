"""The listing lines of a long search or listing (`summary_lines`, issue 19) are exactly
`summary_line`'s, whatever the title holds (controls, newlines, tabs, long text) and
however narrow the terminal."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from journal.cli.common import summary_line, summary_lines

_ROWS = st.lists(st.tuples(st.dates(min_value=date(1, 1, 1)),
                           st.text(alphabet=st.characters(codec="utf-8"), max_size=120)
                           | st.sampled_from(["", "Plain title", "tab\there", "a\nb",
                                              "\x1b]2;owned\x07", "x" * 300]),
                           st.lists(st.integers(0, 12), min_size=2, max_size=2)),
               max_size=30)


@settings(max_examples=200, deadline=None)
@given(_ROWS, st.integers(1, 200))
def test_summary_lines_are_summary_line_for_each_row(rows, width):
    assert list(summary_lines(rows, width)) == [summary_line(d, t, k, width)
                                                for d, t, k in rows]
