"""What unlock checks (the manifest, cheaply) and where altered ciphertext is caught
(on read, by check(), and by the opt-in full digest pass)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from journal.core.errors import IntegrityError, VaultDamaged
from journal.core.model.entries import Entry
from journal.core.store.vault import db_path
from tests.conftest import open_vault


def _flip_ct_keep_digest(vault_dir) -> None:
    conn = sqlite3.connect(db_path(vault_dir))
    ct = bytearray(conn.execute("SELECT ct FROM entries").fetchone()[0])
    ct[40] ^= 1
    conn.execute("UPDATE entries SET ct=?", (bytes(ct),))
    conn.commit()
    conn.close()


def test_altered_ciphertext_is_never_shown(vault, vault_dir):
    vault.put(Entry(date=date(2026, 11, 1), body="words that must not change"))
    vault.close()
    _flip_ct_keep_digest(vault_dir)
    v = open_vault(vault_dir)  # the manifest still matches: unlock is cheap
    with pytest.raises(VaultDamaged):
        v.get_by_date(date(2026, 11, 1))
    with pytest.raises(VaultDamaged):
        v.entries()
    report = v.check()
    assert not report.ok and any("fails authentication" in p for p in report.problems)
    with pytest.raises(IntegrityError, match="altered outside the journal"):
        v.verify_manifest(digests=True)
    v.close()


def test_a_deleted_row_still_stops_the_unlock(vault, vault_dir):
    vault.put_many([Entry(date=date(2026, 11, d), body=str(d)) for d in (1, 2)])
    vault.close()
    conn = sqlite3.connect(db_path(vault_dir))
    conn.execute("DELETE FROM entries WHERE uuid=(SELECT uuid FROM entries LIMIT 1)")
    conn.commit()
    conn.close()
    with pytest.raises(IntegrityError, match="deleted"):
        open_vault(vault_dir)
