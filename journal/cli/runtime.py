"""What a command needs from the outside world, injected: paths, clock, KDF policy, input.

`journal.cli.main` builds the production Runtime; tests pass their own (fast KDF, temp
dirs, fixed clock, scripted passphrases) through `main(args, obj=runtime)`.
"""

from __future__ import annotations

import getpass
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from journal.cli.output import say, warn
from journal.core.clock import Clock, SystemClock
from journal.core.errors import JournalError, ValidationError, WrongPassphrase

if TYPE_CHECKING:  # imported where used: `journal --version` must not load the vault
    from pathlib import Path

    from journal import paths as paths_mod
    from journal.core.store.captures import Arrival
    from journal.core.store.crypto import KdfParams
    from journal.core.store.failed_unlocks import FailedUnlocks
    from journal.core.store.read_ahead import ReadAhead
    from journal.core.store.rollback import SeenSaves
    from journal.core.store.vault import Vault

def _quoted(words: str) -> str:
    from journal.core.textsafe import one_line

    return f"\u201c{one_line(words)}\u201d"


def provenance_line(arrival: Arrival) -> str:
    """How `journal show` marks text and moments that came by quick capture."""
    claimed = (f", says it was written {arrival.claimed:%Y-%m-%d %H:%M}"
               if arrival.claimed else "")
    return (f"[quick capture merged {arrival.arrived:%Y-%m-%d %H:%M}{claimed}; sealed without "
            f"the passphrase, not in an unlocked session] {_quoted(arrival.words)}")


#: Tries for a passphrase typed at the prompt before giving up.
PROMPT_TRIES = 3
_K = TypeVar("_K")
_T = TypeVar("_T")


