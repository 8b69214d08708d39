"""Vault maintenance: the changes to a vault that are not a person reading or saving an
entry. Quick captures merged into their days, kept or discarded after review; a new
passphrase (the data key re-wrapped) and new keys (every record sealed again); the sealing
key put back; the index chunks a read rebuilt stored, or all of them dropped for repair; the
file compacted and its WAL emptied.

`Maintenance` is composed by the Vault (docs/architecture.md), like the parts below it: it
gets the connection, the parts it works on (`KeyRing`, `Records`, `Manifest`, `IndexStore`,
`Captures`) and the clock in its constructor. What is not a part's own, the entries, it
changes only through the vault's own saves, named by a narrow interface (`Entries`: the
vault's one write transaction, `get_by_date`, `put`, `put_many`, `delete`, the index and the
decrypted cache), so the manifest, the index and the cache stay in step exactly as for any
save. It never opens a write transaction of its own.

Callers do not reach for it: the Vault keeps a thin method for each operation
(`vault.merge_captures()`, `vault.rotate_keys(...)`, ...). The Vault is the one object the
app, the command line, sync and the tests hold; every one of these runs inside its write
transaction and changes what its cache holds; and which collaborator does the work is the
vault's own business, free to change without touching a caller.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from typing import Protocol

from journal.core.clock import Clock
from journal.core.errors import IntegrityError, ValidationError
from journal.core.model.entries import Entry
from journal.core.store import crypto, schema
from journal.core.store.captures import (
    Arrival,
    Captures,
    MergeResult,
    first_words,
    fold_captures,
    without_capture,
)
from journal.core.store.index import Index
from journal.core.store.index_store import IndexStore
from journal.core.store.keyring import KeyRing
from journal.core.store.manifest import Manifest
from journal.core.store.records import Records, row_name

#: Seconds a checkpoint waits for another writer before leaving the WAL for later.
CHECKPOINT_PATIENCE = 0.5


class Entries(Protocol):
    """What maintenance asks of the vault's entries (the Vault is one)."""

    def transaction(self) -> contextlib.AbstractContextManager[None]: ...

    def get_by_date(self, day: date) -> Entry | None: ...

    def put(self, entry: Entry) -> Entry: ...

    def put_many(self, entries: Iterable[Entry],
                 progress: Callable[[int], None] | None = None) -> list[Entry]: ...

    def delete(self, entry_id: str) -> bool: ...

    def index(self) -> Index: ...

    def refresh(self) -> None: ...

    def reload(self) -> list[Entry]: ...


