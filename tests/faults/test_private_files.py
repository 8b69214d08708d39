"""Files and directories around the vault stay private (issue 13, item 13).

* A passphrase file that group or others can open is refused, as ssh refuses such a key.
* settings.toml is written 0600 and atomically, whatever the umask.
* Every directory the journal creates (the vault's, its parents, the config dir) is 0700
  whatever the umask: `Path.mkdir(parents=True, mode=0o700)` gave the parents 0777 under
  umask 0 and 0755 under the usual 022.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from datetime import date, datetime

import pytest
from faultkit import PASSPHRASE, CliJournal

from journal import paths as paths_mod
from journal import settings as settings_mod
from journal.core.exchange.exporters import markdown as md_export
from journal.core.model.entries import Entry
from journal.core.store import backup as backup_mod
from journal.core.store.crypto import KdfParams
from journal.core.store.rollback import SeenSaves
from journal.core.store.vault import Vault


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@contextmanager
def umask(value: int):
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


# -- passphrase files ---------------------------------------------------------------------
@pytest.mark.parametrize("loose", [0o644, 0o640, 0o604, 0o620, 0o602, 0o660])
def test_a_passphrase_file_open_to_others_is_refused(tmp_path, loose):
    journal = CliJournal(tmp_path)
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    secret.chmod(loose)
    for args in (["init", "--passphrase-file", str(secret)],
                 ["list", "--passphrase-file", str(secret)]):
        result = journal(*args, ok=False)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.count("\n") == 1, result.stderr
        assert f"mode {loose:04o}" in result.stderr and "chmod 600" in result.stderr
        if args[0] == "init":
            assert not journal.vault_dir.exists()  # refused before anything was created
            journal.create().close()


@pytest.mark.parametrize("private", [0o600, 0o400])
def test_a_private_passphrase_file_is_read(tmp_path, private):
    journal = CliJournal(tmp_path)
    journal.create().close()
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    secret.chmod(private)
    assert "No entries yet" in journal("list", "--passphrase-file", str(secret)).stderr


def test_a_pipe_is_read_as_it_is(tmp_path):
    """`--passphrase-file <(pass show journal)`: a pipe, not a file anyone else can open."""
    journal = CliJournal(tmp_path)
    journal.create().close()
    read_end, write_end = os.pipe()
    os.write(write_end, (PASSPHRASE + "\n").encode())
    os.close(write_end)
    try:
        result = journal("list", "--passphrase-file", f"/dev/fd/{read_end}")
    finally:
        os.close(read_end)
    assert "No entries yet" in result.stderr


# -- settings.toml ------------------------------------------------------------------------
@pytest.mark.parametrize("mask", [0o000, 0o022])
def test_settings_are_written_0600_with_private_new_directories(tmp_path, mask):
    config = tmp_path / "home" / "config" / "journal"
    path = config / "settings.toml"
    with umask(mask):
        settings_mod.save(path, settings_mod.Settings(autolock_minutes=9))
    assert mode(path) == 0o600
    for directory in (config, config.parent, config.parent.parent):
        assert mode(directory) == 0o700, directory
    assert sorted(p.name for p in config.iterdir()) == ["settings.toml"]  # no temp left
    assert settings_mod.load(path).autolock_minutes == 9


def test_settings_rewrite_tightens_a_loose_file_and_keeps_comments(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("# mine\nautolock_minutes = 3\n", encoding="utf-8")
    path.chmod(0o644)
    settings_mod.update(path, theme="journal-paper")
    assert mode(path) == 0o600
    assert path.read_text(encoding="utf-8").startswith("# mine\n")


def test_a_failed_settings_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "settings.toml"
    settings_mod.save(path, settings_mod.Settings(autolock_minutes=7))

    def broken(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        settings_mod.save(path, settings_mod.Settings(autolock_minutes=1))
    assert settings_mod.load(path).autolock_minutes == 7
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]


# -- directories the journal creates ------------------------------------------------------
@pytest.mark.parametrize("mask", [0o000, 0o022])
def test_new_vault_and_restore_directories_and_parents_are_0700(tmp_path, mask):
    base = tmp_path / "data"
    with umask(mask):
        vault, _ = Vault.create(base / "journal" / "vault", PASSPHRASE,
                                kdf=KdfParams.fast_for_tests())
        vault.put(Entry(date=date(2026, 11, 20), body="x"))
        vault.close()
        backup_mod.backup(base / "journal" / "vault", tmp_path / "vault.bak")
        backup_mod.restore(tmp_path / "vault.bak", tmp_path / "restored" / "deep" / "vault")
        paths_mod.ensure_dir(tmp_path / "made" / "by" / "ensure")
        md_export.write([Entry(date=date(2026, 11, 20), body="x")],
                        tmp_path / "exports" / "md")
        SeenSaves(tmp_path / "state" / "journal" / "seen.json").observe(
            b"\x01" * 16, 3, None, datetime(2026, 11, 25, 21, 30))
    for directory in (base, base / "journal", base / "journal" / "vault",
                      tmp_path / "restored", tmp_path / "restored" / "deep",
                      tmp_path / "restored" / "deep" / "vault",
                      tmp_path / "made", tmp_path / "made" / "by",
                      tmp_path / "made" / "by" / "ensure",
                      tmp_path / "exports", tmp_path / "exports" / "md",
                      tmp_path / "state", tmp_path / "state" / "journal"):
        assert mode(directory) == 0o700, (oct(mask), directory, oct(mode(directory)))
