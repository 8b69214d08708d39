"""A vault moved to another machine: copied to a different path (spaces, non-ASCII, through
a symlink, through a tar archive), with new mtimes and looser permissions; and a vault
copied while it was open, its latest commits still in the -wal file. It opens, every entry
is there, `check` is clean, and the modes are brought back to 0700 / 0600."""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from faultkit import CliJournal

from journal.core.exchange import format_v1 as exchange
from journal.core.model.entries import Entry, Moment

DB = "journal.db"


def _fill(cli: CliJournal, count: int = 30) -> str:
    with cli.create() as vault:
        vault.put_many([Entry(date=date(2026, 1, 1) + timedelta(days=i),
                              body=f"day {i} שלום 👍🏽",
                              moments=[Moment("concern", i % 11, "home", tags=["moved"])])
                        for i in range(count)])
    with cli.open() as vault:
        return exchange.to_json_text(vault.entries())


def _loosen(directory: Path) -> None:
    """As an archive tool or another user's umask might leave it."""
    os.chmod(directory, 0o755)
    for path in directory.iterdir():
        os.chmod(path, 0o644)
        os.utime(path, (86_400 * 400, 86_400 * 400))  # 1971: mtimes mean nothing


def _assert_same(cli: CliJournal, expected: str) -> None:
    with cli.open() as vault:
        report = vault.check()
        assert report.ok, report.problems
        assert exchange.to_json_text(vault.entries()) == expected
    assert stat.S_IMODE(cli.vault_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((cli.vault_dir / DB).stat().st_mode) == 0o600


@pytest.mark.parametrize("how", ["copytree", "tar", "symlink"])
def test_a_moved_vault_opens_with_everything(tmp_path, how):
    source = CliJournal(tmp_path / "here")
    expected = _fill(source)
    target_root = tmp_path / "other machine" / "Mój dziennik"
    target_root.mkdir(parents=True)
    target = CliJournal(target_root)
    if how == "copytree":
        shutil.copytree(source.vault_dir, target.vault_dir)  # new mtimes, same bytes
    elif how == "tar":
        archive = tmp_path / "vault.tar"
        with tarfile.open(archive, "w") as tar:
            tar.add(source.vault_dir, arcname="vault")
        with tarfile.open(archive) as tar:
            tar.extractall(target_root, filter="tar")
    else:
        real = tmp_path / "disk2" / "vault"
        shutil.copytree(source.vault_dir, real)
        target.vault_dir.symlink_to(real, target_is_directory=True)
    shutil.rmtree(source.vault_dir)  # the old machine is gone
    if how != "symlink":
        _loosen(target.vault_dir)
    _assert_same(target, expected)
    assert target("list").stdout.count("\n") == 30  # and the CLI agrees


def test_a_vault_copied_while_open_with_its_wal(tmp_path):
    """The copy is taken while the writer has commits only in -wal (not checkpointed):
    copying the three files gives every commit; copying the db alone gives the state of the
    last checkpoint, consistent; a lost -shm is rebuilt."""
    source = CliJournal(tmp_path / "here")
    _fill(source, 5)
    writer = source.open()
    try:
        writer.put_many([Entry(date=date(2026, 6, 1) + timedelta(days=i), body=f"late {i}")
                         for i in range(20)])
        wal = source.vault_dir / f"{DB}-wal"
        assert wal.stat().st_size > 0, "the commits should still be in the WAL"
        with_wal = CliJournal(tmp_path / "with wal")
        shutil.copytree(source.vault_dir, with_wal.vault_dir)
        db_only = CliJournal(tmp_path / "db only")
        db_only.vault_dir.mkdir(parents=True)
        shutil.copy(source.vault_dir / DB, db_only.vault_dir / DB)
        no_shm = CliJournal(tmp_path / "no shm")
        shutil.copytree(source.vault_dir, no_shm.vault_dir)
        (no_shm.vault_dir / f"{DB}-shm").unlink(missing_ok=True)
        committed = exchange.to_json_text(writer.entries())
    finally:
        writer.close()
    _assert_same(with_wal, committed)
    _assert_same(no_shm, committed)
    with db_only.open() as vault:  # the last checkpoint: the 5 first entries, intact
        report = vault.check()
        assert report.ok, report.problems
        assert sorted(e.body for e in vault.entries()) == [f"day {i} שלום 👍🏽" for i in range(5)]


def test_a_vault_copied_between_two_writes_is_committed_or_absent(tmp_path):
    """Copy after every one of 15 writes while the writer stays open: each copy opens and
    holds exactly the entries committed before it was taken."""
    source = CliJournal(tmp_path / "here")
    _fill(source, 1)
    copies = []
    with source.open() as writer:
        for i in range(15):
            day = date(2026, 3, 1) + timedelta(days=i)
            writer.put(Entry(date=day, body=f"edit {i}"))
            if i % 3 == 2:
                writer.delete(writer.get_by_date(day).id)
            snapshot = CliJournal(tmp_path / f"copy {i}")
            shutil.copytree(source.vault_dir, snapshot.vault_dir)
            copies.append((snapshot, sorted(e.body for e in writer.entries())))
    for snapshot, bodies in copies:
        with snapshot.open() as vault:
            assert vault.check().ok
            assert sorted(e.body for e in vault.entries()) == bodies


@pytest.mark.parametrize("name", ["[/]broken", "back\\slash\\"])
async def test_the_app_opens_a_vault_at_an_odd_path(tmp_path, name):
    """Folder names are user input too: brackets (markup), a backslash at the end."""
    from textual.widgets import Input

    from journal.core.store.crypto import KdfParams
    from journal.paths import Paths
    from journal.settings import Settings
    from journal.ui.app import make_app

    cli = CliJournal(tmp_path / name)
    expected = _fill(cli, 3)
    app = make_app(paths=Paths(vault=cli.vault_dir, config_dir=cli.config_dir),
                   settings=Settings(), clock=cli.clock, kdf=KdfParams.fast_for_tests(),
                   allow_weak=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.is_running
        app.screen.query_one("#passphrase", Input).value = "correct horse battery staple"
        await pilot.press("enter")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.vault is not None and app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
    _assert_same(cli, expected)
