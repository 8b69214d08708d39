"""The installed entry point, as a user runs it: errors are one line, never a traceback.

These use the production KDF, so they are few: most fail before any key derivation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    return {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "JOURNAL_VAULT": str(tmp_path / "vault"),
            "JOURNAL_CONFIG_DIR": str(tmp_path / "config"), "LANG": "C.UTF-8"}


def journal(env: dict[str, str], *args: str, input: str = "") -> subprocess.CompletedProcess:
    # A new session: no controlling terminal, exactly like cron or a CI job.
    return subprocess.run([sys.executable, "-m", "journal", *args], env=env, input=input,
                          capture_output=True, text=True, timeout=120,
                          start_new_session=True)


def one_line_error(proc: subprocess.CompletedProcess, code: int) -> str:
    assert proc.returncode == code, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("journal: error: ")
    return lines[0]


def test_no_vault(env):
    line = one_line_error(journal(env, "list"), 2)
    assert "no vault at" in line and "journal init" in line


def test_foreign_file_is_refused_and_untouched(env):
    vault = Path(env["JOURNAL_VAULT"])
    vault.mkdir(mode=0o700)
    junk = os.urandom(4096)
    (vault / "journal.db").write_bytes(junk)
    line = one_line_error(journal(env, "list"), 5)
    assert "left unmodified" in line
    assert (vault / "journal.db").read_bytes() == junk


def test_no_terminal_and_no_passphrase_source(env):
    line = one_line_error(journal(env, "init"), 2)
    assert "--passphrase-file" in line and "JOURNAL_PASSPHRASE" in line


def test_real_vault_round_trip_and_a_wrong_passphrase(env):
    env = {**env, "JOURNAL_PASSPHRASE": "a real production-KDF passphrase"}
    created = journal(env, "init", "--no-recovery-code")
    assert created.returncode == 0, created.stderr
    added = journal(env, "add", "--date", "2026-03-01", input="Typed through a pipe\n")
    assert added.returncode == 0, added.stderr
    listed = journal(env, "list")
    assert listed.stdout.startswith("2026-03-01 Sun") and "Typed through a pipe" in listed.stdout
    env["JOURNAL_PASSPHRASE"] = "a real production-KDF passphrase "  # near miss
    line = one_line_error(journal(env, "list"), 4)
    assert "wrong passphrase" in line
