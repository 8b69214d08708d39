"""Integrity of the set of entries: the manifest, per-row digests and `check()`.

`Integrity` is a part of `journal.core.store.vault.Vault` (a mixin). The manifest partitions the
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
import hmac
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter

from journal.core.errors import IntegrityError
from journal.core.store import crypto

#: The sealed manifest's `format`; legacy manifests (one `mac` over all rows) have none.
BUCKETED = 2
_ALTERED = "a row of the entries table was altered outside the journal"
_DAMAGED = "the integrity manifest is missing or damaged"
_RANGE = "SELECT uuid, version, digest FROM entries WHERE uuid >= ? AND uuid < ?"
_LAST_RANGE = "SELECT uuid, version, digest FROM entries WHERE uuid >= ?"

#: One bucket's state: (HMAC, row count, version sum). Empty buckets are not stored.
Bucket = tuple[bytes, int, int]


@dataclass
class CheckReport:
    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _row_name(raw_uuid: object) -> str:
    """A printable name for a row whose uuid may itself be damaged."""
    if isinstance(raw_uuid, bytes) and len(raw_uuid) == 16:
        return str(uuid.UUID(bytes=raw_uuid))
    return f"<damaged id {raw_uuid!r:.40}>"


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


class Integrity:
    """Manifest and checks of an unlocked vault (mixed into `Vault`)."""

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """A read transaction (WAL: one consistent snapshot for every read inside it)."""
        if self._conn.in_transaction:
            yield
            return
        self._conn.execute("BEGIN")
        try:
            yield
        finally:
            if self._conn.in_transaction:
                self._conn.execute("COMMIT")

    # -- reading the rows ------------------------------------------------------------------
    def _manifest_rows(self) -> list[tuple[bytes, int, bytes]]:
        """Every (uuid, version, digest): one pass over the covering index."""
        return self._conn.execute("SELECT uuid, version, digest FROM entries").fetchall()

    def _bucket_rows(self, bucket: int) -> list[tuple[bytes, int, bytes]]:
        """The rows whose raw uuid starts with `bucket`: a range search of the covering
        index `entries_manifest` (a uuid that is not a blob never falls in a range; the
        whole-vault check catches those)."""
        if bucket == crypto.MANIFEST_BUCKETS - 1:
            return self._conn.execute(_LAST_RANGE, (bytes((bucket,)),)).fetchall()
        return self._conn.execute(_RANGE, (bytes((bucket,)), bytes((bucket + 1,)))).fetchall()

    def _bucket_state(self, bucket: int, rows: list[tuple[bytes, int, bytes]]) -> Bucket:
        """Raises ValueError on a malformed row."""
        mac = crypto.manifest_bucket_mac(self._keys["manifest-mac"], self.header.vault_id,
                                         bucket, rows)
        return mac, len(rows), sum(map(itemgetter(1), rows))

    def _all_buckets(self, rows: list[tuple[bytes, int, bytes]]) -> dict[int, Bucket]:
        """Every non-empty bucket, from all rows. Raises ValueError on a malformed row."""
        grouped: dict[int, list[tuple[bytes, int, bytes]]] = {}
        try:
            for row in rows:
                grouped.setdefault(row[0][0], []).append(row)
        except (TypeError, IndexError):  # a uuid that is not bytes, or empty
            raise ValueError("malformed manifest row") from None
        return {b: self._bucket_state(b, group) for b, group in grouped.items()}

    # -- the sealed manifest ---------------------------------------------------------------
    def manifest_info(self) -> dict:
        blob = self._meta("manifest")
        try:
            info = crypto.open_json(self._keys["manifest-info"], blob or b"",
                                    crypto.MANIFEST_PREFIX + self.header.vault_id)
        except crypto.DecryptError:
            raise IntegrityError(_DAMAGED) from None
        if not isinstance(info, dict):
            raise IntegrityError(_DAMAGED)
        return info

    @staticmethod
    def _is_legacy(info: dict) -> bool:
        """A manifest from before the buckets: one `mac` over every row."""
        if info.get("format") == BUCKETED:
            return False
        if "format" not in info and isinstance(info.get("mac"), str):
            return True
        raise IntegrityError("the integrity manifest has a format this program does not know "
                             "(written by a newer version?)")

    @staticmethod
    def _stored_buckets(info: dict) -> dict[int, Bucket]:
        """The non-empty buckets of a bucketed manifest (`buckets`: a list of 256 items,
        each null for an empty bucket or [base64 MAC, count, version sum]). The manifest
        was authenticated when it was opened, so a malformed one means a bug or a newer
        writer: refused all the same."""
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
        info = self.manifest_info()
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
            "saved_at": self.clock.now().replace(microsecond=0).isoformat(),
        }
        self._put_meta("manifest", crypto.seal_json(
            self._keys["manifest-info"], info, crypto.MANIFEST_PREFIX + self.header.vault_id))

    def _write_manifest(self, changed: Iterable[bytes] | None = None) -> None:
        """Reseal the manifest after rows changed, inside the same write transaction.

        `changed`: the raw 16-byte uuids of every row inserted, updated or deleted since the
        last manifest. Only their buckets are re-read and re-MACed (one indexed range each);
        every other bucket is carried over as sealed, so it is never re-derived from rows it
        did not verify. `None` recomputes all 256 from all rows (vault creation, key
        rotation, anything that rewrites many rows). A legacy manifest is always replaced by
        a full recomputation in the bucketed format.

        Contract: this trusts the rows of the buckets it recomputes. Whoever changes rows
        must call `_verify_buckets(the same uuids)` in the same transaction BEFORE changing
        them (for a legacy manifest that call checks the whole legacy MAC); otherwise rows
        tampered with in those buckets would be laundered into a valid manifest."""
        if changed is None:
            self._write_all_buckets()
            return
        buckets_changed = {crypto.manifest_bucket(u) for u in changed}
        info = self.manifest_info()  # missing or damaged: IntegrityError, never laundered
        if self._is_legacy(info):
            self._write_all_buckets()
            return
        buckets = self._stored_buckets(info)
        try:
            for b in buckets_changed:
                buckets[b] = self._bucket_state(b, self._bucket_rows(b))
        except ValueError:
            raise IntegrityError(f"integrity check failed: {_ALTERED}", [_ALTERED]) from None
        self._seal_manifest(buckets)

    def _write_all_buckets(self) -> None:
        try:
            buckets = self._all_buckets(self._manifest_rows())
        except ValueError:
            raise IntegrityError(f"integrity check failed: {_ALTERED}", [_ALTERED]) from None
        self._seal_manifest(buckets)

    def _verify_buckets(self, raw_uuids: Iterable[bytes]) -> None:
        """Before a write: check the sealed MAC of every bucket these raw uuids fall in
        against the rows on disk, so `_write_manifest(changed)` never re-MACs rows that
        were tampered with since unlock. Call it inside the write transaction, BEFORE the
        rows change, with every uuid the write will insert, update or delete. With a legacy
        manifest it checks the whole legacy MAC (once: the next save upgrades it).
        Raises IntegrityError naming the problem, like `manifest_problems()`."""
        wanted = {crypto.manifest_bucket(u) for u in raw_uuids}
        with self._snapshot():
            info = self.manifest_info()
            if self._is_legacy(info):
                problems = self.manifest_problems()
            else:
                problems = self._bucket_problems(self._stored_buckets(info), wanted)
        if problems:
            raise IntegrityError("integrity check failed, nothing was saved: "
                                 + "; ".join(problems) + " (run 'journal check')", problems)

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

    def manifest_problems(self) -> list[str]:
        """The whole-vault check: every bucket (or the legacy MAC) against every row."""
        info = self.manifest_info()
        rows = self._manifest_rows()
        if self._is_legacy(info):
            if not all(map(crypto.manifest_row_ok, rows)):
                return [_ALTERED]  # a row with a damaged id, version or digest
            mac = crypto.manifest_mac(self._keys["manifest-mac"], self.header.vault_id, rows)
            clean = hmac.compare_digest(mac.hex(), str(info["mac"]))
        else:
            stored = self._stored_buckets(info)
            try:
                actual = self._all_buckets(rows)
            except ValueError:
                return [_ALTERED]
            clean = stored.keys() == actual.keys() and all(
                hmac.compare_digest(actual[b][0], stored[b][0]) for b in actual)
        if clean:
            return []
        try:
            expected = (int(info["count"]), int(info["version_sum"]))
        except (KeyError, TypeError, ValueError):
            return ["the set of entries does not match the integrity manifest"]
        return [_diagnose(expected, (len(rows), sum(r[1] for r in rows)), totals=True)]

    def digest_problems(self) -> list[str]:
        """Rows whose ciphertext no longer hashes to their digest. With the manifest this
        proves, without decrypting, that every row is byte for byte one we sealed."""
        problems = []
        for raw_uuid, version, ct, row_digest in self._iter_rows():
            if not isinstance(ct, bytes) or not isinstance(row_digest, bytes) or not (
                    hmac.compare_digest(crypto.digest(ct), row_digest)):
                problems.append(f"entry {_row_name(raw_uuid)} (version {version}) was altered "
                                "outside the journal")
        return problems

    def verify_manifest(self, *, digests: bool = False) -> None:
        """The unlock-time check: the manifest matches the set of (uuid, version, digest)
        rows: a deleted, duplicated or rolled-back entry stops the unlock. Each row's
        ciphertext is checked against its digest (and authenticated) when it is read, so
        hashing every ciphertext here (`digests=True`, 0.6 s at 50,000 entries) only moves
        that detection earlier; `check()` does it for every row. Read in one snapshot, so
        another program committing meanwhile is no false alarm."""
        with self._snapshot():
            problems = self.manifest_problems() + (self.digest_problems() if digests else [])
        if problems:
            raise IntegrityError("integrity check failed: " + "; ".join(problems), problems)

    def check(self) -> CheckReport:
        """Authenticate every record and the manifest; name each damaged record."""
        problems: list[str] = []
        count = 0
        days: dict[date, str] = {}
        for raw_uuid, version, ct, row_digest in self._iter_rows():
            count += 1
            name = _row_name(raw_uuid)
            try:
                entry = self._decrypt_row(raw_uuid, version, ct, row_digest)
            except crypto.DecryptError as exc:
                problems.append(f"entry {name} (version {version}): fails authentication "
                                f"({exc})")
                continue
            if entry.date in days:
                problems.append(f"entry {name}: a second entry for {entry.date}")
            days[entry.date] = name
            row_day = self._conn.execute("SELECT day_key FROM entries WHERE uuid=?",
                                         (raw_uuid,)).fetchone()
            if row_day is None or row_day[0] != self.day_key(entry.date):
                problems.append(f"entry {name}: its day index was altered outside the journal")
        try:
            problems.extend(self.manifest_problems())
        except IntegrityError as exc:
            problems.append(str(exc))
        sealing = self.sealing_key_problem()
        if sealing is not None:
            problems.append(sealing.replace(" (key restored)", ""))
        try:
            integrity = self._conn.execute("PRAGMA integrity_check").fetchone()[0]
            if integrity != "ok":
                problems.append(f"SQLite integrity check: {integrity}")
        except sqlite3.DatabaseError as exc:
            problems.append(f"SQLite integrity check: {exc}")
        return CheckReport(count, problems)

    def last_saved(self) -> tuple[datetime | None, int]:
        info = self.manifest_info()
        saved = info.get("saved_at")
        return (datetime.fromisoformat(saved) if saved else None), int(info.get("count", 0))
