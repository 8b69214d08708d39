"""Encrypted backup while the vault is open, restore into a new directory, `journal check`
on the result; and, through the real CLI, backup/restore and imports that leave the vault
unchanged on bad input."""

from __future__ import annotations

import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from journal.cli import cli
from journal.cli.runtime import Runtime
from journal.core.clock import FixedClock
from journal.core.errors import ValidationError, VaultDamaged, VaultExists, VaultNotFound
from journal.core.model.entries import Entry
from journal.core.store import backup
from journal.core.store.captures import SealedBox
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault

PASSPHRASE = "correct horse battery staple"
FIXTURES = Path(__file__).parent / "fixtures"
MARKER = "CLIENT-NAME-7731"


def make_vault(directory: Path) -> Vault:
    vault, _code = Vault.create(directory, PASSPHRASE, kdf=KdfParams.fast_for_tests())
    return vault


def open_vault(directory: Path) -> Vault:
    return Vault.open(directory, PASSPHRASE, allow_weak=True)


def test_backup_while_open_then_restore_passes_check(tmp_path):
    vault = make_vault(tmp_path / "vault")
    vault.put(Entry(date=date(2026, 11, 20), body=f"Saw {MARKER} today"))
    vault.put(Entry(date=date(2026, 11, 21), body="second"))
    # the vault stays open: its last writes are still in the WAL
    result = backup.backup(tmp_path / "vault", tmp_path / "copy.vault")
    vault.put(Entry(date=date(2026, 11, 22), body="after the backup"))
    vault.close()
    assert (result.entries, result.sealed) == (2, 0)
    assert stat.S_IMODE((tmp_path / "copy.vault").stat().st_mode) == 0o600
    assert MARKER.encode() not in (tmp_path / "copy.vault").read_bytes()

    backup.restore(tmp_path / "copy.vault", tmp_path / "restored")
    assert stat.S_IMODE((tmp_path / "restored").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "restored" / "journal.db").stat().st_mode) == 0o600
    restored = open_vault(tmp_path / "restored")
    try:
        report = restored.check()
        assert report.ok and report.entries == 2
        assert sorted(e.body for e in restored.entries()) == [f"Saw {MARKER} today", "second"]
        restored.put(Entry(date=date(2026, 11, 23), body="the restored vault is writable"))
    finally:
        restored.close()


def test_sealed_entries_travel_with_the_backup(tmp_path):
    make_vault(tmp_path / "vault").close()
    SealedBox(tmp_path / "vault").add(Entry(date=date(2026, 11, 20), body="on the bus"))
    assert backup.backup(tmp_path / "vault", tmp_path / "b").sealed == 1
    backup.restore(tmp_path / "b", tmp_path / "r")
    assert SealedBox(tmp_path / "r").pending() == 1


def test_backup_refusals(tmp_path):
    make_vault(tmp_path / "vault").close()
    (tmp_path / "taken").write_text("keep me")
    with pytest.raises(ValidationError, match="already exists"):
        backup.backup(tmp_path / "vault", tmp_path / "taken")
    assert (tmp_path / "taken").read_text() == "keep me"
    with pytest.raises(VaultNotFound):
        backup.backup(tmp_path / "nowhere", tmp_path / "b")
    assert not (tmp_path / "b").exists()
    with pytest.raises(ValidationError, match="is a folder"):
        backup.backup(tmp_path / "vault", tmp_path)


def test_restore_refusals_leave_nothing_behind(tmp_path):
    make_vault(tmp_path / "vault").close()
    backup.backup(tmp_path / "vault", tmp_path / "b")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    with pytest.raises(VaultExists, match="not empty"):
        backup.restore(tmp_path / "b", busy)
    assert sorted(p.name for p in busy.iterdir()) == ["notes.txt"]
    for junk_bytes in (b"", b"hello" * 300, (tmp_path / "b").read_bytes()[:1000]):
        junk = tmp_path / "junk"
        junk.write_bytes(junk_bytes)
        with pytest.raises(VaultDamaged):
            backup.restore(junk, tmp_path / "target")
        assert not (tmp_path / "target").exists()


