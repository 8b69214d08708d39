"""The `journal` command's entry point: a head start on the key derivation, then the CLI.

Importing click, the core and a command's modules takes ~80 ms. A command that will unlock
the vault with the passphrase in JOURNAL_PASSPHRASE reads the vault's header and starts
Argon2id on another thread first (it releases the GIL), after importing only what that
needs (~30 ms), so the other imports run meanwhile. The head start is only a guess from
the raw arguments: what it derives is used only when the vault's salt, its KDF setting and
the passphrase are exactly those the command then unlocks with (`crypto.derive_kek`), and
any doubt (another passphrase source, a sealed capture, an odd header) means no head start.

A command that only reads or adds (`ENDS_AT_ONCE`) then ends the process as soon as it is
done (`end_now`): its vault and files are closed by then, and what the interpreter would
still do is tear itself down, garbage collection passes over every module and object
(20-80 ms measured, more than the command's own work after the key derivation).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import NoReturn

#: Commands that unlock the vault with the passphrase. Not `import`: it reads its source
#: before it unlocks, and Argon2id's 128 MiB beside an encrypted jrnl journal being
#: decrypted (its bytes and its text) took 50,000 entries to 320 MB; unlocked after the
#: read, they peak at about 250 MB. A head start saves ~0.4 s of a many-second import.
UNLOCKING = frozenset({"add", "list", "show", "search", "delete", "reflect", "export", "tags",
                       "check"})
#: Arguments after which the passphrase may come from elsewhere, or not be needed.
OTHER_SOURCE = ("--passphrase-file", "--sealed", "--recovery-code", "--help")
_GLOBAL_WITH_VALUE = ("--vault", "--theme")
#: Commands that end the process at once when done (`end_now`): they write only the
#: vault (closed before they return) and the terminal; never the app.
ENDS_AT_ONCE = frozenset({"add", "list", "show", "search", "tags", "reflect"})


def main() -> None:
    try:
        early_unlock(sys.argv[1:], os.environ)
    except Exception:  # noqa: BLE001 - a head start must never stop the command
        pass
    from journal.cli import main as cli_main

    if command_and_vault(sys.argv[1:])[0] not in ENDS_AT_ONCE or "--help" in sys.argv:
        cli_main()  # help is cheap, and a caller (tests/cli/test_startup.py) may look after
        return
    try:
        cli_main()
    except SystemExit as done:
        end_now(done.code)
    end_now(0)


def end_now(code: object) -> NoReturn:
    """End the process as `sys.exit(code)` would, without the interpreter's teardown:
    standard output and error flushed, the `atexit` functions run, then `os._exit`. The
    usual exit whenever anything could still need the teardown: a code that is not a
    number, another thread still running (not a daemon), output that cannot be flushed."""
    import threading

    number = 0 if code is None else code
    others = [t for t in threading.enumerate()
              if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    run_exit_functions = getattr(__import__("atexit"), "_run_exitfuncs", None)
    if type(number) is not int or others or run_exit_functions is None:
        raise SystemExit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (`| head -1`) before the last lines:
        _discard_output()    # end quietly with 1, as click does when it meets it first
        number = 1
    except (OSError, ValueError):  # any other failure: the usual exit says so as it always did
        raise SystemExit(code) from None
    run_exit_functions()
    os._exit(number)


def _discard_output() -> None:
    """Point standard output and error at /dev/null, so nothing left in their buffers
    fails again on its way out (Python's own flush at exit would print "Exception
    ignored" lines about the closed pipe)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError):
            pass
    os.close(devnull)


def command_and_vault(argv: Sequence[str]) -> tuple[str | None, str | None]:
    """The command name and the `--vault` value given before it, from raw arguments."""
    vault = None
    args = iter(argv)
    for arg in args:
        name, eq, value = arg.partition("=")
        if name in _GLOBAL_WITH_VALUE:
            value = value if eq else next(args, "")
            if name == "--vault":
                vault = value
        elif not arg.startswith("-"):
            return arg, vault
    return None, vault


def early_unlock(argv: Sequence[str], env: Mapping[str, str]) -> bool:
    """Start deriving the key the command will need; True if a derivation was started."""
    passphrase = env.get("JOURNAL_PASSPHRASE")
    if not passphrase:
        return False
    command, vault = command_and_vault(argv)
    if command not in UNLOCKING or any(a.partition("=")[0] in OTHER_SOURCE for a in argv):
        return False
    from journal import paths
    from journal.core.store import kdf
    from journal.core.store.header import read_header

    header, conn = read_header(paths.resolve(vault, env).vault)
    conn.close()
    if header.kdf.is_below_floor():  # refused unless the command allows it: no head start
        return False
    kdf.derive_kek_early(passphrase, header.salt, header.kdf)
    return True
