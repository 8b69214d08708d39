"""Quick capture without the passphrase: entries sealed to the vault's X25519 public key.

`SealedBox(dir).add(entry)` needs no passphrase: it reads the public key from the vault and
stores the sealed entry in the `sealed` table. Only the holder of the vault's private key
(wrapped under the data key) can read it; at the next unlock `merge_sealed` folds each one
into the entry for its day, exactly once, in one transaction.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from journal.core.errors import JournalError, VaultDamaged
from journal.core.model.entries import Entry
from journal.core.store import crypto

if TYPE_CHECKING:
    from journal.core.store.vault import Vault


class SealedBox:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def add(self, entry: Entry) -> str:
        from journal.core.store.vault import Vault, _connect, _storage_error, db_path

        header, ro = Vault.read_header(self.directory)
        ro.close()
        conn = _connect(db_path(self.directory))
        try:
            row = conn.execute("SELECT value FROM meta WHERE key='seal_public'").fetchone()
            if row is None or len(row[0]) != 32:
                raise VaultDamaged("this vault has no sealing key; unlock it once to add one")
            sealed_id = uuid.uuid4().bytes
            payload = json.dumps(entry.to_dict(), ensure_ascii=False).encode()
            blob = crypto.seal_to_public(row[0], payload, header.vault_id + sealed_id)
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO sealed(uuid, ct) VALUES (?, ?)", (sealed_id, blob))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise _storage_error(exc) from None
        finally:
            conn.close()
        return str(uuid.UUID(bytes=sealed_id))

    def pending(self) -> int:
        from journal.core.store.vault import Vault

        _, ro = Vault.read_header(self.directory)
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


def _name(sealed_id: object) -> str:
    if isinstance(sealed_id, bytes) and len(sealed_id) == 16:
        return str(uuid.UUID(bytes=sealed_id))
    return f"<damaged id {sealed_id!r:.40}>"


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


def merge_sealed(vault: Vault) -> MergeResult:
    """Decrypt pending sealed entries and merge them; a tampered one is kept and reported."""
    result = MergeResult()
    problem = vault.sealing_key_problem()
    if problem is not None:
        result.problems.append(problem)
        if "replaced" in problem:
            vault.restore_sealing_key()  # future captures are safe again
    rows = vault._conn.execute("SELECT uuid, ct FROM sealed").fetchall()
    if not rows:
        return result
    try:
        private = vault.seal_private_key()
    except crypto.DecryptError:
        raise VaultDamaged("the vault's sealing key is damaged; sealed entries were not "
                           "merged") from None
    by_day: dict = {}
    done: list[bytes] = []
    for sealed_id, blob in rows:
        try:
            extra = open_sealed_entry(private, vault.header.vault_id, sealed_id, blob)
        except crypto.DecryptError as exc:
            result.problems.append(
                f"sealed entry {_name(sealed_id)} was tampered with or damaged "
                f"and was not merged ({exc})")
            continue
        base = by_day.get(extra.date) or vault.get_by_date(extra.date)
        if base is None:
            # Always a fresh id: whoever sealed it chose the old one, and it must never
            # collide with (and so block or overwrite) an entry already in the vault.
            extra.id = str(uuid.uuid4())
            extra.version = 0
            by_day[extra.date] = extra
        else:
            by_day[extra.date] = merge_into(base, extra)
        done.append(sealed_id)
    if done:
        with vault._write():
            vault.put_many(list(by_day.values()))
            vault._conn.executemany("DELETE FROM sealed WHERE uuid=?", [(d,) for d in done])
        result.merged = len(done)
    return result
