"""The sealed index chunks in SQLite (`index_chunks`): reading them, rebuilding a chunk
from its rows, and keeping them in step with every save.

The index is a cache of the entries (journal.core.store.index): each chunk records the
manifest bucket MAC it was written with, and a chunk that does not match the manifest is
rebuilt from the rows rather than believed. `IndexStore` also keeps the decoded index of
its connection until anyone commits (SQLite's data_version says so). It never opens a write
transaction: its owner (the Vault) does.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable

from journal.core.model.entries import Entry
from journal.core.store import crypto
from journal.core.store.index import Index
from journal.core.store.index_chunk import BUCKETS, Chunk, record_of
from journal.core.store.keyring import KeyRing
from journal.core.store.manifest import Manifest
from journal.core.store.records import Records
from journal.core.store.schema import data_version, snapshot

_CHUNKS = "SELECT bucket, CAST(ct AS BLOB) FROM index_chunks"


class IndexStore:
    """The index chunks of one vault; needs its keys, manifest (the stamps) and rows."""

    def __init__(self, conn: sqlite3.Connection, keys: KeyRing, manifest: Manifest,
                 records: Records) -> None:
        self._conn = conn
        self._keys = keys
        self._manifest = manifest
        self._records = records
        self._index: Index | None = None
        self._version = -1
        self._healed: dict[int, Chunk] = {}

    # -- the decoded index of this connection -----------------------------------------------
    def forget(self) -> None:
        """Drop the decoded index (chunks rebuilt by a read stay until stored or dropped)."""
        self._index = None

    def drop(self) -> None:
        """Lock: nothing decoded is kept."""
        self._index = None
        self._healed = {}

    def fresh(self) -> Index | None:
        """The cached index, if nobody else committed since it was read."""
        if self._index is not None and self._version == data_version(self._conn):
            return self._index
        return None

    def keep(self, index: Index, version: int) -> None:
        """Cache `index`, read when data_version was `version`."""
        self._index, self._version = index, version

    def patch(self, previous: Index | None, changed: dict[int, Chunk]) -> None:
        """After the owner's commit, keep the cached index current without reloading it (an
        autosave must not cost a 50,000-row reload on the next browse)."""
        if previous is None or self._conn.in_transaction:
            return  # nothing cached, or inside an outer transaction that may still roll back
        self.keep(previous.with_chunks(changed), data_version(self._conn))

    # -- reading chunks ---------------------------------------------------------------------
    def stamps(self) -> list[str]:
        """What each bucket's index chunk must record to be current: the manifest's MAC
        of that bucket (verified against the rows at unlock, "" when empty)."""
        stamps = self._manifest.bucket_stamps()
        if stamps is not None:
            return stamps
        # A manifest from before the buckets (read-only vaults keep it; a writable one is
        # upgraded before chunks are stored): count and version sum per bucket.
        stamps = [""] * BUCKETS
        for first, count, total in self._conn.execute(
                "SELECT substr(uuid, 1, 1), count(*), total(version) FROM entries GROUP BY 1"):
            if isinstance(first, bytes) and len(first) == 1:
                stamps[first[0]] = f"legacy:{count}:{int(total)}"
        return stamps

    def read(self) -> tuple[dict[int, Chunk], list[int]]:
        """Every current chunk (in one snapshot), and the buckets whose chunk is missing,
        damaged or stale while the manifest says they hold rows."""
        with snapshot(self._conn):
            stamps = self.stamps()
            key, vault_id = self._keys.subkeys["summary-aead"], self._keys.vault_id
            chunks: dict[int, Chunk] = {}
            for bucket, blob in self._conn.execute(_CHUNKS):
                if type(bucket) is not int or not 0 <= bucket < BUCKETS:
                    continue
                try:
                    chunk = Chunk.open(key, vault_id, bucket, blob)
                except crypto.DecryptError:
                    continue  # damaged or from other keys: rebuilt by the owner
                if chunk.mac == stamps[bucket]:
                    chunks[bucket] = chunk
            # A bucket without a current chunk needs one unless the manifest says it is
            # empty ("" stamp): no query per bucket.
            stale = [b for b in range(BUCKETS) if b not in chunks and stamps[b]]
        return chunks, stale

    def read_chunk(self, bucket: int) -> Chunk | None:
        row = self._conn.execute("SELECT CAST(ct AS BLOB) FROM index_chunks WHERE bucket=?",
                                 (bucket,)).fetchone()
        if row is None:
            return None
        try:
            return Chunk.open(self._keys.subkeys["summary-aead"], self._keys.vault_id, bucket,
                              row[0])
        except crypto.DecryptError:
            return None

    # -- writing chunks (inside the owner's transaction) ------------------------------------
    def chunk_from_rows(self, bucket: int, stamp: str) -> Chunk:
        rows = self._records.bucket_rows(bucket)
        return Chunk.from_records(bucket, [record_of(self._records.open_row(r)) for r in rows],
                                  stamp)

    def rebuild(self, buckets: list[int]) -> dict[int, Chunk]:
        """These buckets' chunks, from their rows, stamped with the manifest. The caller
        verifies the rows of these buckets against the manifest first, in the same
        snapshot: a chunk stamped current must hold exactly the rows the manifest seals."""
        stamps = self.stamps()
        return {b: self.chunk_from_rows(b, stamps[b]) for b in buckets}

    def remember_healed(self, chunks: dict[int, Chunk]) -> None:
        """Chunks rebuilt by a read: a read never writes the vault, so they are stored by
        the next save of this connection (`store_healed`)."""
        self._healed.update(chunks)

    def pending(self) -> int:
        """How many entries the chunks rebuilt by reads and not yet stored hold."""
        return sum(len(chunk) for chunk in self._healed.values())

    def store_healed(self, skip: Iterable[int]) -> dict[int, Chunk]:
        """Inside a save's transaction: store the chunks rebuilt by earlier reads whose
        bucket the manifest still seals as it was when they were built (not those in
        `skip`, which the save itself rewrote)."""
        if not self._healed:
            return {}
        stamps, skipped = self.stamps(), set(skip)
        stored: dict[int, Chunk] = {}
        for bucket, chunk in self._healed.items():
            if bucket not in skipped and chunk.mac == stamps[bucket]:
                self.store(chunk)
                stored[bucket] = chunk
        self._healed = {}
        return stored

    def store(self, chunk: Chunk) -> None:
        self._conn.execute("INSERT OR REPLACE INTO index_chunks(bucket, ct) VALUES (?, ?)",
                           (chunk.bucket, chunk.seal(self._keys.subkeys["summary-aead"],
                                                     self._keys.vault_id)))

    def update(self, previous: Index | None, before: list[str], saved: list[Entry],
               deleted: Iterable[bytes]) -> dict[int, Chunk]:
        """After the rows and the manifest changed: rewrite the chunk of every touched
        bucket. `before` holds the stamps from before the change. A chunk that did not
        match the manifest before this save is rebuilt from its rows rather than patched
        (never launder a stale chunk)."""
        stamps = self.stamps()
        gone: dict[int, set[str]] = {}
        added: dict[int, list[Entry]] = {}
        for raw_uuid in deleted:
            gone.setdefault(crypto.manifest_bucket(raw_uuid), set()).add(
                str(uuid.UUID(bytes=raw_uuid)))
        for entry in saved:
            bucket = crypto.manifest_bucket(uuid.UUID(entry.id).bytes)
            gone.setdefault(bucket, set()).add(entry.id)
            added.setdefault(bucket, []).append(entry)
        changed: dict[int, Chunk] = {}
        for bucket, ids in gone.items():
            if before[bucket] == "":  # the bucket had no rows: nothing to read back
                old: Chunk | None = Chunk.from_records(bucket, [], "")
            else:
                old = previous.chunks.get(bucket) if previous is not None else None
                old = old or self.read_chunk(bucket)
            if old is None or old.mac != before[bucket]:  # stale or damaged
                chunk = self.chunk_from_rows(bucket, stamps[bucket])
            else:
                records = [r for r in old.records() if r[0] not in ids]
                records += map(record_of, added.get(bucket, ()))
                chunk = Chunk.from_records(bucket, records, stamps[bucket])
            self.store(chunk)
            changed[bucket] = chunk
        return changed

    def clear(self) -> None:
        """Every chunk dropped (a cache: rebuilt from verified rows when next read)."""
        self._conn.execute("DELETE FROM index_chunks")
        self._index = None
        self._healed = {}

    def reseal(self, index: Index) -> None:
        """Every chunk again under the current keys and manifest, each entry one version
        on (key rotation re-saves every entry); inside the rotation's transaction."""
        stamps = self.stamps()
        self._conn.execute("DELETE FROM index_chunks")
        for bucket, chunk in index.chunks.items():
            records = chunk.records()
            for record in records:
                record[1] += 1
            self.store(Chunk.from_records(bucket, records, stamps[bucket]))
