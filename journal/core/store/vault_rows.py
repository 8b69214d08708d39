"""Writing entry rows and reading them back cheaply: a mixin of `Vault`.

Every save writes, in one transaction, the sealed full entry (`entries`), the manifest, and
the sealed index chunk of the entry's bucket (`index_chunks`, see journal.core.store.index).
Listing, filtering and reflection read the index; showing or editing one day decrypts
just that row.
"""

from __future__ import annotations

import hmac
import re
import uuid
from collections.abc import Generator, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from journal.core.errors import StorageError, ValidationError, VaultDamaged
from journal.core.model.entries import Entry
from journal.core.store import crypto
from journal.core.store.bulk import paused_gc
from journal.core.store.index import BUCKETS, Chunk, Hits, Index, record_of
from journal.core.store.vault_integrity import _row_name

if TYPE_CHECKING:
    from journal.core.store.vault import Vault

#: Characters JSON writes escaped: a word holding one may not appear verbatim in a payload.
_JSON_ESCAPED = re.compile(r'["\\\x00-\x1f]')
_MANY = 500
_ROW = "SELECT uuid, version, ct, digest FROM entries WHERE uuid=?"
_BUCKET_ROWS = "SELECT uuid, version, ct, digest FROM entries WHERE uuid >= ? AND uuid < ?"
_CHUNKS = "SELECT bucket, CAST(ct AS BLOB) FROM index_chunks"


def _raw_id(entry_id: str) -> bytes:
    """The 16 bytes of a text uuid (b"" if it is not one); 5x faster than uuid.UUID."""
    try:
        raw = bytes.fromhex(entry_id.replace("-", ""))
    except (ValueError, TypeError, AttributeError):
        return b""
    return raw if len(raw) == 16 else b""


def _bucket_range(bucket: int) -> tuple[bytes, bytes]:
    return bytes([bucket]), bytes([bucket + 1]) if bucket < BUCKETS - 1 else b"\xff" * 17


