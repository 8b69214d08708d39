"""Issues 13 (item 4) and 19: a read command that had to rebuild the encrypted index (a
chunk-format change, chunks missing) stores the rebuilt chunks once, in one transaction,
and says so on stderr, so the next command does not rebuild them again. Chunks are still
built only from rows verified against the manifest (tests/core/test_index_poisoning.py)."""

from __future__ import annotations

import sqlite3

import pytest
from cli_harness import Journal

from journal.core.store import schema
from journal.core.store.index_store import IndexStore
from journal.core.store.vault import db_path
from tests.raw_sql import raw_sql

DAYS = ("2026-11-20", "2026-11-21", "2026-11-22")
LINE = "journal: the encrypted index was rebuilt (3 entries) and stored"


def _sql(journal: Journal, query: str) -> list[tuple]:
    return raw_sql(journal.vault_dir, query)


def _list_while_another_writer_holds_the_vault(journal: Journal):  # noqa: ANN202
    """`journal list` run while another connection holds the vault's write lock."""
    blocker = sqlite3.connect(db_path(journal.vault_dir), timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        return journal("list")
    finally:
        blocker.rollback()
        blocker.close()


@pytest.fixture
def unindexed(initialised: Journal, monkeypatch) -> tuple[Journal, list[list[int]]]:
    """Three entries whose index chunks are gone (as after a format bump, which makes
    every chunk stale); `rebuilds` records the buckets each rebuild touched."""
    for day in DAYS:
        initialised("add", f"Shift on {day} #ward", "--date", day)
    _sql(initialised, "DELETE FROM index_chunks")
    rebuilds: list[list[int]] = []
    real = IndexStore.rebuild

    def spy(self, buckets):
        rebuilds.append(list(buckets))
        return real(self, buckets)

    monkeypatch.setattr(IndexStore, "rebuild", spy)
    return initialised, rebuilds


@pytest.mark.parametrize("command", [("list",), ("search", "#ward"), ("reflect", "--json")])
def test_a_read_that_rebuilt_the_index_stores_it_once_and_says_so(unindexed, command):
    journal, rebuilds = unindexed
    first = journal(*command)
    assert len(rebuilds) == 1
    assert first.stderr.count(LINE) == 1
    assert len(_sql(journal, "SELECT bucket FROM index_chunks")) == len(rebuilds[0])
    second = journal(*command)
    assert len(rebuilds) == 1  # the stored chunks are current: nothing rebuilt again
    assert "rebuilt" not in second.stderr
    assert second.stdout == first.stdout


def test_a_current_index_is_never_written_by_a_read(initialised):
    for day in DAYS:
        initialised("add", f"Shift on {day} #ward", "--date", day)
    before = db_path(initialised.vault_dir).read_bytes()
    result = initialised("list")
    assert "rebuilt" not in result.stderr
    assert db_path(initialised.vault_dir).read_bytes() == before


def test_a_busy_vault_keeps_the_command_going_and_names_the_repair(unindexed):
    journal, rebuilds = unindexed
    result = _list_while_another_writer_holds_the_vault(journal)
    assert len(result.stdout.splitlines()) == 3
    assert ("journal: the encrypted index was rebuilt (3 entries) but could not be stored; "
            "run 'journal check --rebuild-index'") in result.stderr
    assert _sql(journal, "SELECT bucket FROM index_chunks") == []


def test_check_rebuild_index_stores_the_index_at_once(unindexed):
    journal, rebuilds = unindexed
    result = journal("check", "--rebuild-index")
    assert "Rebuilt the index from the verified entries (3 entries)." in result.stdout
    assert "OK: 3 entries authenticated" in result.stdout
    assert len(rebuilds) == 1 and "rebuilt (" not in result.stderr
    assert len(_sql(journal, "SELECT bucket FROM word_chunks")) == len(rebuilds[0])
    listed = journal("list")
    assert len(rebuilds) == 1 and listed.stderr == ""
    assert len(listed.stdout.splitlines()) == 3


def test_missing_word_rows_are_rebuilt_by_the_first_word_search_alone(initialised,
                                                                      monkeypatch):
    """Word rows gone (a damaged table, say) while the chunks are current: only a word
    search needs them; it rebuilds them from verified rows once, stores them and says so."""
    for day in DAYS:
        initialised("add", f"Shift on {day} #ward", "--date", day)
    _sql(initialised, "DELETE FROM word_chunks")
    rebuilds: list[list[int]] = []
    real = IndexStore.rebuild_words

    def spy(self, index, buckets):
        rebuilds.append(list(buckets))
        return real(self, index, buckets)

    monkeypatch.setattr(IndexStore, "rebuild_words", spy)
    listed = initialised("list")
    assert rebuilds == [] and "rebuilt" not in listed.stderr
    first = initialised("search", "shift")
    assert len(rebuilds) == 1 and first.stderr.count(LINE) == 1
    assert len(first.stdout.splitlines()) == 3
    assert len(_sql(initialised, "SELECT bucket FROM word_chunks")) == len(rebuilds[0])
    second = initialised("search", "shift")
    assert len(rebuilds) == 1 and "rebuilt" not in second.stderr
    assert second.stdout == first.stdout


def test_a_read_command_never_waits_the_full_busy_time_for_its_conveniences(unindexed,
                                                                             monkeypatch):
    """With the app saving (another writer holding the vault), `journal list` waited
    SQLite's whole busy time (10 s) twice: to store the index it rebuilt, and to empty the
    WAL at close; 20 s for a list. Both are conveniences: they wait a moment, not 10 s."""
    journal, _ = unindexed
    statements: list[str] = []
    real_connect = schema.connect

    def traced(path, **kwargs):
        conn = real_connect(path, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(schema, "connect", traced)
    result = _list_while_another_writer_holds_the_vault(journal)
    assert len(result.stdout.splitlines()) == 3
    waits = [s for s in statements if s.startswith("PRAGMA busy_timeout")]
    for i, statement in enumerate(statements):
        if statement.startswith(("BEGIN IMMEDIATE", "PRAGMA wal_checkpoint")):
            set_before = [s for s in statements[:i] if s.startswith("PRAGMA busy_timeout")]
            assert set_before, f"{statement!r} waits the connection's full busy time"
            millis = int(set_before[-1].rsplit("=", 1)[1])
            assert millis <= 1000, statement
    assert waits


@pytest.mark.parametrize("older", ["index-v4", "index-v5"])
def test_the_first_reflect_of_an_older_vault_stores_its_upgrade_once(tmp_path, older):
    """A vault of storage version 5 (index chunks of format 4, made by main a36e878:
    tests/data/index-v4) or 6 (chunks of format 5, made by main 38a3b8e: index-v5)
    upgrades at its first command, which says so once, and says what it did: folded the
    chunks' own moments, not rebuilt them from the entries; its reflection is the older
    program's, byte for byte in JSON."""
    import json
    import shutil
    from datetime import UTC, datetime
    from pathlib import Path

    from cli_harness import Prompts

    from journal.core.clock import FixedClock

    old = Path(__file__).resolve().parents[1] / "data" / older
    expected = json.loads((old / "reflect.json").read_text(encoding="utf-8"))
    shutil.copytree(old, tmp_path / "vault")
    journal = Journal(tmp_path, FixedClock(datetime(2026, 11, 24, 21, 30), zone=UTC),
                      Prompts(default=expected["passphrase"]))
    first = journal("reflect", "--json")
    assert first.stderr.count(
        "journal: the encrypted index was upgraded (the moments of 80 entries folded from the "
        "index itself; no entry decrypted) and stored\n") == 1
    assert "rebuilt" not in first.stderr
    assert json.loads(first.stdout) == expected["runs"][0]["result"]
    second = journal("reflect", "--json")
    assert "rebuilt" not in second.stderr
    assert second.stdout == first.stdout
