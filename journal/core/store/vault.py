"""The encrypted vault: one directory holding one SQLite file, every entry sealed.

Key hierarchy (docs/security.md): passphrase -NFC-> Argon2id -> KEK -> wraps a random
DEK -> HKDF subkeys for entries, the manifest, the blind day index and the sealing key.
Each entry row is AES-256-GCM over padded JSON, its associated data binding the vault id,
the entry id and the row version; an HMAC manifest over every (uuid, version, digest)
catches deleted, duplicated and rolled-back rows at unlock.

`Vault` is a facade over composed parts (docs/architecture.md): it owns the one connection
(used by one thread at a time: each of its methods takes the vault's turn,
journal.core.store.turn) and the one write transaction at a time, and the decrypted-entry
cache; `KeyRing` holds the keys, `Records` seals and opens rows, `Manifest` authenticates
the set of rows, `IndexStore` keeps the sealed summaries, `Captures` opens quick captures.
Each part gets the connection and the neighbours it needs, never the Vault. `Maintenance`
(merging and reviewing quick captures, a new passphrase, new keys, storing or dropping the
index, compacting) changes entries only through the Vault's own saves; the Vault keeps a
thin method for each of its operations, so callers hold one object
(journal.core.store.maintenance says why).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import cast

from journal.core.clock import Clock, SystemClock
from journal.core.errors import (
    ConflictError,
    IntegrityError,
    JournalError,
    StorageError,
    ValidationError,
    VaultDamaged,
    VaultExists,
    VaultLocked,
)
from journal.core.model.entries import Entry
from journal.core.store import bulk, crypto, schema
from journal.core.store.bulk import paused_gc
from journal.core.store.captures import Arrival, Captures, MergeResult, SealedBox
from journal.core.store.check import CheckReport, check_vault
from journal.core.store.header import Header, read_header
from journal.core.store.index import Hits, Index
from journal.core.store.index_chunk import Chunk
from journal.core.store.index_store import IndexStore
from journal.core.store.keyring import KEYS_CHANGED, WRAPS, WRONG, KeyRing, unwrap
from journal.core.store.maintenance import Maintenance
from journal.core.store.manifest import Manifest
from journal.core.store.private_dirs import make_private_dirs
from journal.core.store.read_ahead import ReadAhead
from journal.core.store.records import Records, needs_full_parse, row_name
from journal.core.store.rollback import SeenSaves
from journal.core.store.schema import SQLITE_MAGIC, db_path, snapshot
from journal.core.store.turn import LOCKED, Turn, in_turn
from journal.core.store.word_chunk import WordChunk

#: The names other modules import from here (the vault's public face).
__all__ = ["WRONG", "KEYS_CHANGED", "CheckReport", "Header", "MergeResult", "Vault",
           "db_path", "merge_sealed", "SQLITE_MAGIC"]


class Vault:
    """An unlocked vault. Create with `Vault.create`, open with `Vault.open`."""

    def __init__(self, directory: Path, conn: sqlite3.Connection, header: Header, dek: bytes,
                 clock: Clock, trusted_kdf: crypto.KdfParams | None = None) -> None:
        self.directory = Path(directory)
        self.clock = clock
        self._conn = conn
        #: Held by every use of the connection (journal.core.store.turn): one thread at a
        #: time. Re-entrant; a front end on several threads shares its own (`share_turn`).
        self.turn: Turn = threading.RLock()
        self.keyring = KeyRing(conn, header, dek, trusted_kdf)
        self.records = Records(conn, self.keyring)
        self.manifest = Manifest(conn, self.keyring, clock)
        self.indexes = IndexStore(conn, self.keyring, self.manifest, self.records)
        self.captures = Captures(conn, self.keyring, self.manifest)
        self.maintenance = Maintenance(conn, self.keyring, self.records, self.manifest,
                                       self.indexes, self.captures, clock, self)
        self._cache: dict[str, Entry] | None = None
        self._cache_version = -1
        self._seen: SeenSaves | None = None
        #: Set at unlock when the vault is older than one this user saw (`SeenSaves`).
        self.rollback_warning: str | None = None
        #: Called (with this vault) when a read outside any transaction had to rebuild
        #: index chunks; the caller may then store them, and say so (`store_healed_index`).
        self.on_index_rebuilt: Callable[[Vault], None] | None = None

    @property
    def header(self) -> Header:
        return self.keyring.header

    @property
    def closed(self) -> bool:
        """Locked: the connection is closed and the keys forgotten."""
        return self._conn is None

    def share_turn(self, turn: Turn) -> None:
        """Take turns on the connection under `turn` (a re-entrant lock: the app's
        `vault_lock`) from now on, so a caller holding it over several calls keeps the
        turn between them. Call it before any other thread has this vault."""
        with self.turn:
            self.turn = turn

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
            vault = cls(directory, conn, header, dek, clock or SystemClock(), header.kdf)
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
             clock: Clock | None = None, seen: SeenSaves | None = None,
             data_key: bytes | None = None, read_ahead: ReadAhead | None = None) -> Vault:
        """Unlock. `seen` (the user's record of save counters) turns on the rollback
        warning: `rollback_warning` says so when this vault went back in time. `data_key`
        unlocks with the data key itself (sync's escrow, journal.core.sync.escrow: a wrong
        key fails the manifest check; the header's settings are then not vouched for).
        `read_ahead`: with a passphrase and `verify`, read what the check and the command
        need while the key is derived (journal.core.store.read_ahead)."""
        directory = Path(directory)
        if read_ahead is None:
            crypto.self_test()
        header, ro = cls.read_header(directory)
        try:
            if header.kdf.is_below_floor() and not allow_weak:
                raise VaultDamaged("the vault's key derivation is below the safe minimum; "
                                   "refusing to open it")
            wraps = dict(ro.execute(
                f"SELECT key, value FROM meta WHERE key IN ({','.join('?' * len(WRAPS))})",
                WRAPS).fetchall())
        finally:
            ro.close()
        ahead = None
        if (read_ahead is not None and verify and passphrase is not None
                and recovery_code is None and data_key is None):
            ahead = read_ahead.begin(directory, header, passphrase)
        try:
            if read_ahead is not None:
                crypto.self_test()  # after the reads: it waits for a derivation under way
            dek, trusted_kdf = ((data_key, None) if data_key is not None else
                                unwrap(header, wraps, passphrase, recovery_code))
        except BaseException:
            if ahead is not None:  # nothing read is kept: not one byte was decrypted
                ahead.end()
                ahead.conn.close()
            raise
        if ahead is None:
            schema.tighten_modes(directory)
        conn = schema.connect(db_path(directory)) if ahead is None else ahead.conn
        try:
            schema.migrate(conn)
            vault = cls(directory, conn, header, dek, clock or SystemClock(), trusted_kdf)
            if ahead is not None:  # the rows read ahead, if nobody committed since
                vault.manifest.verify(prepared=ahead.resume())
                vault.indexes.offer(ahead.version, ahead.chunks, ahead.words)
                ahead.end()
            elif verify:
                vault.verify_manifest()
            if seen is not None:
                vault._seen = seen
                vault.rollback_warning = vault._observe_counter()
        except sqlite3.Error as exc:
            conn.close()
            raise schema.storage_error(exc) from None
        except BaseException:
            conn.close()
            raise
        return vault

    def close(self) -> None:
        """Checkpoint the WAL away, drop keys and every decrypted entry (in the vault's
        turn: a call under way on another thread ends first)."""
        with self.turn:
            if self._conn is None:
                return
            if self._seen is not None:  # the saves of this session count as seen
                self._observe_counter()
            self.maintenance.checkpoint()
            self._conn.close()
            self._conn = None  # type: ignore[assignment]
            self.keyring.forget()
            self._cache = None
            self.indexes.drop()

    lock = close

    def _observe_counter(self) -> str | None:
        if self._seen is None:
            return None
        try:
            counter = self.manifest.counter()
            saved_at, _ = self.manifest.last_saved()
        except (JournalError, ValueError, sqlite3.Error):
            return None  # a damaged manifest is reported by the integrity check
        return self._seen.observe(self.header.vault_id, counter, saved_at, self.clock.now())

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT: one writer at a time, all-or-nothing. Nested use
        becomes a savepoint inside the outer transaction. The whole transaction is one
        turn: no other thread's statement lands inside it (journal.core.store.turn)."""
        with self.turn:
            if self.closed:
                raise VaultLocked(LOCKED)
            yield from self._write_in_turn()

    def _write_in_turn(self) -> Iterator[None]:
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

    @in_turn
    def entries(self) -> list[Entry]:
        """Every entry, newest date first (copies: editing them changes nothing stored)."""
        loaded = self._load()
        with paused_gc():
            return sorted((e.copy() for e in loaded.values()), key=lambda e: e.date,
                          reverse=True)

    @in_turn
    def reload(self) -> list[Entry]:
        """Every entry decrypted again from disk, each authenticated (a damaged one raises
        as any full read does), and held as the decrypted cache: the cache's own entries,
        not copies, for a change that seals every one again (`Maintenance.rotate_keys`),
        so the cache then holds what it stored."""
        self._cache = None
        return list(self._load().values())

    @in_turn
    def count(self) -> int:
        return self.records.count()

    @in_turn
    def get(self, entry_id: str) -> Entry | None:
        """One entry by id: from the decrypted cache if warm, else just its row."""
        self._drop_stale_cache()
        if self._cache is not None:
            entry = self._cache.get(entry_id)
            return entry.copy() if entry else None
        return self.records.read(entry_id)

    @in_turn
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

    @in_turn
    def get_many(self, entry_ids: Iterable[str]) -> list[Entry]:
        """Full entries for these ids, decrypting only their rows (unknown ids skipped)."""
        self._drop_stale_cache()
        if self._cache is not None:
            return [self._cache[i].copy() for i in entry_ids if i in self._cache]
        return self.records.read_many(entry_ids)

    @in_turn
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

    @in_turn
    def salvage(self) -> tuple[list[Entry], list[str]]:
        """Every entry that still authenticates (newest first) and a name for each one that
        does not: the way out of a vault with a damaged row (issue 13 item 12)."""
        with snapshot(self._conn):
            entries, damaged = self.records.salvage()
        if damaged:
            self.keyring.check_current()  # keys rotated elsewhere is not damage
        return sorted(entries, key=lambda e: e.date, reverse=True), damaged

    @in_turn
    def damaged_among(self, entry_ids: Iterable[str]) -> set[str]:
        """Which of these entries were altered outside the journal (their digest fails)."""
        return self.records.damaged_among(entry_ids)

    @in_turn
    def damaged_near(self, entry_id: str) -> list[str]:
        """The entries of this entry's manifest bucket (about n/256) whose record fails its
        digest: a check whose cost does not grow with the vault the way a full scan (`check`)
        does. Names, for a warning."""
        return self.records.damaged_in_bucket(crypto.manifest_bucket(uuid.UUID(entry_id).bytes))

    # -- for sync (journal.core.sync) -----------------------------------------------------
    def derived_key(self, purpose: str) -> bytes:
        """A key for another part of the program, derived from the data key (HKDF)."""
        return crypto.subkey(self.keyring.dek, f"derived/{purpose}")

    @in_turn
    def versions(self) -> dict[str, int]:
        """Every entry's id and version, without decrypting anything."""
        return {str(uuid.UUID(bytes=u)): v for u, v in
                self._conn.execute("SELECT uuid, version FROM entries")}

    # -- writing -------------------------------------------------------------------------
    def put(self, entry: Entry) -> Entry:
        return self.put_many([entry])[0]

    @in_turn
    def put_many(self, entries: Iterable[Entry],
                 progress: Callable[[int], None] | None = None) -> list[Entry]:
        """Save entries in one transaction. Each must carry the version it was read at
        (0 for new); a newer row on disk means someone else wrote it: ConflictError.

        The work per call is the rows plus one pass over each touched bucket (its manifest
        MAC checked before its rows change and resealed after, its index chunk rewritten),
        so a bulk write (an import) belongs in ONE call: in batches, every batch would redo
        the buckets it touches, and an import would grow with the square of its size.
        `progress(k)` is called as each row is sealed.

        A list (or tuple) is the caller's: it is saved as copies, in any order, and the
        saved copies are returned. Any other iterable is streamed (an import of 50,000
        entries): it must yield its entries grouped by manifest bucket, ascending
        (`bulk.bucket_of`), it is consumed one bucket at a time, its entries themselves are
        saved (no copies), nothing of them is kept (the decrypted cache is dropped) and []
        is returned: at most one bucket's entries are held, about n/256."""
        streamed = not isinstance(entries, list | tuple)
        now = self.clock.now().replace(microsecond=0)
        kept: list[Entry] = []
        touched: list[int] = []
        previous = None if streamed else self.indexes.fresh()
        changed: dict[int, Chunk] = {}
        with self._write(), paused_gc():
            before = self.indexes.stamps()
            for group in bulk.in_buckets(entries, streamed):
                raws = [uuid.UUID(e.id).bytes for e in group]
                self.manifest.verify_buckets(raws[:1])  # this bucket, before its rows change
                saved = [self._seal(e if streamed else e.copy(), raw, now, progress)
                         for e, raw in zip(group, raws, strict=True)]
                self.manifest.write(raws[:1])  # this bucket's MAC, from its rows
                chunks = self.indexes.update(previous, before, saved, ())
                if streamed:
                    touched.extend(chunks)
                else:
                    changed.update(chunks)
                    kept.extend(saved)
                del group, saved  # before the next bucket is read
            changed.update(self.indexes.store_healed([*changed, *touched]))
        if streamed:
            self._cache = None
        elif self._cache is not None:
            for entry in kept:
                self._cache[entry.id] = entry.copy()
        self.indexes.patch(previous, changed)
        if streamed:
            return kept
        by_id = {entry.id: entry for entry in kept}
        return [by_id[entry.id] for entry in cast(Sequence[Entry], entries)]  # as given

    def _seal(self, entry: Entry, raw_uuid: bytes, now: datetime,
              progress: Callable[[int], None] | None) -> Entry:
        """One row of `put_many`, at its new version (checked against the stored one)."""
        if getattr(entry, "partial", False):
            raise ValidationError("a summary-only (partial) entry cannot be saved; "
                                  "load the full entry first")
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
        if progress is not None:
            progress(1)
        return entry

    @in_turn
    def delete(self, entry_id: str) -> bool:
        raw_uuid = uuid.UUID(entry_id).bytes
        previous = self.indexes.fresh()
        with self._write():
            self.manifest.verify_buckets([raw_uuid])
            before = self.indexes.stamps()
            removed = self.records.remove(raw_uuid)
            self.manifest.write([raw_uuid])
            changed = self.indexes.update(previous, before, [], [raw_uuid])
            changed.update(self.indexes.store_healed(changed))
        if self._cache is not None:
            self._cache.pop(entry_id, None)
        self.indexes.patch(previous, changed)
        return removed

    # -- the index -------------------------------------------------------------------------
    @in_turn
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
        # Chunks of the format before the fold (4): current, and folded from their own
        # moments when stored, so they are stored like rebuilt ones (no entry decrypted).
        upgraded = {b: c for b, c in chunks.items() if c.upgraded}
        if upgraded:
            self.indexes.remember_healed(upgraded, upgraded=True)
        index = Index(chunks, self._word_rows)
        self.indexes.keep(index, version)
        if ((stale or upgraded) and self.on_index_rebuilt is not None
                and not self._conn.in_transaction):
            self.on_index_rebuilt(self)
        return index

    def summaries(self) -> Hits:
        """Every entry as a *partial* Entry (no body, no notes), newest first, each built
        when read: enough to list, filter by tag/person/kind/context/date, and reflect.
        The vault refuses to save partial entries."""
        return self.index().select()

    def _heal_index(self, buckets: list[int]) -> dict[int, Chunk]:
        """The index is a cache: rebuild chunks that are missing or do not match the
        manifest (a vault from before the index, an older or damaged chunk) from the
        entries themselves, only after checking those entries against the manifest (a row
        deleted and its chunk with it must never give a chunk stamped current without that
        row). A read never writes the vault: the next save stores them."""
        with snapshot(self._conn):
            problems = self.manifest.problems_in(set(buckets))
            if problems:
                raise IntegrityError("integrity check failed: " + "; ".join(problems)
                                     + " (run 'journal check')", problems)
            rebuilt = self.indexes.rebuild(buckets)
        self.indexes.remember_healed(rebuilt)
        return rebuilt

    @in_turn
    def _word_rows(self, index: Index) -> dict[int, WordChunk]:
        """The word rows of `index`'s chunks, for a word search (nothing else reads them):
        those matching their chunk, and any missing, damaged or stale one rebuilt from its
        rows after checking them against the manifest, as `_heal_index` does, and stored
        the same way. Two threads may both have found them missing (the index is shared):
        the second, in its turn, takes what the first loaded."""
        loaded = index.loaded_word_chunks()
        if loaded is not None:
            return loaded
        with paused_gc():
            words, stale = self.indexes.read_words(index)
            if stale:
                with snapshot(self._conn):
                    problems = self.manifest.problems_in(set(stale))
                    if problems:
                        raise IntegrityError("integrity check failed: " + "; ".join(problems)
                                             + " (run 'journal check')", problems)
                    words.update(self.indexes.rebuild_words(index, stale))
        if stale and self.on_index_rebuilt is not None and not self._conn.in_transaction:
            self.on_index_rebuilt(self)
        return words

    @in_turn
    def store_healed_index(self, *, patience: float | None = None) -> int:
        """Store the chunks this connection rebuilt while reading, in one transaction
        (`Maintenance.store_healed_index`); returns how many entries they hold."""
        return self.maintenance.store_healed_index(patience=patience)

    @in_turn
    def drop_index(self) -> None:
        """Delete every index chunk, for the next read to rebuild from verified entries
        (`Maintenance.drop_index`)."""
        self.maintenance.drop_index()

    # -- integrity -----------------------------------------------------------------------
    @in_turn
    def manifest_info(self) -> dict:
        return self.manifest.info()

    @in_turn
    def bucket_stamps(self) -> list[str] | None:
        return self.manifest.bucket_stamps()

    @in_turn
    def verify_manifest(self, *, digests: bool = False) -> None:
        """The unlock-time check (`Manifest.verify`)."""
        self.manifest.verify(digests=digests)

    @in_turn
    def check(self) -> CheckReport:
        """Authenticate every record and the manifest; name each damaged record."""
        return check_vault(self._conn, self.keyring, self.records, self.manifest, self.indexes,
                           self.captures)

    @in_turn
    def last_saved(self) -> tuple[datetime | None, int]:
        return self.manifest.last_saved()

    # -- keys (their changes: journal.core.store.maintenance) ----------------------------
    @in_turn
    def change_passphrase(self, new_passphrase: str,
                          kdf: crypto.KdfParams | None = None) -> str | None:
        """Re-wrap the data key under a new passphrase (`Maintenance.change_passphrase`);
        returns a note for the person about the key-derivation settings, or None."""
        return self.maintenance.change_passphrase(new_passphrase, kdf)

    @in_turn
    def rotate_keys(self, passphrase: str, *, new_recovery: bool = True) -> str | None:
        """A new data key, every entry sealed again in one transaction
        (`Maintenance.rotate_keys`); returns the new recovery code, or None."""
        return self.maintenance.rotate_keys(passphrase, new_recovery=new_recovery)

    @in_turn
    def seal_private_key(self) -> bytes:
        return self.keyring.seal_private_key()

    @in_turn
    def sealing_key_problem(self) -> str | None:
        return self.keyring.sealing_key_problem()

    @in_turn
    def restore_sealing_key(self) -> None:
        """Put back the public key that belongs to our private key."""
        self.maintenance.restore_sealing_key()

    # -- quick capture (its merge and review: journal.core.store.maintenance) ------------
    def sealed_box(self) -> SealedBox:
        return SealedBox(self.directory)

    @in_turn
    def merge_captures(self) -> MergeResult:
        """Merge pending quick captures into their days, in one transaction
        (`Maintenance.merge_captures`); a tampered one is kept and reported."""
        return self.maintenance.merge_captures()

    @in_turn
    def arrivals(self, day: date | None = None) -> list[Arrival]:
        """Provenance of what quick capture brought into the entry of `day` (or all)."""
        return self.captures.arrivals(day)

    @in_turn
    def discard_capture(self, number: int) -> Arrival:
        """Take the `number`-th merged capture (as `arrivals()` lists them) out of its day
        (`Maintenance.discard_capture`)."""
        return self.maintenance.discard_capture(number)

    @in_turn
    def keep_capture(self, number: int) -> Arrival:
        """Mark the `number`-th merged capture reviewed, kept as the person's own
        (`Maintenance.keep_capture`)."""
        return self.maintenance.keep_capture(number)

    # -- housekeeping --------------------------------------------------------------------
    @in_turn
    def compact(self) -> None:
        """VACUUM, then empty the WAL (`Maintenance.compact`); worth calling after bulk
        deletes."""
        self.maintenance.compact()


def merge_sealed(vault: Vault) -> MergeResult:
    """Merge the vault's pending quick captures (`Vault.merge_captures`)."""
    return vault.merge_captures()
