"""Tests that play an attacker or an accident reach under the vault: one SQL statement on
its database file, committed, with the rows it returns."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from journal.core.store.schema import db_path


def raw_sql(vault_dir: Path, query: str, *args: object) -> list[tuple]:
    conn = sqlite3.connect(db_path(vault_dir))
    try:
        rows = conn.execute(query, args).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()
