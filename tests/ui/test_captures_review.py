"""Keeping a quick capture on the Captures screen (k) lasted only for the session: after
quitting and unlocking again it was back on the list and its day was marked again."""

from __future__ import annotations

from textual.widgets import OptionList, Static

from journal.core.model.entries import Entry
from journal.core.store.captures import SealedBox
from journal.ui.screens.captures import CapturesScreen
from journal.ui.screens.write import WriteScreen

from .conftest import TODAY, open_vault, settle, unlock


def _title(app) -> str:
    return str(app.screen.query_one("#write-title", Static).render())


async def test_a_kept_capture_stays_kept_after_quitting(app_factory, make_vault, paths):
    directory = make_vault([Entry(date=TODAY, body="my own words tonight\n")])
    SealedBox(directory).add(Entry(date=TODAY, body="typed on my phone at lunch"))
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert "includes 1 quick capture" in _title(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, CapturesScreen)
        assert app.screen.query_one(OptionList).option_count == 1
        await pilot.press("k")
        await settle(pilot)
        assert app.screen.query_one(OptionList).option_count == 0
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WriteScreen)
        assert "quick capture" not in _title(app)  # the day shown is no longer marked
        assert "typed on my phone" in app.screen.query_one("#editor").text
    again = app_factory()  # quit and start again
    async with again.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert "quick capture" not in _title(again)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert again.screen.query_one(OptionList).option_count == 0
    with open_vault(paths.vault) as vault:
        assert [a.reviewed for a in vault.arrivals()] == [True]
        assert vault.check().ok
