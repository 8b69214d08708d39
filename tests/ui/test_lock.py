"""Locking: ctrl+l at once, auto-lock by the injected clock, and coming back to the same place."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, TextArea

from journal import settings as settings_mod
from journal.core.model.entries import Entry
from journal.settings import Settings
from journal.ui.screens.settings import SettingsScreen
from journal.ui.screens.unlock import UnlockScreen
from journal.ui.screens.write import WriteScreen

from .conftest import TODAY, open_vault, unlock


def _screens_with_text(app) -> list:
    """Every live screen that holds a TextArea (i.e. could hold decrypted text)."""
    found = []
    for stack in app._screen_stacks.values():
        for screen in stack:
            if screen.query(TextArea):
                found.append(screen)
    return found


async def test_ctrl_l_saves_then_drops_the_key_and_the_text(unlocked, make_vault, paths):
    make_vault()
    async with unlocked() as pilot:
        app = pilot.app
        vault = app.vault
        await pilot.press(*"before the lock")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.vault is None
        assert vault._conn is None and vault.keyring.dek == b""  # key and cache dropped
        assert isinstance(app.screen, UnlockScreen)
        assert _screens_with_text(app) == []
        await pilot.press("f2", "ctrl+n")  # nothing opens while locked
        assert isinstance(app.screen, UnlockScreen)
        await unlock(pilot)
        assert isinstance(app.screen, WriteScreen)
        assert app.screen.query_one("#editor", TextArea).text == "before the lock"
    with open_vault(paths.vault) as vault:
        assert vault.get_by_date(TODAY).body == "before the lock"


async def test_unlock_returns_to_the_same_day(unlocked, make_vault):
    old = date(2026, 10, 3)
    make_vault([Entry(date=old, body="October")])
    async with unlocked() as pilot:
        app = pilot.app
        app.open_day(old)
        await pilot.pause()
        await pilot.press("ctrl+l")
        await pilot.pause()
        await unlock(pilot)
        assert app.screen.day == old
        assert app.screen.query_one("#editor", TextArea).text == "October"


async def test_auto_lock_after_idle_minutes(unlocked, make_vault, ui_clock):
    make_vault()
    async with unlocked(settings=Settings(autolock_minutes=5)) as pilot:
        app = pilot.app
        await pilot.press(*"idle text")
        ui_clock.advance(minutes=4)
        await app.check_autolock()
        assert app.vault is not None
        await pilot.press("space")  # activity resets the idle time
        ui_clock.advance(minutes=4)
        await app.check_autolock()
        assert app.vault is not None
        ui_clock.advance(minutes=2)
        for _ in range(40):  # the app's own 1 s timer notices (a busy machine can delay it)
            await pilot.pause(0.25)
            if app.vault is None:
                break
        assert app.vault is None
        assert isinstance(app.screen, UnlockScreen)


async def test_auto_lock_zero_means_never(unlocked, make_vault, ui_clock):
    make_vault()
    async with unlocked(settings=Settings(autolock_minutes=0)) as pilot:
        app = pilot.app
        ui_clock.advance(hours=10)
        await app.check_autolock()
        assert app.vault is not None


async def test_auto_lock_never_drops_unsaved_text(unlocked, make_vault, ui_clock):
    from journal.core.errors import StorageError

    make_vault()
    async with unlocked(settings=Settings(autolock_minutes=5)) as pilot:
        app = pilot.app
        await pilot.press(*"unsaved")

        def full(entry):
            raise StorageError("the disk is full: nothing was written")

        app.vault.put = full
        ui_clock.advance(minutes=6)
        await app.check_autolock()
        assert app.vault is not None  # not locked: the text would have been lost
        assert app.screen.query_one("#editor", TextArea).text == "unsaved"
        await app.check_autolock()  # and it does not retry at once
        assert app.vault is not None
        del app.vault.put  # space again
        ui_clock.advance(minutes=1)
        await app.check_autolock()
        assert app.vault is None


async def test_locking_with_the_moment_form_open_keeps_a_complete_moment(
        unlocked, make_vault, paths):
    make_vault()
    async with unlocked() as pilot:
        app = pilot.app
        await pilot.press("ctrl+n", "k", "6", "h", *"bedtime")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.vault is None
    with open_vault(paths.vault) as vault:
        [moment] = vault.get_by_date(TODAY).moments
    assert (moment.kind, moment.intensity, moment.context, moment.tags) == (
        "concern", 6, "home", ["bedtime"])


def _notices(app) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.mark.slow
async def test_auto_lock_off_from_the_settings_file_gets_a_notice_at_unlock(
        unlocked, make_vault, paths):
    """Issue 13, item 13: settings.toml is unauthenticated, so auto-lock 0 that this run
    did not set is pointed out at unlock; one the user sets in Settings is not."""
    make_vault()
    async with unlocked(size=(100, 30), settings=Settings(autolock_minutes=0)) as pilot:
        app = pilot.app
        assert any("Auto-lock is off" in n for n in _notices(app)), _notices(app)
        app.theme = "journal-paper"  # saves settings.toml too, but chooses no auto-lock
        await pilot.pause()
        assert settings_mod.load(paths.settings_file).theme == "journal-paper"
        app.clear_notifications()
        await pilot.press("ctrl+l")
        await pilot.pause()
        await unlock(pilot)
        assert any("Auto-lock is off" in n for n in _notices(app)), _notices(app)
    async with unlocked(size=(100, 30), settings=Settings(autolock_minutes=5)) as pilot:
        on = pilot.app
        assert not any("Auto-lock is off" in n for n in _notices(on))
        on.clear_notifications()
        await pilot.press("ctrl+l")  # lock, turn auto-lock off in Settings, unlock again
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(on.screen, SettingsScreen)
        on.screen.query_one("#autolock", Input).value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert settings_mod.load(paths.settings_file).autolock_minutes == 0
        await unlock(pilot)
        assert on.vault is not None
        assert not any("Auto-lock is off" in n for n in _notices(on)), _notices(on)
