"""Machines of one person sharing a sync folder, driven through the command line as a user
would (tests/cli/cli_harness.py: in-process, fast key derivation, one clock each)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from cli_harness import Journal, Prompts  # noqa: E402

from journal.core.clock import FixedClock  # noqa: E402


def machine(tmp: Path, name: str) -> Journal:
    """A machine of its own, in the folder `tmp / name`, with no vault yet."""
    (tmp / name).mkdir()
    return Journal(tmp / name, FixedClock(datetime(2026, 11, 25, 21, 30)), Prompts())


def linked_pair(tmp: Path, first: Sequence[str], *, name: str,
                joiner: str | None = None) -> tuple[Journal, Journal, Path]:
    """A laptop that wrote 2026-11-20 (`journal add FIRST...`) and linked the folder
    `tmp / "Sync"` as `name`, and a desktop made from that folder (`init --from-sync`,
    named `joiner`, else its host name)."""
    folder = tmp / "Sync"
    folder.mkdir()
    a = machine(tmp, "laptop")
    a.init()
    a("add", *first, "--date", "2026-11-20")
    a("sync", "init", str(folder), "--name", name)
    b = machine(tmp, "desktop")
    out = b("init", "--from-sync", str(folder), *(("--name", joiner) if joiner else ()))
    assert "1 entry" in out.output
    return a, b, folder
