"""The encrypted vault: one directory holding one SQLite file, every entry sealed.

Key hierarchy (docs/security.md): passphrase -NFC-> Argon2id -> KEK -> wraps a random
DEK -> HKDF subkeys for entries, the manifest, the blind day index and the sealing key.
Each entry row is AES-256-GCM over padded JSON, its associated data binding the vault id,
the entry id and the row version; an HMAC manifest over every (uuid, version, digest)
catches deleted, duplicated and rolled-back rows at unlock.

`Vault` is a facade over composed parts (docs/architecture.md): it owns the one connection
and the one write transaction at a time, and the decrypted-entry cache; `KeyRing` holds the
keys, `Records` seals and opens rows, `Manifest` authenticates the set of rows, `IndexStore`
keeps the sealed summaries, `Captures` opens quick captures. Each part gets the connection
and the neighbours it needs, never the Vault.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
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
from journal.core.store.captures import Captures, MergeResult, SealedBox, fold_captures
from journal.core.store.check import CheckReport, check_vault
from journal.core.store.header import Header, read_header
from journal.core.store.index import Hits, Index
from journal.core.store.index_chunk import Chunk
from journal.core.store.index_store import IndexStore
from journal.core.store.keyring import KEYS_CHANGED, WRONG, KeyRing, unwrap
from journal.core.store.manifest import Manifest
from journal.core.store.records import Records, needs_full_parse, row_name
from journal.core.store.schema import SQLITE_MAGIC, db_path, snapshot

#: The names other modules import from here (the vault's public face).
__all__ = ["WRONG", "KEYS_CHANGED", "CheckReport", "Header", "MergeResult", "Vault",
           "db_path", "merge_sealed", "SQLITE_MAGIC"]


class Vault:
    """An unlocked vault. Create with `Vault.create`, open with `Vault.open`."""

    def __init__(self, directory: Path, conn: sqlite3.Connection, header: Header, dek: bytes,
                 clock: Clock) -> None:
        self.directory = Path(directory)
        self.clock = clock
        self._conn = conn
        self.keyring = KeyRing(conn, header, dek)
        self.records = Records(conn, self.keyring)
        self.manifest = Manifest(conn, self.keyring, clock)
        self.indexes = IndexStore(conn, self.keyring, self.manifest, self.records)
        self.captures = Captures(conn, self.keyring)
        self._cache: dict[str, Entry] | None = None
        self._cache_version = -1

    @property
    def header(self) -> Header:
        return self.keyring.header

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
        conn = schema.connect(path)
        try:
            schema.migrate(conn)
            vault = cls(directory, conn, header, dek, clock or SystemClock())
            code = crypto.new_recovery_code() if recovery else None
            with vault._write():
                vault.keyring.write_wrap(header, kek)
                if code:
                    vault.keyring.write_recovery(code)
                vault.keyring.write_seal_keys()
                vault.manifest.write()
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
        dek = unwrap(header, wraps, passphrase, recovery_code)
        schema.tighten_modes(directory)
        conn = schema.connect(db_path(directory))
        try:
            schema.migrate(conn)
            vault = cls(directory, conn, header, dek, clock or SystemClock())
            if verify:
                vault.verify_manifest()
        except sqlite3.Error as exc:
            conn.close()
            raise schema.storage_error(exc) from None
        except BaseException:
            conn.close()
            raise
        return vault

    def close(self) -> None:
        """Checkpoint the WAL away, drop keys and every decrypted entry."""
        if self._conn is None:
            return
        self._checkpoint()
        self._conn.close()
        self._conn = None  # type: ignore[assignment]
        self.keyring.forget()
        self._cache = None
        self.indexes.forget()

    lock = close

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT: one writer at a time, all-or-nothing. Nested use
        becomes a savepoint inside the outer transaction."""
        self.indexes.forget()  # own commits do not move PRAGMA data_version
        if self._conn.in_transaction:
            import sqlite_utils  # only for nested writes: keeps it off every command's start

            with sqlite_utils.Database(self._conn).atomic():
                yield
            return
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise schema.storage_error(exc) from None
        try:
            self.keyring.check_current()
            yield
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise schema.storage_error(exc) from None
        except BaseException:
            self._rollback()
            raise

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Several saves as one: all or nothing (an import, a merge)."""
        return self._write()

    def refresh(self) -> None:
        """Drop the decrypted copies, so the next read comes from disk (another window
        saved)."""
        self._cache = None

    def _rollback(self) -> None:
        try:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
        except sqlite3.Error:  # e.g. the disk vanished: SQLite rolls back on next open
            pass
        self._cache = None  # may hold rows of the undone transaction: reload from disk
        self.indexes.forget()

    def _meta(self, key: str) -> bytes | None:
        return schema.meta(self._conn, key)

    # -- reading -------------------------------------------------------------------------
    def _drop_stale_cache(self) -> None:
        """Another connection (a second app, the CLI) committed since the cache was filled:
        SQLite's data_version says so for free. Reload rather than show stale entries."""
        if self._cache is not None and schema.data_version(self._conn) != self._cache_version:
            self._cache = None

    def _load(self) -> dict[str, Entry]:
        self._drop_stale_cache()
        if self._cache is None:
            self._cache_version = schema.data_version(self._conn)
            cache: dict[str, Entry] = {}
            problems: list[str] = []
            with paused_gc():
                for row in self.records.rows():
                    try:
                        entry = self.records.decrypt(*row)
                    except crypto.DecryptError:
                        problems.append(f"entry {row_name(row[0])} fails authentication")
                        continue
                    cache[entry.id] = entry
            if problems and not self.keyring.keys_current():
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
        return self.records.count()

    def get(self, entry_id: str) -> Entry | None:
        """One entry by id: from the decrypted cache if warm, else just its row."""
        self._drop_stale_cache()
        if self._cache is not None:
            entry = self._cache.get(entry_id)
            return entry.copy() if entry else None
        return self.records.read(entry_id)

    def get_by_date(self, day: date) -> Entry | None:
        """One row lookup through the blind day index: no need to decrypt everything."""
        self._drop_stale_cache()
        if self._cache is not None:
            return next((e.copy() for e in self._cache.values() if e.date == day), None)
        row = self.records.row_on(day)
        if row is None:
            return None
        try:
            entry = self.records.decrypt(*row)
        except crypto.DecryptError:
            raise VaultDamaged(f"the entry for {day} fails authentication") from None
        if entry.date != day:  # the day index is outside the AEAD: never trust it alone
            raise VaultDamaged(f"the day index for {day} was altered (run 'journal check')")
        return entry

    def get_many(self, entry_ids: Iterable[str]) -> list[Entry]:
        """Full entries for these ids, decrypting only their rows (unknown ids skipped)."""
        self._drop_stale_cache()
        if self._cache is not None:
            return [self._cache[i].copy() for i in entry_ids if i in self._cache]
        return self.records.read_many(entry_ids)

    def entries_containing(self, entry_ids: Sequence[str], words: list[str]) -> list[Entry]:
        """Full entries among these ids (in their order) whose decrypted text holds every
        (casefolded) word; only rows whose JSON holds every word are parsed. Callers still
        match exactly (`Query.matches`): this only drops rows that cannot match."""
        self._drop_stale_cache()
        if self._cache is not None or needs_full_parse(words):
            return self.get_many(entry_ids)  # a word JSON would escape: no shortcut
        return self.records.containing(entry_ids, words)

    def day_key(self, day: date) -> bytes:
        return self.keyring.day_key(day)

    # -- writing -------------------------------------------------------------------------
    def put(self, entry: Entry) -> Entry:
        return self.put_many([entry])[0]

    def put_many(self, entries: list[Entry]) -> list[Entry]:
        """Save entries in one transaction. Each must carry the version it was read at
        (0 for new); a newer row on disk means someone else wrote it: ConflictError."""
        now = self.clock.now().replace(microsecond=0)
        saved: list[Entry] = []
        previous = self.indexes.fresh()
        with self._write():
            self.manifest.verify_buckets(uuid.UUID(e.id).bytes for e in entries)
            before = self.indexes.stamps()
            for original in entries:
                if getattr(original, "partial", False):
                    raise ValidationError("a summary-only (partial) entry cannot be saved; "
                                          "load the full entry first")
                entry = original.copy()
                raw_uuid = uuid.UUID(entry.id).bytes
                current = self.records.version_of(raw_uuid)
                if current != entry.version:
                    raise ConflictError(f"the entry for {entry.date} was changed elsewhere "
                                        f"since it was opened; reload it and try again")
                other = self.records.id_on(entry.date)
                if other is not None and other != raw_uuid:
                    raise ConflictError(f"there is already an entry for {entry.date}")
                entry.written_at = entry.written_at or now
                entry.updated_at = now
                entry.version = current + 1
                self.records.store(entry)
                saved.append(entry)
            self.manifest.write(uuid.UUID(e.id).bytes for e in saved)
            changed = self.indexes.update(previous, before, saved, ())
        if self._cache is not None:
            for entry in saved:
                self._cache[entry.id] = entry.copy()
        self.indexes.patch(previous, changed)
        return saved

    def delete(self, entry_id: str) -> bool:
        raw_uuid = uuid.UUID(entry_id).bytes
        previous = self.indexes.fresh()
        with self._write():
            self.manifest.verify_buckets([raw_uuid])
            before = self.indexes.stamps()
            removed = self.records.remove(raw_uuid)
            self.manifest.write([raw_uuid])
            changed = self.indexes.update(previous, before, [], [raw_uuid])
        if self._cache is not None:
            self._cache.pop(entry_id, None)
        self.indexes.patch(previous, changed)
        return removed

    # -- the index -------------------------------------------------------------------------
    def index(self) -> Index:
        """Every entry's sealed summary, decoded (cached until anyone commits; own saves
        patch it). Cheap: at most 256 small decrypts, no full entry."""
        cached = self.indexes.fresh()
        if cached is not None:
            return cached
        version = schema.data_version(self._conn)
        with paused_gc():
            chunks, stale = self.indexes.read()
            if stale:
                chunks.update(self._heal_index(stale))
        index = Index(chunks)
        self.indexes.keep(index, version)
        return index

    def summaries(self) -> Hits:
        """Every entry as a *partial* Entry (no body, no notes), newest first, each built
        when read: enough to list, filter by tag/person/kind/context/date, and reflect.
        The vault refuses to save partial entries."""
        return self.index().select()

    def _heal_index(self, buckets: list[int]) -> dict[int, Chunk]:
        """The index is a cache: rebuild chunks that are missing or do not match the
        manifest (a vault from before the index, an older or damaged chunk) from the
        entries themselves, and store them when the vault is writable."""
        try:
            with self._write():
                if self.manifest.bucket_stamps() is None:  # legacy: verify, then upgrade
                    self.manifest.verify_buckets(())
                    self.manifest.write()
                rebuilt = self.indexes.rebuild(buckets)
                for chunk in rebuilt.values():
                    self.indexes.store(chunk)
            return rebuilt
        except StorageError:  # read-only: still readable, rebuilt again next time
            with snapshot(self._conn):
                return self.indexes.rebuild(buckets)

    # -- integrity -----------------------------------------------------------------------
    def manifest_info(self) -> dict:
        return self.manifest.info()

    def bucket_stamps(self) -> list[str] | None:
        return self.manifest.bucket_stamps()

    def verify_manifest(self, *, digests: bool = False) -> None:
        """The unlock-time check (`Manifest.verify`)."""
        self.manifest.verify(digests=digests)

    def check(self) -> CheckReport:
        """Authenticate every record and the manifest; name each damaged record."""
        return check_vault(self._conn, self.keyring, self.records, self.manifest)

    def last_saved(self) -> tuple[datetime | None, int]:
        return self.manifest.last_saved()

    # -- keys ----------------------------------------------------------------------------
    def change_passphrase(self, new_passphrase: str, kdf: crypto.KdfParams | None = None) -> None:
        """Re-wrap the data key under a new passphrase: O(1), entries untouched."""
        header, kek = KeyRing.new_passphrase_wrap(self.header, new_passphrase, kdf)
        with self._write():
            self.keyring.write_wrap(header, kek)
        self.keyring.header = header
        self._checkpoint()

    def rotate_keys(self, passphrase: str, *, new_recovery: bool = True) -> str | None:
        """A new data key; every entry re-encrypted in one transaction. Returns the new
        recovery code (the old one stops working), or None. The passphrase, the header and
        the entries are all read inside the transaction, so a concurrent writer (another
        window, the CLI) can neither lose an entry nor be left with a mismatched key wrap."""
        self.merge_captures()
        code = crypto.new_recovery_code() if new_recovery else None
        old_keys = self.keyring.state()
        try:
            with self._write():
                header, kek = self.keyring.kek_on_disk(passphrase)
                self.manifest.verify()  # never re-MAC rows that were tampered with
                index = self.index()  # its summaries carry over: no body is parsed again
                self._cache = None
                entries = list(self._load().values())
                self.keyring.rekey(header, kek, code)
                self.records.remove_all()
                for entry in entries:
                    entry.version += 1
                    self.records.store(entry)
                self.manifest.write()
                self.indexes.reseal(index)
        except BaseException:
            self.keyring.restore(old_keys)
            self._cache = None
            raise
        self._cache = {e.id: e for e in entries}
        self._cache_version = schema.data_version(self._conn)
        self.compact()
        return code

    def seal_private_key(self) -> bytes:
        return self.keyring.seal_private_key()

    def sealing_key_problem(self) -> str | None:
        return self.keyring.sealing_key_problem()

    def restore_sealing_key(self) -> None:
        """Put back the public key that belongs to our private key."""
        with self._write():
            self.keyring.write_public_key()

    # -- quick capture -------------------------------------------------------------------
    def sealed_box(self) -> SealedBox:
        return SealedBox(self.directory)

    def merge_captures(self) -> MergeResult:
        """Decrypt pending sealed entries and merge them into their days, in one
        transaction; a tampered one is kept and reported."""
        result = MergeResult()
        problem = self.keyring.sealing_key_problem()
        if problem is not None:
            result.problems.append(problem)
            if "replaced" in problem:
                self.restore_sealing_key()  # future captures are safe again
        rows = self.captures.pending()
        if not rows:
            return result
        opened, problems = self.captures.open_all(rows)
        result.problems.extend(problems)
        if opened:
            merged = fold_captures(opened, self.get_by_date)
            with self._write():
                self.put_many(merged)
                self.captures.discard([sealed_id for sealed_id, _ in opened])
            result.merged = len(opened)
        return result

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


def merge_sealed(vault: Vault) -> MergeResult:
    """Merge the vault's pending quick captures (`Vault.merge_captures`)."""
    return vault.merge_captures()
