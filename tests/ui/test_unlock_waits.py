"""The growing wait after wrong passphrases outlives the app: quitting and starting again
got free tries (the count lived in the screen), and the CLI's tries did not count."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from textual.widgets import Input, Static

from journal.cli import cli
from journal.cli.runtime import Runtime
from journal.core.store.crypto import KdfParams
from journal.ui.screens import try_pause
from journal.ui.screens.unlock import UnlockScreen
from journal.ui.screens.write import WriteScreen

from .conftest import PASSPHRASE, settle, unlock


@pytest.fixture(autouse=True)
def real_time_follows_the_clock(monkeypatch, ui_clock):
    """The wait also ends after its length in real time (a clock set back cannot stretch
    it): here real time moves only with the injected clock, so a slow start of the app on
    a busy machine cannot make "2 seconds" read "1 second"."""
    start = ui_clock.now()
    monkeypatch.setattr(try_pause, "monotonic",
                        lambda: 1000.0 + (ui_clock.now() - start).total_seconds())


def _status(app) -> str:
    return str(app.screen.query_one("#unlock-status", Static).render())


async def test_quitting_and_starting_again_gets_no_free_tries(app_factory, make_vault,
                                                              ui_clock):
    make_vault()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            await unlock(pilot, "wrong guess")
        assert app.screen.held
    again = app_factory()  # quit and start again
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, UnlockScreen)
        assert screen.held and screen.query_one("#passphrase", Input).disabled
        assert "3 wrong passphrases in a row" in _status(again)
        assert "try again in 2 seconds" in _status(again)
        screen.query_one("#passphrase", Input).value = PASSPHRASE
        screen.action_go()  # not taken during the wait
        await settle(pilot)
        assert again.vault is None
        ui_clock.advance(seconds=1)
        await pilot.pause(0.4)
        assert screen.held and "try again in 1 second." in _status(again)
        ui_clock.advance(seconds=1)
        await pilot.pause(0.4)
        assert not screen.held and not screen.query_one("#passphrase", Input).disabled
        await unlock(pilot, "fourth wrong guess")
        assert screen.held and "try again in 4 seconds" in _status(again)
        ui_clock.advance(seconds=4)
        await pilot.pause(0.4)
        await unlock(pilot)
        assert isinstance(again.screen, WriteScreen)
    third = app_factory()  # the right passphrase cleared the count
    async with third.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not third.screen.held and _status(third) == ""


async def test_the_app_and_the_cli_count_together(app_factory, make_vault, paths, ui_clock):
    make_vault()
    slept: list[float] = []
    runtime = Runtime(clock=ui_clock, kdf=KdfParams.fast_for_tests(), allow_weak=True,
                      env={"JOURNAL_VAULT": str(paths.vault),
                           "JOURNAL_CONFIG_DIR": str(paths.config_dir),
                           "JOURNAL_PASSPHRASE": "a scripted guess"},
                      sleep=slept.append)
    for _ in range(3):
        result = CliRunner().invoke(cli, ["list"], obj=runtime)
        assert result.exit_code == 4
    assert slept == []
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.held and "try again in 2 seconds" in _status(app)
        ui_clock.advance(seconds=2)
        await pilot.pause(0.4)
        await unlock(pilot, "and one typed")
        assert "4 wrong passphrases in a row" in _status(app)
    result = CliRunner().invoke(cli, ["list"], obj=runtime)
    assert "waiting 4 s after 5 wrong" not in result.stderr
    assert "waiting 4 s after 4 wrong passphrases" in result.stderr and slept == [4]
