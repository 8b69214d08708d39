"""A damaged or foreign file where the vault should be is refused and left byte-identical."""

from __future__ import annotations

import os
import sqlite3

import pytest
from cli_harness import Journal


def _plant(j: Journal, content: bytes) -> bytes:
    j.vault_dir.mkdir(mode=0o700)
    (j.vault_dir / "journal.db").write_bytes(content)
    return content


def _foreign_sqlite(path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes(text) VALUES ('someone else''s data')")
    conn.commit()
    conn.close()
    return path.read_bytes()


@pytest.mark.parametrize("command", [["list"], ["check"], ["add", "text"], ["export"],
                                     ["passwd"], ["rotate-keys"], ["add", "--sealed", "x"]])
def test_a_random_file_is_refused_and_untouched(journal: Journal, command):
    before = _plant(journal, os.urandom(8192))
    journal.prompts.default = None  # refused before any passphrase is asked
    result = journal(*command, ok=False)
    assert result.exit_code == 5
    assert "not a journal vault" in result.stderr and "left unmodified" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (journal.vault_dir / "journal.db").read_bytes() == before
    assert sorted(p.name for p in journal.vault_dir.iterdir()) == ["journal.db"]


@pytest.mark.parametrize("command", [["list"], ["check"], ["add", "text"], ["import", "-"]])
def test_a_foreign_sqlite_database_is_refused_and_untouched(journal: Journal, tmp_path,
                                                           command):
    journal.vault_dir.mkdir(mode=0o700)
    before = _foreign_sqlite(journal.vault_dir / "journal.db")
    if command[0] == "import":
        source = tmp_path / "in.json"
        source.write_text('{"format": "journal-export", "version": 1, "entries": []}')
        command = ["import", str(source)]
    journal.prompts.default = None
    result = journal(*command, ok=False)
    assert result.exit_code == 5 and "not a journal vault" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (journal.vault_dir / "journal.db").read_bytes() == before
    assert sorted(p.name for p in journal.vault_dir.iterdir()) == ["journal.db"]


def test_no_vault_is_a_one_line_hint(journal: Journal):
    result = journal("list", ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"journal: error: no vault at {journal.vault_dir} "
                                     "(create one with 'journal init')")
