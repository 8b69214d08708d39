"""The tests keep out of the real user's folders (tests/conftest.py's sandbox_home): the
program's own default places all fall inside the sandbox, and commands run with no
JOURNAL_* override (vault, settings, tips, the rollback warning's state) leave $HOME
empty. Also: the one-time tip is state, kept with the state, not in the config folder."""

from __future__ import annotations

import os
import pwd
from datetime import datetime
from pathlib import Path

import platformdirs
from cli_harness import PASSPHRASE
from click.testing import CliRunner

from journal import paths as paths_mod
from journal.cli import cli
from journal.cli.runtime import Runtime
from journal.core.clock import FixedClock
from journal.core.store.crypto import KdfParams


def _real_home() -> Path:
    """The account's home from the password database: $HOME is the sandbox's."""
    return Path(pwd.getpwuid(os.getuid()).pw_dir)


def _under(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def test_every_default_place_is_inside_the_sandbox(sandbox_home: Path):
    resolved = paths_mod.resolve(env=os.environ)
    places = [Path.home(), resolved.vault, resolved.config_dir, resolved.state,
              platformdirs.user_cache_path("journal"), platformdirs.user_data_path("journal")]
    real = _real_home()
    assert Path.home() != real
    for place in places:
        assert _under(place, sandbox_home), place
        for folder in (".config", ".local/state", ".local/share", ".cache"):
            assert not _under(place, real / folder), place


def test_commands_with_no_overrides_leave_home_empty(sandbox_home: Path):
    env = {**os.environ, "JOURNAL_PASSPHRASE": PASSPHRASE}
    clock = FixedClock(datetime(2026, 11, 25, 21, 30, 0))

    def run(*args: str) -> None:
        runtime = Runtime(clock=clock, kdf=KdfParams.fast_for_tests(), allow_weak=True,
                          env=env, interactive=False)
        done = CliRunner().invoke(cli, list(args), obj=runtime)
        assert done.exit_code == 0, done.output

    run("init")
    run("add", "Long", "shift")  # text as arguments: the one-time tip is remembered
    run("list")
    run("show")
    home = sandbox_home / "home"
    assert list(home.rglob("*")) == []
    state = sandbox_home / "state" / "journal"
    assert (state / "tips-shown").read_text() == "argv-text\n"
    assert (state / "seen-saves.json").exists()
    assert not (sandbox_home / "config" / "journal" / "tips-shown").exists()
    assert any((sandbox_home / "data").rglob("*"))  # the vault went to the sandbox too
