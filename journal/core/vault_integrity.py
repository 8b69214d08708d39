"""Integrity of the set of entries: the manifest, per-row digests and `check()`.

`Integrity` is a part of `journal.core.vault.Vault` (a mixin). The manifest is an HMAC over
every (uuid, version, digest), sealed with the count, the version sum and the save time, and
rewritten in the same transaction as every change; at unlock it and every row's digest are
checked, so a deleted, duplicated, altered or rolled-back row stops the unlock.
"""

from __future__ import annotations

import hmac
import sqlite3
import struct
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from journal.core import crypto
from journal.core.errors import IntegrityError


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

    def _manifest_rows(self) -> list[tuple[bytes, int, bytes]]:
        return self._conn.execute("SELECT uuid, version, digest FROM entries").fetchall()

    def _write_manifest(self) -> None:
        rows = self._manifest_rows()
        info = {
            "mac": crypto.manifest_mac(self._keys["manifest-mac"], self.header.vault_id,
                                       rows).hex(),
            "count": len(rows), "version_sum": sum(r[1] for r in rows),
            "saved_at": self.clock.now().replace(microsecond=0).isoformat(),
        }
        self._put_meta("manifest", crypto.seal_json(
            self._keys["manifest-info"], info, crypto.MANIFEST_PREFIX + self.header.vault_id))

    def manifest_info(self) -> dict:
        blob = self._meta("manifest")
        try:
            info = crypto.open_json(self._keys["manifest-info"], blob or b"",
                                    crypto.MANIFEST_PREFIX + self.header.vault_id)
        except crypto.DecryptError:
            raise IntegrityError("the integrity manifest is missing or damaged") from None
        assert isinstance(info, dict)
        return info

    def manifest_problems(self) -> list[str]:
        info = self.manifest_info()
        rows = self._manifest_rows()
        try:
            mac = crypto.manifest_mac(self._keys["manifest-mac"], self.header.vault_id, rows)
        except (TypeError, struct.error):  # a row with a non-blob id or non-int version
            return ["a row of the entries table was altered outside the journal"]
        if hmac.compare_digest(mac.hex(), str(info.get("mac", ""))):
            return []
        count, vsum = len(rows), sum(r[1] for r in rows)
        if count < info["count"]:
            return [f"{info['count'] - count} entr{'y' if info['count'] - count == 1 else 'ies'}"
                    f" deleted outside the journal (expected {info['count']}, found {count})"]
        if count > info["count"]:
            return [f"{count - info['count']} entr{'y' if count - info['count'] == 1 else 'ies'}"
                    f" added outside the journal (expected {info['count']}, found {count})"]
        if vsum < info["version_sum"]:
            return ["an entry was rolled back to an older version outside the journal"]
        return ["the set of entries does not match the integrity manifest"]

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
