"""The integrity manifest: the authenticated set of (uuid, version, digest) of every row.

`Manifest` reads and reseals it and checks the rows against it. It partitions the
(uuid, version, digest) rows into 256 buckets by the first byte of the raw uuid and keeps a
full HMAC per bucket (`crypto.manifest_bucket_mac`), each bucket's count and version sum,
and the totals, all in one AES-GCM-sealed blob rewritten in the same transaction as every
change. A save re-reads and re-MACs only the buckets it touched (~200 rows at 50,000
entries); unlock checks every bucket, so a deleted, duplicated, altered or rolled-back row
stops it. Vaults written before the buckets (one HMAC over every row, "legacy") are still
verified, and upgraded by their next save. Design and reasoning: docs/security.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import cast

from journal.core.clock import Clock
from journal.core.errors import IntegrityError
from journal.core.store import crypto
from journal.core.store.keyring import KeyRing
from journal.core.store.records import row_name
from journal.core.store.schema import meta, put_meta, snapshot

#: The sealed manifest's `format`; legacy manifests (one `mac` over all rows) have none.
BUCKETED = 2
_ALTERED = "a row of the entries table was altered outside the journal"
_DAMAGED = "the integrity manifest is missing or damaged"
_RANGE = "SELECT uuid, version, digest FROM entries WHERE uuid >= ? AND uuid < ?"
_LAST_RANGE = "SELECT uuid, version, digest FROM entries WHERE uuid >= ?"
_ALL_ROWS = "SELECT uuid, version, ct, digest FROM entries"

#: The meta row holding the sealed ids of every quick capture ever merged (captures.py);
#: the manifest seals its SHA-256, so it cannot be rolled back or removed on its own.
MERGED_CAPTURES = "merged_captures"

#: One bucket's state: (HMAC, row count, version sum). Empty buckets are not stored.
Bucket = tuple[bytes, int, int]


@dataclass(frozen=True)
class PreparedRows:
    """Every row's (uuid, version, digest) made ready for the whole-vault check without a
    key (`crypto.manifest_bucket_bodies`): what an unlock reads while its key is derived
    (journal.core.store.read_ahead). Nothing in it is trusted: the check MACs it. `bodies`
    is None when a row is malformed."""

    bodies: dict[int, crypto.BucketBody] | None
    count: int
    version_sum: int

    @classmethod
    def read(cls, conn: sqlite3.Connection) -> PreparedRows:
        """From the rows on disk, a bucket at a time (one indexed range each, so only one
        bucket's row objects are held at once); inside the caller's snapshot. A row whose
        id is not a blob falls in no range: the count of every row says so."""
        bodies: dict[int, crypto.BucketBody] = {}
        try:
            for bucket in range(crypto.MANIFEST_BUCKETS):
                found = crypto.manifest_bucket_bodies(bucket_rows(conn, bucket))
                if found.keys() - {bucket}:
                    raise ValueError("a row of another bucket")
                bodies.update(found)
        except ValueError:
            return cls(None, 0, 0)
        count = sum(state[0] for state in bodies.values())
        if conn.execute("SELECT count(*) FROM entries").fetchone()[0] != count:
            return cls(None, 0, 0)
        return cls(bodies, count, sum(state[1] for state in bodies.values()))


def bucket_rows(conn: sqlite3.Connection, bucket: int) -> list[tuple[bytes, int, bytes]]:
    """The rows whose raw uuid starts with `bucket`: a range search of the covering index
    `entries_manifest` (a uuid that is not a blob never falls in a range; the whole-vault
    check catches those)."""
    if bucket == crypto.MANIFEST_BUCKETS - 1:
        return conn.execute(_LAST_RANGE, (bytes((bucket,)),)).fetchall()
    return conn.execute(_RANGE, (bytes((bucket,)), bytes((bucket + 1,)))).fetchall()


def _plural(n: int) -> str:
    return f"{n} entr{'y' if n == 1 else 'ies'}"


def _diagnose(expected: tuple[int, int], found: tuple[int, int], *, totals: bool) -> str:
    """Name what most likely happened to a set of rows whose MAC no longer matches, from
    the sealed (count, version sum) and the ones on disk."""
    (count0, vsum0), (count, vsum) = expected, found
    where = f" (expected {count0}, found {count})" if totals else ""
    if count < count0:
        return f"{_plural(count0 - count)} deleted outside the journal{where}"
    if count > count0:
        return f"{_plural(count - count0)} added outside the journal{where}"
    if vsum < vsum0:
        return "an entry was rolled back to an older version outside the journal"
    return "the set of entries does not match the integrity manifest"


class Manifest:
    """The sealed manifest of one vault, read and written through its owner's connection
    and transactions, with the keys of `keys`; `clock` stamps each save."""

    def __init__(self, conn: sqlite3.Connection, keys: KeyRing, clock: Clock) -> None:
        self._conn = conn
        self._keys = keys
        self._clock = clock
        self._counter = 0  # the highest save counter read or written by this connection
        #: the last manifest read or sealed: (blob, key, info, its buckets decoded or None).
        #: A bulk save reads it twice per bucket; the blob is still read from the database
        #: every time, and only the same bytes under the same key reuse what they gave.
        self._last: tuple[bytes, bytes, dict, dict[int, Bucket] | None] | None = None

    # -- reading the rows ------------------------------------------------------------------
    def rows(self) -> list[tuple[bytes, int, bytes]]:
        """Every (uuid, version, digest): one pass over the covering index."""
        return self._conn.execute("SELECT uuid, version, digest FROM entries").fetchall()

    def _bucket_rows(self, bucket: int) -> list[tuple[bytes, int, bytes]]:
        return bucket_rows(self._conn, bucket)

    def _bucket_state(self, bucket: int, rows: list[tuple[bytes, int, bytes]]) -> Bucket:
        """Raises ValueError on a malformed row."""
        mac = crypto.manifest_bucket_mac(self._keys.subkeys["manifest-mac"], self._keys.vault_id,
                                         bucket, rows)
        return mac, len(rows), sum(map(itemgetter(1), rows))

    def _all_buckets(self, rows: list[tuple[bytes, int, bytes]]) -> dict[int, Bucket]:
        """Every non-empty bucket, from all rows. Raises ValueError on a malformed row."""
        return self._macs(crypto.manifest_bucket_bodies(rows))

    def _macs(self, bodies: dict[int, crypto.BucketBody]) -> dict[int, Bucket]:
        """Each bucket's state from its prepared rows (`crypto.manifest_bucket_bodies`)."""
        key, vault_id = self._keys.subkeys["manifest-mac"], self._keys.vault_id
        return {b: (crypto.manifest_body_mac(key, vault_id, b, count, body), count, total)
                for b, (count, total, body) in bodies.items()}

    # -- the sealed manifest ---------------------------------------------------------------
    def info(self) -> dict:
        """The sealed manifest, opened (callers must not change it: it may be shared)."""
        blob = meta(self._conn, "manifest")
        key = self._keys.subkeys["manifest-info"]
        last = self._last
        if last is not None and blob == last[0] and key == last[1]:
            return last[2]
        try:
            info = crypto.open_json(key, blob or b"", crypto.MANIFEST_PREFIX + self._keys.vault_id)
        except crypto.DecryptError:
            raise IntegrityError(_DAMAGED) from None
        if not isinstance(info, dict):
            raise IntegrityError(_DAMAGED)
        self._counter = max(self._counter, self._counter_of(info))
        if blob is not None:
            self._last = (blob, key, info, None)
        return info

    @staticmethod
    def _counter_of(info: dict) -> int:
        counter = info.get("counter", 0)
        return counter if type(counter) is int and counter >= 0 else 0

    def counter(self) -> int:
        """The save counter sealed in the manifest: one more at every save, never lower
        (0 for a manifest written before it existed)."""
        return self._counter_of(self.info())

    @staticmethod
    def _is_legacy(info: dict) -> bool:
        """A manifest from before the buckets: one `mac` over every row."""
        if info.get("format") == BUCKETED:
            return False
        if "format" not in info and isinstance(info.get("mac"), str):
            return True
        raise IntegrityError("the integrity manifest has a format this program does not know "
                             "(written by a newer version?)")

    def _stored_buckets(self, info: dict) -> dict[int, Bucket]:
        """The non-empty buckets of a bucketed manifest (`buckets`: a list of 256 items,
        each null for an empty bucket or [base64 MAC, count, version sum]), as a new dict
        the caller may change. The manifest was authenticated when it was opened, so a
        malformed one means a bug or a newer writer: refused all the same."""
        last = self._last
        if last is not None and last[2] is info:
            if last[3] is None:
                self._last = last = (*last[:3], self._decode_buckets(info))
            return dict(cast(dict[int, Bucket], last[3]))
        return self._decode_buckets(info)

    @staticmethod
    def _decode_buckets(info: dict) -> dict[int, Bucket]:
        stored = info.get("buckets")
        if not isinstance(stored, list) or len(stored) != crypto.MANIFEST_BUCKETS:
            raise IntegrityError(_DAMAGED)
        try:
            return {b: (base64.b64decode(item[0], validate=True), int(item[1]), int(item[2]))
                    for b, item in enumerate(stored) if item is not None}
        except (IndexError, TypeError, ValueError, binascii.Error):
            raise IntegrityError(_DAMAGED) from None

    def bucket_stamps(self) -> list[str] | None:
        """For caches kept per bucket (the index chunks): 256 strings, each the base64 MAC
        of that bucket as sealed in the manifest ("" for an empty bucket), or None while
        the manifest is a legacy one. A stamp changes whenever a row of its bucket does, and
        unlock verified every bucket against the rows, so a cache recorded with the current
        stamp is current. Raises IntegrityError if the manifest is missing or damaged."""
        info = self.info()
        if self._is_legacy(info):
            return None
        stored = self._stored_buckets(info)
        return [base64.b64encode(stored[b][0]).decode("ascii") if b in stored else ""
                for b in range(crypto.MANIFEST_BUCKETS)]

    def _seal_manifest(self, buckets: dict[int, Bucket]) -> None:
        live = {b: state for b, state in buckets.items() if state[1]}
        info = {
            "format": BUCKETED,
            "buckets": [[base64.b64encode(live[b][0]).decode("ascii"), live[b][1], live[b][2]]
                        if b in live else None for b in range(crypto.MANIFEST_BUCKETS)],
            "count": sum(state[1] for state in live.values()),
            "version_sum": sum(state[2] for state in live.values()),
            "saved_at": self._clock.now().replace(microsecond=0).isoformat(),
            # carried over a key rotation by the cache: the old manifest is read first
            "counter": self._counter + 1,
        }
        self._counter += 1
        merged = meta(self._conn, MERGED_CAPTURES)
        if merged is not None:
            info["captures"] = hashlib.sha256(merged).hexdigest()
        key = self._keys.subkeys["manifest-info"]
        blob = crypto.seal_json(key, info, crypto.MANIFEST_PREFIX + self._keys.vault_id)
        put_meta(self._conn, "manifest", blob)
        self._last = (blob, key, info, dict(live))

    def write(self, changed: Iterable[bytes] | None = None) -> None:
        """Reseal the manifest after rows changed, inside the same write transaction.

        `changed`: the raw 16-byte uuids of every row inserted, updated or deleted since the
        last manifest. Only their buckets are re-read and re-MACed (one indexed range each);
        every other bucket is carried over as sealed, so it is never re-derived from rows it
        did not verify. `None` recomputes all 256 from all rows (vault creation, key
        rotation, anything that rewrites many rows). A legacy manifest is always replaced by
        a full recomputation in the bucketed format.

        Contract: this trusts the rows of the buckets it recomputes. Whoever changes rows
        must call `verify_buckets(the same uuids)` in the same transaction BEFORE changing
        them (for a legacy manifest that call checks the whole legacy MAC); otherwise rows
        tampered with in those buckets would be laundered into a valid manifest."""
        if changed is None:
            self._write_all()
            return
        buckets_changed = {crypto.manifest_bucket(u) for u in changed}
        info = self.info()  # missing or damaged: IntegrityError, never laundered
        if self._is_legacy(info):
            self._write_all()
            return
        buckets = self._stored_buckets(info)
        try:
            for b in buckets_changed:
                buckets[b] = self._bucket_state(b, self._bucket_rows(b))
        except ValueError:
            raise IntegrityError(f"integrity check failed: {_ALTERED}", [_ALTERED]) from None
        self._seal_manifest(buckets)

    def _write_all(self) -> None:
        try:
            buckets = self._all_buckets(self.rows())
        except ValueError:
            raise IntegrityError(f"integrity check failed: {_ALTERED}", [_ALTERED]) from None
        self._seal_manifest(buckets)

    def verify_buckets(self, raw_uuids: Iterable[bytes]) -> None:
        """Before a write: check the sealed MAC of every bucket these raw uuids fall in
        against the rows on disk, so `write(changed)` never re-MACs rows that
        were tampered with since unlock. Call it inside the write transaction, BEFORE the
        rows change, with every uuid the write will insert, update or delete. With a legacy
        manifest it checks the whole legacy MAC (once: the next save upgrades it).
        Raises IntegrityError naming the problem, like `problems()`."""
        problems = self.problems_in({crypto.manifest_bucket(u) for u in raw_uuids})
        if problems:
            raise IntegrityError("integrity check failed, nothing was saved: "
                                 + "; ".join(problems) + " (run 'journal check')", problems)

    def problems_in(self, buckets: set[int]) -> list[str]:
        """What is wrong with the rows of these buckets against their sealed MACs (with a
        legacy manifest: with every row), read in one snapshot; [] when they match."""
        with snapshot(self._conn):
            info = self.info()
            if self._is_legacy(info):
                return self.problems()
            return self._bucket_problems(self._stored_buckets(info), buckets)

    def _bucket_problems(self, stored: dict[int, Bucket], wanted: set[int]) -> list[str]:
        expected = found = (0, 0)
        clean = True
        for b in sorted(wanted):
            try:
                actual = self._bucket_state(b, self._bucket_rows(b))
            except ValueError:
                return [_ALTERED]
            sealed = stored.get(b)
            if sealed is None:
                sealed = (b"", 0, 0)
                clean = clean and actual[1] == 0
            else:
                clean = clean and hmac.compare_digest(actual[0], sealed[0])
            expected = (expected[0] + sealed[1], expected[1] + sealed[2])
            found = (found[0] + actual[1], found[1] + actual[2])
        return [] if clean else [_diagnose(expected, found, totals=False)]

    def problems(self, prepared: PreparedRows | None = None) -> list[str]:
        """The whole-vault check: every bucket (or the legacy MAC) against every row.
        `prepared`: the rows as read ahead, in the read snapshot this runs in
        (journal.core.store.read_ahead), instead of reading them here."""
        info = self.info()
        if self._is_legacy(info):
            rows = self.rows()
            if not all(map(crypto.manifest_row_ok, rows)):
                return [_ALTERED]  # a row with a damaged id, version or digest
            mac = crypto.manifest_mac(self._keys.subkeys["manifest-mac"], self._keys.vault_id, rows)
            clean = hmac.compare_digest(mac.hex(), str(info["mac"]))
            found = (len(rows), sum(r[1] for r in rows))
        else:
            prepared = prepared or PreparedRows.read(self._conn)
            if prepared.bodies is None:
                return [_ALTERED]
            stored = self._stored_buckets(info)
            actual = self._macs(prepared.bodies)
            clean = stored.keys() == actual.keys() and all(
                hmac.compare_digest(actual[b][0], stored[b][0]) for b in actual)
            found = (prepared.count, prepared.version_sum)
        if clean:
            return []
        try:
            expected = (int(info["count"]), int(info["version_sum"]))
        except (KeyError, TypeError, ValueError):
            return ["the set of entries does not match the integrity manifest"]
        return [_diagnose(expected, found, totals=True)]

    def digest_problems(self) -> list[str]:
        """Rows whose ciphertext no longer hashes to their digest. With the manifest this
        proves, without decrypting, that every row is byte for byte one we sealed."""
        problems = []
        for raw_uuid, version, ct, row_digest in self._conn.execute(_ALL_ROWS):
            if not isinstance(ct, bytes) or not isinstance(row_digest, bytes) or not (
                    hmac.compare_digest(crypto.digest(ct), row_digest)):
                problems.append(f"entry {row_name(raw_uuid)} (version {version}) was altered "
                                "outside the journal")
        return problems

    def verify(self, *, digests: bool = False, prepared: PreparedRows | None = None) -> None:
        """The unlock-time check: the manifest matches the set of (uuid, version, digest)
        rows: a deleted, duplicated or rolled-back entry stops the unlock. Each row's
        ciphertext is checked against its digest (and authenticated) when it is read, so
        hashing every ciphertext here (`digests=True`, 0.6 s at 50,000 entries) only moves
        that detection earlier; `check()` does it for every row. Read in one snapshot, so
        another program committing meanwhile is no false alarm."""
        with snapshot(self._conn):
            problems = self.problems(prepared) + (self.digest_problems() if digests else [])
        if problems:
            raise IntegrityError("integrity check failed: " + "; ".join(problems), problems)

    def last_saved(self) -> tuple[datetime | None, int]:
        info = self.info()
        saved = info.get("saved_at")
        return (datetime.fromisoformat(saved) if saved else None), int(info.get("count", 0))
