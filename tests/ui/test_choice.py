"""KeyChoice at narrow widths: its options wrap as units (issue 19's layout fix: at 80x24
the write screen's safety check-in showed "n  not" on one row and "safe" on the next)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical

from journal.ui.widgets.choice import KeyChoice
from journal.ui.widgets.safety_checkin import OPTIONS


class _Host(App):
    CSS = "Vertical { width: %d; height: auto; } KeyChoice { height: auto; }"

    def __init__(self, width: int) -> None:
        self.CSS = _Host.CSS % width
        super().__init__()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield KeyChoice(OPTIONS, advance=False, id="choice")


def _rows(choice: KeyChoice) -> list[str]:
    """The rows as drawn."""
    return [choice.render_line(y).text.rstrip() for y in range(choice.size.height)]


@pytest.mark.parametrize("width, rows", [
    (40, ["o  ok  s  struggling  n  not safe"]),
    (30, ["o  ok  s  struggling", "n  not safe"]),  # the write screen's panel at 80x24
    (14, ["o  ok", "s  struggling", "n  not safe"]),
])
async def test_options_are_never_cut_in_two(width, rows):
    app = _Host(width)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        choice = app.query_one(KeyChoice)
        assert _rows(choice) == rows


async def test_a_click_on_a_wrapped_option_picks_it():
    app = _Host(30)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        choice = app.query_one(KeyChoice)
        await pilot.click("#choice", offset=(5, 1))  # "not safe", on the second row
        assert choice.value == "not_safe"
        await pilot.click("#choice", offset=(8, 0))  # "struggling", on the first
        assert choice.value == "struggling"
        await pilot.click("#choice", offset=(15, 1))  # beyond the second row's option
        assert choice.value == "struggling"
