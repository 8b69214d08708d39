"""Error messages can quote text from a user's file; they must reach the terminal inert."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

from tests.cli.cli_harness import Journal


def test_import_error_quoting_escape_sequences_is_one_inert_line(initialised: Journal):
    hostile = "2024-01-01T\x1b]52;c;aGk=\x07\x1b[2J"
    bad = initialised.tmp / "bad.json"
    bad.write_text(json.dumps({"format": "journal-export", "version": 1, "entries": [
        {"date": "2024-01-01", "body": "x", "written_at": hostile}]}))
    result = initialised("import", str(bad), ok=False)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("journal: error:")
    assert "written_at" in lines[0]
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


#: The CLI in a fresh interpreter (so interpreter shutdown, where a leftover generator is
#: finalised, is part of the run), allowing the test suite's fast KDF.
_RUN_CLI = ("import sys\nfrom journal.cli import main\nfrom journal.cli.runtime import Runtime\n"
            "main(sys.argv[1:], obj=Runtime(allow_weak=True))\n")


def test_search_on_a_damaged_row_prints_one_line_and_nothing_else(initialised: Journal):
    """Issue 13, item 11: the error used to be followed by "Exception ignored in: <generator
    ...> ... Cannot operate on a closed database" (a cursor finalised after the vault
    closed), both for a scan of every row and for a few rows read by id."""
    for day in range(1, 7):
        initialised("add", "--date", f"2026-11-0{day}", f"hello {day}")
    db = sqlite3.connect(initialised.vault_dir / "journal.db")
    with db:
        for raw, ct in db.execute("SELECT uuid, ct FROM entries").fetchall():
            flipped = bytearray(ct)
            flipped[20] ^= 1
            db.execute("UPDATE entries SET ct=? WHERE uuid=?", (bytes(flipped), raw))
            break
    db.close()
    env = {**os.environ, **initialised.runtime().env,
           "JOURNAL_PASSPHRASE": "correct horse battery staple"}
    for args in (["search", "hello"], ["search", "hello", "--json"], ["search", "6"]):
        proc = subprocess.run([sys.executable, "-c", _RUN_CLI, *args], env=env,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 5, (args, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, (args, proc.stderr)
        assert lines[0].startswith("journal: error: entry ") and "authentication" in lines[0]
