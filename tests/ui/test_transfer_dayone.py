"""Export... Day One from the app wrote every time as UTC: it now names the zone the times
were written in, the app clock's (the computer's), as `journal export` does."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime, timedelta, timezone

import pytest

from journal.core.clock import FixedClock
from journal.core.exchange.importers import dayone
from tests.ui.conftest import open_vault, sample_entries, settle
from tests.ui.dialogs import export_to


@pytest.fixture
def ui_clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 25, 21, 30, 0), zone=timezone(timedelta(hours=-5)))


async def test_export_dayone_from_the_app_names_the_clocks_zone(unlocked, make_vault,
                                                                tmp_path):
    make_vault(sample_entries())
    out = tmp_path / "dayone.zip"
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        await export_to(pilot, out, "dayone")
        await pilot.press("y")
        await settle(pilot)
        with open_vault(app.paths.vault) as vault:
            originals = {e.date: e for e in vault.entries()}
    with zipfile.ZipFile(out) as archive:
        items = json.loads(archive.read("Journal.json"))["entries"]
    assert {i["timeZone"] for i in items} == {"Etc/GMT+5"}
    [item] = items
    assert item["creationDate"] == "2026-11-24T17:00:00Z"  # noon at UTC-5
    back = {e.date: e for e in dayone.read(out)}
    assert sorted(back) == sorted(originals)