# -- through the command line ---------------------------------------------------------------
def run(tmp_path: Path, *args: str, ok: bool = True, vault: Path | None = None):
    env = {"JOURNAL_VAULT": str(vault or tmp_path / "vault"),
           "JOURNAL_CONFIG_DIR": str(tmp_path / "config"), "JOURNAL_PASSPHRASE": PASSPHRASE}
    runtime = Runtime(clock=FixedClock(datetime(2026, 11, 25, 21, 30)),
                      kdf=KdfParams.fast_for_tests(), allow_weak=True, env=env,
                      prompt=lambda label: PASSPHRASE, interactive=False)
    result = CliRunner().invoke(cli, list(args), obj=runtime, catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, (result.output, result.stderr)
    return result


def test_cli_backup_and_both_restore_spellings(tmp_path):
    vault = make_vault(tmp_path / "vault")
    vault.put(Entry(date=date(2026, 11, 20), body="kept"))
    out = run(tmp_path, "backup", str(tmp_path / "j.vault"))
    vault.close()
    assert "Backed up 1 entry" in out.stdout
    run(tmp_path, "restore", str(tmp_path / "j.vault"), "--vault", str(tmp_path / "new1"))
    run(tmp_path, "--vault", str(tmp_path / "new2"), "restore", str(tmp_path / "j.vault"))
    for new in ("new1", "new2"):
        checked = run(tmp_path, "--vault", str(tmp_path / new), "check")
        assert "OK: 1 entry authenticated" in checked.stdout
    again = run(tmp_path, "restore", str(tmp_path / "j.vault"), "--vault",
                str(tmp_path / "new1"), ok=False)
    assert again.exit_code != 0 and "journal: error:" in again.stderr
    assert "Traceback" not in again.output


def test_cli_import_of_bad_files_leaves_the_vault_unchanged(tmp_path):
    vault = make_vault(tmp_path / "vault")
    vault.put(Entry(date=date(2026, 11, 20), body="before"))
    vault.close()
    bad = tmp_path / "bad.txt"
    bad.write_text("[2026-11-21 10:00] fine\n\n[2023-02-30 10:00] impossible\n")
    secret = tmp_path / "pw"
    secret.write_text("not the jrnl passphrase\n")
    secret.chmod(0o600)
    for args in (["import", str(bad), "--format", "jrnl"],
                 ["import", str(FIXTURES / "jrnl46_v3.txt"), "--source-passphrase-file",
                  str(secret)]):
        result = run(tmp_path, *args, ok=False)
        assert result.exit_code != 0 and "Traceback" not in result.output
        assert str(args[1]) in result.stderr
    reopened = open_vault(tmp_path / "vault")
    try:
        assert [e.body for e in reopened.entries()] == ["before"]
    finally:
        reopened.close()


def test_cli_imports_real_jrnl_once(tmp_path):
    make_vault(tmp_path / "vault").close()
    secret = tmp_path / "pw"
    secret.write_text("pässword 3\n")
    secret.chmod(0o600)
    args = ("import", str(FIXTURES / "jrnl46_v3.txt"), "--source-passphrase-file", str(secret))
    run(tmp_path, *args)
    second = run(tmp_path, *args)
    assert "Imported 0 new entries" in second.stdout
    vault = open_vault(tmp_path / "vault")
    try:
        assert [e.date.isoformat() for e in vault.entries()] == ["2026-11-21", "2026-11-20"]
        assert vault.check().ok
    finally:
        vault.close()


def test_cli_markdown_and_dayone_round_trip(tmp_path):
    vault = make_vault(tmp_path / "vault")
    vault.put(Entry(date=date(2026, 11, 20), body="first #work", sleep=4, good_things=["tea"]))
    vault.put(Entry(date=date(2026, 11, 21), body="second"))
    before = sorted((e.to_dict() for e in vault.entries()), key=lambda d: d["date"])
    vault.close()
    run(tmp_path, "export", "--format", "markdown", "-o", str(tmp_path / "md"))
    fresh = tmp_path / "fresh"
    make_vault(fresh).close()
    run(tmp_path, "import", str(tmp_path / "md"), vault=fresh)
    again = run(tmp_path, "import", str(tmp_path / "md"), vault=fresh)
    assert "Imported 0 new entries" in again.stdout
    reopened = open_vault(fresh)
    try:
        after = sorted((e.to_dict() for e in reopened.entries()), key=lambda d: d["date"])
    finally:
        reopened.close()
    assert [d | {"updated_at": None} for d in after] == [
        d | {"updated_at": None} for d in before]
    run(tmp_path, "import", str(FIXTURES / "dayone_export"), vault=fresh)
    reopened = open_vault(fresh)
    try:
        merged = {e.date.isoformat(): e for e in reopened.entries()}
        assert reopened.check().ok
    finally:
        reopened.close()
    assert set(merged) == {"2026-11-19", "2026-11-20", "2026-11-21"}
    # a Day One day met an exported day: both texts are there, the check-in is kept
    assert "first #work" in merged["2026-11-20"].body
    assert "Handover took an hour." in merged["2026-11-20"].body
    assert merged["2026-11-20"].sleep == 4
