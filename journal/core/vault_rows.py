"""Writing entry rows and reading them back cheaply: a mixin of `Vault`.

Every save writes two sealed rows in one transaction: the full entry (`entries`) and its
compact summary (`summaries`, see journal.core.summaries). Listing, filtering and
reflection read the summaries; showing or editing one day decrypts just that row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from journal.core import crypto, summaries
from journal.core.bulk import paused_gc
from journal.core.errors import StorageError, VaultDamaged
from journal.core.models import Entry
from journal.core.vault_integrity import _row_name

if TYPE_CHECKING:
    from journal.core.vault import Vault

_ROW = "SELECT uuid, version, ct, digest FROM entries WHERE uuid=?"


class Rows:
    """Mixin: needs the Vault's connection, keys, header, cache and _decrypt_row."""

    _summary_cache: list[Entry] | None = None
    _summary_version: int = -1

    def _store_row(self: Vault, entry: Entry) -> None:
        """Seal `entry` (already at its new version) and its summary; inside a transaction."""
        raw_uuid = uuid.UUID(entry.id).bytes
        ct = crypto.seal_json(self._keys["entry-aead"], entry.to_dict(),
                              crypto.entry_aad(self.header.vault_id, raw_uuid, entry.version))
        self._conn.execute(
            "INSERT OR REPLACE INTO entries(uuid, version, day_key, ct, digest)"
            " VALUES (?, ?, ?, ?, ?)",
            (raw_uuid, entry.version, self.day_key(entry.date), ct, crypto.digest(ct)),
        )
        summaries.write(self._conn, self._keys["summary-aead"], self.header.vault_id, raw_uuid,
                        entry.version, entry)

    def _read_row(self: Vault, entry_id: str) -> Entry | None:
        try:
            raw_uuid = uuid.UUID(entry_id).bytes
        except ValueError:
            return None
        return self._read_raw(raw_uuid)

    def _read_raw(self: Vault, raw_uuid: bytes) -> Entry | None:
        row = self._conn.execute(_ROW, (raw_uuid,)).fetchone()
        if row is None:
            return None
        try:
            return self._decrypt_row(*row)
        except crypto.DecryptError:
            self._check_keys_current()  # another program rotated the keys: ConflictError
            raise VaultDamaged(f"entry {_row_name(raw_uuid)} fails authentication "
                               "(run 'journal check')") from None

    def get_many(self: Vault, entry_ids: Iterable[str]) -> list[Entry]:
        """Full entries for these ids, decrypting only their rows (unknown ids skipped)."""
        self._drop_stale_cache()
        if self._cache is not None:
            return [self._cache[i].copy() for i in entry_ids if i in self._cache]
        found = (self._read_row(i) for i in entry_ids)
        return [e for e in found if e is not None]

    def summaries(self: Vault) -> list[Entry]:
        """Every entry as a *partial* Entry (no body, no notes), newest first: enough to
        list, filter by tag/person/kind/context/date, and reflect. Cheap: one small sealed
        row each. Treat the result as read-only; the vault refuses to save partial entries.
        When the full entries are already decrypted, they are returned instead."""
        self._drop_stale_cache()
        if self._cache is not None:
            return sorted(self._cache.values(), key=lambda e: e.date, reverse=True)
        version = self._data_version()
        if self._summary_cache is not None and self._summary_version == version:
            return list(self._summary_cache)
        with paused_gc():
            found, missing = summaries.load_all(self._conn, self._keys["summary-aead"],
                                                self.header.vault_id)
        if missing:
            found.extend(self._heal_summaries(missing))
        found.sort(key=lambda e: e.date, reverse=True)
        self._summary_cache, self._summary_version = found, self._data_version()
        return list(found)

    def _fresh_summaries(self: Vault) -> list[Entry] | None:
        """The summary cache, if nobody else committed since it was read."""
        if self._summary_cache is not None and self._summary_version == self._data_version():
            return self._summary_cache
        return None

    def _patch_summaries(self: Vault, previous: list[Entry] | None, saved: list[Entry],
                         deleted: list[str]) -> None:
        """After our own commit, update the summary cache in place instead of reloading all
        of it (an autosave must not cost a 50,000-row reload on the next browse)."""
        if previous is None or self._conn.in_transaction:
            return  # nothing cached, or inside an outer transaction that may still roll back
        gone = set(deleted) | {e.id for e in saved}
        fresh = [summaries.to_entry(e.id, e.version, summaries.summarise(e)) for e in saved]
        updated = [e for e in previous if e.id not in gone] + fresh
        updated.sort(key=lambda e: e.date, reverse=True)
        self._summary_cache, self._summary_version = updated, self._data_version()

    def _heal_summaries(self: Vault, missing: set[bytes]) -> list[Entry]:
        """Summaries are a cache: rebuild missing or stale ones from their entries (a vault
        from before summaries existed, or one whose summary row was damaged)."""
        rebuilt = [e for e in map(self._read_raw, missing) if e]
        try:
            with self._write():
                for entry in rebuilt:
                    summaries.write(self._conn, self._keys["summary-aead"],
                                    self.header.vault_id, uuid.UUID(entry.id).bytes,
                                    entry.version, entry)
        except StorageError:
            pass  # read-only vault: still readable, the summaries are rebuilt next time
        return rebuilt
