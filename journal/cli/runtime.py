"""What a command needs from the outside world, injected: paths, clock, KDF policy, input.

`journal.cli.main` builds the production Runtime; tests pass their own (fast KDF, temp
dirs, fixed clock, scripted passphrases) through `main(args, obj=runtime)`.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from journal import paths as paths_mod
from journal.core.clock import Clock, SystemClock
from journal.core.crypto import KdfParams
from journal.core.errors import ValidationError
from journal.core.vault import Vault


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

    @property
    def paths(self) -> paths_mod.Paths:
        return paths_mod.resolve(self.vault_override, self.env)

    def passphrase(self, passphrase_file: Path | None = None, *, confirm: bool = False,
                   label: str = "Passphrase") -> str:
        """--passphrase-file, then JOURNAL_PASSPHRASE (least safe), then a no-echo prompt."""
        if passphrase_file is not None:
            return read_secret_file(passphrase_file)
        if self.env.get("JOURNAL_PASSPHRASE"):
            return self.env["JOURNAL_PASSPHRASE"]
        if not sys.stdin.isatty() and self.prompt is getpass.getpass:
            raise ValidationError("no passphrase: use a terminal, --passphrase-file FILE or "
                                  "JOURNAL_PASSPHRASE")
        first = self.prompt(f"{label}: ")
        if confirm and self.prompt(f"{label} (again): ") != first:
            raise ValidationError("the passphrases do not match")
        return first

    def open_vault(self, passphrase_file: Path | None = None) -> Vault:
        directory = self.paths.vault
        Vault.read_header(directory)[1].close()  # not found / not ours, before asking
        return Vault.open(directory, self.passphrase(passphrase_file),
                          allow_weak=self.allow_weak, clock=self.clock)


def read_secret_file(path: Path) -> str:
    """The file's first line, without its line ending (other whitespace is kept)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{path} is not UTF-8 text") from None
    line = text.splitlines()[0] if text else ""
    if not line:
        raise ValidationError(f"{path} holds no passphrase")
    return line
