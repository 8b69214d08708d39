"""The `journal` entry point's head start on the key derivation (journal.launch)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from journal import launch
from journal.core.store import kdf
from journal.core.store.kdf import KdfParams
from journal.core.store.vault import Vault

PASSPHRASE = "correct horse battery staple"


@pytest.mark.parametrize("argv, expected", [
    (["add", "x"], ("add", None)),
    (["--vault", "/v", "list"], ("list", "/v")),
    (["--vault=/v", "--debug", "show", "today"], ("show", "/v")),
    (["--theme", "list", "search", "x"], ("search", None)),  # a value is not a command
    (["--version"], (None, None)),
    ([], (None, None)),
])
def test_command_and_vault_from_raw_arguments(argv, expected):
    assert launch.command_and_vault(argv) == expected


@pytest.fixture
def floor_vault(tmp_path, monkeypatch):
    """A vault whose KDF counts as production strength here (the floor check patched, so
    the test keeps its fast parameters)."""
    monkeypatch.setattr(KdfParams, "is_below_floor", lambda self: False)
    monkeypatch.setattr(kdf, "_early", {})
    vault, _ = Vault.create(tmp_path / "v", PASSPHRASE, kdf=KdfParams.fast_for_tests(),
                            recovery=False)
    vault.close()
    return tmp_path / "v"


def test_an_unlocking_command_gets_a_head_start_that_the_unlock_takes(floor_vault,
                                                                      monkeypatch):
    env = {"JOURNAL_PASSPHRASE": PASSPHRASE}
    assert launch.early_unlock(["--vault", str(floor_vault), "list"], env)
    assert len(kdf._early) == 1
    calls = []
    real = kdf._derive
    monkeypatch.setattr(kdf, "_derive", lambda *a: calls.append(1) or real(*a))
    Vault.open(floor_vault, PASSPHRASE, allow_weak=True).close()
    assert kdf._early == {} and calls == []  # the unlock took the head start


@pytest.mark.parametrize("argv, env", [
    (["list"], {}),                                               # no passphrase in env
    (["--version"], {"JOURNAL_PASSPHRASE": PASSPHRASE}),
    (["themes"], {"JOURNAL_PASSPHRASE": PASSPHRASE}),
    (["add", "--sealed", "x"], {"JOURNAL_PASSPHRASE": PASSPHRASE}),  # needs no key
    (["list", "--passphrase-file", "f"], {"JOURNAL_PASSPHRASE": PASSPHRASE}),
    (["list", "--help"], {"JOURNAL_PASSPHRASE": PASSPHRASE}),
    # reads its source first: the KDF's memory beside a journal being decrypted was 320 MB
    (["import", "journal.txt"], {"JOURNAL_PASSPHRASE": PASSPHRASE}),
])
def test_no_head_start_when_the_command_may_not_unlock_with_it(floor_vault, argv, env):
    assert not launch.early_unlock(["--vault", str(floor_vault), *argv], env)
    assert kdf._early == {}


def test_no_head_start_below_the_floor(tmp_path, monkeypatch):
    monkeypatch.setattr(kdf, "_early", {})
    vault, _ = Vault.create(tmp_path / "v", PASSPHRASE, kdf=KdfParams.fast_for_tests(),
                            recovery=False)
    vault.close()
    env = {"JOURNAL_PASSPHRASE": PASSPHRASE}
    assert not launch.early_unlock(["--vault", str(tmp_path / "v"), "list"], env)
    assert kdf._early == {}


def test_a_failing_head_start_never_stops_the_command(monkeypatch):
    ran = []

    def broken(*_args):
        raise RuntimeError("no head start today")

    monkeypatch.setattr(launch, "early_unlock", broken)
    monkeypatch.setattr("journal.cli.main", lambda: ran.append(1))
    launch.main()
    assert ran == [1]


def _run(script: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True,
                          text=True, timeout=60)


def test_end_now_flushes_runs_atexit_and_skips_the_teardown():
    done = _run("""
        import atexit, sys
        from journal.launch import end_now

        class Teardown:
            def __del__(self):
                print("torn down")

        kept = Teardown()
        atexit.register(lambda: print("atexit ran"))
        print("x" * 200_000)
        print("on stderr", file=sys.stderr, end="")
        end_now(3)
    """)
    assert done.returncode == 3
    assert done.stdout == "x" * 200_000 + "\natexit ran\n"  # all of it, and no teardown
    assert done.stderr == "on stderr"


@pytest.mark.parametrize("code, returncode, stderr", [(None, 0, ""), (0, 0, ""),
                                                      ("a message", 1, "a message\n")])
def test_end_now_exits_as_sys_exit_would(code, returncode, stderr):
    done = _run(f"from journal.launch import end_now; end_now({code!r})")
    assert (done.returncode, done.stderr) == (returncode, stderr)


def test_end_now_waits_for_a_thread_still_running():
    done = _run("""
        import threading, time
        from journal.launch import end_now
        threading.Thread(target=lambda: (time.sleep(0.2), print("finished"))).start()
        end_now(0)
    """)
    assert (done.returncode, done.stdout) == (0, "finished\n")
