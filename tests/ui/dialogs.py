"""The Import and Export dialogs driven as a user does: opened, a format chosen, a path
typed and Enter pressed (several test modules spell the same steps)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from journal.ui.screens.transfer import ExportScreen, ImportScreen

from .conftest import settle


async def fill_path(pilot: Pilot, path: Path) -> None:
    """Type the path and hit Enter (a second click on a button within 0.2 s is ignored)."""
    field = pilot.app.screen.query_one("#path", Input)
    field.value = str(path)
    field.focus()
    await pilot.press("enter")
    await settle(pilot)


async def import_from(pilot: Pilot, path: Path) -> None:
    """Open the Import dialog and give it `path`."""
    pilot.app.push_screen(ImportScreen())
    await pilot.pause()
    await fill_path(pilot, path)


def dialog_error(pilot: Pilot) -> str:
    """The line the dialog in front shows under its fields ("" when none)."""
    return str(pilot.app.screen.query_one(".dialog-error", Static).render())


async def refused_import(pilot: Pilot, path: Path) -> str:
    """Import `path` expecting a refusal: the dialog stays (no confirmation offered);
    returns the line it says."""
    await import_from(pilot, path)
    assert isinstance(pilot.app.screen, ImportScreen)  # no confirmation offered
    return dialog_error(pilot)


async def export_to(pilot: Pilot, path: Path, chosen: str | None = None) -> None:
    """Open the Export dialog, choose the format `chosen` (else the default) and give it `path`."""
    pilot.app.push_screen(ExportScreen())
    await pilot.pause()
    if chosen is not None:
        pilot.app.screen.query_one("#format", Select).value = chosen
    await fill_path(pilot, path)
