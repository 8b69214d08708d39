"""Autosave after a pause (clock-driven), and recovery after a crash (no clean exit)."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.widgets import TextArea

from journal.ui.autosave import Debouncer, IdleTimer

from .conftest import TODAY, open_vault

T0 = datetime(2026, 11, 25, 21, 30)


def test_debouncer_waits_for_a_pause_and_backs_off_after_failure():
    d = Debouncer()
    assert not d.due(T0)
    d.changed(T0)
    assert not d.due(T0 + timedelta(seconds=1))
    assert d.due(T0 + timedelta(seconds=2))
    generation = d.generation
    d.changed(T0 + timedelta(seconds=2))  # typed while saving: still dirty after the save
    d.saved(generation)
    assert d.dirty
    d.failed(T0 + timedelta(seconds=5))
    assert not d.due(T0 + timedelta(seconds=6))
    assert d.due(T0 + timedelta(seconds=36))
    d.saved(d.generation)
    assert not d.dirty and not d.due(T0 + timedelta(hours=1))


def test_idle_timer():
    idle = IdleTimer(5, T0)
    assert not idle.expired(T0 + timedelta(minutes=4, seconds=59))
    assert idle.expired(T0 + timedelta(minutes=5))
    idle.touch(T0 + timedelta(minutes=5))
    assert not idle.expired(T0 + timedelta(minutes=9))
    assert not IdleTimer(0, T0).expired(T0 + timedelta(days=3))


async def test_autosave_then_crash_then_reopen(unlocked, make_vault, paths, ui_clock):
    make_vault()
    async with unlocked() as pilot:
        crashed = pilot.app
        await pilot.press(*"typed before the crash")
        await pilot.pause()
        assert crashed.screen.debounce.dirty
        ui_clock.advance(seconds=3)  # a pause in typing
        await pilot.pause(0.7)  # the screen's 0.5 s tick saves
        assert not crashed.screen.debounce.dirty
        # a second app opens the same vault while the first never exited cleanly
        with open_vault(paths.vault) as vault:
            assert vault.get_by_date(TODAY).body == "typed before the crash"
        crashed.vault._conn.close()  # simulate the process dying: no save, no lock
        crashed.vault = None
        crashed.screen.debounce.reset()
    async with unlocked() as pilot:
        reopened = pilot.app
        assert reopened.screen.query_one("#editor", TextArea).text == "typed before the crash"


async def test_no_autosave_before_the_pause(unlocked, make_vault, paths):
    make_vault()
    async with unlocked() as pilot:
        app = pilot.app
        await pilot.press(*"still typing")
        await pilot.pause(0.7)  # the clock has not moved: no pause yet
        assert app.screen.debounce.dirty
        with open_vault(paths.vault) as vault:
            assert vault.get_by_date(TODAY) is None
        app.screen.debounce.reset()  # leave without saving
        app.vault.close()
        app.vault = None
