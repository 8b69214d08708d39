"""Importing other tools' journals and exporting to them, through the real command line."""

from __future__ import annotations

import json
import shutil
import stat
import zipfile
from pathlib import Path

from cli_harness import PASSPHRASE, Journal, write

from journal.core.store.vault import Vault

PEER = Path(__file__).resolve().parents[1] / "data" / "peer"
LITTLE_ENDIAN = PEER / "jrnl" / "little_endian_dates.journal"


def entries(j: Journal):
    vault = Vault.open(j.vault_dir, PASSPHRASE, allow_weak=True)
    try:
        return vault.entries()
    finally:
        vault.close()


def test_timeformat_option_reads_little_endian_dates(initialised: Journal):
    initialised("import", str(LITTLE_ENDIAN), "--timeformat", "%d.%m.%Y %H:%M")
    assert sorted(e.date.isoformat() for e in entries(initialised)) == ["2013-06-09",
                                                                        "2013-07-10"]


def test_timeformat_comes_from_the_jrnl_config_that_names_the_file(initialised: Journal,
                                                                   tmp_path: Path):
    journal_file = tmp_path / "diary.txt"
    shutil.copyfile(LITTLE_ENDIAN, journal_file)
    config = tmp_path / "xdg" / "jrnl" / "jrnl.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("colors:\n  date: none\njournals:\n  default:\n"
                      "    journal: ~/other.txt\n  diary:\n"
                      f"    journal: {journal_file}\n    encrypt: false\n"
                      "    timeformat: '%d.%m.%Y %H:%M'\n"
                      "timeformat: '%F %r'\n", encoding="utf-8")
    initialised.env_extra = {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path)}
    result = initialised("import", str(journal_file), "--dry-run")
    assert "(2013-06-09 to 2013-07-10)" in result.stderr


def test_unreadable_jrnl_date_is_one_line_naming_file_and_line(initialised: Journal):
    source = PEER / "jrnl" / "unreadabledates.journal"
    result = initialised("import", str(source), ok=False)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"journal: error: {source}, line 1: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert entries(initialised) == []


def test_classic_dayone_package_imports(initialised: Journal):
    result = initialised("import", str(PEER / "jrnl" / "dayone.dayone"))
    assert "Imported 4 new entries" in result.stdout
    assert {e.date.isoformat() for e in entries(initialised)} == {
        "2013-01-17", "2013-05-17", "2013-06-17", "2013-07-17"}


def test_empty_dayone_export_is_detected_and_adds_nothing(initialised: Journal):
    result = initialised("import", str(PEER / "dayone" / "ergebnis" / "Empty.json"))
    assert "Read 0 entries (dayone)" in result.stderr
    assert entries(initialised) == []


def test_encrypted_jrnl_1x_is_detected_and_asks_its_passphrase(initialised: Journal):
    initialised.prompts.queue = ["bad doggie no biscuit"]
    result = initialised("import", str(PEER / "jrnl" / "encrypted_jrnl-1-9-5.journal"))
    assert "(jrnl)" in result.stderr and "Imported 2 new entries" in result.stdout
    assert any(label.startswith("Passphrase of encrypted_jrnl-1-9-5")
               for label in initialised.prompts.asked)


def _fill(j: Journal) -> None:
    j("add", "--date", "2026-03-01", "First day with #c++ and @dana.", "-m",
      "conc 3 home #family: ok", "--sleep", "6")
    j("add", "--date", "2026-03-02", "Second day. #work")


def test_export_jrnl_and_import_it_back(initialised: Journal, tmp_path: Path):
    _fill(initialised)
    out = tmp_path / "journal.txt"
    result = initialised("export", "--format", "jrnl", "-o", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert f"{out} now holds your journal in PLAINTEXT" in result.stderr
    text = out.read_text("utf-8")
    assert "First day with #c++ and @dana." in text and "#family" in text
    assert initialised("export", "--format", "jrnl", "-o", str(out), ok=False).exit_code == 2
    fresh = Journal(tmp_path / "fresh", initialised.clock, initialised.prompts)
    fresh.init()
    fresh("import", str(out))
    back = {e.date.isoformat(): e for e in entries(fresh)}
    assert back["2026-03-01"].all_tags >= {"c++", "family"}
    assert back["2026-03-02"].body == "Second day. #work"


def test_export_dayone_zip_and_import_it_back(initialised: Journal, tmp_path: Path):
    _fill(initialised)
    out = tmp_path / "dayone.zip"
    initialised("export", "--format", "dayone", "-o", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with zipfile.ZipFile(out) as archive:
        document = json.loads(archive.read("Journal.json"))
    assert len(document["entries"]) == 2
    fresh = Journal(tmp_path / "fresh", initialised.clock, initialised.prompts)
    fresh.init()
    result = fresh("import", str(out))
    assert "(dayone)" in result.stderr and "Imported 2 new entries" in result.stdout


def test_export_to_a_peer_format_needs_a_file(initialised: Journal):
    result = initialised("export", "--format", "jrnl", ok=False)
    assert result.exit_code == 2 and "needs -o FILE" in result.output


def test_jrnl_json_export_errors_name_the_file(initialised: Journal, tmp_path: Path):
    source = write(tmp_path / "jrnl.json", json.dumps(
        {"tags": {}, "entries": [{"title": "t", "body": "", "date": "2020-13-01",
                                  "time": "10:00", "tags": [], "starred": False}]}))
    result = initialised("import", str(source), ok=False)
    assert result.stderr.startswith(f"journal: error: {source}, entry 0: ")
