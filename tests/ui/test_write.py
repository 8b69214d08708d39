"""Writing and saving: ctrl+s, the check-in, quit saves, storage errors, conflicts,
opening another day, settings."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Switch, TextArea

from journal import settings as settings_mod
from journal.core.errors import StorageError
from journal.core.model.entries import Entry
from journal.ui.screens.confirm import ConfirmScreen
from journal.ui.screens.settings import SettingsScreen

from .conftest import TODAY, open_vault, settle, unlock


async def test_type_and_save_with_ctrl_s(unlocked, make_vault, paths):
    make_vault()
    async with unlocked() as pilot:
        app = pilot.app
        await pilot.press(*"Hard day. #handover")
        checkin = app.screen.query_one("#checkin")
        checkin.query_one("#sleep", Input).value = "6"
        checkin.query_one("#energy", Input).value = "3"
        checkin.query_one("#recovery", Input).value = "walk, Music"
        checkin.query_one("#good", TextArea).load_text("tea with Sam\n\nthe sunset")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.status == "saved"
    with open_vault(paths.vault) as vault:
        entry = vault.get_by_date(TODAY)
    assert entry.body == "Hard day. #handover"
    assert (entry.sleep, entry.energy) == (6, 3)
    assert entry.recovery == ["walk", "music"]
    assert entry.good_things == ["tea with Sam", "the sunset"]
    assert list((paths.vault).iterdir())  # and nothing but the vault's files
    for path in paths.vault.iterdir():
        assert b"Hard day" not in path.read_bytes()


async def test_quit_saves_first(unlocked, make_vault, paths):
    make_vault()
    async with unlocked() as pilot:
        app = pilot.app
        await pilot.press(*"last words")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.vault is None
    with open_vault(paths.vault) as vault:
        assert vault.get_by_date(TODAY).body == "last words"


async def test_storage_error_keeps_the_text_and_says_so(app_factory, make_vault, paths):
    make_vault()
    app = app_factory()
    notes = []
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        app.screen.notify = lambda message, **kw: notes.append(message)  # type: ignore
        real_put = app.vault.put

        def full(entry):
            raise StorageError("the disk is full: nothing was written, the last save is intact")

        app.vault.put = full
        await pilot.press(*"precious")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#editor", TextArea).text == "precious"
        assert "NOT SAVED" in app.screen.status
        assert any("disk is full" in n for n in notes)
        app.vault.put = real_put  # the disk has room again
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.status == "saved"
    with open_vault(paths.vault) as vault:
        assert vault.get_by_date(TODAY).body == "precious"


async def test_conflict_keeps_my_text_and_merges_on_request(unlocked, make_vault, paths):
    make_vault()
    async with unlocked() as pilot:
        app = pilot.app
        await pilot.press(*"mine")
        with open_vault(paths.vault) as other:  # another window saves the same day
            other.put(Entry(date=TODAY, body="theirs"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        text = app.screen.query_one("#editor", TextArea).text
        assert "theirs" in text and "mine" in text
    with open_vault(paths.vault) as vault:
        body = vault.get_by_date(TODAY).body
    assert "theirs" in body and "mine" in body


async def test_open_day_shows_an_older_entry_and_saves_the_current_one(
        unlocked, make_vault, paths):
    old = date(2026, 11, 1)
    make_vault([Entry(date=old, body="November first")])
    async with unlocked() as pilot:
        app = pilot.app
        await pilot.press(*"tonight")
        app.open_day(old)
        await settle(pilot)
        assert app.screen.day == old
        assert app.screen.query_one("#editor", TextArea).text == "November first"
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen.day == TODAY
        assert app.screen.query_one("#editor", TextArea).text == "tonight"
    with open_vault(paths.vault) as vault:
        assert vault.get_by_date(TODAY).body == "tonight"


async def test_settings_are_saved_to_the_settings_file(unlocked, make_vault, paths):
    make_vault()
    async with unlocked(key="f5") as pilot:
        app = pilot.app
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#autolock", Input).value = "12"
        app.screen.query_one("#guided", Switch).value = True
        app.screen.query_one("#work_end", Input).value = "17:30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, SettingsScreen)
        assert app.idle.minutes == 12
    saved = settings_mod.load(paths.settings_file)
    assert (saved.autolock_minutes, saved.guided_prompts, saved.work_end) == (12, True, "17:30")
    assert "tonight" not in paths.settings_file.read_text()


async def test_bad_setting_is_explained(app_factory, make_vault, paths):
    make_vault()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        app.screen.query_one("#work_end", Input).value = "25:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        assert "work ends at" in str(app.screen.query_one("#settings-error").render())
    assert not paths.settings_file.exists()


async def test_guided_prompts_toggle_and_step(unlocked, make_vault):
    make_vault()
    async with unlocked() as pilot:
        app = pilot.app
        panel = app.screen.query_one("#prompts")
        assert not panel.display
        await pilot.press("ctrl+g")
        assert panel.display
        await pilot.press("f8", "f8")
        assert panel.step == 2
        await pilot.press("shift+f8")
        assert panel.step == 1
        assert app.focused is app.screen.query_one("#editor")  # typing goes on


async def test_go_to_date_from_the_palette_command(unlocked, make_vault):
    old = date(2026, 11, 20)
    make_vault([Entry(date=old, body="the twentieth")])
    async with unlocked() as pilot:
        app = pilot.app
        app.action_go_to_date()
        await pilot.pause()
        await pilot.press(*"not a day", "enter")
        assert "not a date" in str(app.screen.query_one(".dialog-error").render())
        app.screen.query_one(Input).value = "5"  # five days ago
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.day == old
        assert app.screen.query_one("#editor", TextArea).text == "the twentieth"


async def test_theme_chosen_outside_settings_is_remembered(app_factory, paths):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        other = next(name for name in app.available_themes if name != app.theme)
        app.theme = other
        await pilot.pause()
        await pilot.pause()
    assert settings_mod.load(paths.settings_file).theme == other


def test_usage_doc_lists_every_key():
    from pathlib import Path

    from journal.ui.screens.help import KEYS

    usage = (Path(__file__).parents[2] / "docs" / "usage.md").read_text(encoding="utf-8")
    for _where, key, what in KEYS:
        assert f"`{key}` | {what}" in usage, key


async def test_theme_picker_previews_live_and_escape_restores(app_factory, paths):
    from textual.widgets import Select

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = app.theme
        await pilot.press("f5")
        await pilot.pause()
        other = next(name for name in sorted(app.available_themes) if name != before)
        app.screen.query_one("#theme", Select).value = other
        await pilot.pause()
        assert app.theme == other  # previewed at once
        await pilot.press("escape")
        await pilot.pause()
        assert app.theme == before
    assert not paths.settings_file.exists()  # nothing saved by a preview


def test_bad_settings_file_falls_back_to_defaults(monkeypatch, tmp_path):
    from journal.cli.app_cmd import run_app
    from journal.cli.runtime import Runtime
    from journal.ui.app import JournalApp

    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "settings.toml").write_text("autolock_minutes = 'soon'\n")
    ran = []
    monkeypatch.setattr(JournalApp, "run", lambda self: ran.append(self))
    run_app(Runtime(env={"JOURNAL_VAULT": str(tmp_path / "v"),
                         "JOURNAL_CONFIG_DIR": str(tmp_path / "c")}))
    [app] = ran
    assert app.settings.autolock_minutes == 5
    assert any("Settings file ignored" in m for m in app.startup_messages)


async def test_returning_to_the_day_shows_what_changed_on_disk(unlocked, make_vault, paths):
    make_vault()
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        await pilot.press(*"Mine.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        with open_vault(paths.vault) as other:  # e.g. an import merging into today
            entry = other.get_by_date(TODAY)
            entry.body += "\n\nImported paragraph."
            other.put(entry)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert app.screen.query_one("#editor", TextArea).text == "Mine.\n\nImported paragraph."
