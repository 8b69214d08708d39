"""Snapshots of the browse, reflect and support screens at 80x24 and 120x40.

Fixed data: the hand-written sample entries for browse, the deterministic generated year
(seed 7) for reflect, and a FixedClock (25 Nov 2026). The SVGs live in __snapshots__/.
"""

from __future__ import annotations

import pytest

from journal.core.demo import generate_year
from tests.ui.host import TODAY, HostApp, MemoryVault, settle
from tests.ui.test_browse import sample_entries

SIZES = [(80, 24), (120, 40)]


async def _settled(pilot) -> None:
    await settle(pilot, 0.3)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_browse(snap_compare, size):
    app = HostApp(MemoryVault(sample_entries()), start="browse")
    assert snap_compare(app, terminal_size=size, run_before=_settled)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_browse_filtered(snap_compare, size):
    app = HostApp(MemoryVault(sample_entries()), start="browse")

    async def run_before(pilot) -> None:
        await _settled(pilot)
        await pilot.press("slash", *"#grief", "enter")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reflect(snap_compare, size):
    app = HostApp(MemoryVault(generate_year(TODAY, seed=7)), start="reflect")
    assert snap_compare(app, terminal_size=size, run_before=_settled)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reflect_spillover(snap_compare, size):
    app = HostApp(MemoryVault(generate_year(TODAY, seed=7)), start="reflect")

    async def run_before(pilot) -> None:
        await _settled(pilot)
        await pilot.press("2", "down")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_support(snap_compare, size):
    app = HostApp(MemoryVault(sample_entries()), start="browse")

    async def run_before(pilot) -> None:
        await _settled(pilot)
        await pilot.press("f9")
        await _settled(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