class Maintenance:
    """The maintenance of one unlocked vault (see the module's docstring)."""

    def __init__(self, conn: sqlite3.Connection, keys: KeyRing, records: Records,
                 manifest: Manifest, indexes: IndexStore, captures: Captures, clock: Clock,
                 entries: Entries) -> None:
        self._conn = conn
        self._keys = keys
        self._records = records
        self._manifest = manifest
        self._indexes = indexes
        self._captures = captures
        self._clock = clock
        self._entries = entries

    # -- quick captures ------------------------------------------------------------------
    def merge_captures(self) -> MergeResult:
        """Decrypt pending sealed entries and merge them into their days, in one
        transaction; a tampered one is kept and reported."""
        result = MergeResult()
        problem = self._keys.sealing_key_problem()
        if problem is not None:
            result.problems.append(problem)
            if "replaced" in problem:
                self.restore_sealing_key()  # future captures are safe again
        rows = self._captures.pending()
        if not rows:
            return result
        opened, problems = self._captures.open_all(rows)
        result.problems.extend(problems)
        if not opened:
            return result
        try:
            done = self._captures.merged()
        except IntegrityError as exc:
            result.problems.append(str(exc))
            return result
        fresh = [(sealed_id, entry) for sealed_id, entry in opened if sealed_id not in done]
        replays = [sealed_id for sealed_id, _ in opened if sealed_id in done]
        result.problems.extend(
            f"sealed entry {row_name(sealed_id)} was merged before: a replay of an old quick "
            "capture, refused and removed" for sealed_id in replays)
        now = self._clock.now().replace(microsecond=0)
        arrivals = [Arrival(entry.date, now, first_words(entry), entry.written_at,
                            entry.body.strip(), tuple(m.id for m in entry.moments))
                    for _, entry in fresh]
        merged = fold_captures(fresh, self._entries.get_by_date)
        with self._entries.transaction():
            if fresh:
                self._captures.write_merged(done | {sealed_id for sealed_id, _ in fresh},
                                            self._captures.arrivals() + arrivals)
                self._entries.put_many(merged)  # reseals the manifest, binding the record
            self._captures.discard([sealed_id for sealed_id, _ in opened])
        result.merged = len(fresh)
        result.arrivals = arrivals
        result.checked_in = {entry.date for _, entry in fresh if entry.check_in}
        return result

    def discard_capture(self, number: int) -> Arrival:
        """Take out of its day the text and moments the `number`-th merged capture (1 =
        the oldest, as `arrivals()` lists them) brought; an entry left with nothing is
        deleted. The record keeps it, marked discarded."""
        every, arrival = self._captures.numbered(number)
        if arrival.discarded:
            raise ValidationError(f"quick capture {number} was already discarded")
        done = self._captures.merged()
        every[number - 1] = replace(arrival, discarded=True)
        with self._entries.transaction():
            self._captures.write_merged(done, every)  # before the manifest binds it
            entry = self._entries.get_by_date(arrival.day)
            if entry is not None:
                kept = without_capture(entry, arrival)
                if not kept.body.strip() and not kept.moments:
                    self._entries.delete(entry.id)
                else:
                    self._entries.put(kept)
            else:
                self._manifest.write([])  # bind the record all the same
        return every[number - 1]

    def keep_capture(self, number: int) -> Arrival:
        """Mark the `number`-th merged capture (as `arrivals()` lists them) reviewed: the
        person kept it as their own. In the sealed record the manifest binds, so it stays
        reviewed in every later session."""
        every, arrival = self._captures.numbered(number)
        if arrival.discarded:
            raise ValidationError(f"quick capture {number} was discarded; there is nothing "
                                  "left of it to keep")
        if arrival.reviewed:
            return arrival
        done = self._captures.merged()
        every[number - 1] = replace(arrival, reviewed=True)
        with self._entries.transaction():
            self._captures.write_merged(done, every)
            self._manifest.write([])  # binds the record
        return every[number - 1]

    def restore_sealing_key(self) -> None:
        """Put back the public key that belongs to our private key."""
        with self._entries.transaction():
            self._keys.write_public_key()

    # -- keys ----------------------------------------------------------------------------
    def change_passphrase(self, new_passphrase: str,
                          kdf: crypto.KdfParams | None = None) -> str | None:
        """Re-wrap the data key under a new passphrase: O(1), entries untouched. Keeps the
        key-derivation settings the unlock vouched for (never lowers them silently);
        returns a note for the person when there is something to say about them."""
        header, kek, note = self._keys.new_passphrase_wrap(new_passphrase, kdf)
        with self._entries.transaction():
            self._keys.write_wrap(header, kek)
        self._keys.header = header
        self._keys.trusted_kdf = header.kdf
        self.checkpoint()
        return note

    def rotate_keys(self, passphrase: str, *, new_recovery: bool = True) -> str | None:
        """A new data key; every entry re-encrypted in one transaction. Returns the new
        recovery code (the old one stops working), or None. The passphrase, the header and
        the entries are all read inside the transaction, so a concurrent writer (another
        window, the CLI) can neither lose an entry nor be left with a mismatched key wrap.
        Pending quick captures are merged inside that transaction too: one committed before
        it is merged with the old key, one after it is sealed to the new key. The vault's
        decrypted cache then holds the entries as they were sealed again (`reload`)."""
        code = crypto.new_recovery_code() if new_recovery else None
        old_keys = self._keys.state()
        try:
            with self._entries.transaction():
                header, kek = self._keys.kek_on_disk(passphrase)
                self._entries.refresh()  # merged below from what is on disk now
                self.merge_captures()
                self._manifest.verify()  # never re-MAC rows that were tampered with
                merged = self._captures.merged()  # resealed under the new keys below
                arrived = self._captures.arrivals()
                index = self._entries.index()  # its summaries carry over: no body parsed
                index.word_chunks()  # and its word rows, read while the old keys open them
                entries = self._entries.reload()
                self._keys.rekey(header, kek, code)
                if merged or arrived:
                    self._captures.write_merged(merged, arrived)
                self._records.remove_all()
                for entry in entries:
                    entry.version += 1
                    self._records.store(entry)
                self._manifest.write()
                self._indexes.reseal(index)
        except BaseException:
            self._keys.restore(old_keys)
            self._entries.refresh()
            raise
        self.compact()
        return code

    # -- the index -----------------------------------------------------------------------
    def store_healed_index(self, *, patience: float | None = None) -> int:
        """Store, in one transaction, the chunks this connection rebuilt while reading, each
        only if the manifest still seals its bucket as when it was rebuilt from verified
        rows. An explicit write: a read never calls it by itself; the CLI and the app do,
        and say so. Returns how many entries the stored chunks hold. `patience`: wait at
        most that many seconds for another writer (StorageError after), not the usual."""
        if not self._indexes.pending():
            return 0
        previous = self._indexes.fresh()
        waiting = (schema.busy_wait(self._conn, patience) if patience is not None
                   else contextlib.nullcontext())
        with waiting, self._entries.transaction():
            stored = self._indexes.store_healed(())
        self._indexes.patch(previous, stored)
        return self._indexes.stored

    def drop_index(self) -> None:
        """Delete every index chunk: the next read rebuilds them from entries verified
        against the manifest (the repair for a chunk `check()` names)."""
        with self._entries.transaction():
            self._indexes.clear()

    # -- the file ------------------------------------------------------------------------
    def compact(self) -> None:
        """VACUUM (no old pages, no forensic traces in free space), then checkpoint the WAL
        away. Called after key rotation; worth calling after bulk deletes."""
        try:
            self._conn.execute("VACUUM")
        except sqlite3.Error:
            pass
        self.checkpoint()

    def checkpoint(self) -> None:
        """Fold the WAL (ciphertext only) into the file and empty it: tidiness, so while
        another program writes it waits a moment, not the usual BUSY_WAIT (a command
        closing while the app saves would hang for it); the next close does it."""
        try:
            with schema.busy_wait(self._conn, CHECKPOINT_PATIENCE):
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass
