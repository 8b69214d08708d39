"""SQLite layout of a vault, its pragmas and its numbered migrations.

Only ids, versions, digests, a blind day index and key material are stored in clear; every
word a user writes is inside `entries.ct`. Tables are WITHOUT ROWID so no insertion order
leaks through a hidden rowid (security.md §2.6).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

FORMAT = "journal-vault"
DB_NAME = "journal.db"

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA secure_delete=ON",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA foreign_keys=ON",
)


def _v1(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
    conn.execute(
        "CREATE TABLE entries (uuid BLOB PRIMARY KEY, version INTEGER NOT NULL,"
        " day_key BLOB NOT NULL, ct BLOB NOT NULL, digest BLOB NOT NULL) WITHOUT ROWID"
    )
    # Covering index: the manifest is recomputed from it without touching the ciphertexts.
    conn.execute("CREATE INDEX entries_manifest ON entries(uuid, version, digest)")
    conn.execute("CREATE UNIQUE INDEX entries_day ON entries(day_key)")


def _v2(conn: sqlite3.Connection) -> None:
    # Entries sealed to the vault's public key without the passphrase (quick capture).
    conn.execute("CREATE TABLE sealed (uuid BLOB PRIMARY KEY, ct BLOB NOT NULL) WITHOUT ROWID")


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _v1, 2: _v2}
LATEST = max(MIGRATIONS)


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int | None = None) -> int:
    """Apply missing migrations in order, each with its version bump in one transaction.
    A vault written by a newer program (a schema we do not know) is refused untouched."""
    target = max(MIGRATIONS) if target is None else target
    current = user_version(conn)
    if current > max(MIGRATIONS):
        from journal.core.errors import VaultDamaged

        raise VaultDamaged(f"this vault uses storage version {current}, newer than this "
                           f"program knows ({max(MIGRATIONS)}); update the program")
    for number in range(current + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[number](conn)
            conn.execute(f"PRAGMA user_version={number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return max(current, target)
