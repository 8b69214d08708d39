"""Error messages can quote text from a user's file; they must reach the terminal inert."""

from __future__ import annotations

import json

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
