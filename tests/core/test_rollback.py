"""Issue 13 item 5: a vault that went back in time is noticed at unlock. A counter in the
authenticated manifest rises with every save; the highest value seen per vault id is kept
in the user's state directory; an older vault warns with the dates; `restore` says it goes
back in time."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from datetime import date, datetime
from pathlib import Path

from click.testing import CliRunner

from journal.cli import cli
from journal.cli.runtime import Runtime
from journal.core.clock import FixedClock
from journal.core.model.entries import Entry
from journal.core.store.crypto import KdfParams
from journal.core.store.rollback import SeenSaves
from journal.core.store.vault import Vault, db_path
from tests.conftest import PASSPHRASE, open_vault

MONDAY = datetime(2026, 11, 23, 20, 0)
FRIDAY = datetime(2026, 11, 27, 21, 15)


def _open(vault_dir: Path, seen: SeenSaves, when: datetime) -> Vault:
    return open_vault(vault_dir, seen=seen, clock=FixedClock(when))


def test_every_save_raises_the_counter_even_across_a_rotation(vault):
    first = vault.manifest.counter()
    saved = vault.put(Entry(date=date(2026, 11, 20), body="one"))
    assert vault.manifest.counter() == first + 1
    vault.delete(saved.id)
    assert vault.manifest.counter() == first + 2
    vault.rotate_keys(PASSPHRASE, new_recovery=False)
    assert vault.manifest.counter() > first + 2


def test_restoring_an_older_copy_of_the_file_warns_with_the_dates(vault, vault_dir, tmp_path):
    seen = SeenSaves(tmp_path / "state" / "seen-saves.json")
    vault.close()
    with _open(vault_dir, seen, MONDAY) as monday:
        assert monday.rollback_warning is None
        monday.put(Entry(date=date(2026, 11, 23), body="monday"))
    shutil.copy(db_path(vault_dir), tmp_path / "monday.db")
    with _open(vault_dir, seen, FRIDAY) as friday:
        assert friday.rollback_warning is None  # forward in time: no word
        friday.put(Entry(date=date(2026, 11, 27), body="friday"))
    shutil.copy(tmp_path / "monday.db", db_path(vault_dir))
    with _open(vault_dir, seen, datetime(2026, 11, 28, 9, 0)) as rolled:
        warning = rolled.rollback_warning
        assert warning is not None and "went back in time" in warning
        assert "last saved 2026-11-23 20:00" in warning and "2026-11-27 21:15" in warning
    with _open(vault_dir, seen, datetime(2026, 11, 28, 9, 5)) as again:
        assert again.rollback_warning is not None  # the highest value seen is kept
    assert (tmp_path / "state" / "seen-saves.json").stat().st_mode & 0o077 == 0


def test_an_old_row_put_back_with_its_old_manifest_warns(vault, vault_dir, tmp_path):
    seen = SeenSaves(tmp_path / "seen.json")
    entry = vault.put(Entry(date=date(2026, 11, 20), body="what I first wrote"))
    vault.close()
    raw = uuid.UUID(entry.id).bytes

    def snapshot() -> tuple:
        conn = sqlite3.connect(db_path(vault_dir))
        row = conn.execute("SELECT * FROM entries WHERE uuid=?", (raw,)).fetchone()
        manifest = conn.execute("SELECT value FROM meta WHERE key='manifest'").fetchone()[0]
        conn.close()
        return row, manifest

    old_row, old_manifest = snapshot()
    with _open(vault_dir, seen, FRIDAY) as session:
        edited = session.get(entry.id)
        edited.body = "what I changed my mind to"
        session.put(edited)
    conn = sqlite3.connect(db_path(vault_dir))
    conn.execute("DELETE FROM entries WHERE uuid=?", (raw,))
    conn.execute("INSERT INTO entries VALUES (?, ?, ?, ?, ?)", old_row)
    conn.execute("UPDATE meta SET value=? WHERE key='manifest'", (old_manifest,))
    conn.commit()
    conn.close()
    with _open(vault_dir, seen, datetime(2026, 11, 28, 9, 0)) as rolled:
        assert rolled.get(entry.id).body == "what I first wrote"  # consistent, so it opens
        assert rolled.rollback_warning and "went back in time" in rolled.rollback_warning


def _run(tmp_path: Path, *args: str):
    env = {"JOURNAL_VAULT": str(tmp_path / "vault"), "JOURNAL_PASSPHRASE": PASSPHRASE,
           "JOURNAL_CONFIG_DIR": str(tmp_path / "config")}
    runtime = Runtime(clock=FixedClock(FRIDAY), kdf=KdfParams.fast_for_tests(),
                      allow_weak=True, env=env, prompt=lambda label: PASSPHRASE,
                      interactive=False)
    result = CliRunner().invoke(cli, list(args), obj=runtime, catch_exceptions=False)
    assert result.exit_code == 0, (result.output, result.stderr)
    return result


def test_cli_warns_at_unlock_and_restore_says_it_goes_back_in_time(tmp_path):
    _run(tmp_path, "init", "--no-recovery-code")
    _run(tmp_path, "add", "first day", "--date", "2026-11-20")
    _run(tmp_path, "backup", str(tmp_path / "old.vault"))
    _run(tmp_path, "add", "second day", "--date", "2026-11-21")
    assert "went back in time" not in _run(tmp_path, "list").stderr
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path(tmp_path / 'vault')}{suffix}").unlink(missing_ok=True)
    shutil.copy(tmp_path / "old.vault", db_path(tmp_path / "vault"))  # no restore: a swap
    warned = _run(tmp_path, "list")
    assert "journal: warning: this vault went back in time" in warned.stderr
    assert "saved 2026-11-27 21:15" in warned.stderr  # the dates (the clock is fixed)
    restored = _run(tmp_path, "restore", str(tmp_path / "old.vault"), "--vault",
                    str(tmp_path / "restored"))
    assert "goes back in time" in restored.stdout
    listed = _run(tmp_path, "--vault", str(tmp_path / "restored"), "list")
    assert "went back in time" not in listed.stderr  # announced by restore, not again
    assert listed.stdout.count("2026-11-2") == 1
