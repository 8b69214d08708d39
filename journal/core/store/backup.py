"""Encrypted backups of a vault, and restoring one into a new vault directory.

`backup` needs no passphrase: the copy holds exactly the vault's ciphertext and opens with
the passphrase (or recovery code) the vault had when it was copied. It runs SQLite's
`VACUUM INTO` on a read-only connection, so it is a consistent snapshot of the last commit
even while the app has the vault open (WAL readers never block the writer), and the copy
carries no free pages with old data. The backup file is created 0600 and never overwrites.

`restore` checks the file is a vault of ours, copies it with SQLite's backup API into a
new or empty directory (0700, database 0600), and reads its header back. On any failure
nothing is left behind.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from journal.core.errors import StorageError, ValidationError, VaultDamaged, VaultExists
from journal.core.store.private_dirs import make_private_dirs
from journal.core.store.vault import Header, Vault, db_path

_SIDE_FILES = ("-journal", "-wal", "-shm")


@dataclass(frozen=True)
class BackupResult:
    path: Path
    #: Entry rows copied (a count the vault shows in clear anyway), and pending sealed ones.
    entries: int
    sealed: int
    size: int


def backup(vault_dir: Path, dest: Path) -> BackupResult:
    """Copy the vault at `vault_dir` to the new file `dest`, still encrypted."""
    dest = Path(dest)
    if dest.is_dir():
        raise ValidationError(f"{dest} is a folder; name the backup file to create")
    _header, conn = Vault.read_header(Path(vault_dir))  # not found / not ours: clear errors
    try:
        _create_empty(dest)
        try:
            conn.execute("VACUUM INTO ?", (str(dest),))
        except sqlite3.Error as exc:
            _remove(dest)
            raise _storage_error(exc, dest) from None
    finally:
        conn.close()
    try:
        entries, sealed = _verify(dest)
        with open(dest, "rb") as handle:
            os.fsync(handle.fileno())
    except BaseException:
        _remove(dest)
        raise
    return BackupResult(dest, entries, sealed, dest.stat().st_size)


def restore(backup_file: Path, new_vault_dir: Path) -> Path:
    """Make `new_vault_dir` (new or empty) a vault again from `backup_file`."""
    backup_file, target = Path(backup_file), Path(new_vault_dir)
    if not backup_file.is_file():
        raise ValidationError(f"{backup_file} is not a file (name a backup made with "
                              "'journal backup FILE')")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise VaultExists(f"{target} is not empty; restore into a new or empty directory")
    source = _open_backup(backup_file)
    created = not target.exists()
    try:
        try:
            make_private_dirs(target)  # and its new parents: 0700 whatever the umask
            os.chmod(target, 0o700)
        except OSError as exc:
            raise StorageError(f"cannot create {target}: {exc.strerror}") from None
        db_file = db_path(target)
        _create_empty(db_file)
        try:
            dest = sqlite3.connect(db_file, isolation_level=None)
            try:
                source.backup(dest)
            finally:
                dest.close()
        except sqlite3.Error as exc:
            raise _storage_error(exc, target) from None
        with open(db_file, "rb") as handle:
            os.fsync(handle.fileno())
        Vault.read_header(target)[1].close()
    except BaseException:
        for suffix in ("", *_SIDE_FILES):
            _remove(Path(f"{db_path(target)}{suffix}"))
        if created:
            with contextlib.suppress(OSError):
                target.rmdir()
        raise
    finally:
        source.close()
    return target


# -- helpers -------------------------------------------------------------------------------
def _create_empty(path: Path) -> None:
    """A new, empty, owner-only file: refuses to replace anything (O_EXCL, no symlinks)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                     0o600)
    except FileExistsError:
        raise ValidationError(f"{path} already exists; refusing to overwrite it") from None
    except OSError as exc:
        raise StorageError(f"cannot create {path}: {exc.strerror}") from None
    os.close(fd)


def _open_backup(path: Path) -> sqlite3.Connection:
    """A read-only connection to a file that must hold our vault header."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise ValidationError(f"cannot open {path}: {exc}") from None
    try:
        row = conn.execute("SELECT value FROM meta WHERE key='header'").fetchone()
        if row is None:
            raise VaultDamaged(f"{path} has no vault header: it is not a journal backup")
        Header.decode(row[0])
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise VaultDamaged(f"{path} is damaged (SQLite: {result}); nothing was restored")
    except sqlite3.DatabaseError:
        conn.close()
        raise VaultDamaged(f"{path} is not a journal backup (not a vault database)") from None
    except BaseException:
        conn.close()
        raise
    return conn


def _verify(path: Path) -> tuple[int, int]:
    conn = _open_backup(path)
    try:
        entries = int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        sealed = int(conn.execute("SELECT count(*) FROM sealed").fetchone()[0]) \
            if "sealed" in tables else 0
        return entries, sealed
    finally:
        conn.close()


def _storage_error(exc: sqlite3.Error, path: Path) -> Exception:
    text = str(exc)
    if "full" in text:
        return StorageError(f"the disk is full: no backup was written to {path}")
    if "locked" in text or "busy" in text:
        return StorageError("the vault is busy in another program; try again")
    return StorageError(f"cannot copy the vault to {path}: {text}")


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
