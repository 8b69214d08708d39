"""Export to the exchange format, version 1 (docs/format.md), as one 0600 file."""

from __future__ import annotations

from pathlib import Path

from journal.core.exchange import format_v1 as exchange
from journal.core.exchange.exporters import create_private_file
from journal.core.model.entries import Entry


def write(entries: list[Entry], out: Path, *, replace: bool = False) -> list[Path]:
    data = render(entries).encode("utf-8")
    return [create_private_file(Path(out), data, replace=replace)]


def render(entries: list[Entry]) -> str:
    return exchange.to_json_text(entries)
