"""A forgotten passphrase replaced in the app with the recovery code (ctrl+r on the unlock
screen): the code, then a new passphrase twice, then the journal opens. Wrong codes count
with wrong passphrases and earn the same wait; nothing changes unless everything succeeded."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from journal.core.errors import WrongPassphrase
from journal.core.store.crypto import KdfParams
from journal.core.store.failed_unlocks import FailedUnlocks
from journal.core.store.vault import Vault
from journal.core.sync import folder_keys, session
from journal.core.sync.layout import Folder
from journal.ui.screens import try_pause
from journal.ui.screens.recovery import RecoveryScreen
from journal.ui.screens.unlock import UnlockScreen
from journal.ui.screens.write import WriteScreen

from .conftest import PASSPHRASE, open_vault, sample_entries, settle

NEW = "quiet river evening lamp"


@pytest.fixture
def code(paths, ui_clock) -> str:
    """A vault on disk with sample entries; its recovery code, as printed at init."""
    vault, printed = Vault.create(paths.vault, PASSPHRASE, kdf=KdfParams.fast_for_tests(),
                                  clock=ui_clock)
    vault.put_many(sample_entries())
    vault.close()
    assert printed
    return printed


@pytest.fixture(autouse=True)
def real_time_follows_the_clock(monkeypatch, ui_clock):
    """The wait also ends after its length in real time; here real time moves only with
    the injected clock (as in test_unlock_waits)."""
    start = ui_clock.now()
    monkeypatch.setattr(try_pause, "monotonic",
                        lambda: 1000.0 + (ui_clock.now() - start).total_seconds())


def _status(app) -> str:
    return str(app.screen.query_one("#unlock-status", Static).render())


def _opens(directory: Path, passphrase: str | None = None, code: str | None = None) -> bool:
    try:
        Vault.open(directory, passphrase, recovery_code=code, allow_weak=True).close()
    except WrongPassphrase:
        return False
    return True


async def _recover(pilot) -> RecoveryScreen:
    await pilot.pause()
    await pilot.press("ctrl+r")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RecoveryScreen)
    return pilot.app.screen


async def _type_code(pilot, code: str) -> None:
    pilot.app.screen.query_one("#code", Input).value = code
    await pilot.press("enter")
    await settle(pilot)


async def _type_new(pilot, first: str, again: str) -> None:
    screen = pilot.app.screen
    screen.query_one("#new", Input).value = first
    await pilot.press("enter")
    screen.query_one("#again", Input).value = again
    await pilot.press("enter")
    await settle(pilot)


async def test_the_recovery_code_sets_a_new_passphrase_and_unlocks(app_factory, paths, code):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await _recover(pilot)
        await _type_code(pilot, code.lower().replace("-", " "))  # as the CLI takes it
        screen = app.screen
        assert isinstance(screen, RecoveryScreen) and screen.vault is not None
        assert screen.query_one("#new", Input).has_focus
        assert not screen.query_one("#code", Input).display
        await _type_new(pilot, NEW, NEW)
        assert isinstance(app.screen, WriteScreen)
        assert app.vault is not None and app.vault.count() == len(sample_entries())
        shown = [n.message for n in app._notifications]
        assert any("Passphrase changed." in n and "rotate-keys" in n for n in shown), shown
    assert _opens(paths.vault, NEW)
    assert not _opens(paths.vault, PASSPHRASE)
    assert _opens(paths.vault, code=code)  # the code still works, as after journal passwd


async def test_a_wrong_code_is_counted_and_earns_the_wait(app_factory, paths, code,
                                                          ui_clock):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _recover(pilot)
        await _type_code(pilot, "AAAA-BBBB")
        assert "That code did not unlock this journal." in _status(app)
        header, ro = Vault.read_header(paths.vault)
        ro.close()
        failures = FailedUnlocks(paths.failed_unlocks_file)
        assert failures.failures(header.vault_id) == 1  # one count with passphrases
        await _type_code(pilot, "not the code")
        await _type_code(pilot, "still not it")
        assert failures.failures(header.vault_id) == 3
        assert screen.held and screen.query_one("#code", Input).disabled
        assert "3 wrong passphrases or codes in a row" in _status(app)
        assert "try again in 2 seconds." in _status(app)
        screen.query_one("#code", Input).value = code
        screen.action_go()  # not taken during the wait
        await settle(pilot)
        assert screen.vault is None
        ui_clock.advance(seconds=2)
        await pilot.pause(0.4)
        assert not screen.held and not screen.query_one("#code", Input).disabled
        await _type_code(pilot, code)
        assert screen.vault is not None
        assert failures.failures(header.vault_id) == 0  # the right code clears the count
        await _type_new(pilot, NEW, NEW)
        assert isinstance(app.screen, WriteScreen)


async def test_the_wait_earned_at_unlock_holds_the_code_too(app_factory, code, ui_clock):
    """Switching to the recovery screen gets no free tries."""
    from .conftest import unlock

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(3):
            await unlock(pilot, "wrong guess")
        assert "press ctrl+r" in _status(app)
        screen = await _recover(pilot)
        assert screen.held and "try again in 2 seconds." in _status(app)


async def test_mismatched_new_passphrases_change_nothing(app_factory, paths, code):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await _recover(pilot)
        await _type_code(pilot, code)
        await _type_new(pilot, NEW, NEW + " typo")
        assert isinstance(app.screen, RecoveryScreen) and app.vault is None
        assert "The two passphrases differ." in _status(app)
        assert app.screen.query_one("#again", Input).has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
    assert _opens(paths.vault, PASSPHRASE) and not _opens(paths.vault, NEW)


@pytest.mark.parametrize("weak", ["short", "password", "aaaaaaaaaaaa"])
async def test_a_weak_new_passphrase_is_refused_as_at_creation(app_factory, paths, code,
                                                                weak):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await _recover(pilot)
        await _type_code(pilot, code)
        await _type_new(pilot, weak, weak)
        screen = app.screen
        assert isinstance(screen, RecoveryScreen) and app.vault is None
        said = str(screen.query_one("#strength", Static).render())
        assert said.startswith(("Too short", "Too easy")), said
        assert screen.query_one("#new", Input).has_focus
    assert _opens(paths.vault, PASSPHRASE) and not _opens(paths.vault, weak)


async def test_the_new_passphrase_gets_the_create_screens_advice(app_factory, code):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await _recover(pilot)
        await _type_code(pilot, code)
        app.screen.query_one("#new", Input).value = "tired nurse"
        await pilot.pause()
        said = str(app.screen.query_one("#strength", Static).render())
        assert said.startswith("Weak: it works"), said


@pytest.mark.parametrize("step", ["code", "passphrase"])
async def test_escape_goes_back_and_changes_nothing(app_factory, paths, code, step):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _recover(pilot)
        if step == "passphrase":
            await _type_code(pilot, code)
            assert screen.vault is not None
            screen.query_one("#new", Input).value = NEW
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen) and app.vault is None
        assert screen.vault is None
        assert app.screen.query_one("#passphrase", Input).has_focus
        from .conftest import unlock

        await unlock(pilot)  # the old passphrase still opens it
        assert isinstance(app.screen, WriteScreen)


async def test_quitting_between_the_steps_closes_the_vault_unchanged(app_factory, paths,
                                                                     code):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _recover(pilot)
        await _type_code(pilot, code)
        opened = screen.vault
        assert opened is not None
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert screen.vault is None and opened.closed
    assert _opens(paths.vault, PASSPHRASE) and not _opens(paths.vault, NEW)


async def test_left_alone_between_the_steps_it_locks_like_the_app(app_factory, paths, code,
                                                                   ui_clock):
    """The code opened the vault: left on the second step past the auto-lock minutes, it
    is closed and the unlock screen is back, nothing changed."""
    from journal.settings import Settings

    app = app_factory(settings=Settings(autolock_minutes=5))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _recover(pilot)
        await _type_code(pilot, code)
        opened = screen.vault
        assert opened is not None
        ui_clock.advance(minutes=4)
        await pilot.pause(1.2)
        assert app.screen is screen and not opened.closed
        ui_clock.advance(minutes=1)
        await pilot.pause(1.2)
        assert isinstance(app.screen, UnlockScreen) and opened.closed
        assert any("idle minutes" in n.message for n in app._notifications)
    assert _opens(paths.vault, PASSPHRASE)


async def test_a_synced_vaults_folder_key_takes_the_new_passphrase(app_factory, paths,
                                                                    code, sync_folder):
    """`journal passwd` wraps this machine's key file in the sync folder under the new
    passphrase (so a new machine joins with it); the app's recovery does the same."""
    with open_vault(paths.vault) as mine:
        session.link(mine, sync_folder, PASSPHRASE, allow_weak=True, name="laptop")
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await _recover(pilot)
        await _type_code(pilot, code)
        await _type_new(pilot, NEW, NEW)
        assert isinstance(app.screen, WriteScreen)
        shown = [n.message for n in app._notifications]
        assert any("sync folder now opens with the new passphrase" in n for n in shown)
    folder = Folder(sync_folder)
    assert folder_keys.open_any(folder, NEW, allow_weak=True)
    with pytest.raises(WrongPassphrase):
        folder_keys.open_any(folder, PASSPHRASE, allow_weak=True)


async def test_a_vault_made_without_a_recovery_code_says_so(app_factory, paths, ui_clock):
    Vault.create(paths.vault, PASSPHRASE, kdf=KdfParams.fast_for_tests(), recovery=False,
                 clock=ui_clock)[0].close()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await _recover(pilot)
        await _type_code(pilot, "ABCD-EFGH")
        assert "created without a recovery code" in _status(app), _status(app)
        assert isinstance(app.screen, RecoveryScreen) and app.vault is None


async def test_the_binding_is_not_offered_before_there_is_a_journal(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.creating
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)


def test_snapshot_recovery_screen(snap_compare, app_factory, code):
    async def run_before(pilot) -> None:
        await _recover(pilot)
        pilot.app.screen.query_one("#code", Input).value = "ABCD-EFGH"
        await pilot.pause()

    assert snap_compare(app_factory(), terminal_size=(80, 24), run_before=run_before)
