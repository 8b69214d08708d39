"""Browse and reflect inside the real JournalApp: F3/F4, opening a day, locking drops them."""

from __future__ import annotations

from journal.ui.screens.browse import BrowseScreen
from journal.ui.screens.reflect import ReflectScreen
from journal.ui.screens.unlock import UnlockScreen
from journal.ui.screens.write import WriteScreen
from journal.ui.widgets.entry_list import EntryList
from tests.ui.host import settle
from tests.ui.test_browse import D1, D2, D3, D4, D5, sample_entries

from .conftest import unlock


async def test_browse_open_reflect_and_lock_in_the_real_app(unlocked, make_vault):
    make_vault(sample_entries())
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        await pilot.press("f3")
        await settle(pilot, 0.2)
        assert isinstance(app.screen, BrowseScreen)
        shown = [e.date for e in app.screen.query_one(EntryList).entries_shown]
        assert shown == [D1, D2, D3, D4, D5]
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, WriteScreen)
        assert app.screen.day == D3
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, ReflectScreen)
        assert app.screen.report["entries"] == 3  # the last four weeks: D1, D2, D3
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        live = [s for stack in app._screen_stacks.values() for s in stack]
        assert not any(isinstance(s, (BrowseScreen, ReflectScreen)) for s in live)
        await unlock(pilot)
        assert isinstance(app.screen, ReflectScreen)  # back where the user was


async def test_unlock_browse_and_reflect_never_decrypt_every_entry(unlocked, make_vault):
    """Unlock gathers completions from the summaries; browse lists summaries, previews one
    decrypted row and searches words in the full text; the full-entry cache stays cold."""
    make_vault(sample_entries())
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        assert app.vault._cache is None
        assert "grief" in app.vocabulary.tags and "sam" in app.vocabulary.people
        await pilot.press("f3")
        await settle(pilot, 0.3)
        screen = app.screen
        assert all(e.partial for e in screen.entry_list.entries_shown)
        assert "Still thinking about it." in screen.preview.document  # D1's full body
        await pilot.press("down")
        await settle(pilot, 0.3)
        assert "Quiet admin day." in screen.preview.document
        screen.filter_bar.input.value = "ruminating"
        screen.filter_bar._apply(submitted=True)
        await settle(pilot, 0.3)
        assert [e.date for e in screen.entry_list.entries_shown] == [D4]
        await pilot.press("f4")
        await settle(pilot)
        assert app.screen.report["entries"] == 3
        assert app.vault._cache is None
