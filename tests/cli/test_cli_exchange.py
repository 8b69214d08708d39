"""import and export through the real command line."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from cli_harness import PASSPHRASE, Journal, Prompts, write, write_secret

from journal.core.store.vault import Vault


def entries(j: Journal):
    vault = Vault.open(j.vault_dir, PASSPHRASE, allow_weak=True)
    try:
        return vault.entries()
    finally:
        vault.close()


def _fill(j: Journal) -> None:
    j("add", "--date", "2026-03-01", "First *day*. #start", "-m", "conc 3 home ~warm: ok",
      "--sleep", "6", "--recovery", "walk", "--good", "sun")
    j("add", "--date", "2026-03-02", "Ünïcode — “quotes” and emoji 🌧", "-m",
      "cont 9 work 09:05 #code-blue @dr-lee ~alarmed !helped: long one")


def test_export_to_stdout_is_sorted_and_warns(initialised: Journal):
    _fill(initialised)
    result = initialised("export")
    data = json.loads(result.stdout)
    assert [e["date"] for e in data["entries"]] == ["2026-03-01", "2026-03-02"]
    assert "plaintext" in result.stderr
    assert "🌧" in result.stdout  # UTF-8 kept, not \\u-escaped


def test_export_to_a_file_is_private_and_refuses_to_clobber(initialised: Journal,
                                                            tmp_path: Path):
    _fill(initialised)
    out = tmp_path / "backup.json"
    result = initialised("export", "-o", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert f"{out} now holds your journal in PLAINTEXT" in result.stderr
    first = out.read_bytes()
    result = initialised("export", "-o", str(out), ok=False)
    assert result.exit_code == 2 and "already exists" in result.stderr
    out.chmod(0o644)
    initialised("export", "-o", str(out), "--force")
    assert out.read_bytes() == first and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_export_import_export_is_byte_identical(initialised: Journal, tmp_path: Path):
    _fill(initialised)
    first = tmp_path / "first.json"
    initialised("export", "-o", str(first))
    fresh = Journal(tmp_path / "fresh", initialised.clock, Prompts())
    fresh.init()
    result = fresh("import", str(first))
    assert "Imported 2 new entries" in result.stdout
    second = tmp_path / "second.json"
    fresh("export", "-o", str(second))
    assert second.read_bytes() == first.read_bytes()


def test_importing_the_same_file_twice_adds_nothing(initialised: Journal, tmp_path: Path):
    source = write(tmp_path / "in.json", json.dumps({
        "format": "journal-export", "version": 1, "entries": [
            {"date": "2026-02-01", "body": "no id given\n",
             "moments": [{"kind": "concern", "intensity": 2, "context": "home"}]},
            {"date": "2026-02-02", "body": "second\n"},
        ]}))
    initialised("add", "--date", "2026-02-01", "already here")
    result = initialised("import", str(source))
    assert "Imported 1 new entry, merged into 1 existing day, 0 already present" in \
        result.stdout
    assert "2026-02-01: merged into the existing entry" in result.stdout
    after_first = [e.to_dict() for e in entries(initialised)]
    result = initialised("import", str(source))
    assert "Imported 0 new entries, merged into 0 existing days, 2 already present" in \
        result.stdout
    assert [e.to_dict() for e in entries(initialised)] == after_first
    day = next(e for e in entries(initialised) if e.date.isoformat() == "2026-02-01")
    assert day.body == "already here\n\nno id given\n" and len(day.moments) == 1


def test_dry_run_reports_and_writes_nothing(initialised: Journal, tmp_path: Path):
    initialised("add", "--date", "2026-02-01", "already here")
    source = write(tmp_path / "in.json", json.dumps({
        "format": "journal-export", "version": 1, "entries": [
            {"date": "2026-02-01", "body": "more"}, {"date": "2026-01-15", "body": "new"}]}))
    before = (initialised.vault_dir / "journal.db").read_bytes()
    result = initialised("import", str(source), "--dry-run")
    assert "Would import 1 new entry, merged into 1 existing day" in result.stdout
    assert "(2026-01-15 to 2026-02-01)" in result.stdout
    assert "2026-02-01: merged" in result.stdout and "nothing was written" in result.stdout
    assert (initialised.vault_dir / "journal.db").read_bytes() == before


def test_an_invalid_record_names_entry_date_field_and_writes_nothing(initialised: Journal,
                                                                     tmp_path: Path):
    good = {"date": "2026-02-01", "body": "fine"}
    source = write(tmp_path / "bad.json", json.dumps({
        "format": "journal-export", "version": 1, "entries": [
            good, good | {"date": "2026-02-02"}, good | {"date": "2026-02-03"},
            {"date": "2024-02-30", "body": "bad"}]}))
    initialised.prompts.default = None  # validation happens before any passphrase
    result = initialised("import", str(source), ok=False)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"journal: error: {source}, entry 3 (2024-02-30), field 'date': '2024-02-30' is not "
        "a real date (YYYY-MM-DD)")
    initialised.prompts.default = PASSPHRASE
    assert entries(initialised) == []
    write(source, json.dumps({"format": "journal-export", "version": 1, "entries": [
        good, {"date": "2026-02-05", "moments": [
            {"kind": "concern", "intensity": 12, "context": "home"}]}]}))
    result = initialised("import", str(source), ok=False)
    assert "entry 1 (2026-02-05) moment 0, field 'intensity'" in result.stderr
    assert entries(initialised) == []


def test_unknown_and_unavailable_formats_are_one_line_errors(initialised: Journal,
                                                            tmp_path: Path):
    source = write(tmp_path / "mystery.bin", "\x00\x01 not a journal")
    result = initialised("import", str(source), ok=False)
    assert "cannot tell what format" in result.stderr and "--format" in result.stderr
    result = initialised("import", str(source), "--format", "json", ok=False)
    assert "not valid JSON" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_markdown_export_needs_a_directory(initialised: Journal):
    result = initialised("export", "--format", "markdown", ok=False)
    assert result.exit_code == 2 and "needs -o DIRECTORY" in result.stderr


FIXTURES = Path(__file__).parent.parent / "importers" / "fixtures"


def test_jrnl_import_twice_adds_nothing_and_asks_the_source_passphrase_only_if_needed(
        initialised: Journal, tmp_path: Path):
    plain = FIXTURES / "jrnl46_plain_default.txt"
    initialised.prompts.asked.clear()
    first = initialised("import", str(plain))
    assert "(jrnl)" in first.stderr and "Imported 2 new entries" in first.stdout
    assert initialised.prompts.asked == ["Passphrase: "]  # the vault's, never the source's
    after = [e.to_dict() for e in entries(initialised)]
    second = initialised("import", str(plain))
    assert "Imported 0 new entries, merged into 0 existing days" in second.stdout
    assert [e.to_dict() for e in entries(initialised)] == after
    encrypted = FIXTURES / "jrnl46_v3.txt"
    initialised.prompts.asked.clear()
    initialised.prompts.queue = ["pässword 3"]
    third = initialised("import", str(encrypted), "--format", "jrnl")
    assert initialised.prompts.asked[0] == "Passphrase of jrnl46_v3.txt: "
    assert "Imported 0 new entries, merged into 0 existing days, 2 already present" in \
        third.stdout
    secret = write_secret(tmp_path / "src.txt", "not it\n")
    result = initialised("import", str(encrypted), "--format", "jrnl",
                         "--source-passphrase-file", str(secret), ok=False)
    assert result.exit_code == 2 and "wrong jrnl passphrase" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert [e.to_dict() for e in entries(initialised)] == after


def test_progress_only_on_a_terminal(initialised: Journal, tmp_path: Path, monkeypatch):
    from journal.cli import exchange_cmds

    monkeypatch.setattr(exchange_cmds, "PROGRESS_MIN", 1)
    source = write(tmp_path / "in.json", json.dumps({
        "format": "journal-export", "version": 1,
        "entries": [{"date": f"2026-01-{d:02d}", "body": "x"} for d in range(1, 6)]}))
    result = initialised("import", str(source))  # CliRunner's stderr is not a terminal
    assert "Imported 5 new entries" in result.stdout
    assert "%" not in result.stderr and "Checking" not in result.stderr
