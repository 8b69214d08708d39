"""`journal init --from-sync` is all or nothing. The vault was created before it was linked
and synced, so a failure in either (or Ctrl-C, or the program killed) left a half-made
vault, and the next `init --from-sync` refused: "a vault already exists". Now the vault is
built aside and renamed into place at the end (journal.core.store.staging); a failure
leaves the target as it was, removes the key file the join wrote in the folder, and the
next try works. Faults are injected where link and sync do their work (monkeypatch, as in
tests/sync/test_folder_files.py), and once by killing a real process.

Also: "Tuning the key derivation" was said before every passphrase try; now once, after
the passphrase opened the folder, when the vault is about to be made."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from journal.core.clock import FixedClock
from journal.core.errors import StorageError
from journal.core.store import crypto
from journal.core.store.crypto import KdfParams
from journal.core.sync import session

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from cli_harness import PASSPHRASE, Journal, Prompts  # noqa: E402

NOW = datetime(2026, 11, 25, 21, 30)


def machine(tmp: Path, name: str, kind: type[Journal] = Journal) -> Journal:
    """A machine of its own, in the folder `tmp / name`, with no vault yet."""
    (tmp / name).mkdir()
    return kind(tmp / name, FixedClock(NOW), Prompts())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A sync folder a laptop wrote two days into."""
    folder = tmp_path / "Sync"
    folder.mkdir()
    a = machine(tmp_path, "laptop")
    a.init()
    a("add", "first words", "--date", "2026-11-20")
    a("add", "second words", "--date", "2026-11-21")
    a("sync", "init", str(folder), "--name", "laptop")
    return folder


def _keys(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / "journal-sync" / "keys").iterdir())


def _left(where: Path) -> list[str]:
    """Half-made vaults anywhere under `where`."""
    return sorted(p.name for p in where.rglob("*") if ".building-" in p.name)


def _fail_in(monkeypatch, name: str, error: BaseException) -> None:
    """`session.NAME` (a step of link or sync) raises `error` when it is reached."""
    def broken(*_args, **_kwargs):
        raise error
    monkeypatch.setattr(session, name, broken)


@pytest.mark.parametrize("step, error, code", [
    ("reseal", StorageError("disk full (injected)"), 7),        # link: after its key file
    ("Pull", StorageError("disk full (injected)"), 7),          # sync: the pull
    ("apply", KeyboardInterrupt(), 130),                        # sync: the merge, Ctrl-C
])
def test_a_failure_in_link_or_sync_leaves_nothing_and_the_next_try_works(
        tmp_path, folder, monkeypatch, step, error, code):
    b = machine(tmp_path, "desktop")
    keys = _keys(folder)
    with monkeypatch.context() as faults:
        _fail_in(faults, step, error)
        result = b("init", "--from-sync", str(folder), ok=False)
    assert result.exit_code == code, result.stderr
    assert "Traceback" not in result.output and result.stderr.count("\n") == 1
    assert ("disk full (injected)" if code == 7 else "nothing half-written was kept") \
        in result.stderr
    assert not b.vault_dir.exists() and _left(b.tmp) == []
    assert _keys(folder) == keys  # the key file this join wrote is gone again
    result = b("init", "--from-sync", str(folder))
    assert "2 entries" in result.stdout
    b.env_extra["JOURNAL_PASSPHRASE"] = PASSPHRASE
    assert "second words" in b("show", "2026-11-21").stdout
    assert len(_keys(folder)) == len(keys) + 1


@pytest.mark.parametrize("kind", ["empty directory", "missing parents", "link to an empty "
                                  "directory", "mount point"])
def test_the_target_is_left_as_it_was_then_filled(tmp_path, folder, monkeypatch, kind):
    """A mount point cannot be renamed onto: the vault is built in it, and what was made
    there is removed on a failure."""
    b = machine(tmp_path, "desktop")
    real = b.tmp / "real" / "vault"
    target = b.tmp / "deep" / "er" / "vault" if kind == "missing parents" else b.vault_dir
    if kind in ("empty directory", "mount point"):
        target.mkdir()
    if kind == "mount point":
        ismount = os.path.ismount
        monkeypatch.setattr(os.path, "ismount", lambda p: Path(p) == target or ismount(p))
    elif kind.startswith("link"):
        real.mkdir(parents=True)
        target.symlink_to(real)
    with monkeypatch.context() as faults:
        _fail_in(faults, "Pull", StorageError("disk full (injected)"))
        assert b("--vault", str(target), "init", "--from-sync", str(folder),
                 ok=False).exit_code == 7
    if kind == "missing parents":
        assert not (b.tmp / "deep").exists()
    else:
        assert target.is_dir() and list(target.iterdir()) == []
        assert target.is_symlink() == kind.startswith("link")
    assert _left(b.tmp) == []
    assert "2 entries" in b("--vault", str(target), "init", "--from-sync",
                            str(folder)).stdout
    assert (target / "journal.db").is_file() and target.is_symlink() == kind.startswith("link")
    assert (target.stat().st_mode & 0o777) == 0o700


def test_a_killed_join_leaves_no_vault_in_the_way(tmp_path, folder):
    """SIGKILL during the first sync: no `finally` runs, yet the target has no vault; the
    half-made one is a hidden sibling, and the next try works."""
    b = machine(tmp_path, "desktop")
    script = (
        "import os, signal, sys\n"
        "from journal.core.store import crypto\n"
        "from journal.core.store.kdf import KdfParams\n"
        "from journal.core.sync import session\n"
        "KdfParams.is_below_floor = lambda self: False\n"
        "crypto.calibrate = lambda *a, **k: KdfParams.fast_for_tests()\n"
        "session.apply = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)\n"
        f"sys.argv = ['journal', '--vault', {str(b.vault_dir)!r}, 'init', '--from-sync', "
        f"{str(folder)!r}]\n"
        "from journal.launch import main\n"
        "main()\n")
    env = dict(os.environ, JOURNAL_PASSPHRASE=PASSPHRASE,
               JOURNAL_CONFIG_DIR=str(b.tmp / "config"))
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert not b.vault_dir.exists() and len(_left(b.tmp)) == 1
    assert "2 entries" in b("init", "--from-sync", str(folder)).stdout


class Untuned(Journal):
    """The product's way: no key-derivation settings given, so creating a vault tunes."""

    def runtime(self):  # noqa: ANN201
        runtime = super().runtime()
        runtime.kdf = None
        return runtime


def test_tuning_is_said_once_and_only_when_it_tunes(tmp_path, folder, monkeypatch):
    tuned: list[int] = []
    monkeypatch.setattr(crypto, "calibrate",
                        lambda *a, **k: tuned.append(1) or KdfParams.fast_for_tests())
    b = machine(tmp_path, "desktop", Untuned)
    b.prompts.queue = ["typo one", "typo two", "typo three"]
    result = b("init", "--from-sync", str(folder), ok=False)
    assert result.exit_code == 4 and "Tuning" not in result.stderr and tuned == []
    b.prompts.queue = ["typo four", "typo five", PASSPHRASE]
    result = b("init", "--from-sync", str(folder))
    assert result.stderr.count("Tuning the key derivation") == 1 and tuned == [1]
    assert result.stderr.index("wrong passphrase") < result.stderr.index("Tuning")
    assert "2 entries" in result.stdout