@dataclass
class Runtime:
    clock: Clock = field(default_factory=SystemClock)
    #: None: calibrate at creation (the product). Tests pass KdfParams.fast_for_tests().
    kdf: KdfParams | None = None
    #: Only tests set this: it lets vaults below the KDF floor open.
    allow_weak: bool = False
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    prompt: Callable[[str], str] = field(default=getpass.getpass)
    vault_override: Path | None = None
    debug: bool = False
    #: None: decide from the terminal. Tests set True/False to script confirmations.
    interactive: bool | None = None
    #: The wait after wrong passphrases; tests pass one that moves their clock instead.
    sleep: Callable[[float], None] = field(default=time.sleep)

    @property
    def paths(self) -> paths_mod.Paths:
        from journal import paths as paths_mod

        return paths_mod.resolve(self.vault_override, self.env)

    @property
    def is_interactive(self) -> bool:
        """May we ask the user a yes/no question (stdin is a terminal)?"""
        return sys.stdin.isatty() if self.interactive is None else self.interactive

    def passphrase(self, passphrase_file: Path | None = None, *, confirm: bool = False,
                   label: str = "Passphrase", env_ok: bool = True,
                   missing: str = "no passphrase") -> str:
        """--passphrase-file, then JOURNAL_PASSPHRASE (least safe), then a no-echo prompt."""
        if passphrase_file is not None:
            return read_secret_file(passphrase_file)
        if env_ok and self.env.get("JOURNAL_PASSPHRASE"):
            return self.env["JOURNAL_PASSPHRASE"]
        if self.prompt is getpass.getpass and not _has_terminal():
            raise ValidationError(f"{missing}: use a terminal, --passphrase-file FILE or "
                                  "JOURNAL_PASSPHRASE" if env_ok else
                                  f"{missing}: use a terminal or a passphrase file option")
        try:
            first = self.prompt(f"{label}: ")
            if confirm and self.prompt(f"{label} (again): ") != first:
                raise ValidationError("the passphrases do not match; nothing was changed")
        except EOFError:
            raise ValidationError(f"{missing}: input ended before it was typed") from None
        except KeyboardInterrupt:  # the cursor is still after "Passphrase: "
            say("", err=True)
            raise
        return first

    def open_vault(self, passphrase_file: Path | None = None, *, verify: bool = True,
                   merge_sealed: bool = True, recovery: bool = False,
                   read_ahead: ReadAhead | None = None) -> Vault:
        """Unlock the vault. After a verified unlock, entries captured with
        `journal add --sealed` are merged in and the user is told on stderr. `read_ahead`:
        what the command will read, read while the key is derived (a passphrase unlock);
        a verified unlock reads at least the rows its check MACs. `recovery`: with the
        recovery code (typed, or the first line of `passphrase_file`) instead, with the
        same tries and waits."""
        from journal.core.store.read_ahead import ReadAhead

        directory = self.paths.vault
        if read_ahead is None and verify:
            read_ahead = ReadAhead()
        if not recovery:
            vault = self._unlock(directory, passphrase_file, verify, read_ahead)
        else:
            vault = self.tries(
                passphrase_file, lambda: self.wait_out(directory),
                lambda vault_id, code: self.unlock(directory, recovery_code=code,
                                                   verify=verify, vault_id=vault_id),
                label="Recovery code", what="recovery code", env_ok=False)
        return self._opened(vault, verify and merge_sealed)

    def open_with_passphrase(self, passphrase_file: Path | None = None) -> tuple[Vault, str]:
        """Unlock the vault for a command that needs the passphrase again afterwards
        (rotate-keys, sync): the same tries, waits and merge of sealed entries as
        `open_vault`; the vault and the passphrase that opened it (a passphrase set on
        another synced machine is this vault's from now on)."""
        directory = self.paths.vault
        vault, passphrase = self.tries(
            passphrase_file, lambda: self.wait_out(directory),
            lambda vault_id, secret: (self.unlock(directory, secret, vault_id=vault_id),
                                      secret))
        return self._opened(vault, merge_sealed=True), passphrase

    def _opened(self, vault: Vault, merge_sealed: bool) -> Vault:
        """After an unlock: the rollback warning, the rebuilt index stored, and entries
        sealed by `journal add --sealed` merged in (`merge_sealed`)."""
        self.warn_rollback(vault)
        vault.on_index_rebuilt = store_rebuilt_index
        if merge_sealed:
            try:
                self.merge_pending(vault)
            except BaseException:
                vault.close()
                raise
        return vault

    def _unlock(self, directory: Path, passphrase_file: Path | None, verify: bool,
                read_ahead: ReadAhead | None = None) -> Vault:
        return self.tries(
            passphrase_file, lambda: self.wait_out(directory),  # not found: before asking
            lambda vault_id, secret: self.unlock(directory, secret, verify=verify,
                                                 vault_id=vault_id, read_ahead=read_ahead))

    def tries(self, passphrase_file: Path | None, wait: Callable[[], _K],
              attempt: Callable[[_K, str], _T], *, label: str = "Passphrase",
              what: str = "passphrase", env_ok: bool = True) -> _T:
        """A typed passphrase gets three tries (each costs a full key derivation, and
        after two wrong ones in a row a growing wait before it is asked: `wait`, which
        returns the key the tries are counted under); one from a file or
        JOURNAL_PASSPHRASE (when `env_ok`) gets one. `attempt(key, passphrase)` is one
        try, counted (`FailedUnlocks.one_try`), raising WrongPassphrase when it is not
        the one. `what` names the secret in the line between tries (a recovery code)."""
        typed = passphrase_file is None and not (env_ok and self.env.get("JOURNAL_PASSPHRASE"))
        tries = PROMPT_TRIES if typed else 1
        for number in range(1, tries + 1):
            key = wait()
            secret = self.passphrase(passphrase_file, label=label, env_ok=env_ok,
                                     missing=f"no {what}")
            try:
                return attempt(key, secret)
            except WrongPassphrase:
                if number == tries:
                    raise
                say(f"journal: wrong {what}, try again", err=True)
        raise AssertionError("unreachable")

    def failed_unlocks(self) -> FailedUnlocks:
        from journal.core.store.failed_unlocks import FailedUnlocks

        return FailedUnlocks(self.paths.failed_unlocks_file)

    def wait_out(self, directory: Path) -> bytes:
        """Wait as long as the wrong passphrases in a row before earned (the same count
        the app keeps), saying so on stderr first; the vault's id. Reading the header
        first also says 'not found' or 'not a journal' before anyone is asked."""
        from journal.core.store.vault import Vault

        header, ro = Vault.read_header(directory)
        ro.close()
        self.wait_for(header.vault_id)
        return header.vault_id

    def wait_for(self, key: bytes) -> None:
        """Wait as long as the wrong passphrases in a row counted under `key` (a vault's
        id, or a sync folder's before a vault is made from it) earned, saying so first."""
        pause = self.failed_unlocks().pause(key, self.clock.now())
        if pause.seconds:
            say(f"journal: waiting {pause.seconds} s after {pause.failures} wrong "
                "passphrases", err=True)
            self.sleep(pause.seconds)

    def unlock(self, directory: Path, passphrase: str | None = None, *,
               recovery_code: str | None = None, verify: bool = True,
               vault_id: bytes | None = None, read_ahead: ReadAhead | None = None) -> Vault:
        """One try at the vault's key (the passphrase, or one changed on another synced
        machine, or the recovery code), counted in the wrong passphrases in a row and
        after the wait they earned (`vault_id`: the caller already waited)."""
        from journal.core.store.vault import Vault

        if vault_id is None:
            vault_id = self.wait_out(directory)
        with self.failed_unlocks().one_try(vault_id, self.clock.now):
            try:
                return Vault.open(directory, passphrase, recovery_code=recovery_code,
                                  allow_weak=self.allow_weak, clock=self.clock,
                                  verify=verify, seen=self.seen_saves(),
                                  read_ahead=read_ahead)
            except WrongPassphrase:
                vault = (self.open_through_sync(directory, passphrase)
                         if recovery_code is None and passphrase is not None else None)
                if vault is None:
                    raise
                return vault

    def seen_saves(self) -> SeenSaves:
        from journal.core.store.rollback import SeenSaves

        return SeenSaves(self.paths.seen_saves_file)

    @staticmethod
    def warn_rollback(vault: Vault) -> None:
        """The vault is older than one this user saw: say so on stderr, with the dates."""
        if vault.rollback_warning:
            warn(vault.rollback_warning)

    def open_through_sync(self, directory: Path, passphrase: str) -> Vault | None:
        """A passphrase changed on another synced machine opens this vault too (once, then
        it is this vault's passphrase): journal.core.sync.escrow."""
        from journal.core.sync import session

        vault = session.unlock_with_new_passphrase(directory, passphrase,
                                                   allow_weak=self.allow_weak, clock=self.clock)
        if vault is not None:
            say("journal: the passphrase was changed on another machine; this vault "
                "now opens with it too", err=True)
        return vault

    @staticmethod
    def merge_pending(vault: Vault) -> None:
        """Merge entries sealed with `journal add --sealed`; say so on stderr."""
        from journal.core.store.vault import merge_sealed

        result = merge_sealed(vault)
        if result.merged:
            plural = "entry" if result.merged == 1 else "entries"
            say(f"journal: merged {result.merged} sealed {plural} captured with "
                "'journal add --sealed' (not written in an unlocked session; "
                "anyone who can write the vault folder can send one):", err=True)
            for arrival in result.arrivals:
                say(f"journal:   {arrival.day.isoformat()}  {_quoted(arrival.words)}",
                    err=True)
        for problem in result.problems:
            warn(problem)
        if result.checked_in:
            _support_after_merge(vault, result.checked_in)


