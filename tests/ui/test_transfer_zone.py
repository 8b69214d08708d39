"""Export… gets the zone choice `journal export --timezone` has: for Day One, a field that
starts with the clock's zone (the computer's), takes another IANA name, and refuses an
unknown one with one line before anything is asked or written."""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import Input, Select

from journal.core.clock import FixedClock
from journal.core.model.entries import Entry
from journal.ui.screens.confirm import ConfirmScreen
from journal.ui.screens.transfer import ExportScreen
from tests.ui.conftest import settle, unlock
from tests.ui.dialogs import dialog_error

SUMMER = Entry(date=date(2026, 7, 1), body="a long evening",
               written_at=datetime(2026, 7, 1, 21, 30))


@pytest.fixture
def ui_clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 25, 21, 30, 0), zone=ZoneInfo("Europe/London"))


async def _open_export(app, pilot, out, zone: str | None = None) -> None:
    await unlock(pilot)
    app.push_screen(ExportScreen())
    await pilot.pause()
    assert not app.screen.query_one("#zone", Input).display  # only for Day One
    app.screen.query_one("#format", Select).value = "dayone"
    await pilot.pause()
    field = app.screen.query_one("#zone", Input)
    assert field.display and field.value == "Europe/London"  # the clock's zone
    if zone is not None:
        field.value = zone
    path = app.screen.query_one("#path", Input)
    path.value = str(out)
    path.focus()
    await pilot.press("enter")
    await settle(pilot)


def _items(out) -> dict[str, dict]:
    with zipfile.ZipFile(out) as archive:
        return {i["text"].split("\n")[0]: i
                for i in json.loads(archive.read("Journal.json"))["entries"]}


async def test_the_clocks_zone_is_the_default(app_factory, make_vault, tmp_path):
    make_vault([SUMMER])
    out = tmp_path / "dayone.zip"
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_export(app, pilot, out)
        await pilot.press("y")
        await settle(pilot)
    item = _items(out)["a long evening"]
    assert item["timeZone"] == "Europe/London"
    assert item["creationDate"] == "2026-07-01T20:30:00Z"  # summer time, in November


async def test_another_zone_can_be_named(app_factory, make_vault, tmp_path):
    make_vault([SUMMER])
    out = tmp_path / "dayone.zip"
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_export(app, pilot, out, " America/New_York ")
        await pilot.press("y")
        await settle(pilot)
    item = _items(out)["a long evening"]
    assert item["timeZone"] == "America/New_York"
    assert item["creationDate"] == "2026-07-02T01:30:00Z"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "Europe", "../etc/passwd"])
async def test_an_unknown_zone_is_refused_with_one_line(app_factory, make_vault, tmp_path,
                                                        zone):
    make_vault([SUMMER])
    out = tmp_path / "dayone.zip"
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_export(app, pilot, out, zone)
        assert isinstance(app.screen, ExportScreen)  # no plaintext warning asked
        assert not any(isinstance(s, ConfirmScreen) for s in app.screen_stack)
        error = dialog_error(pilot)
        assert "is not a known time zone" in error and "\n" not in error
        app.screen.query_one("#zone", Input).value = "Asia/Kolkata"  # and it can be mended
        app.screen.query_one("#path", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert _items(out)["a long evening"]["timeZone"] == "Asia/Kolkata"
