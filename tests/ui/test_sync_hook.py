"""The app syncs a linked vault: at unlock, after a save, and at lock (docs/sync.md)."""

from __future__ import annotations

from datetime import date

from journal.core.model.entries import Entry
from journal.core.store.vault import Vault
from journal.core.sync import session

from .conftest import PASSPHRASE, TODAY, other_machine


def _other_machine(tmp_path, folder):
    """The name this had here, for tests written against it on other branches."""
    return other_machine(tmp_path / "other", folder)


async def test_the_app_syncs_at_unlock_and_at_lock(unlocked, linked_vault, tmp_path):
    folder = linked_vault()
    other = other_machine(tmp_path / "other", folder)
    try:
        other.put(Entry(date=date(2026, 11, 20), body="written on the desktop"))
        session.sync(other, PASSPHRASE, allow_weak=True)
        async with unlocked() as pilot:
            app = pilot.app
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.vault.get_by_date(date(2026, 11, 20)).body == "written on the desktop"
            assert app.sync.status.startswith("synced")
            await pilot.press(*"typed in the app")
            await pilot.press("ctrl+l")  # saves, then a last sync before the key goes
            await pilot.pause()
            assert app.vault is None
        report = session.sync(other, PASSPHRASE, allow_weak=True)
        assert report.refused == []
        assert other.get_by_date(TODAY).body == "typed in the app"
    finally:
        other.close()


async def test_an_unlinked_vault_does_not_sync(unlocked, make_vault):
    make_vault()
    async with unlocked() as pilot:
        app = pilot.app
        assert not app.sync.linked and app.sync.status == ""


async def test_the_app_unlocks_with_a_passphrase_changed_on_another_machine(
        unlocked, linked_vault, paths, tmp_path):
    folder = linked_vault()
    other = other_machine(tmp_path / "other", folder)
    new = "a new passphrase chosen on the desktop"
    other.change_passphrase(new)
    session.rewrap(other, new)
    other.close()
    async with unlocked(passphrase=new) as pilot:
        app = pilot.app
        assert app.vault is not None
    with Vault.open(paths.vault, new, allow_weak=True):
        pass  # from now on it is this vault's own passphrase


async def test_new_sync_keys_from_another_machine_are_announced(unlocked, linked_vault,
                                                                tmp_path):
    folder = linked_vault()
    other = other_machine(tmp_path / "other", folder)
    try:
        session.new_epoch(other, PASSPHRASE, allow_weak=True)
        other.put(Entry(date=date(2026, 11, 21), body="under the new keys"))
        session.sync(other, PASSPHRASE, allow_weak=True)
    finally:
        other.close()
    async with unlocked() as pilot:
        app = pilot.app
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "passphrase" in app.sync.status
        assert app.vault.get_by_date(date(2026, 11, 21)) is None  # not readable yet


async def test_the_sync_state_shows_on_the_title_line_where_it_fits(unlocked, linked_vault):
    from textual.widgets import Static

    linked_vault()
    async with unlocked() as pilot:
        app = pilot.app
        await app.workers.wait_for_complete()
        await pilot.pause()
        title = str(app.screen.query_one("#write-title", Static).render())
        assert title.endswith("new entry   synced 21:30")
        app.open_day(date(2026, 11, 20))  # an earlier day: its hint needs the room
        await pilot.pause()
        title = str(app.screen.query_one("#write-title", Static).render())
        assert "F2 goes back to today" in title and "synced" not in title
    async with unlocked(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        pilot.app.open_day(date(2026, 11, 20))
        await pilot.pause()
        title = str(pilot.app.screen.query_one("#write-title", Static).render())
        assert "F2 goes back to today" in title and "synced 21:30" in title


def test_a_report_arriving_as_the_app_closes_finds_no_screen_and_no_error():
    """A sync's report can arrive while the app shuts down, its screens already gone:
    asking which day is in view must not raise Textual's ScreenStackError (seen as a
    rare failure of the folder-watch test under load)."""
    from types import SimpleNamespace

    from textual.app import ScreenStackError

    from journal.ui.sync_hook import SyncHook

    class Closing:
        write_screen = SimpleNamespace(is_mounted=True, day=date(2026, 11, 20),
                                       debounce=SimpleNamespace(dirty=False))
        screen_stack: list = []

        @property
        def screen(self):
            raise ScreenStackError("No screens on stack")

    assert SyncHook(Closing())._day_in_view() is None
