"""A reader that goes away early (`journal list | head -1`): the program ends quietly, as
click and the shell's own tools do, never with "internal error" or Python's "Exception
ignored" lines (it said `internal error: BrokenPipeError` and ended with 70)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta

import pytest

from journal.core.model.entries import Entry
from journal.core.store.kdf import KdfParams
from journal.core.store.vault import Vault

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="module")
def vaults(tmp_path_factory):
    """A vault of 3 days (its lines fit in the output buffer: written at exit) and one of
    600 (written while the command runs)."""
    made = {}
    for days in (3, 600):
        where = tmp_path_factory.mktemp(f"v{days}") / "vault"
        vault, _ = Vault.create(where, PASSPHRASE, kdf=KdfParams.fast_for_tests(),
                                recovery=False)
        vault.put_many([Entry(date=date(2020, 1, 1) + timedelta(days=i),
                              body=f"Day {i}: the handover ran late. #shift") for i in range(days)])
        vault.close()
        made[days] = where
    return made


def _with_reader_gone(vault, *args: str, cwd=None) -> tuple[int, str]:
    """Run the real entry point (`journal.launch.main`, fast KDF let through) with its
    standard output a pipe whose reader closed before the first line."""
    script = (
        "import sys\n"
        "from journal.core.store.kdf import KdfParams\n"
        "KdfParams.is_below_floor = lambda self: False\n"
        f"sys.argv = ['journal', '--vault', {str(vault)!r}, *{list(args)!r}]\n"
        "from journal.launch import main\n"
        "main()\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=cwd,
                            env=dict(os.environ, JOURNAL_PASSPHRASE=PASSPHRASE))
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    return proc.wait(timeout=60), stderr


@pytest.mark.parametrize("days, args", [
    (3, ("list",)),                 # the lines wait in the buffer: the pipe fails at exit
    (600, ("list",)),               # it fails while the command writes
    (600, ("search", "handover")),
    (3, ("show", "2020-01-02")),
    (600, ("reflect", "--json")),
    (3, ("--help",)),               # not a command that ends at once
])
def test_a_reader_gone_ends_the_command_quietly(vaults, days, args):
    code, stderr = _with_reader_gone(vaults[days], *args)
    assert code == 1, stderr
    assert not any(word in stderr for word in ("error", "Error", "Exception", "Traceback")), stderr


@pytest.mark.parametrize("days, fmt", [(3, "json"), (600, "json"), (600, "jrnl")])
def test_an_export_to_a_reader_gone_ends_quietly_and_writes_no_file(vaults, tmp_path, days,
                                                                    fmt):
    """`journal export -o - | head -1`: standard output, not a file named "-"."""
    code, stderr = _with_reader_gone(vaults[days], "export", "--format", fmt, "-o", "-",
                                     cwd=tmp_path)
    assert code == 1, stderr
    assert not any(word in stderr for word in ("error", "Error", "Exception", "Traceback")), stderr
    assert list(tmp_path.iterdir()) == []


def test_the_vault_still_opens_after_an_add_whose_reader_went_away(vaults, tmp_path):
    code, stderr = _with_reader_gone(vaults[3], "add", "--date", "2020-02-01", "Quiet day.")
    assert "rror" not in stderr and "Exception" not in stderr and code in (0, 1), stderr
    vault = Vault.open(vaults[3], PASSPHRASE, allow_weak=True)
    try:
        assert vault.get_by_date(date(2020, 2, 1)).body.strip() == "Quiet day."
    finally:
        vault.close()
