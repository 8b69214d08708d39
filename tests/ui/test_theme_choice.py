"""The theme choice: the picker in Settings saves it and the next run starts in it;
`--theme NAME` (make_app(theme=...)) lasts one run and leaves the saved choice alone."""

from __future__ import annotations

from textual.widgets import Select

from journal import settings as settings_mod
from journal.settings import Settings
from journal.ui.screens.settings import SettingsScreen


async def test_the_picker_saves_the_theme_and_the_next_run_starts_in_it(app_factory, paths):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#theme", Select).value = "journal-okabe"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, SettingsScreen)
        assert app.theme == "journal-okabe"
    assert settings_mod.load(paths.settings_file).theme == "journal-okabe"
    again = app_factory(settings=settings_mod.load(paths.settings_file))
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "journal-okabe"


async def test_a_theme_for_one_run_is_not_saved(app_factory, paths):
    settings_mod.save(paths.settings_file, Settings(theme="journal-paper"))
    app = app_factory(settings=settings_mod.load(paths.settings_file), theme="journal-night")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.theme == "journal-night"
    assert settings_mod.load(paths.settings_file).theme == "journal-paper"
    later = app_factory(settings=settings_mod.load(paths.settings_file))
    async with later.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert later.theme == "journal-paper"