class Rows:
    """Mixin: needs the Vault's connection, keys, header, manifest and _decrypt_row."""

    _index: Index | None = None
    _index_version: int = -1

    def _store_row(self: Vault, entry: Entry) -> None:
        """Seal `entry` (already at its new version); inside a transaction."""
        raw_uuid = uuid.UUID(entry.id).bytes
        ct = crypto.seal_json(self._keys["entry-aead"], entry.to_dict(),
                              crypto.entry_aad(self.header.vault_id, raw_uuid, entry.version))
        self._conn.execute(
            "INSERT OR REPLACE INTO entries(uuid, version, day_key, ct, digest)"
            " VALUES (?, ?, ?, ?, ?)",
            (raw_uuid, entry.version, self.day_key(entry.date), ct, crypto.digest(ct)),
        )

    def _decrypt_row(self: Vault, raw_uuid: bytes, version: int, ct: bytes,
                     row_digest: bytes) -> Entry:
        payload = self._open_payload(raw_uuid, version, ct, row_digest)
        return self._entry_of(raw_uuid, version, crypto.parse_json(payload))

    def _open_payload(self: Vault, raw_uuid: bytes, version: int, ct: bytes,
                      row_digest: bytes) -> bytes:
        """A row's authenticated JSON (digest and AEAD checked), not yet parsed."""
        if not (isinstance(raw_uuid, bytes) and len(raw_uuid) == 16 and type(version) is int
                and 0 < version < 2**63 and isinstance(ct, bytes)
                and isinstance(row_digest, bytes)):
            raise crypto.DecryptError("malformed row")
        if not hmac.compare_digest(crypto.digest(ct), row_digest):
            raise crypto.DecryptError("digest mismatch")
        return crypto.unpad(crypto.open_sealed(
            self._keys["entry-aead"], ct,
            crypto.entry_aad(self.header.vault_id, raw_uuid, version)))

    @staticmethod
    def _entry_of(raw_uuid: bytes, version: int, data: object) -> Entry:
        try:
            entry = Entry.from_dict(data)
        except ValidationError as exc:
            raise crypto.DecryptError(f"payload: {exc}") from None
        if entry.id != str(uuid.UUID(bytes=raw_uuid)):
            raise crypto.DecryptError("id mismatch")
        entry.version = version
        return entry

    def _iter_rows(self: Vault) -> Iterator[tuple[bytes, int, bytes, bytes]]:
        yield from self._conn.execute("SELECT uuid, version, ct, digest FROM entries")

    def _read_row(self: Vault, entry_id: str) -> Entry | None:
        try:
            raw_uuid = uuid.UUID(entry_id).bytes
        except ValueError:
            return None
        return self._read_raw(raw_uuid)

    def _read_raw(self: Vault, raw_uuid: bytes) -> Entry | None:
        row = self._conn.execute(_ROW, (raw_uuid,)).fetchone()
        return None if row is None else self._open_row(row)

    def _open_row(self: Vault, row: tuple[bytes, int, bytes, bytes]) -> Entry:
        try:
            return self._decrypt_row(*row)
        except crypto.DecryptError:
            raise self._damaged(row[0]) from None

    def _damaged(self: Vault, raw_uuid: bytes) -> VaultDamaged:
        self._check_keys_current()  # another program rotated the keys: ConflictError
        return VaultDamaged(f"entry {_row_name(raw_uuid)} fails authentication "
                            "(run 'journal check')")

    def get_many(self: Vault, entry_ids: Iterable[str]) -> list[Entry]:
        """Full entries for these ids, decrypting only their rows (unknown ids skipped)."""
        self._drop_stale_cache()
        if self._cache is not None:
            return [self._cache[i].copy() for i in entry_ids if i in self._cache]
        return [self._open_row(row) for row in self._rows_for(entry_ids)]

    def _rows_for(self: Vault, entry_ids: Iterable[str]) -> Generator[tuple, None, None]:
        """The rows of these ids, in their order (unknown or malformed ids skipped): one
        query per few hundred ids, not one per id (50,000 point queries cost ~2 s)."""
        wanted = list(entry_ids)
        for start in range(0, len(wanted), _MANY):
            raws = [raw for raw in map(_raw_id, wanted[start:start + _MANY]) if raw]
            marks = ",".join("?" * len(raws))
            found = {row[0]: row for row in self._conn.execute(
                f"SELECT uuid, version, ct, digest FROM entries WHERE uuid IN ({marks})", raws)}
            yield from (found[raw] for raw in raws if raw in found)

    def entries_containing(self: Vault, entry_ids: Sequence[str],
                           words: list[str]) -> list[Entry]:
        """Full entries among these ids (in their order) whose decrypted text holds every
        (casefolded) word. Every row is decrypted and authenticated, but only rows whose
        JSON contains all the words are parsed (parsing and validating is ~90% of a full
        decrypt), and only those stay in memory. Many ids are read in one pass over the
        table. Callers still match exactly (`Query.matches`): this only drops rows that
        cannot match."""
        self._drop_stale_cache()
        if self._cache is not None or any(map(_JSON_ESCAPED.search, words)):
            return self.get_many(entry_ids)  # a word JSON would escape: no shortcut
        if len(entry_ids) * 4 > self.count():  # a scan reads ~7x faster than seeks
            wanted = set(map(_raw_id, entry_ids))
            rows: Generator[tuple, None, None] = (
                row for row in self._iter_rows() if row[0] in wanted)
        else:
            rows = self._rows_for(entry_ids)
        found: dict[str, Entry] = {}
        try:
            for row in rows:
                try:
                    payload = self._open_payload(*row)
                    folded = payload.decode("utf-8", "replace").casefold()
                    if all(word in folded for word in words):
                        entry = self._entry_of(row[0], row[1], crypto.parse_json(payload))
                        found[entry.id] = entry
                except crypto.DecryptError:
                    raise self._damaged(row[0]) from None
        finally:
            # Finish the cursor now, while the connection is open: a damaged row's error
            # keeps the suspended generator alive, and finalising it after the vault
            # closed printed "Exception ignored ... closed database" (issue 13, item 11).
            rows.close()
        return [found[i] for i in entry_ids if i in found]

    # -- the index -------------------------------------------------------------------------
    def index(self: Vault) -> Index:
        """Every entry's sealed summary, decoded (cached until anyone commits; own saves
        patch it). Cheap: at most 256 small decrypts, no full entry."""
        version = self._data_version()
        if self._index is not None and self._index_version == version:
            return self._index
        with paused_gc():
            index = self._load_index()
        self._index, self._index_version = index, version
        return index

    def summaries(self: Vault) -> Hits:
        """Every entry as a *partial* Entry (no body, no notes), newest first, each built
        when read: enough to list, filter by tag/person/kind/context/date, and reflect.
        The vault refuses to save partial entries."""
        return self.index().select()

    def _bucket_stamps(self: Vault) -> list[str]:
        """What each bucket's index chunk must record to be current: the manifest's MAC
        of that bucket (verified against the rows at unlock, "" when empty)."""
        stamps = self.bucket_stamps()
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

    def _load_index(self: Vault) -> Index:
        with self._snapshot():
            stamps = self._bucket_stamps()
            key, vault_id = self._keys["summary-aead"], self.header.vault_id
            chunks: dict[int, Chunk] = {}
            for bucket, blob in self._conn.execute(_CHUNKS):
                if type(bucket) is not int or not 0 <= bucket < BUCKETS:
                    continue
                try:
                    chunk = Chunk.open(key, vault_id, bucket, blob)
                except crypto.DecryptError:
                    continue  # damaged or from other keys: rebuilt below
                if chunk.mac == stamps[bucket]:
                    chunks[bucket] = chunk
            # A bucket without a current chunk needs one unless the manifest says it is
            # empty ("" stamp): no query per bucket.
            stale = [b for b in range(BUCKETS) if b not in chunks and stamps[b]]
        if stale:
            chunks.update(self._heal_index(stale))
        return Index(chunks)

    def _chunk_from_rows(self: Vault, bucket: int, stamp: str) -> Chunk:
        rows = self._conn.execute(_BUCKET_ROWS, _bucket_range(bucket)).fetchall()
        return Chunk.from_records(bucket, [record_of(self._open_row(r)) for r in rows], stamp)

    def _heal_index(self: Vault, buckets: list[int]) -> dict[int, Chunk]:
        """The index is a cache: rebuild chunks that are missing or do not match the
        manifest (a vault from before the index, an older or damaged chunk) from the
        entries themselves, and store them when the vault is writable."""
        try:
            with self._write():
                if self.bucket_stamps() is None:  # a legacy manifest: verify, then upgrade
                    self._verify_buckets(())
                    self._write_manifest()
                stamps = self._bucket_stamps()
                rebuilt = {b: self._chunk_from_rows(b, stamps[b]) for b in buckets}
                for chunk in rebuilt.values():
                    self._put_chunk(chunk)
            return rebuilt
        except StorageError:  # read-only: still readable, rebuilt again next time
            with self._snapshot():
                stamps = self._bucket_stamps()
                return {b: self._chunk_from_rows(b, stamps[b]) for b in buckets}

    def _put_chunk(self: Vault, chunk: Chunk) -> None:
        self._conn.execute("INSERT OR REPLACE INTO index_chunks(bucket, ct) VALUES (?, ?)",
                           (chunk.bucket, chunk.seal(self._keys["summary-aead"],
                                                     self.header.vault_id)))

    def _read_chunk(self: Vault, bucket: int) -> Chunk | None:
        row = self._conn.execute("SELECT CAST(ct AS BLOB) FROM index_chunks WHERE bucket=?",
                                 (bucket,)).fetchone()
        if row is None:
            return None
        try:
            return Chunk.open(self._keys["summary-aead"], self.header.vault_id, bucket, row[0])
        except crypto.DecryptError:
            return None

    def _fresh_index(self: Vault) -> Index | None:
        """The cached index, if nobody else committed since it was read."""
        if self._index is not None and self._index_version == self._data_version():
            return self._index
        return None

    def _update_index(self: Vault, previous: Index | None, before: list[str],
                      saved: list[Entry], deleted: Iterable[bytes]) -> dict[int, Chunk]:
        """Inside the write transaction, after the rows and the manifest: rewrite the
        chunk of every touched bucket. A chunk that did not match the manifest before this
        save is rebuilt from its rows rather than patched (never launder a stale chunk)."""
        stamps = self._bucket_stamps()
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
                old = old or self._read_chunk(bucket)
            if old is None or old.mac != before[bucket]:  # stale or damaged
                chunk = self._chunk_from_rows(bucket, stamps[bucket])
            else:
                records = [r for r in old.records() if r[0] not in ids]
                records += map(record_of, added.get(bucket, ()))
                chunk = Chunk.from_records(bucket, records, stamps[bucket])
            self._put_chunk(chunk)
            changed[bucket] = chunk
        return changed

    def _reseal_index(self: Vault, index: Index) -> None:
        """Every chunk again under the current keys and manifest, each entry one version
        on (key rotation re-saves every entry); inside the rotation's transaction."""
        stamps = self._bucket_stamps()
        self._conn.execute("DELETE FROM index_chunks")
        for bucket, chunk in index.chunks.items():
            records = chunk.records()
            for record in records:
                record[1] += 1
            self._put_chunk(Chunk.from_records(bucket, records, stamps[bucket]))

    def _patch_index(self: Vault, previous: Index | None, changed: dict[int, Chunk]) -> None:
        """After our own commit, keep the cached index current without reloading it (an
        autosave must not cost a 50,000-row reload on the next browse)."""
        if previous is None or self._conn.in_transaction:
            return  # nothing cached, or inside an outer transaction that may still roll back
        self._index, self._index_version = previous.with_chunks(changed), self._data_version()
