"""Quick capture without the passphrase: entries sealed to the vault's X25519 public key.

`SealedBox(dir).add(entry)` needs no passphrase: it reads the public key from the vault and
stores the sealed entry in the `sealed` table. Only the holder of the vault's private key
(wrapped under the data key) can read it; at the next unlock the Vault opens them
(`Captures`), folds each into the entry for its day (`fold_captures`) and saves, exactly
once, in one transaction (`Vault.merge_captures`).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from journal.core.errors import JournalError, VaultDamaged
from journal.core.model.entries import Entry
from journal.core.store import crypto
from journal.core.store.header import read_header
from journal.core.store.keyring import KeyRing
from journal.core.store.records import row_name
from journal.core.store.schema import connect, db_path, meta, storage_error


class SealedBox:
    """Quick capture into the vault at `directory`, no passphrase needed."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def add(self, entry: Entry) -> str:
        header, ro = read_header(self.directory)
        ro.close()
        conn = connect(db_path(self.directory))
        try:
            public = meta(conn, "seal_public")
            if public is None or len(public) != 32:
                raise VaultDamaged("this vault has no sealing key; unlock it once to add one")
            sealed_id = uuid.uuid4().bytes
            payload = json.dumps(entry.to_dict(), ensure_ascii=False).encode()
            blob = crypto.seal_to_public(public, payload, header.vault_id + sealed_id)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO sealed(uuid, ct) VALUES (?, ?)", (sealed_id, blob))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise storage_error(exc) from None
        finally:
            conn.close()
        return str(uuid.UUID(bytes=sealed_id))

    def pending(self) -> int:
        _, ro = read_header(self.directory)
        try:
            return int(ro.execute("SELECT count(*) FROM sealed").fetchone()[0])
        finally:
            ro.close()


@dataclass
class MergeResult:
    merged: int = 0
    problems: list[str] = field(default_factory=list)


def merge_into(target: Entry, extra: Entry) -> Entry:
    """Fold `extra` into `target` (same day): bodies joined, lists united, moments added."""
    merged = target.copy()
    if extra.body.strip():
        merged.body = (f"{merged.body.rstrip()}\n\n{extra.body.strip()}\n"
                       if merged.body.strip() else extra.body)
    for name in ("recovery", "good_things"):
        bucket = getattr(merged, name)
        bucket.extend(v for v in getattr(extra, name) if v not in bucket)
    known = {m.id for m in merged.moments}
    merged.moments.extend(m for m in extra.moments if m.id not in known)
    merged.sleep = merged.sleep if merged.sleep is not None else extra.sleep
    merged.energy = merged.energy if merged.energy is not None else extra.energy
    merged.check_in = merged.check_in or extra.check_in
    return merged


def open_sealed_entry(private: bytes, vault_id: bytes, sealed_id: bytes, blob: bytes) -> Entry:
    """Open one sealed record. Anyone holding the public key can seal, so the content is
    hostile until proven otherwise: every failure, from the AEAD to the model's validation,
    comes out as crypto.DecryptError and nothing else (fuzzed in the test suite)."""
    if not isinstance(sealed_id, bytes) or len(sealed_id) != 16:
        raise crypto.DecryptError("malformed sealed id")
    raw = crypto.open_from_public(private, blob, vault_id + sealed_id)
    data = crypto.parse_json(raw)
    try:
        entry = Entry.from_dict(data, where="sealed entry")
    except JournalError as exc:
        raise crypto.DecryptError(f"invalid entry: {exc}") from None
    entry.version = 0
    return entry


class Captures:
    """The pending sealed captures of an unlocked vault, opened with its sealing key."""

    def __init__(self, conn: sqlite3.Connection, keys: KeyRing) -> None:
        self._conn = conn
        self._keys = keys

    def pending(self) -> list[tuple[bytes, bytes]]:
        """Every pending (sealed id, blob); either may be damaged."""
        return self._conn.execute("SELECT uuid, ct FROM sealed").fetchall()

    def open_all(self, rows: list[tuple[bytes, bytes]]) -> tuple[list[tuple[bytes, Entry]],
                                                                 list[str]]:
        """Each capture opened, in order, and a problem named for each that is not (kept
        in the table for inspection)."""
        try:
            private = self._keys.seal_private_key()
        except crypto.DecryptError:
            raise VaultDamaged("the vault's sealing key is damaged; sealed entries were not "
                               "merged") from None
        opened: list[tuple[bytes, Entry]] = []
        problems: list[str] = []
        for sealed_id, blob in rows:
            try:
                opened.append((sealed_id, open_sealed_entry(private, self._keys.vault_id,
                                                            sealed_id, blob)))
            except crypto.DecryptError as exc:
                problems.append(f"sealed entry {row_name(sealed_id)} was tampered with or "
                                f"damaged and was not merged ({exc})")
        return opened, problems

    def discard(self, sealed_ids: list[bytes]) -> None:
        """Inside the owner's write transaction (after their entries were saved)."""
        self._conn.executemany("DELETE FROM sealed WHERE uuid=?", [(d,) for d in sealed_ids])


def fold_captures(opened: list[tuple[bytes, Entry]],
                  entry_on: Callable[[date], Entry | None]) -> list[Entry]:
    """The entries to save for these captures: each folded into the entry of its day
    (`entry_on` gives the stored one), or a new entry with a fresh id."""
    by_day: dict[date, Entry] = {}
    for _, extra in opened:
        base = by_day.get(extra.date) or entry_on(extra.date)
        if base is None:
            # Always a fresh id: whoever sealed it chose the old one, and it must never
            # collide with (and so block or overwrite) an entry already in the vault.
            extra.id = str(uuid.uuid4())
            extra.version = 0
            by_day[extra.date] = extra
        else:
            by_day[extra.date] = merge_into(base, extra)
    return list(by_day.values())
