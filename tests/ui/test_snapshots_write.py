"""Snapshots of the unlock, create, write, moment, help and settings screens at 80x24 and
120x40. Deterministic: FixedClock, fast KDF, relative paths, no cursor blink, fixed data.
Regenerate with `pytest tests/ui/test_snapshots_write.py --snapshot-update` and look."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from journal.core.clock import FixedClock
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault
from journal.paths import Paths
from journal.settings import Settings
from journal.ui.app import make_app

from .conftest import PASSPHRASE, sample_entries, settle, snapshot_today, unlock

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def snap_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An app on relative paths (so no temp dir shows up in the pictures)."""
    monkeypatch.chdir(tmp_path)
    clock = FixedClock(datetime(2026, 11, 25, 21, 30))

    def build(*, with_vault: bool = True, **kw):
        paths = Paths(vault=Path("vault"), config_dir=Path("config"))
        if with_vault:
            today = snapshot_today()
            vault, _ = Vault.create(paths.vault, PASSPHRASE, kdf=KdfParams.fast_for_tests(),
                                    clock=clock)
            vault.put_many([*sample_entries(), today])
            vault.close()
        return make_app(paths=paths, settings=kw.pop("settings", Settings()), clock=clock,
                        kdf=KdfParams.fast_for_tests(), allow_weak=True, **kw)

    return build


@pytest.mark.parametrize("size", SIZES)
def test_unlock(snap_compare, snap_app, size):
    assert snap_compare(snap_app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_unlock_demo_hint_and_wrong_passphrase(snap_compare, snap_app, size):
    async def run_before(pilot):
        await unlock(pilot, "wrong passphrase")

    app = snap_app(passphrase_hint="correct horse battery staple")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_create(snap_compare, snap_app, size):
    async def run_before(pilot):
        await pilot.pause()
        pilot.app.screen.query_one("#passphrase").value = "tulip-9x"
        await pilot.pause()

    assert snap_compare(snap_app(with_vault=False), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_write(snap_compare, snap_app, size):
    async def run_before(pilot):
        await unlock(pilot)

    assert snap_compare(snap_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_write_with_prompts(snap_compare, snap_app, size):
    async def run_before(pilot):
        await unlock(pilot)
        await pilot.press("ctrl+g", "f8")
        await pilot.pause()

    assert snap_compare(snap_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_moment_form(snap_compare, snap_app, size):
    async def run_before(pilot):
        await unlock(pilot)
        await pilot.press("ctrl+n", "c", "6", "w", *"fam")
        await settle(pilot)

    assert snap_compare(snap_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, snap_app, size):
    async def run_before(pilot):
        await unlock(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(snap_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_settings(snap_compare, snap_app, size):
    async def run_before(pilot):
        await unlock(pilot)
        await pilot.press("f5")
        await pilot.pause()

    assert snap_compare(snap_app(), terminal_size=size, run_before=run_before)
