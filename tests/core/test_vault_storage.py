"""The vault on disk: modes, pragmas, foreign files, a full disk and a read-only one."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest

from journal.core.errors import StorageError, VaultDamaged, VaultNotFound
from journal.core.model.entries import Entry
from journal.core.store.captures import SealedBox
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault, db_path

DAY = date(2026, 11, 25)

PASSPHRASE = "correct horse battery staple"  # as in tests/conftest.py (the fixtures)


def open_vault(directory, passphrase=PASSPHRASE, **kw) -> Vault:
    return Vault.open(directory, passphrase, allow_weak=True, **kw)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_are_0600_in_a_0700_dir_even_with_a_loose_umask(tmp_path, fast_kdf):
    old = os.umask(0o002)
    try:
        vault, _ = Vault.create(tmp_path / "vault", PASSPHRASE, kdf=fast_kdf)
        vault.put(Entry(date=DAY, body="x"))
        names = {p.name: mode(p) for p in (tmp_path / "vault").iterdir()}
        assert names == {"journal.db": 0o600, "journal.db-wal": 0o600,
                         "journal.db-shm": 0o600}
        assert mode(tmp_path / "vault") == 0o700
        vault.close()
    finally:
        os.umask(old)


def test_a_copied_vault_with_loose_modes_is_tightened_on_open(vault_dir, vault):
    vault.close()
    os.chmod(vault_dir, 0o755)
    os.chmod(db_path(vault_dir), 0o644)
    open_vault(vault_dir).close()
    assert mode(vault_dir) == 0o700 and mode(db_path(vault_dir)) == 0o600


def test_pragmas(vault):
    def pragma(name):
        return vault._conn.execute(f"PRAGMA {name}").fetchone()[0]

    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("secure_delete") == 1
    assert pragma("temp_store") == 2  # MEMORY
    assert pragma("foreign_keys") == 1
    assert pragma("page_size") == 16384  # whole entries fit in a leaf page


def test_big_pages_hold_entries_without_overflow_pages(vault, vault_dir):
    vault.put_many([Entry(date=date(2026, 1, 1) + timedelta(days=i), body="word " * 400)
                    for i in range(60)])
    vault.close()
    conn = sqlite3.connect(db_path(vault_dir))
    overflow = conn.execute("SELECT count(*) FROM dbstat WHERE name='entries'"
                            " AND pagetype='overflow'").fetchone()[0]
    conn.close()
    assert overflow == 0


def _foreign_files(tmp_path: Path) -> dict[str, Path]:
    made = {}

    def place(name: str) -> Path:
        directory = tmp_path / name
        directory.mkdir()
        made[name] = db_path(directory)
        return made[name]

    place("random").write_bytes(os.urandom(8192))
    place("text").write_text("my grocery list\n")
    place("empty").write_bytes(b"")
    conn = sqlite3.connect(place("sqlite"))
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('not a vault')")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(place("sqlite-meta"))  # even a table named like ours
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB)")
    conn.execute("INSERT INTO meta VALUES ('header', 'hello')")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(place("sqlite-wal"))
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return made


def test_a_foreign_file_is_refused_and_left_byte_identical(tmp_path):
    for name, path in _foreign_files(tmp_path).items():
        before = path.read_bytes()
        listing = sorted(p.name for p in path.parent.iterdir())
        with pytest.raises(VaultDamaged) as caught:
            Vault.open(path.parent, PASSPHRASE, allow_weak=True)
        assert "\n" not in str(caught.value), name
        with pytest.raises(VaultDamaged):
            SealedBox(path.parent).add(Entry(date=DAY, body="x"))
        with pytest.raises(VaultDamaged):
            Vault.read_header(path.parent)
        assert path.read_bytes() == before, name
        assert sorted(p.name for p in path.parent.iterdir()) == listing, name


def test_a_directory_without_a_vault(tmp_path):
    with pytest.raises(VaultNotFound):
        Vault.open(tmp_path, PASSPHRASE)
    (tmp_path / "journal.db").mkdir()  # not even a file
    with pytest.raises(VaultNotFound):
        Vault.open(tmp_path, PASSPHRASE)


# -- a full disk and a read-only one (real mounts: root only) ----------------------------------
@contextmanager
def tmpfs(path: Path, size: str):
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small tmpfs")
    path.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                           str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def test_disk_full_is_a_storage_error_and_the_last_save_is_intact(tmp_path):
    # Room for a new vault (~330 KB with its WAL at storage version 7: each numbered
    # migration adds its own frames; 320k no longer held it) and an entry or so, never 400
    # of ~6 KB.
    with tmpfs(tmp_path / "small", "512k") as mount:
        vault_dir = mount / "vault"
        vault, _ = Vault.create(vault_dir, PASSPHRASE, kdf=KdfParams.fast_for_tests())
        saved = {}
        error = None
        for i in range(400):
            entry = Entry(date=DAY - timedelta(days=i), body=os.urandom(3000).hex())
            try:
                saved[entry.date] = vault.put(entry)
            except StorageError as exc:
                error = exc
                failed = entry
                break
        assert error is not None, "the disk never filled up"
        assert "\n" not in str(error)
        assert vault.get_by_date(failed.date) is None  # nothing half-written
        vault.close()
        # Free a little room (as a user would), then everything saved is there, intact.
        with open_vault(vault_dir) as again:
            report = again.check()
            assert report.ok, report.problems
            assert {e.date: e.body for e in again.entries()} == {
                d: e.body for d, e in saved.items()}
        print(f"\nFIGURE disk_full saved_before_full={len(saved)} lost=0")


def test_read_only_vault_is_a_storage_error_and_nothing_changes(tmp_path):
    with tmpfs(tmp_path / "ro", "4m") as mount:
        vault_dir = mount / "vault"
        vault, _ = Vault.create(vault_dir, PASSPHRASE, kdf=KdfParams.fast_for_tests())
        vault.put(Entry(date=DAY, body="written before the disk became read-only"))
        vault.close()
        before = db_path(vault_dir).read_bytes()
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        with pytest.raises(StorageError) as caught:
            open_vault(vault_dir)
        assert "\n" not in str(caught.value)
        with pytest.raises(StorageError):
            SealedBox(vault_dir).add(Entry(date=DAY, body="quick note"))
        assert db_path(vault_dir).read_bytes() == before
        subprocess.run(["mount", "-o", "remount,rw", str(mount)], check=True)
        with open_vault(vault_dir) as again:
            assert again.get_by_date(DAY).body.startswith("written before")
            assert again.check().ok
