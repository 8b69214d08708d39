"""CLI test harness: the real click commands with an injected Runtime (fast test KDF,
temp vault and config dirs, fixed clock, scripted passphrase prompts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from journal.cli import cli
from journal.cli.runtime import Runtime
from journal.core.clock import FixedClock
from journal.core.store.crypto import KdfParams

PASSPHRASE = "correct horse battery staple"


@dataclass
class Prompts:
    """Answers passphrase prompts from a queue, else with `default`; records the labels."""

    default: str | None = PASSPHRASE
    queue: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)

    def __call__(self, label: str) -> str:
        self.asked.append(label)
        if self.queue:
            return self.queue.pop(0)
        if self.default is None:
            raise AssertionError(f"unexpected prompt: {label}")
        return self.default


@dataclass
class Journal:
    """Runs `journal ARGS` in-process against one temp vault."""

    tmp: Path
    clock: FixedClock
    prompts: Prompts
    interactive: bool = False
    env_extra: dict[str, str] = field(default_factory=dict)
    slept: list[float] = field(default_factory=list)
    """Each wait after wrong passphrases: recorded and passed on the clock, never slept."""

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.clock.advance(seconds=seconds)

    @property
    def vault_dir(self) -> Path:
        return self.tmp / "vault"

    def runtime(self) -> Runtime:
        env = {"JOURNAL_VAULT": str(self.vault_dir),
               "JOURNAL_CONFIG_DIR": str(self.tmp / "config"), **self.env_extra}
        return Runtime(clock=self.clock, kdf=KdfParams.fast_for_tests(), allow_weak=True,
                       env=env, prompt=self.prompts, interactive=self.interactive,
                       sleep=self.sleep)

    def __call__(self, *args: str, input: str | None = None, ok: bool = True) -> Result:
        result = CliRunner().invoke(cli, list(args), obj=self.runtime(), input=input,
                                    catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, (result.output, result.stderr)
        return result

    def init(self) -> Result:
        return self("init")


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    # a zone of its own: a Day One export must not depend on the zone of the test machine
    clock = FixedClock(datetime(2026, 11, 25, 21, 30, 0), zone=UTC)
    return Journal(tmp_path, clock, Prompts())


@pytest.fixture
def initialised(journal: Journal) -> Journal:
    journal.init()
    return journal


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def write_secret(path: Path, text: str) -> Path:
    """A passphrase file as it must be: readable by its owner only (issue 13, item 13)."""
    write(path, text).chmod(0o600)
    return path


Run = Callable[..., Result]
