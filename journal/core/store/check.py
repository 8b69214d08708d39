"""`journal check`: every record authenticated, the manifest, the sealing key and SQLite's
own integrity check, each problem named (the vault is not changed)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from journal.core.errors import IntegrityError
from journal.core.store import crypto
from journal.core.store.keyring import KeyRing
from journal.core.store.manifest import Manifest
from journal.core.store.records import Records, row_name


@dataclass
class CheckReport:
    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_vault(conn: sqlite3.Connection, keys: KeyRing, records: Records,
                manifest: Manifest) -> CheckReport:
    """Authenticate every record and the manifest; name each damaged record."""
    problems: list[str] = []
    count = 0
    days: dict[date, str] = {}
    for raw_uuid, version, ct, row_digest in records.rows():
        count += 1
        name = row_name(raw_uuid)
        try:
            entry = records.decrypt(raw_uuid, version, ct, row_digest)
        except crypto.DecryptError as exc:
            problems.append(f"entry {name} (version {version}): fails authentication "
                            f"({exc})")
            continue
        if entry.date in days:
            problems.append(f"entry {name}: a second entry for {entry.date}")
        days[entry.date] = name
        if records.day_key_of(raw_uuid) != keys.day_key(entry.date):
            problems.append(f"entry {name}: its day index was altered outside the journal")
    try:
        problems.extend(manifest.problems())
    except IntegrityError as exc:
        problems.append(str(exc))
    sealing = keys.sealing_key_problem()
    if sealing is not None:
        problems.append(sealing.replace(" (key restored)", ""))
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            problems.append(f"SQLite integrity check: {integrity}")
    except sqlite3.DatabaseError as exc:
        problems.append(f"SQLite integrity check: {exc}")
    return CheckReport(count, problems)
