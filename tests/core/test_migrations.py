"""Schema migrations: every step from v1 to the latest, all-or-nothing, never downwards."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from journal.core.errors import StorageError, VaultDamaged
from journal.core.model.entries import Entry
from journal.core.store import schema
from journal.core.store.captures import SealedBox
from journal.core.store.index_store import IndexStore
from journal.core.store.vault import Vault, db_path, merge_sealed

DAY = date(2026, 11, 25)

PASSPHRASE = "correct horse battery staple"  # as in tests/conftest.py (the fixtures)


def open_vault(directory, passphrase=PASSPHRASE, **kw) -> Vault:
    return Vault.open(directory, passphrase, allow_weak=True, **kw)


def tables(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def user_version(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return schema.user_version(conn)
    finally:
        conn.close()


@pytest.fixture
def v1_vault(vault_dir, fast_kdf, monkeypatch):
    """A vault exactly as the first schema wrote it."""
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", {1: schema.MIGRATIONS[1]})
        patch.setattr(IndexStore, "update", lambda *args: {})  # schema 1 had no index
        vault, code = Vault.create(vault_dir, PASSPHRASE, kdf=fast_kdf)
        vault.put(Entry(date=DAY, body="written under schema 1"))
        vault.close()
    assert user_version(db_path(vault_dir)) == 1
    assert "sealed" not in tables(db_path(vault_dir))
    return vault_dir


def test_v3_vault_drops_its_summaries_and_builds_the_index(vault_dir, fast_kdf, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", {n: schema.MIGRATIONS[n] for n in (1, 2, 3)})
        patch.setattr(IndexStore, "update", lambda *args: {})
        vault, _ = Vault.create(vault_dir, PASSPHRASE, kdf=fast_kdf)
        vault.put_many([Entry(date=date(2026, 1, d), body=f"#day{d} under schema 3")
                        for d in range(1, 21)])
        vault.close()
    path = db_path(vault_dir)
    assert "summaries" in tables(path) and user_version(path) == 3
    with open_vault(vault_dir) as vault:
        parts = list(vault.summaries())
        assert [p.date for p in parts] == [date(2026, 1, d) for d in range(20, 0, -1)]
        assert all(p.partial and f"day{p.date.day}" in p.all_tags for p in parts)
        vault.put(Entry(date=date(2026, 2, 1), body="the next save stores the index"))
    assert "summaries" not in tables(path) and user_version(path) == schema.LATEST
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM index_chunks").fetchone()[0] > 0  # stored
    conn.close()


def test_migrations_are_numbered_from_one_without_gaps():
    assert sorted(schema.MIGRATIONS) == list(range(1, schema.LATEST + 1))


def test_each_step_applies_on_its_own(tmp_path):
    conn = sqlite3.connect(tmp_path / "steps.db", isolation_level=None)
    for target in range(1, schema.LATEST + 1):
        assert schema.migrate(conn, target) == target
        assert schema.user_version(conn) == target
    assert schema.migrate(conn) == schema.LATEST  # idempotent
    conn.close()


def test_v1_vault_opens_and_migrates_to_latest(v1_vault):
    with open_vault(v1_vault) as vault:
        assert vault.get_by_date(DAY).body == "written under schema 1"
        assert vault.check().ok
    assert user_version(db_path(v1_vault)) == schema.LATEST
    assert "sealed" in tables(db_path(v1_vault))
    SealedBox(v1_vault).add(Entry(date=date(2026, 11, 26), body="after the upgrade"))
    with open_vault(v1_vault) as vault:
        assert merge_sealed(vault).merged == 1
        assert vault.count() == 2


def test_a_failing_migration_changes_nothing(v1_vault, monkeypatch):
    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        conn.execute("SELECT * FROM no_such_table")  # fails after a first change

    monkeypatch.setitem(schema.MIGRATIONS, schema.LATEST + 1, broken)
    with pytest.raises(StorageError):
        open_vault(v1_vault)
    path = db_path(v1_vault)
    assert user_version(path) == schema.LATEST  # the good steps stayed, each atomic
    assert "half_done" not in tables(path)
    monkeypatch.delitem(schema.MIGRATIONS, schema.LATEST + 1)
    with open_vault(v1_vault) as vault:
        assert vault.check().ok


def test_a_vault_from_a_newer_program_is_refused_untouched(vault_dir, vault):
    vault.close()
    conn = sqlite3.connect(db_path(vault_dir))
    conn.execute(f"PRAGMA user_version={schema.LATEST + 5}")
    conn.close()
    before = db_path(vault_dir).read_bytes()
    with pytest.raises(VaultDamaged, match="newer"):
        open_vault(vault_dir)
    assert db_path(vault_dir).read_bytes() == before
