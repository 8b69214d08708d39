"""Export to the exchange format, version 1 (docs/format.md), as one 0600 file."""

from __future__ import annotations

from pathlib import Path

from journal.core import exchange
from journal.core.exporters import create_private_file
from journal.core.models import Entry


def write(entries: list[Entry], out: Path, *, replace: bool = False) -> list[Path]:
    data = exchange.to_json_text(entries).encode("utf-8")
    return [create_private_file(Path(out), data, replace=replace)]