def _support_after_merge(vault: Vault, days: set) -> None:
    """A merged sealed note's check-in counted as if chosen then (the note could not read
    the entries before it): the support resources on stderr if the rule says so, so the
    command's own output stays as it is."""
    from journal.core.care import safety

    try:
        shown = safety.support_after_merge(days, vault.summaries)
    except JournalError:
        return  # the command itself reports a vault it cannot read
    if shown:
        for line in ("", safety.AFTER_MERGE, *safety.SUPPORT_LINES, safety.NO_ONE_WATCHES):
            say(line, err=True)


def _has_terminal() -> bool:
    """getpass reads from /dev/tty, so a piped stdin is fine as long as a terminal exists."""
    try:
        with open("/dev/tty", "rb"):
            return True
    except OSError:
        return sys.stdin.isatty()


def read_secret_file(path: Path) -> str:
    """The file's first line, without its line ending (other whitespace is kept).

    A regular file that group or others may read or write is refused, as ssh refuses such
    a private key: a passphrase in a file other users can read is already shared. Pipes
    (`--passphrase-file <(pass show journal)`) and other non-regular files are read as
    they are."""
    import stat

    try:
        with open(path, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if stat.S_ISREG(mode) and mode & 0o077:
                raise ValidationError(
                    f"{path} is open to other users (mode {stat.S_IMODE(mode):04o}): refusing "
                    f"to read a passphrase from it; make it private: chmod 600 {path}")
            raw = handle.read()
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(f"{path} is not UTF-8 text") from None
    line = text.splitlines()[0] if text else ""
    if not line:
        raise ValidationError(f"{path} holds no passphrase")
    return line


#: How long a read command waits for another writer (the app saving) to store the index
#: it rebuilt: a convenience, so it gives up soon and says how to do it later.
STORE_PATIENCE = 1.0


def store_rebuilt_index(vault: Vault) -> None:
    """A command had to rebuild index chunks (chunks missing, damaged or of a format
    before one this program can read) or upgrade them (chunks of the format before the
    fold, folded again from their own moments): store them once, in one transaction, and
    say which on stderr, so the next command does not do it again. If they cannot be
    stored (the vault is busy or read-only), say how to do it later; the command itself
    goes on either way."""
    from journal.core.store.index_store import index_done

    done = index_done(vault.indexes.pending(), vault.indexes.pending_upgraded())
    try:
        stored = vault.store_healed_index(patience=STORE_PATIENCE)
    except JournalError:
        say(f"journal: the encrypted index was {done} but could not be stored; run "
            "'journal check --rebuild-index'", err=True)
        return
    if stored:
        say(f"journal: the encrypted index was "
            f"{index_done(stored, vault.indexes.stored_upgraded)} and stored", err=True)
