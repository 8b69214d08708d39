"""A full disk and a read-only vault, as the user meets them: through `journal` commands
and in the app. A clear one-line error, the last saved state intact, the text being typed
still in the editor and saved once the disk has room again.

The disk is a real small tmpfs mounted by the test (needs root; skipped otherwise), filled
to the last byte with a filler file; read-only is the same tmpfs remounted `ro` (root
ignores permission bits, so chmod alone would prove nothing when running as root; as a
normal user the chmod variant runs instead).
"""

from __future__ import annotations

import errno
import os
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from faultkit import PASSPHRASE, CliJournal
from textual.widgets import Input, TextArea

from journal.core.errors import StorageError
from journal.core.model.entries import Entry
from journal.core.store.crypto import KdfParams
from journal.paths import Paths
from journal.settings import Settings
from journal.ui.app import make_app

TODAY = date(2026, 11, 25)


def _mount(point: Path, *options: str) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(point)],
                   check=True, capture_output=True)


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MiB tmpfs at tmp_path/disk, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (the store-level disk tests run "
                    "without it)")
    point = tmp_path / "disk"
    point.mkdir()
    try:
        _mount(point, "size=4m", "mode=0700")
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc}")
    yield point
    subprocess.run(["umount", "-l", str(point)], check=False, capture_output=True)


def fill(disk: Path) -> Path:
    """Write a filler file until the disk says ENOSPC; returns it (delete it to free)."""
    filler = disk / "filler"
    chunk = b"\0" * 65536
    with open(filler, "wb", buffering=0) as out:
        while True:
            try:
                out.write(chunk)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
                if len(chunk) == 1:
                    break
                chunk = chunk[: len(chunk) // 2]
    return filler


def _journal_on(disk: Path) -> CliJournal:
    cli = CliJournal(disk)
    cli("init")
    for i in range(5):
        cli("add", "--date", (TODAY - timedelta(days=i + 1)).isoformat(), f"saved day {i}")
    return cli


def _intact(cli: CliJournal, extra: set[str] = frozenset()) -> None:
    with cli.open() as vault:
        report = vault.check()
        assert report.ok, report.problems
        bodies = {e.body.strip() for e in vault.entries()}
    assert {f"saved day {i}" for i in range(5)} | set(extra) == bodies


# -- disk full ---------------------------------------------------------------------------------
def test_cli_add_on_a_full_disk_says_so_and_keeps_the_vault(small_disk):
    cli = _journal_on(small_disk)
    filler = fill(small_disk)
    result = cli("add", "--date", TODAY.isoformat(), "no room for this", ok=False)
    assert result.exit_code == StorageError.exit_code, result.stderr
    assert result.stderr.count("\n") == 1 and "full" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    listed = cli("list", ok=False)  # reading still works on a full disk, or says why
    assert listed.exit_code == 0 or "disk" in listed.stderr, listed.stderr
    filler.unlink()
    _intact(cli)
    cli("add", "--date", TODAY.isoformat(), "after freeing space")
    _intact(cli, {"after freeing space"})


def test_store_fills_the_disk_put_by_put_and_every_commit_survives(small_disk):
    """Keep saving 64 KiB entries until the disk refuses: each refusal is a StorageError,
    and every entry committed before it is there, readable, after reopening."""
    cli = CliJournal(small_disk)
    committed: list[date] = []
    refusals = 0
    with cli.create() as vault:
        for i in range(200):
            day = date(2026, 1, 1) + timedelta(days=i)
            try:
                vault.put(Entry(date=day, body=f"{i:04d} " + os.urandom(24_000).hex()))
            except StorageError as exc:
                assert "full" in str(exc) or "refused" in str(exc), str(exc)
                refusals += 1
                if refusals >= 3:
                    break
                continue
            committed.append(day)
    assert refusals == 3 and len(committed) >= 5
    with cli.open() as vault:
        assert vault.check().ok
        assert sorted(e.date for e in vault.entries()) == committed


def _app(cli: CliJournal):
    return make_app(paths=Paths(vault=cli.vault_dir, config_dir=cli.config_dir),
                    settings=Settings(autolock_minutes=0), clock=cli.clock,
                    kdf=KdfParams.fast_for_tests(), allow_weak=True)


async def _unlock(pilot) -> None:
    await pilot.pause()
    pilot.app.screen.query_one("#passphrase", Input).value = PASSPHRASE
    await pilot.press("enter")
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_app_on_a_full_disk_keeps_typing_and_saves_when_there_is_room(small_disk):
    cli = _journal_on(small_disk)
    app = _app(cli)
    notes: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await _unlock(pilot)
        real_notify = app.screen.notify
        app.screen.notify = lambda m, **kw: (notes.append(str(m)), real_notify(m, **kw))
        filler = fill(small_disk)
        editor = app.screen.query_one("#editor", TextArea)
        await pilot.press(*"tonight and the last line")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "NOT SAVED" in app.screen.status
        assert any("full" in n for n in notes), notes
        assert editor.text.endswith("and the last line")  # nothing typed is lost
        await pilot.press(*" typed on")  # typing goes on
        filler.unlink()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.status == "saved"
    with cli.open() as vault:
        assert vault.get_by_date(TODAY).body == "tonight and the last line typed on"
        assert vault.check().ok


# -- read-only -----------------------------------------------------------------------------------
@pytest.fixture
def read_only(small_disk):
    """Make the vault's filesystem read-only (remount ro as root)."""
    def make() -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True,
                       capture_output=True)

    def undo() -> None:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True,
                       capture_output=True)

    return make, undo


def test_cli_on_a_read_only_vault(small_disk, read_only):
    cli = _journal_on(small_disk)
    make, undo = read_only
    make()
    try:
        result = cli("add", "--date", TODAY.isoformat(), "cannot be written", ok=False)
        assert result.exit_code != 0 and result.stderr.count("\n") == 1, result.stderr
        assert "read-only" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        for args in (["list"], ["show", (TODAY - timedelta(days=1)).isoformat()], ["check"]):
            shown = cli(*args, ok=False)  # reading works, or is refused in one clear line
            assert shown.exit_code == 0 or (
                "read-only" in shown.stderr and shown.stderr.count("\n") == 1), shown.stderr
    finally:
        undo()
    _intact(cli)


async def test_app_on_a_read_only_vault_says_so_then_unlocks_when_writable(small_disk,
                                                                          read_only):
    """A vault on a read-only disk (a remount needs no file open for writing, so this is
    the start-up case; a disk that fails mid-session is the full-disk test above)."""
    cli = _journal_on(small_disk)
    make, undo = read_only
    app = _app(cli)
    async with app.run_test(size=(100, 30)) as pilot:
        make()
        try:
            await _unlock(pilot)
            assert app.vault is None and app.is_running
            status = str(app.screen.query_one("#unlock-status").render())
            assert "read-only" in status, status
        finally:
            undo()
        await _unlock(pilot)
        assert app.vault is not None
        await pilot.press(*"written once writable")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.status == "saved"
    _intact(cli, {"written once writable"})
