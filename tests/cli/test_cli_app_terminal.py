"""`journal` (the app) without a terminal: it drew escape sequences into the pipe or file
and waited for keys forever (`journal > out.txt`, `journal | less`, a cron job). Now one
line and exit status 2, before any vault or Textual is touched."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cli_harness import Journal

from journal.cli import app_cmd

SAID = ("journal: error: the app needs a terminal: it reads keys from standard input and "
        "draws on standard output; in a script or a pipe use a command ('journal --help' "
        "lists them)\n")


@pytest.mark.parametrize("args", [(), ("app",), ("--theme", "journal-paper", "app")])
def test_no_terminal_is_one_line_and_no_app(initialised: Journal, monkeypatch, args):
    ran = []
    monkeypatch.setattr(app_cmd, "run_app", lambda *a, **k: ran.append(a))
    result = initialised(*args, ok=False)  # CliRunner: neither stdin nor stdout a terminal
    assert result.exit_code == 2 and result.stderr == SAID and result.stdout == ""
    assert ran == []


def test_the_real_program_ends_at_once_with_its_output_in_a_file(tmp_path):
    env = dict(os.environ, JOURNAL_VAULT=str(tmp_path / "vault"),
               JOURNAL_CONFIG_DIR=str(tmp_path / "config"))
    with open(tmp_path / "out.txt", "wb") as out:
        proc = subprocess.run([sys.executable, "-m", "journal"], stdin=subprocess.DEVNULL,
                              stdout=out, stderr=subprocess.PIPE, env=env, timeout=60)
    assert proc.returncode == 2 and proc.stderr.decode() == SAID
    assert (tmp_path / "out.txt").read_bytes() == b""
    assert not (tmp_path / "vault").exists()
