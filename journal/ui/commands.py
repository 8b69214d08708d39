"""Command palette entries (ctrl+p): today, go to date, browse, reflect, lock, settings..."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from textual.app import SystemCommand

if TYPE_CHECKING:
    from journal.ui.app import JournalApp


def parse_day(text: str, today: date) -> date:
    """Any day journal.core.model.dates reads ('' is today) -> a date; else ValueError."""
    from journal.core.errors import ValidationError
    from journal.core.model.dates import parse_date

    try:
        return parse_date(text, today) if text.strip() else today
    except ValidationError as exc:
        raise ValueError(str(exc)) from None


#: Textual's own palette commands that stay (Textual 8.2.8's `App.get_system_commands`):
#: none of them writes anything. Everything else is dropped, so a built-in added by a
#: later Textual is left out until someone checks it: "Screenshot" wrote the screen,
#: journal text included, as a plaintext SVG into ~/Downloads (issue 13, item 14).
KEPT_BUILT_INS = frozenset({"Theme", "Quit", "Keys", "Minimize", "Maximize"})


def kept_built_ins(commands: Iterable[SystemCommand]) -> Iterable[SystemCommand]:
    """Textual's built-in commands, without any that could write the screen to disk."""
    return (command for command in commands if command.title in KEPT_BUILT_INS)


def journal_commands(app: JournalApp) -> Iterable[SystemCommand]:
    """Our commands; Textual's own that write nothing (theme, quit, keys) follow them."""
    if app.vault is not None:
        yield SystemCommand("Today's entry", "Write tonight's entry (F2)", app.action_today)
        yield SystemCommand("Go to date…", "Open any day's entry: YYYY-MM-DD, yesterday, "
                            "last friday, 3 days ago", app.action_go_to_date)
        if app.has_mode("browse"):
            yield SystemCommand("Browse", "Past entries, calendar, search (F3)",
                                lambda: app.action_mode("browse"))
        if app.has_mode("reflect"):
            yield SystemCommand("Reflect", "Patterns in your own entries (F4)",
                                lambda: app.action_mode("reflect"))
        yield SystemCommand("Practice toward concern", "A short practice, every step "
                            "skippable; kept with this day's latest contagion moment",
                            app.action_practice)
        yield SystemCommand("Quick captures", "Read, keep or discard what arrived without "
                            "the passphrase (ctrl+r)", app.action_captures)
        yield SystemCommand("Import…", "Bring in entries: exchange JSON, jrnl, Day One, "
                            "Markdown (checked first, then one step)",
                            lambda: open_transfer(app, "ImportScreen"))
        yield SystemCommand("Export…", "Write your entries as plaintext JSON or Markdown",
                            lambda: open_transfer(app, "ExportScreen"))
        yield SystemCommand("Backup…", "An encrypted copy of the vault in a new file",
                            lambda: open_transfer(app, "BackupScreen"))
        yield SystemCommand("Lock now", "Save, forget the key, show the unlock screen "
                            "(ctrl+l)", app.action_lock)
    yield SystemCommand("Settings", "Auto-lock, guided prompts, theme, work end time (F5)",
                        app.action_settings)
    yield SystemCommand("Support", "Crisis lines and resources (F9)", app.action_support)
    yield SystemCommand("Help: keys", "Every key of the app (F1)", app.action_help)


def ask_for_date(app: JournalApp) -> None:
    """Ask which day to open (YYYY-MM-DD, yesterday, days ago) and open it."""
    from journal.ui.screens.confirm import AskScreen

    def check(text: str) -> str | None:
        try:
            parse_day(text, app.clock.today())
        except ValueError as exc:
            return str(exc)
        return None

    def chosen(text: str | None) -> None:
        if text is not None:
            app.open_day(parse_day(text, app.clock.today()))

    app.push_screen(AskScreen("Go to date",
                              "Which day? (YYYY-MM-DD, yesterday, last friday, 3 days ago)",
                              placeholder="yesterday", check=check), chosen)


def open_transfer(app: JournalApp, name: str) -> None:
    """Show the Import, Export or Backup dialog (journal.ui.screens.transfer)."""
    from journal.ui.screens import transfer

    app.push_screen(getattr(transfer, name)())
