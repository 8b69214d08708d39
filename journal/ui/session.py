"""Settings and theme choice for a running app: register themes, fall back, persist.

Kept apart from JournalApp so the App class stays small; every function takes the app.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.theme import Theme

from journal import settings as settings_mod
from journal.settings import DEFAULT_THEME, Settings

if TYPE_CHECKING:
    from journal.ui.app import JournalApp

#: Used only while journal.ui.themes is missing (it provides the real defaults).
FALLBACK_VARIABLES = {"contagion": "ansi_bright_red", "concern": "ansi_bright_blue"}


def theme_variable_defaults() -> dict[str, str]:
    try:
        from journal.ui.themes import THEME_VARIABLE_DEFAULTS
    except ImportError:
        return dict(FALLBACK_VARIABLES)
    return dict(THEME_VARIABLE_DEFAULTS)


def setup_themes(app: JournalApp, wanted: str) -> None:
    """Register built-in and user themes and pick `wanted`; problems go in ONE notice."""
    errors: list[str] = []
    try:
        from journal.ui.themes import register_all
    except ImportError:
        register_all = None
    if register_all is not None:
        errors = list(register_all(app, app.paths.user_themes))
    if wanted in app.available_themes:
        app.theme = wanted
    else:
        if DEFAULT_THEME in app.available_themes:
            app.theme = DEFAULT_THEME
        errors.append(f"theme '{wanted}' was not found; using '{app.theme}'")
    if errors:
        app.notify("\n".join(errors), title="Theme problems", severity="warning", timeout=12)


def save_settings(app: JournalApp, new: Settings) -> bool:
    """Write `new` to the settings file and use it. False (and a notice) if that failed."""
    try:
        settings_mod.save(app.paths.settings_file, new)
    except OSError as exc:
        app.notify(f"Settings not saved: {exc.strerror or exc}", severity="error")
        return False
    app.settings = new
    app.idle.minutes = new.autolock_minutes
    return True


AUTOLOCK_OFF = (
    "Auto-lock is off: your settings file says autolock_minutes = 0, so the journal stays "
    "open while you are away. That file is not protected by your passphrase, so this app "
    "cannot tell who wrote it. If you did not turn auto-lock off yourself, turn it back on "
    "in Settings.")


def notice_autolock_off(app: JournalApp) -> None:
    """At unlock, say so when auto-lock is off and this run did not set it: the settings
    file is plaintext and unauthenticated (issue 13, item 13), so anyone able to write it
    could have switched auto-lock off to leave an unattended journal open."""
    if app.settings.autolock_minutes == 0 and not app.autolock_chosen_here:
        app.notify(AUTOLOCK_OFF, title="Auto-lock is off", severity="warning", timeout=20,
                   markup=False)


def persist_theme(app: JournalApp, theme: Theme) -> None:
    """A theme chosen from the command palette is remembered (the settings screen saves
    its own choice on Save, so its live previews are not persisted here)."""
    from journal.ui.screens.settings import SettingsScreen

    if theme.name != app.settings.theme and not isinstance(app.screen, SettingsScreen):
        save_settings(app, replace(app.settings, theme=theme.name))
