"""Issue 13 item 12: one damaged row no longer leaves the person stuck. `export
--skip-damaged` saves every healthy entry and names the damaged ones, `add` warns, and
`list` marks the damaged entry instead of showing its old summary."""

from __future__ import annotations

import json
import os
import sqlite3
import uuid

import pytest
from cli_harness import PASSPHRASE, Journal

from journal.core.store.vault import Vault, db_path

DAYS = ("2026-11-20", "2026-11-21", "2026-11-22")


@pytest.fixture
def damaged(initialised: Journal) -> tuple[Journal, str]:
    for day in DAYS:
        initialised("add", f"Shift on {day} #ward", "--date", day)
    with Vault.open(initialised.vault_dir, PASSPHRASE, allow_weak=True) as vault:
        victim = next(e for e in vault.entries() if e.date.isoformat() == DAYS[1])
    raw = uuid.UUID(victim.id).bytes
    conn = sqlite3.connect(db_path(initialised.vault_dir))
    ct = bytearray(conn.execute("SELECT ct FROM entries WHERE uuid=?", (raw,)).fetchone()[0])
    ct[40] ^= 0x01  # one flipped bit on disk
    conn.execute("UPDATE entries SET ct=? WHERE uuid=?", (bytes(ct), raw))
    conn.commit()
    conn.close()
    return initialised, victim.id


def test_list_marks_the_damaged_entry(damaged):
    journal, _ = damaged
    lines = journal("list").stdout.splitlines()
    assert [line[:10] for line in lines] == list(reversed(DAYS))
    assert "[damaged" in lines[1] and "Shift on" not in lines[1]
    assert "Shift on 2026-11-22" in lines[0] and "[damaged" not in lines[0]


def test_add_saves_and_warns(damaged, monkeypatch):
    """`add` hashes the records of the bucket it saves to (its cost does not grow with the
    vault): a new entry landing beside the damaged one warns."""
    journal, victim = damaged
    result = journal("add", "a day elsewhere", "--date", "2026-11-23")
    assert "Created the entry" in result.stdout  # another bucket, most likely: no word
    beside = uuid.UUID(bytes=uuid.UUID(victim).bytes[:1] + os.urandom(15))
    monkeypatch.setattr(uuid, "uuid4", lambda: beside)  # the new entry's id: same bucket
    result = journal("add", "a new day", "--date", "2026-11-24")
    assert "Created the entry" in result.stdout
    assert ("journal: warning: the entry was saved, but this vault has 1 damaged entry"
            in result.stderr)


def test_export_skip_damaged_saves_the_rest_and_names_the_damaged(damaged, tmp_path):
    journal, victim = damaged
    refused = journal("export", "-o", str(tmp_path / "all.json"), ok=False)
    assert refused.exit_code == 5 and not (tmp_path / "all.json").exists()  # as before
    result = journal("export", "--skip-damaged", "-o", str(tmp_path / "rest.json"), ok=False)
    assert result.exit_code == 5
    assert f"entry {victim} is damaged and was not exported" in result.stderr
    assert "Traceback" not in result.output
    document = json.loads((tmp_path / "rest.json").read_text())
    assert sorted(e["date"] for e in document["entries"]) == [DAYS[0], DAYS[2]]
