"""This machine's sync state, beside the vault in `sync.db` (SQLite, same pragmas).

Nothing a person wrote is in clear here either: revisions are sealed (AES-256-GCM) under a
local key; days are known only by a keyed hash; the link (machine id, folder, sync keys
per epoch, the local key) is sealed under a key the vault derives from its data key.

Tables: `meta` (the sealed link and the sealed table of peers), `revs` (every revision
known, sealed, by id and day hash: the bytes its id hashes, `canonical([day, parents,
entry])`; rows written before that hold the revision's JSON object and still open), `days`
(each day's heads, sealed), `applied` (which vault row, at which version, the day's merged
state was written as), `seen` (the digest of every record accepted, per machine and
sequence number: the chains) and `outbox` (this machine's own records, to put back if the
folder loses them).
"""

from __future__ import annotations

import hmac
import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journal.core.errors import StorageError, VaultDamaged
from journal.core.store import crypto
from journal.core.store.schema import connect
from journal.core.sync.revisions import Revision

FILENAME = "sync.db"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS revs (id TEXT PRIMARY KEY, dkey BLOB NOT NULL, blob BLOB NOT NULL)
  WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS revs_day ON revs (dkey);
CREATE TABLE IF NOT EXISTS days (dkey BLOB PRIMARY KEY, blob BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS applied (uuid TEXT PRIMARY KEY, dkey BLOB NOT NULL,
  version INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS applied_day ON applied (dkey);
CREATE TABLE IF NOT EXISTS seen (machine TEXT NOT NULL, seq INTEGER NOT NULL,
  digest BLOB NOT NULL, PRIMARY KEY (machine, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS pending (dkey BLOB PRIMARY KEY, day BLOB NOT NULL) WITHOUT ROWID;
"""
_LINK_AAD = b"journal/sync/v1/link"


@dataclass
class Link:
    """Where this vault syncs and with which keys."""

    machine: str
    folder: str
    folder_id: str
    epoch: int
    keys: dict[int, bytes]
    #: This machine's name, as `sync status` shows it and conflict marks say it (chosen at
    #: `sync init` or `sync rename`, or the host name); "" in links sealed before names
    #: (the host name then).
    name: str = ""

    @property
    def local_key(self) -> bytes:
        """Derivable again from the sync keys (the folder gives them back for the passphrase)."""
        return crypto.subkey(self.keys[min(self.keys)], f"sync-local|{self.machine}")

    def to_json(self) -> dict[str, Any]:
        return {"machine": self.machine, "folder": self.folder, "folder_id": self.folder_id,
                "epoch": self.epoch, "keys": {str(e): k.hex() for e, k in self.keys.items()},
                "name": self.name}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Link:
        return cls(obj["machine"], obj["folder"], obj["folder_id"], int(obj["epoch"]),
                   {int(e): bytes.fromhex(k) for e, k in obj["keys"].items()},
                   str(obj.get("name") or ""))


def path_in(vault_dir: Path) -> Path:
    return Path(vault_dir) / FILENAME


class SyncState:
    """An open sync.db with its local key (after the link was unsealed)."""

    def __init__(self, conn: sqlite3.Connection, link: Link) -> None:
        self.conn = conn
        self.link = link
        self._key = crypto.subkey(link.local_key, "sync-local")
        self._day_key = crypto.subkey(link.local_key, "sync-day")
        #: Each day's keyed hash as computed here, both ways (a sync asks for the same
        #: 10,000 days several times; a day we hashed needs no decryption to be named).
        self._dkeys: dict[str, bytes] = {}
        self._days_by_key: dict[bytes, str] = {}

    # -- opening -------------------------------------------------------------------------
    @staticmethod
    def connect(vault_dir: Path) -> sqlite3.Connection:
        conn = connect(path_in(vault_dir))
        try:
            conn.executescript(_SCHEMA)
            os.chmod(path_in(vault_dir), 0o600)
        except (sqlite3.Error, OSError) as exc:
            conn.close()
            raise StorageError(f"cannot open the sync state: {exc}") from None
        return conn

    @staticmethod
    def exists(vault_dir: Path) -> bool:
        return path_in(vault_dir).exists()

    @staticmethod
    def sealed_link(conn: sqlite3.Connection) -> bytes | None:
        row = conn.execute("SELECT value FROM meta WHERE key='link'").fetchone()
        return row[0] if row else None

    @staticmethod
    def open_link(blob: bytes, link_key: bytes) -> Link:
        return Link.from_json(crypto.open_json(link_key, blob, _LINK_AAD))  # type: ignore[arg-type]

    def save_link(self, link_key: bytes) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('link', ?)",
                          (crypto.seal_json(link_key, self.link.to_json(), _LINK_AAD),))
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('machine', ?)",
                          (self.link.machine.encode(),))
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('folder', ?)",
                          (self.link.folder.encode(),))

    @staticmethod
    def machine_of(conn: sqlite3.Connection) -> str | None:
        row = conn.execute("SELECT value FROM meta WHERE key='machine'").fetchone()
        return row[0].decode() if row else None

    def close(self) -> None:
        self.conn.close()

    def transaction(self) -> _Tx:
        return _Tx(self.conn)

    # -- sealed helpers ------------------------------------------------------------------
    def _seal(self, obj: object, aad: bytes) -> bytes:
        return crypto.seal_json(self._key, obj, b"journal/sync/v1/local|" + aad)

    def _seal_bytes(self, raw: bytes, aad: bytes) -> bytes:
        """As _seal, for JSON already encoded (padded the same way)."""
        return crypto.seal(self._key, crypto.pad(raw), b"journal/sync/v1/local|" + aad)

    def _open(self, blob: bytes, aad: bytes) -> Any:
        try:
            return crypto.open_json(self._key, blob, b"journal/sync/v1/local|" + aad)
        except crypto.DecryptError:
            raise VaultDamaged("the sync state (sync.db) fails authentication; move it "
                               "away and run 'journal sync init' again") from None

    def day_key(self, day: str) -> bytes:
        dkey = self._dkeys.get(day)
        if dkey is None:
            dkey = hmac.digest(self._day_key, day.encode(), "sha256")[:16]
            self._dkeys[day] = dkey
            self._days_by_key[dkey] = day
        return dkey

    # -- a new name to tell the others ----------------------------------------------------
    def mark_renamed(self, name: str) -> None:
        """This machine was renamed: its next push writes a record (even without changes)
        so the others learn the new name. The name is kept sealed under the sync keys too
        (the link is sealed under the vault's, which rotate-keys changes before that record
        may be written)."""
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('renamed', ?)",
                          (self._seal(name, b"renamed"),))

    def renamed(self) -> str | None:
        """The name given since this machine last wrote a record, if any."""
        row = self.conn.execute("SELECT value FROM meta WHERE key='renamed'").fetchone()
        return str(self._open(row[0], b"renamed")) if row else None

    def clear_renamed(self) -> None:
        self.conn.execute("DELETE FROM meta WHERE key='renamed'")

    # -- peers ---------------------------------------------------------------------------
    def peers(self) -> dict[str, dict[str, Any]]:
        row = self.conn.execute("SELECT value FROM meta WHERE key='peers'").fetchone()
        return self._open(row[0], b"peers") if row else {}

    def save_peers(self, peers: dict[str, dict[str, Any]]) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('peers', ?)",
                          (self._seal(peers, b"peers"),))

    # -- chains --------------------------------------------------------------------------
    def seen(self, machine: str) -> dict[int, bytes]:
        return dict(self.conn.execute("SELECT seq, digest FROM seen WHERE machine=?",
                                      (machine,)).fetchall())

    def add_seen(self, machine: str, seq: int, digest: bytes) -> None:
        self.conn.execute("INSERT OR REPLACE INTO seen VALUES (?, ?, ?)", (machine, seq, digest))

    def outbox(self) -> dict[int, bytes]:
        return dict(self.conn.execute("SELECT seq, data FROM outbox").fetchall())

    def add_outbox(self, seq: int, data: bytes) -> None:
        self.conn.execute("INSERT INTO outbox VALUES (?, ?)", (seq, data))

    def compaction(self) -> tuple[int, bytes | None]:
        """(last, bytes) of this machine's latest compaction, or (0, None)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key='compaction'").fetchone()
        return (int.from_bytes(row[0][:8], "big"), row[0][8:]) if row else (0, None)

    def set_compaction(self, last: int, data: bytes) -> None:
        """Keep the compaction of records 1..last in place of those records."""
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('compaction', ?)",
                          (last.to_bytes(8, "big") + data,))
        self.conn.execute("DELETE FROM outbox WHERE seq <= ?", (last,))

    # -- revisions and days --------------------------------------------------------------
    def known_revs(self, rev_ids: list[str]) -> set[str]:
        """Which of these revisions are stored here (ids only: nothing is decrypted)."""
        out: set[str] = set()
        for i in range(0, len(rev_ids), 500):
            part = rev_ids[i:i + 500]
            query = f"SELECT id FROM revs WHERE id IN ({','.join('?' * len(part))})"
            out.update(rid for rid, in self.conn.execute(query, part))
        return out

    def add_revs(self, revs: Iterable[Revision]) -> None:
        """Seal each revision's canonical bytes (already encoded when its id was made),
        written in id order: the table's key, so a first sync fills its pages in turn."""
        self.conn.executemany("INSERT OR IGNORE INTO revs VALUES (?, ?, ?)", (
            (r.id, self.day_key(r.day), self._seal_bytes(r.canonical(), r.id.encode()))
            for r in sorted(revs, key=_by_id)))  # sealed one at a time, never all at once

    def _revision(self, rev_id: str, blob: bytes) -> Revision:
        obj = self._open(blob, rev_id.encode())
        if isinstance(obj, dict):  # written before revisions were kept in canonical form
            return Revision(obj["id"], obj["day"], tuple(obj["parents"]), obj["entry"])
        try:
            return Revision.from_canonical(rev_id, obj)
        except ValueError:
            raise VaultDamaged("the sync state (sync.db) holds a malformed revision; move it "
                               "away and run 'journal sync init' again") from None

    def revs_of(self, day: str) -> dict[str, Revision]:
        return self.revs_of_days([day])[day]

    def revs_of_days(self, days: list[str], known: dict[str, Revision] | None = None,
                     ) -> dict[str, dict[str, Revision]]:
        """revs_of for many days, a few queries in all. Revisions in `known` (those this
        sync just stored) are taken from there: only the others are read and decrypted."""
        known = known or {}
        by_key = {self.day_key(d): d for d in days}
        out: dict[str, dict[str, Revision]] = {d: {} for d in days}
        keys = list(by_key)
        wanted: list[str] = []
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            query = f"SELECT id, dkey FROM revs WHERE dkey IN ({','.join('?' * len(part))})"
            for rid, dkey in self.conn.execute(query, part):
                rev = known.get(rid)
                if rev is not None and rev.day == by_key[dkey]:
                    out[rev.day][rid] = rev
                else:
                    wanted.append(rid)
        for i in range(0, len(wanted), 500):
            part = wanted[i:i + 500]
            query = f"SELECT id, dkey, blob FROM revs WHERE id IN ({','.join('?' * len(part))})"
            for rid, dkey, blob in self.conn.execute(query, part):
                rev = self._revision(rid, blob)
                if self.day_key(rev.day) != dkey:
                    raise _misfiled()
                out[by_key[dkey]][rid] = rev
        return out

    def heads_of_days(self, days: list[str]) -> dict[str, list[str]]:
        """Each day's heads (empty for a day never synced), a few queries in all."""
        by_key = {self.day_key(d): d for d in days}
        out: dict[str, list[str]] = {d: [] for d in days}
        keys = list(by_key)
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            query = f"SELECT dkey, blob FROM days WHERE dkey IN ({','.join('?' * len(part))})"
            for dkey, blob in self.conn.execute(query, part):
                out[by_key[dkey]] = self._open(blob, dkey)["heads"]
        return out

    def day(self, day: str) -> dict[str, Any]:
        dkey = self.day_key(day)
        row = self.conn.execute("SELECT blob FROM days WHERE dkey=?", (dkey,)).fetchone()
        return self._open(row[0], dkey) if row else {"day": day, "heads": [], "conflict": False}

    def save_day(self, state: dict[str, Any]) -> None:
        dkey = self.day_key(state["day"])
        self.conn.execute("INSERT OR REPLACE INTO days VALUES (?, ?)",
                          (dkey, self._seal(state, dkey)))

    def days(self) -> list[dict[str, Any]]:
        return [self._open(blob, dkey) for dkey, blob in
                self.conn.execute("SELECT dkey, blob FROM days")]

    def applied(self) -> dict[str, tuple[bytes, int]]:
        return {u: (d, v) for u, d, v in
                self.conn.execute("SELECT uuid, dkey, version FROM applied")}

    def set_applied(self, entry_id: str, day: str, version: int) -> None:
        self.set_applied_many([(entry_id, day, version)])

    def set_applied_many(self, rows: list[tuple[str, str, int]]) -> None:
        keyed = [(entry_id, self.day_key(day), version) for entry_id, day, version in rows]
        self.conn.executemany("DELETE FROM applied WHERE dkey=?", [(k,) for _i, k, _v in keyed])
        self.conn.executemany("INSERT OR REPLACE INTO applied VALUES (?, ?, ?)", keyed)

    def save_days(self, states: list[dict[str, Any]]) -> None:
        rows = []
        for state in states:
            dkey = self.day_key(state["day"])
            rows.append((dkey, self._seal(state, dkey)))
        rows.sort()
        self.conn.executemany("INSERT OR REPLACE INTO days VALUES (?, ?)", rows)

    def clear_pending_many(self, days: list[str]) -> None:
        self.conn.executemany("DELETE FROM pending WHERE dkey=?",
                              [(self.day_key(d),) for d in days])

    def mark_pending_many(self, days: Iterable[str]) -> None:
        """Only the day's keyed hash is kept: a pending day always has a revision stored
        in the same transaction, which names it (rows written before also hold the day,
        sealed, and still open)."""
        self.conn.executemany("INSERT OR REPLACE INTO pending VALUES (?, ?)",
                              sorted((self.day_key(day), b"") for day in days))

    def pending(self) -> list[str]:
        """The days waiting to be merged into the vault. A day this state hashed itself
        (marked in this sync) is named without decrypting anything; another (left by an
        interrupted sync) by one of its revisions."""
        out: list[str] = []
        for dkey, blob in self.conn.execute("SELECT dkey, day FROM pending").fetchall():
            day = self._days_by_key.get(dkey)
            if day is None and blob:
                day = self._open(blob, b"pending|" + dkey)
            if day is None:
                day = self._day_named_by_revision(dkey)
            if day is not None:
                out.append(day)
        return out

    def pending_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM pending").fetchone()[0])

    def _day_named_by_revision(self, dkey: bytes) -> str | None:
        row = self.conn.execute("SELECT id, blob FROM revs WHERE dkey=? LIMIT 1",
                                (dkey,)).fetchone()
        if row is None:
            return None  # nothing stored for it: nothing to merge
        day = self._revision(*row).day
        if self.day_key(day) != dkey:
            raise _misfiled()
        return day

    def clear_pending(self, day: str) -> None:
        self.conn.execute("DELETE FROM pending WHERE dkey=?", (self.day_key(day),))

    def day_of_key(self, dkey: bytes) -> str | None:
        row = self.conn.execute("SELECT blob FROM days WHERE dkey=?", (dkey,)).fetchone()
        return self._open(row[0], dkey)["day"] if row else None

    def clear_applied(self, day: str) -> None:
        self.conn.execute("DELETE FROM applied WHERE dkey=?", (self.day_key(day),))


def _by_id(rev: Revision) -> str:
    return rev.id


def _misfiled() -> VaultDamaged:
    return VaultDamaged("the sync state (sync.db) has a revision filed under another day; "
                        "move it away and run 'journal sync init' again")


class _Tx:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self.conn.execute("COMMIT" if kind is None else "ROLLBACK")


def dumps(obj: object) -> str:
    return json.dumps(obj, sort_keys=True)
