"""`journal export -o -` is standard output for a format that is one stream (json, jrnl),
with the plaintext warning on stderr; a format that is a folder or a zip refuses it in one
line. Before: `-o -` wrote a file named "-" (and `--format markdown -o -` a folder)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_harness import Journal


@pytest.fixture
def filled(initialised: Journal, tmp_path: Path, monkeypatch) -> Journal:
    monkeypatch.chdir(tmp_path)  # where a file named "-" would appear
    initialised("add", "--date", "2026-03-01", "First day. #start", "-m", "conc 3 home")
    initialised("add", "--date", "2026-03-02", "Second day \U0001f327", "-m", "cont 8 work")
    return initialised


@pytest.mark.parametrize("fmt", ["json", "jrnl"])
def test_a_dash_writes_the_same_bytes_as_a_file_to_standard_output(filled: Journal,
                                                                    tmp_path: Path, fmt):
    out = tmp_path / f"export.{fmt}"
    filled("export", "--format", fmt, "-o", str(out))
    result = filled("export", "--format", fmt, "-o", "-")
    assert result.stdout_bytes == out.read_bytes()
    assert "2026-03-02" in result.stdout and "Exported" not in result.stdout
    assert "journal: warning: this is your journal in plaintext" in result.stderr
    assert not (tmp_path / "-").exists()
    if fmt == "json":
        assert [e["date"] for e in json.loads(result.stdout)["entries"]] == [
            "2026-03-01", "2026-03-02"]
    else:
        assert result.stdout.startswith("[2026-03-01 00:00] First day. #start\n")


def test_a_file_named_dash_is_still_reachable_as_dot_slash_dash(filled: Journal,
                                                                 tmp_path: Path):
    result = filled("export", "--format", "jrnl", "-o", "./-")
    assert (tmp_path / "-").read_text(encoding="utf-8").startswith("[2026-03-01 00:00]")
    assert "now holds your journal in PLAINTEXT" in result.stderr
    assert result.stdout == "Exported 2 entries to -.\n"


@pytest.mark.parametrize("fmt, what", [("markdown", "a folder"), ("dayone", "a zip file")])
def test_a_folder_or_a_zip_refuses_a_dash_in_one_line_before_the_passphrase(
        filled: Journal, tmp_path: Path, fmt, what):
    filled.prompts.default = None  # any prompt fails the test
    filled.prompts.asked.clear()
    result = filled("export", "--format", fmt, "-o", "-", ok=False)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"journal: error: --format {fmt} writes {what}, not one stream: "
                             "it cannot go to standard output (-o -); name a "
                             f"{'folder' if fmt == 'markdown' else 'file'}\n")
    assert filled.prompts.asked == [] and not (tmp_path / "-").exists()


def test_jrnl_without_o_names_the_dash(filled: Journal):
    result = filled("export", "--format", "jrnl", ok=False)
    assert result.exit_code == 2 and "needs -o FILE (or -o - for standard output)" in \
        result.stderr


def test_a_directory_given_for_a_file_is_named_as_such(filled: Journal, tmp_path: Path):
    """It said 'already exists; choose another name or use --force', and --force then
    said it was a directory."""
    (tmp_path / "adir").mkdir()
    for force in ((), ("--force",)):
        result = filled("export", "-o", "adir", *force, ok=False)
        assert result.exit_code == 2
        assert result.stderr == "journal: error: adir is a directory; name a file\n"


def test_since_after_until_is_refused_as_reflect_refuses_it(filled: Journal):
    """It exported nothing and said nothing, an empty file that looked like a backup."""
    result = filled("export", "--since", "2026-03-02", "--until", "2026-03-01", ok=False)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == ("journal: error: --since 2026-03-02 is after --until "
                             "2026-03-01\n")
