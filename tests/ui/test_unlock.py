"""Creating a vault, unlocking, a wrong passphrase, a damaged vault, the demo hint."""

from __future__ import annotations

from textual.widgets import Button, Checkbox, Input, Static

from journal.core.model.entries import Entry
from journal.core.store.captures import SealedBox
from journal.core.store.passphrase_policy import judge
from journal.core.store.vault import Vault
from journal.ui.screens.unlock import RecoveryCodeScreen, UnlockScreen
from journal.ui.screens.write import WriteScreen

from .conftest import PASSPHRASE, TODAY, settle, unlock


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_first_run_creates_a_vault_and_shows_the_recovery_code_once(app_factory, paths):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        assert "no journal here yet" in _text(app, "#unlock-intro")
        await pilot.press(*"short", "enter")
        assert "Too short" in _text(app, "#strength")
        assert not paths.vault.exists()
        app.screen.query_one("#passphrase", Input).value = ""
        await pilot.press(*"password", "enter")
        await pilot.pause()
        shown = _text(app, "#strength") + _text(app, "#unlock-status")
        assert shown.count("Too easy to guess") == 1, shown  # said once, not twice
        assert not paths.vault.exists()
        app.screen.query_one("#passphrase", Input).value = PASSPHRASE
        await pilot.press("enter")  # moves to the second box
        app.screen.query_one("#again", Input).value = PASSPHRASE + "x"
        await pilot.press("enter")
        assert "differ" in _text(app, "#unlock-status")
        app.screen.query_one("#again", Input).value = PASSPHRASE
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecoveryCodeScreen)
        code = app.screen.code
        assert code in _text(app, "#recovery-code")
        assert app.screen.query_one("#continue", Button).disabled
        app.screen.query_one("#written", Checkbox).value = True
        await pilot.pause()
        await pilot.click("#continue")
        await settle(pilot)
        assert isinstance(app.screen, WriteScreen)
        assert app.vault is not None
        assert app.focused is app.screen.query_one("#editor")
    # the code shown really unlocks the vault
    Vault.open(paths.vault, recovery_code=code, allow_weak=True).close()


async def test_unlock_puts_the_cursor_in_todays_entry(unlocked, make_vault):
    make_vault([Entry(date=TODAY, body="earlier tonight")])
    async with unlocked() as pilot:
        app = pilot.app
        assert isinstance(app.screen, WriteScreen)
        assert app.screen.day == TODAY
        assert app.screen.query_one("#editor").text == "earlier tonight"
        assert app.focused is app.screen.query_one("#editor")


async def test_wrong_passphrase_says_so_and_allows_another_try(unlocked, make_vault):
    make_vault()
    async with unlocked(passphrase="not the passphrase") as pilot:
        app = pilot.app
        assert isinstance(app.screen, UnlockScreen)
        assert app.vault is None
        assert "did not unlock" in _text(app, "#unlock-status")
        assert app.screen.query_one("#passphrase", Input).value == ""
        await unlock(pilot)
        assert isinstance(app.screen, WriteScreen)


async def test_damaged_vault_is_reported_not_crashed(app_factory, paths):
    paths.vault.mkdir(parents=True)
    (paths.vault / "journal.db").write_bytes(b"this is not sqlite at all" * 40)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "cannot be opened" in _text(app, "#unlock-status")
        await unlock(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert app.vault is None


async def test_quick_notes_are_merged_on_unlock(app_factory, make_vault):
    directory = make_vault()
    SealedBox(directory).add(Entry(date=TODAY, body="from the phone"))
    app = app_factory()
    notes = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        await unlock(pilot)
        assert "from the phone" in app.screen.query_one("#editor").text
        assert any("1 quick note arrived" in n for n in notes)


async def test_demo_hint_is_shown(app_factory, make_vault):
    make_vault()
    app = app_factory(passphrase_hint="demo passphrase here")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "demo passphrase here" in _text(app, "#unlock-hint")


def test_passphrase_policy():
    assert not judge("abc").acceptable
    assert not judge("password").acceptable
    assert judge("tulip-9x").acceptable and judge("tulip-9x").advice.startswith("Weak")
    assert judge(PASSPHRASE).acceptable and judge(PASSPHRASE).advice.startswith("Good")
    assert not judge(PASSPHRASE).weak and judge("tulip-9x").weak


def test_journal_without_arguments_opens_the_app(monkeypatch, tmp_path):
    """`journal` -> the `app` command -> make_app with the runtime's paths, KDF and hint."""
    from click.testing import CliRunner

    from journal.cli import app_cmd, cli
    from journal.cli.runtime import Runtime
    from journal.core.store.crypto import KdfParams
    from journal.ui.app import JournalApp

    ran = []
    monkeypatch.setattr(JournalApp, "run", lambda self: ran.append(self))
    monkeypatch.setattr(app_cmd, "has_terminal", lambda: True)  # CliRunner has none
    runtime = Runtime(kdf=KdfParams.fast_for_tests(), allow_weak=True,
                      env={"JOURNAL_VAULT": str(tmp_path / "v"),
                           "JOURNAL_CONFIG_DIR": str(tmp_path / "c")})
    result = CliRunner().invoke(cli, [], obj=runtime)
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["--theme", "nope", "app", "--passphrase-hint", "pw"],
                                obj=runtime)
    assert result.exit_code == 0, result.output
    first, second = ran
    assert first.paths.vault == tmp_path / "v" and first.allow_weak
    assert second.passphrase_hint == "pw" and second._theme_override == "nope"


async def test_quick_notes_that_arrived_are_listed_with_their_first_words(app_factory,
                                                                          make_vault):
    """Issue 13 item 3: anyone who can write the folder can send a quick note, so the app
    names each one that arrived (day and first words), control characters shown harmless."""
    directory = make_vault()
    SealedBox(directory).add(Entry(date=TODAY, body="sent from \x1b]2;x\x07somewhere else"))
    app = app_factory()
    notes = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        await unlock(pilot)
        [note] = [n for n in notes if "quick note arrived" in n]
        assert f"{TODAY.isoformat()}  \u201csent from" in note and "\x1b" not in note
        assert "without the passphrase" in note


async def test_the_write_screen_says_a_day_holds_quick_captures(unlocked, make_vault):
    directory = make_vault()
    SealedBox(directory).add(Entry(date=TODAY, body="sent while locked"))
    async with unlocked(size=(120, 24)) as pilot:
        app = pilot.app
        assert "sent while locked" in app.screen.query_one("#editor").text
        assert "includes 1 quick capture, not written in an unlocked session" in _text(
            app, "#write-title")
