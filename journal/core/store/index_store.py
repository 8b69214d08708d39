"""The sealed index chunks in SQLite (`index_chunks`) and the word rows beside them
(`word_chunks`, one per chunk: the words of its rows, read only by a word search): reading
them, rebuilding them from their rows, and keeping them in step with every save.

The index is a cache of the entries (journal.core.store.index): each chunk and each word
row records the manifest bucket MAC it was written with, and one that does not match (the
manifest for a chunk, its chunk for a word row) is rebuilt from the rows rather than
believed. `IndexStore` also keeps the decoded index of its connection until anyone commits
(SQLite's data_version says so). It never opens a write transaction: its owner (the Vault)
does.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable
from typing import TypeVar

from journal.core.errors import ConflictError, IntegrityError
from journal.core.model.entries import Entry
from journal.core.store import crypto
from journal.core.store.index import Index, build_pair
from journal.core.store.index_chunk import BUCKETS, Chunk, record_of
from journal.core.store.keyring import KeyRing
from journal.core.store.manifest import Manifest
from journal.core.store.records import Records
from journal.core.store.schema import data_version, snapshot
from journal.core.store.word_chunk import WordChunk, words_of
from journal.core.wording import plural

#: Every sealed index chunk and word row, as (bucket, ciphertext): read here, and ahead of
#: the key by `read_ahead`.
ALL_CHUNKS = "SELECT bucket, CAST(ct AS BLOB) FROM index_chunks"
ALL_WORDS = "SELECT bucket, CAST(ct AS BLOB) FROM word_chunks"
_Sealed = TypeVar("_Sealed", Chunk, WordChunk)


def index_done(entries: int, upgraded: int) -> str:
    """What reads did to the index, in the words the CLI and the app say it in: `entries`
    in chunks rebuilt or upgraded, `upgraded` of them in chunks only upgraded (folded
    from their own moments, no entry decrypted; `IndexStore.pending_upgraded`)."""
    parts = []
    if entries > upgraded:
        parts.append(f"rebuilt ({plural(entries - upgraded, 'entry', 'entries')})")
    if upgraded:
        parts.append(f"upgraded (the moments of {plural(upgraded, 'entry', 'entries')} "
                     "folded from the index itself; no entry decrypted)")
    return " and ".join(parts)


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
        self._healed_words: dict[int, WordChunk] = {}
        #: Buckets of `_healed` whose chunk was only upgraded (of the format before the
        #: fold, folded from its own moments: no entry read).
        self._upgraded: set[int] = set()
        self._changed_words: dict[int, WordChunk] = {}
        #: Chunk and word-row blobs read ahead of the key (journal.core.store.read_ahead),
        #: with the data_version of the snapshot they were read in.
        self._offered: tuple[int, list | None, list | None] | None = None
        #: How many entries the last `store_healed` stored (in a chunk or a word row), and
        #: how many of them in chunks only upgraded.
        self.stored = 0
        self.stored_upgraded = 0

    # -- the decoded index of this connection -----------------------------------------------
    def forget(self) -> None:
        """Drop the decoded index (chunks rebuilt by a read stay until stored or dropped)
        and any blobs read ahead (called before every save of the owner)."""
        self._index = None
        self._changed_words = {}
        self._offered = None

    def offer(self, version: int, chunks: list[tuple[int, bytes]] | None,
              words: list[tuple[int, bytes]] | None) -> None:
        """Chunk and word-row blobs (bucket, ciphertext) read ahead of the key in one
        snapshot whose data_version was `version`: the next `read` and `read_words` take
        them instead of reading again, as long as nobody has committed since (the owner's
        own saves drop them: `forget`). Opened and checked as any read."""
        self._offered = (version, chunks, words)

    def _take(self, which: int) -> list[tuple[int, bytes]] | None:
        """The offered chunks (1) or word rows (2), once, if still of the current state;
        inside the caller's snapshot."""
        offered = self._offered
        if offered is None or offered[which] is None:
            return None
        if offered[0] != data_version(self._conn):
            self._offered = None
            return None
        self._offered = (offered[0], None, offered[2]) if which == 1 else (
            offered[0], offered[1], None)
        return offered[which]

    def drop(self) -> None:
        """Lock: nothing decoded is kept."""
        self.forget()
        self._healed = {}
        self._healed_words = {}
        self._upgraded = set()

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
        words, self._changed_words = self._changed_words, {}
        if previous is None or self._conn.in_transaction:
            return  # nothing cached, or inside an outer transaction that may still roll back
        self.keep(previous.with_chunks(changed, words), data_version(self._conn))

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
            offered = self._take(1)
            for bucket, blob in offered if offered is not None else self._conn.execute(ALL_CHUNKS):
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
        return self._read_one(Chunk, "index_chunks", bucket)

    def read_word_chunk(self, bucket: int) -> WordChunk | None:
        return self._read_one(WordChunk, "word_chunks", bucket)

    def _read_one(self, kind: type[_Sealed], table: str, bucket: int) -> _Sealed | None:
        """One bucket's chunk or word row, opened; None if it is missing or does not open."""
        row = self._conn.execute(f"SELECT CAST(ct AS BLOB) FROM {table} WHERE bucket=?",
                                 (bucket,)).fetchone()
        return None if row is None else self._open(kind, bucket, row[0])

    def _open(self, kind: type[_Sealed], bucket: int, blob: bytes) -> _Sealed | None:
        try:
            return kind.open(self._keys.subkeys["summary-aead"], self._keys.vault_id, bucket,
                             blob)
        except crypto.DecryptError:
            return None

    def sealed(self) -> tuple[dict[int, bytes], dict[int, bytes]]:
        """Every stored chunk's and word row's ciphertext by bucket, current or not: one
        query a table, both in one snapshot (`journal check`, which opens them one bucket
        at a time with `open_chunk` and `open_word_chunk`: every chunk opened at once
        would hold every chunk's decoded rows until the end)."""
        with snapshot(self._conn):
            return self._blobs(ALL_CHUNKS), self._blobs(ALL_WORDS)

    def _blobs(self, query: str) -> dict[int, bytes]:
        return {bucket: blob for bucket, blob in self._conn.execute(query)
                if type(bucket) is int and 0 <= bucket < BUCKETS}

    def open_chunk(self, bucket: int, blob: bytes) -> Chunk | None:
        """A chunk's ciphertext opened; None if it does not open."""
        return self._open(Chunk, bucket, blob)

    def open_word_chunk(self, bucket: int, blob: bytes) -> WordChunk | None:
        """A word row's ciphertext opened; None if it does not open."""
        return self._open(WordChunk, bucket, blob)

    def read_words(self, index: Index) -> tuple[dict[int, WordChunk], list[int]]:
        """The word row of each of `index`'s chunks that matches it (the same MAC, so the
        same rows, and as many), and the buckets whose word row is missing, damaged or
        stale. Rows rebuilt by this connection and not stored yet count as read."""
        key, vault_id = self._keys.subkeys["summary-aead"], self._keys.vault_id
        found: dict[int, WordChunk] = {}
        chunks = index.chunks
        with snapshot(self._conn):
            offered = self._take(2)
            for bucket, blob in offered if offered is not None else self._conn.execute(ALL_WORDS):
                chunk = chunks.get(bucket) if type(bucket) is int else None
                if chunk is None:
                    continue
                try:
                    words = WordChunk.open(key, vault_id, bucket, blob)
                except crypto.DecryptError:
                    continue  # damaged or from other keys: rebuilt
                if words.mac == chunk.mac and len(words) == len(chunk):
                    found[bucket] = words
        for bucket, words in self._healed_words.items():
            chunk = chunks.get(bucket)
            if (bucket not in found and chunk is not None and words.mac == chunk.mac
                    and len(words) == len(chunk)):
                found[bucket] = words
        return found, [b for b in chunks if b not in found]

    # -- writing chunks (inside the owner's transaction) ------------------------------------
    def pair_from_rows(self, bucket: int, stamp: str) -> tuple[Chunk, WordChunk]:
        """A bucket's chunk and word row, from its rows."""
        entries = [self._records.open_row(r) for r in self._records.bucket_rows(bucket)]
        return build_pair(bucket, [record_of(e) for e in entries],
                          [words_of(e) for e in entries], stamp)

    def rebuild(self, buckets: list[int]) -> dict[int, Chunk]:
        """These buckets' chunks, from their rows, stamped with the manifest (their word
        rows too, kept as rebuilt by a read). The caller verifies the rows of these
        buckets against the manifest first, in the same snapshot: a chunk stamped current
        must hold exactly the rows the manifest seals."""
        stamps = self.stamps()
        chunks: dict[int, Chunk] = {}
        for bucket in buckets:
            chunks[bucket], self._healed_words[bucket] = self.pair_from_rows(
                bucket, stamps[bucket])
        return chunks

    def rebuild_words(self, index: Index, buckets: list[int]) -> dict[int, WordChunk]:
        """The word rows of these buckets of `index`, from their rows, in the order of the
        chunks' rows, kept as rebuilt by a read. As for `rebuild`, the caller verifies the
        rows against the manifest first, in the same snapshot."""
        stamps = self.stamps()
        rebuilt: dict[int, WordChunk] = {}
        for bucket in buckets:
            chunk = index.chunks[bucket]
            if stamps[bucket] != chunk.mac:
                raise ConflictError("the journal changed while it was being searched; "
                                    "search again")
            entries = {e.id: e for e in map(self._records.open_row,
                                            self._records.bucket_rows(bucket))}
            if sorted(entries) != sorted(chunk.ids):  # the manifest vouches for both
                raise IntegrityError(f"integrity check failed: index chunk {bucket} does "
                                     "not hold its entries (run 'journal check')")
            rebuilt[bucket] = WordChunk.from_rows(
                bucket, [words_of(entries[i]) for i in chunk.ids], chunk.mac)
        self._healed_words.update(rebuilt)
        return rebuilt

    def remember_healed(self, chunks: dict[int, Chunk], *, upgraded: bool = False) -> None:
        """Chunks rebuilt by a read (`upgraded`: chunks of the format before the fold, only
        folded from their own moments): a read never writes the vault, so they are stored
        by the next save of this connection (`store_healed`)."""
        self._healed.update(chunks)
        if upgraded:
            self._upgraded.update(chunks)
        else:
            self._upgraded.difference_update(chunks)

    def _sizes(self, buckets: Iterable[int]) -> tuple[int, int]:
        """How many entries the chunks and word rows rebuilt for these buckets hold, and
        how many of them are in chunks only upgraded (no word row rebuilt beside)."""
        total = upgraded = 0
        for bucket in set(buckets):
            words, chunk = self._healed_words.get(bucket), self._healed.get(bucket)
            size = len(chunk) if chunk is not None else len(words) if words is not None else 0
            total += size
            if bucket in self._upgraded and words is None:
                upgraded += size
        return total, upgraded

    def pending(self) -> int:
        """How many entries the chunks and word rows rebuilt by reads and not yet stored
        hold."""
        return self._sizes(self._healed.keys() | self._healed_words.keys())[0]

    def pending_upgraded(self) -> int:
        """How many of the `pending` entries are in chunks only upgraded."""
        return self._sizes(self._healed.keys() | self._healed_words.keys())[1]

    def store_healed(self, skip: Iterable[int]) -> dict[int, Chunk]:
        """Inside a save's transaction: store the chunks and word rows rebuilt by earlier
        reads whose bucket the manifest still seals as it was when they were built (not
        those in `skip`, which the save itself rewrote). `stored` says how many entries
        they hold, `stored_upgraded` how many of them are in chunks only upgraded."""
        self.stored = self.stored_upgraded = 0
        if not self._healed and not self._healed_words:
            return {}
        stamps, skipped = self.stamps(), set(skip)
        stored: dict[int, Chunk] = {}
        words_stored: set[int] = set()
        for bucket, chunk in self._healed.items():
            if bucket not in skipped and chunk.mac == stamps[bucket]:
                self.store(chunk)
                stored[bucket] = chunk
        for bucket, words in self._healed_words.items():
            if bucket not in skipped and words.mac == stamps[bucket]:
                self.store_words(words)
                self._changed_words[bucket] = words
                words_stored.add(bucket)
        self.stored, self.stored_upgraded = self._sizes(stored.keys() | words_stored)
        self._healed, self._healed_words, self._upgraded = {}, {}, set()
        return stored

    def store(self, chunk: Chunk) -> None:
        self._conn.execute("INSERT OR REPLACE INTO index_chunks(bucket, ct) VALUES (?, ?)",
                           (chunk.bucket, chunk.seal(self._keys.subkeys["summary-aead"],
                                                     self._keys.vault_id)))

    def store_words(self, words: WordChunk) -> None:
        self._conn.execute("INSERT OR REPLACE INTO word_chunks(bucket, ct) VALUES (?, ?)",
                           (words.bucket, words.seal(self._keys.subkeys["summary-aead"],
                                                     self._keys.vault_id)))

    def _old_words(self, previous: Index | None, bucket: int) -> WordChunk | None:
        loaded = previous.loaded_word_chunks() if previous is not None else None
        found = loaded.get(bucket) if loaded is not None else None
        return found or self.read_word_chunk(bucket)

    def update(self, previous: Index | None, before: list[str], saved: list[Entry],
               deleted: Iterable[bytes]) -> dict[int, Chunk]:
        """After the rows and the manifest changed: rewrite the chunk and the word row of
        every touched bucket. `before` holds the stamps from before the change. A chunk or
        word row that did not match the manifest before this save is rebuilt from its rows
        rather than patched (never launder a stale one). The word rows are handed to the
        cached index by `patch`."""
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
                old_words: WordChunk | None = WordChunk.from_rows(bucket, [], "")
            else:
                old = previous.chunks.get(bucket) if previous is not None else None
                old = old or self.read_chunk(bucket)
                old_words = self._old_words(previous, bucket)
            if (old is None or old.mac != before[bucket] or old_words is None  # stale
                    or old_words.mac != before[bucket] or len(old_words) != len(old)):
                chunk, words = self.pair_from_rows(bucket, stamps[bucket])
            else:
                kept = [i for i, entry_id in enumerate(old.ids) if entry_id not in ids]
                records, row_words = old.records(), old_words.row_words()
                new = added.get(bucket, [])
                chunk, words = build_pair(
                    bucket, [records[i] for i in kept] + [record_of(e) for e in new],
                    [row_words[i] for i in kept] + [words_of(e) for e in new],
                    stamps[bucket])
            self.store(chunk)
            self.store_words(words)
            changed[bucket] = chunk
            if previous is not None:  # for `patch`; a streamed save keeps nothing
                self._changed_words[bucket] = words
        return changed

    def clear(self) -> None:
        """Every chunk and word row dropped (a cache: rebuilt from verified rows when next
        read)."""
        self._conn.execute("DELETE FROM index_chunks")
        self._conn.execute("DELETE FROM word_chunks")
        self.drop()

    def reseal(self, index: Index) -> None:
        """Every chunk again under the current keys and manifest, each entry one version
        on (key rotation re-saves every entry), and the word rows `index` loaded (the
        others are rebuilt when a word search needs them); inside the rotation's
        transaction."""
        stamps = self.stamps()
        words = index.loaded_word_chunks() or {}
        self._conn.execute("DELETE FROM index_chunks")
        self._conn.execute("DELETE FROM word_chunks")
        for bucket, chunk in index.chunks.items():
            records = chunk.records()
            for record in records:
                record[1] += 1
            self.store(Chunk.from_records(bucket, records, stamps[bucket]))
            if bucket in words and len(words[bucket]) == len(chunk):
                self.store_words(words[bucket].restamped(stamps[bucket]))
