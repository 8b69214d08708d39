"""The encrypted vault: one directory holding one SQLite file, every entry sealed.

Key hierarchy (docs/security.md): passphrase -NFC-> Argon2id -> KEK -> wraps a random
DEK -> HKDF subkeys for entries, the manifest, the blind day index and the sealing key.
Each entry row is AES-256-GCM over padded JSON, its associated data binding the vault id,
the entry id and the row version; an HMAC manifest over every (uuid, version, digest)
catches deleted, duplicated and rolled-back rows at unlock.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from journal.core.clock import Clock, SystemClock
from journal.core.errors import (
    ConflictError,
    StorageError,
    ValidationError,
    VaultDamaged,
    VaultExists,
)
from journal.core.model.entries import Entry
from journal.core.private_dirs import make_private_dirs
from journal.core.store import crypto, schema
from journal.core.store.bulk import paused_gc
from journal.core.store.header import Header, read_header
from journal.core.store.schema import SQLITE_MAGIC, db_path
from journal.core.store.schema import connect as _connect
from journal.core.store.schema import storage_error as _storage_error
from journal.core.store.schema import tighten_modes as _tighten_modes
from journal.core.store.sealed import SealedBox
from journal.core.store.vault_integrity import CheckReport, Integrity, _row_name
from journal.core.store.vault_keys import KEYS_CHANGED, WRONG, KeyRing
from journal.core.store.vault_rows import Rows

#: The names other modules import from here (the vault's public face).
__all__ = ["WRONG", "KEYS_CHANGED", "CheckReport", "Header", "Vault", "db_path",
           "SQLITE_MAGIC", "_connect", "_storage_error", "_tighten_modes"]


class Vault(KeyRing, Integrity, Rows):
    """An unlocked vault. Create with `Vault.create`, open with `Vault.open`."""

    def __init__(self, directory: Path, conn: sqlite3.Connection, header: Header, dek: bytes,
                 clock: Clock) -> None:
        self.directory = Path(directory)
        self._conn = conn
        self.header = header
        self.clock = clock
        self._set_dek(dek)
        self._cache: dict[str, Entry] | None = None
        self._cache_version = -1

    # -- lifecycle -----------------------------------------------------------------------
    @classmethod
    def create(cls, directory: Path, passphrase: str, *, kdf: crypto.KdfParams | None = None,
               recovery: bool = True, clock: Clock | None = None) -> tuple[Vault, str | None]:
        crypto.self_test()
        directory = Path(directory)
        path = db_path(directory)
        if path.exists():
            raise VaultExists(f"a vault already exists at {directory}; refusing to overwrite it")
        if directory.exists() and any(directory.iterdir()):
            raise VaultExists(f"{directory} is not empty; choose an empty or new directory")
        if not passphrase:
            raise ValidationError("the passphrase must not be empty")
        if kdf is not None and kdf.is_absurd():
            raise ValidationError("key derivation settings out of range")
        kdf = kdf or crypto.calibrate()
        header = Header(os.urandom(16), kdf, os.urandom(16))
        dek = os.urandom(crypto.KEY_LEN)
        kek = crypto.derive_kek(passphrase, header.salt, kdf)
        try:
            make_private_dirs(directory)  # and its new parents: 0700 whatever the umask
            os.chmod(directory, 0o700)
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
        except OSError as exc:
            raise StorageError(f"cannot create the vault at {directory}: {exc.strerror}") from None
        conn = _connect(path)
        try:
            schema.migrate(conn)
            vault = cls(directory, conn, header, dek, clock or SystemClock())
            code = crypto.new_recovery_code() if recovery else None
            with vault._write():
                vault._put_meta("header", header.encode())
                vault._put_meta("dek_wrap", crypto.seal(kek, dek, header.encode()))
                if code:
                    vault._wrap_recovery(code)
                vault._new_seal_keys()
                vault._write_manifest()
        except BaseException:
            conn.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            raise
        return vault, code

    @classmethod
    def read_header(cls, directory: Path) -> tuple[Header, sqlite3.Connection]:
        """Open read-only and check this is our vault, before any pragma can touch it."""
        return read_header(directory)

    @classmethod
    def open(cls, directory: Path, passphrase: str | None = None, *,
             recovery_code: str | None = None, allow_weak: bool = False, verify: bool = True,
             clock: Clock | None = None) -> Vault:
        crypto.self_test()
        directory = Path(directory)
        header, ro = cls.read_header(directory)
        try:
            if header.kdf.is_below_floor() and not allow_weak:
                raise VaultDamaged("the vault's key derivation is below the safe minimum; "
                                   "refusing to open it")
            wraps = dict(ro.execute(
                "SELECT key, value FROM meta WHERE key IN ('dek_wrap', 'recovery_wrap')"
            ).fetchall())
        finally:
            ro.close()
        dek = cls._unwrap(header, wraps, passphrase, recovery_code)
        _tighten_modes(directory)
        conn = _connect(db_path(directory))
        try:
            schema.migrate(conn)
            vault = cls(directory, conn, header, dek, clock or SystemClock())
            if verify:
                vault.verify_manifest()
        except sqlite3.Error as exc:
            conn.close()
            raise _storage_error(exc) from None
        except BaseException:
            conn.close()
            raise
        return vault

    def close(self) -> None:
        """Checkpoint the WAL away, drop keys and every decrypted entry."""
        if self._conn is None:
            return
        try:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass
        self._conn.close()
        self._conn = None  # type: ignore[assignment]
        self._keys = {}
        self._dek = b""
        self._cache = None
        self._index = None

    lock = close

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions & meta -------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT: one writer at a time, all-or-nothing. Nested use
        becomes a savepoint inside the outer transaction."""
        self._index = None  # own commits do not move PRAGMA data_version
        if self._conn.in_transaction:
            import sqlite_utils  # only for nested writes: keeps it off every command's start

            with sqlite_utils.Database(self._conn).atomic():
                yield
            return
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _storage_error(exc) from None
        try:
            self._check_keys_current()
            yield
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise _storage_error(exc) from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        try:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
        except sqlite3.Error:  # e.g. the disk vanished: SQLite rolls back on next open
            pass
        self._cache = None  # may hold rows of the undone transaction: reload from disk
        self._index = None

    def _put_meta(self, key: str, value: bytes) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def _meta(self, key: str) -> bytes | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    # -- reading -------------------------------------------------------------------------
    def _drop_stale_cache(self) -> None:
        """Another connection (a second app, the CLI) committed since the cache was filled:
        SQLite's data_version says so for free. Reload rather than show stale entries."""
        if self._cache is not None and self._data_version() != self._cache_version:
            self._cache = None

    def _data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _load(self) -> dict[str, Entry]:
        self._drop_stale_cache()
        if self._cache is None:
            self._cache_version = self._data_version()
            cache: dict[str, Entry] = {}
            problems: list[str] = []
            with paused_gc():
                for raw_uuid, version, ct, row_digest in self._iter_rows():
                    try:
                        entry = self._decrypt_row(raw_uuid, version, ct, row_digest)
                    except crypto.DecryptError:
                        problems.append(f"entry {_row_name(raw_uuid)} fails authentication")
                        continue
                    cache[entry.id] = entry
            if problems and not self._keys_current():
                raise ConflictError(KEYS_CHANGED)
            if problems:
                raise VaultDamaged(f"{len(problems)} damaged entr"
                                   f"{'y' if len(problems) == 1 else 'ies'}: {problems[0]}"
                                   " (run 'journal check')", problems)
            self._cache = cache
        return self._cache

    def entries(self) -> list[Entry]:
        """Every entry, newest date first (copies: editing them changes nothing stored)."""
        loaded = self._load()
        with paused_gc():
            return sorted((e.copy() for e in loaded.values()), key=lambda e: e.date,
                          reverse=True)

    def count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM entries").fetchone()[0])

    def get(self, entry_id: str) -> Entry | None:
        """One entry by id: from the decrypted cache if warm, else just its row."""
        self._drop_stale_cache()
        if self._cache is not None:
            entry = self._cache.get(entry_id)
            return entry.copy() if entry else None
        return self._read_row(entry_id)

    def get_by_date(self, day: date) -> Entry | None:
        """One row lookup through the blind day index: no need to decrypt everything."""
        self._drop_stale_cache()
        if self._cache is not None:
            return next((e.copy() for e in self._cache.values() if e.date == day), None)
        row = self._conn.execute("SELECT uuid, version, ct, digest FROM entries WHERE day_key=?",
                                 (self.day_key(day),)).fetchone()
        if row is None:
            return None
        try:
            entry = self._decrypt_row(*row)
        except crypto.DecryptError:
            raise VaultDamaged(f"the entry for {day} fails authentication") from None
        if entry.date != day:  # the day index is outside the AEAD: never trust it alone
            raise VaultDamaged(f"the day index for {day} was altered (run 'journal check')")
        return entry

    # -- writing -------------------------------------------------------------------------
    def put(self, entry: Entry) -> Entry:
        return self.put_many([entry])[0]

    def put_many(self, entries: list[Entry]) -> list[Entry]:
        """Save entries in one transaction. Each must carry the version it was read at
        (0 for new); a newer row on disk means someone else wrote it: ConflictError."""
        now = self.clock.now().replace(microsecond=0)
        saved: list[Entry] = []
        previous = self._fresh_index()
        with self._write():
            self._verify_buckets(uuid.UUID(e.id).bytes for e in entries)
            before = self._bucket_stamps()
            for original in entries:
                if getattr(original, "partial", False):
                    raise ValidationError("a summary-only (partial) entry cannot be saved; "
                                          "load the full entry first")
                entry = original.copy()
                raw_uuid = uuid.UUID(entry.id).bytes
                row = self._conn.execute("SELECT version FROM entries WHERE uuid=?",
                                         (raw_uuid,)).fetchone()
                current = row[0] if row else 0
                if current != entry.version:
                    raise ConflictError(f"the entry for {entry.date} was changed elsewhere "
                                        f"since it was opened; reload it and try again")
                other = self._conn.execute("SELECT uuid FROM entries WHERE day_key=?",
                                           (self.day_key(entry.date),)).fetchone()
                if other is not None and other[0] != raw_uuid:
                    raise ConflictError(f"there is already an entry for {entry.date}")
                entry.written_at = entry.written_at or now
                entry.updated_at = now
                entry.version = current + 1
                self._store_row(entry)
                saved.append(entry)
            self._write_manifest(uuid.UUID(e.id).bytes for e in saved)
            changed = self._update_index(previous, before, saved, ())
        if self._cache is not None:
            for entry in saved:
                self._cache[entry.id] = entry.copy()
        self._patch_index(previous, changed)
        return saved

    def delete(self, entry_id: str) -> bool:
        raw_uuid = uuid.UUID(entry_id).bytes
        previous = self._fresh_index()
        with self._write():
            self._verify_buckets([raw_uuid])
            before = self._bucket_stamps()
            cur = self._conn.execute("DELETE FROM entries WHERE uuid=?", (raw_uuid,))
            self._write_manifest([raw_uuid])
            changed = self._update_index(previous, before, [], [raw_uuid])
        if self._cache is not None:
            self._cache.pop(entry_id, None)
        self._patch_index(previous, changed)
        return cur.rowcount > 0

    # -- housekeeping --------------------------------------------------------------------
    def compact(self) -> None:
        """VACUUM (no old pages, no forensic traces in free space), then checkpoint the WAL
        away. Called after key rotation; worth calling after bulk deletes."""
        try:
            self._conn.execute("VACUUM")
        except sqlite3.Error:
            pass
        self._checkpoint()

    def _checkpoint(self) -> None:
        try:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass

    # -- sealed capture ------------------------------------------------------------------
    def sealed_box(self) -> SealedBox:
        return SealedBox(self.directory)
