"""Shared helpers for the fault and abuse tests (docs/faults.md): a CLI runner with an
injected runtime, a terminal-output checker, hostile strings, app helpers."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner, Result

from journal.cli import cli
from journal.cli.runtime import Runtime
from journal.core.clock import FixedClock
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault

PASSPHRASE = "correct horse battery staple"
NOW = datetime(2026, 11, 25, 21, 30, 0)

#: What must never reach a terminal raw: C0 except TAB and LF, DEL, C1.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

#: Terminal escape sequences and controls a hostile file or user could plant.
ESCAPES = {
    "csi-red": "\x1b[31mRED\x1b[0m",
    "clear-screen": "\x1b[2J\x1b[H",
    "osc52-clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "osc8-link": "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "title": "\x1b]0;pwned\x07",
    "c1-csi": "\x9b31m",
    "c1-osc": "\x9d0;t\x9c",
    "bell-backspace": "ab\x08\x08\x07cd",
    "carriage-return": "visible\rHIDDEN",
    "nul-del": "x\x00y\x7fz",
    "dcs": "\x1bP+q544e\x1b\\",
}

#: Textual/Rich markup that must render literally in the app.
MARKUP = ("[bold red]loud[/]", "[@click=app.quit]quit[/]", "[link=https://evil.example]x[/]",
          "[$error]err[/]", "[reverse]inv[/reverse]")

#: Right-to-left text, emoji (ZWJ sequences, flags, skin tones, keycaps), combining marks
#: (decomposed on purpose: NFD must survive; we never normalise text, only passphrases).
ODD_TEXT = (
    "שלום עולם, היום היה קשה",                       # Hebrew
    "مرحبا بالعالم — يوم طويل",                       # Arabic
    "mixed עברית and English ١٢٣",
    "👩‍⚕️ 👨‍👩‍👧‍👦 🏳️‍🌈 👍🏽 1️⃣ 🇩🇪",
    "e\u0301 a\u0308 n\u0303 \u1100\u1161\u11a8 z\u0335\u0321\u0358",  # combining, Hangul jamo
    "Zoë Ångström ﬁ ﬀ Ⅻ",
    "\u200f\u200e\u2066isolate\u2069 \u202eRLO\u202c",  # bidi marks / override
    "\ufeffBOM inside",
    "tab\tand\nnewline",
)


def raw_controls(text: str) -> list[str]:
    """The raw control characters in `text` (empty: safe for a terminal)."""
    return sorted({repr(c) for c in RAW_CONTROL.findall(text)})


@dataclass
class CliJournal:
    """Runs `journal ARGS` in-process against one vault with the test KDF."""

    tmp: Path
    clock: FixedClock = field(default_factory=lambda: FixedClock(NOW))
    env_extra: dict[str, str] = field(default_factory=dict)

    @property
    def vault_dir(self) -> Path:
        return self.tmp / "vault"

    @property
    def config_dir(self) -> Path:
        return self.tmp / "config"

    def runtime(self) -> Runtime:
        env = {"JOURNAL_VAULT": str(self.vault_dir), "JOURNAL_CONFIG_DIR": str(self.config_dir),
               **self.env_extra}
        return Runtime(clock=self.clock, kdf=KdfParams.fast_for_tests(), allow_weak=True,
                       env=env, prompt=lambda label: PASSPHRASE, interactive=False)

    def __call__(self, *args: str, input: str | None = None, ok: bool = True) -> Result:
        result = CliRunner().invoke(cli, list(args), obj=self.runtime(), input=input,
                                    catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, (result.output, result.stderr)
        return result

    def create(self) -> Vault:
        vault, _ = Vault.create(self.vault_dir, PASSPHRASE, kdf=KdfParams.fast_for_tests(),
                                clock=self.clock)
        return vault

    def open(self) -> Vault:
        return Vault.open(self.vault_dir, PASSPHRASE, allow_weak=True, clock=self.clock)


def add_tests_dir_to_path() -> None:
    """So `from leakscan import scan` works from here (tests/ is not a package)."""
    tests = str(Path(__file__).resolve().parent.parent)
    if tests not in sys.path:
        sys.path.insert(0, tests)
