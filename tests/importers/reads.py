"""A source read whole and read as a stream, as comparable lists: what the importers'
streaming tests compare (the same entries, or the same one-line error)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from journal.core.errors import ValidationError
from journal.core.exchange import importers


def as_read(entries: Iterable[Any]) -> list[dict]:
    return [e.to_dict() | {"updated_at": str(e.updated_at)} for e in entries]


def whole(path: Path, fmt: str) -> list[dict]:
    return as_read(importers.read(path, fmt))


def streamed(path: Path, fmt: str) -> list[dict]:
    with importers.open_source(path, fmt) as source:
        return as_read(e for _, e in source.entries(lambda i: True))


def outcome(path: Path, read: Callable[[Path], list[dict]]) -> list[dict] | str:
    """What `read` gives, or the error it says."""
    try:
        return read(path)
    except ValidationError as exc:
        return f"error: {exc}"
