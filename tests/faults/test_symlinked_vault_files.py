"""A symbolic link in place of a vault file is refused, never followed (issue 13, item 10).

Before: `journal.db` as a link was opened; a `journal.db-shm` (or `-wal`) link made the mode
tightening at unlock chmod whatever it pointed to, and SQLite write into it. Now every
vault file (`journal.db`, `-wal`, `-shm`, `-journal`) that is a link stops the command with
one line, before a byte is read or a mode changed; the target is left exactly as it was.
A vault *directory* reached through a link still works (test_vault_moved.py)."""

from __future__ import annotations

import os
import stat

import pytest
from faultkit import CliJournal

from journal.core.errors import StorageError
from journal.core.model.entries import Entry
from journal.core.store import schema

SUFFIXES = ["", "-wal", "-shm", "-journal"]


@pytest.fixture
def closed_vault(tmp_path):
    journal = CliJournal(tmp_path)
    with journal.create() as vault:
        vault.put(Entry.from_dict({"date": "2026-11-20", "body": "hello"}))
    return journal


def _victim(tmp_path, name: str) -> tuple[os.PathLike, bytes]:
    victim = tmp_path / f"victim{name}"
    content = b"someone else's file\n" * 50
    victim.write_bytes(content)
    victim.chmod(0o644)
    return victim, content


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_symlinked_vault_file_is_refused_and_its_target_untouched(closed_vault, tmp_path,
                                                                    suffix):
    db = closed_vault.vault_dir / "journal.db"
    if suffix == "":
        victim = tmp_path / "elsewhere.db"  # the real vault, moved out and linked back
        db.rename(victim)
        victim.chmod(0o644)
        content = victim.read_bytes()
    else:
        victim, content = _victim(tmp_path, suffix)
    link = closed_vault.vault_dir / f"journal.db{suffix}"
    link.symlink_to(victim)
    for args in (["list"], ["add", "--sealed", "a note"], ["check"]):
        result = closed_vault(*args, ok=False)
        assert result.exit_code == 7, (args, result.output, result.stderr)
        assert result.stderr.count("\n") == 1, result.stderr
        assert "is a symbolic link" in result.stderr and f"journal.db{suffix}" in result.stderr
    with pytest.raises(StorageError, match="symbolic link"):
        closed_vault.open()
    assert stat.S_IMODE(os.stat(victim).st_mode) == 0o644  # no chmod through the link
    assert victim.read_bytes() == content  # not read into, not written
    assert link.is_symlink()
    link.unlink()
    if suffix == "":
        victim.rename(db)
    with closed_vault.open() as vault:  # the real vault is fine once the link is gone
        assert [e.body.strip() for e in vault.entries()] == ["hello"]


def test_mode_tightening_never_follows_a_link(tmp_path):
    """Even called on its own (a link swapped in after the check), tightening changes the
    mode of real vault files only: a link is refused, its target keeps its mode."""
    directory = tmp_path / "vault"
    directory.mkdir()
    db = directory / "journal.db"
    db.write_bytes(b"x")
    db.chmod(0o644)
    victim, _ = _victim(tmp_path, "-shm")
    (directory / "journal.db-shm").symlink_to(victim)
    with pytest.raises(StorageError, match="journal.db-shm is a symbolic link"):
        schema.tighten_modes(directory)
    assert stat.S_IMODE(os.stat(victim).st_mode) == 0o644
    (directory / "journal.db-shm").unlink()
    schema.tighten_modes(directory)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
