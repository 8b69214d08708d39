"""Import the journal's own exchange format, version 1 (docs/format.md), read as a stream
(`export_stream`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from journal.core.errors import ValidationError
from journal.core.exchange import format_v1 as exchange
from journal.core.exchange.importers.export_stream import ExportStream
from journal.core.model.entries import Entry

_SNIFF = 4096


def detect(path: Path) -> bool:
    path = Path(path)
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(_SNIFF)
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{") and \
        exchange.FORMAT.encode() in head


def read(path: Path, source_passphrase: object = None) -> list[Entry]:
    del source_passphrase  # exports are plaintext JSON
    stream, entries = _open(path, keep=True)
    stream.close()
    return entries


def open_source(path: Path, source_passphrase: object = None,
                progress: Callable[[int], None] | None = None,
                again: bool = False) -> ExportStream:
    """The export validated, its entries left in the file until they are written (an
    import of 50,000 entries holds their ids and dates, not the entries). `progress(n)`:
    n more bytes of the file checked. A stream can always be read again (`again`)."""
    del source_passphrase, again
    return _open(path, keep=False, progress=progress)[0]


def _open(path: Path, keep: bool,
          progress: Callable[[int], None] | None = None) -> tuple[ExportStream, list[Entry]]:
    try:
        return ExportStream.open(Path(path), keep=keep, progress=progress)
    except IsADirectoryError:
        raise ValidationError(f"{path} is a folder, not a file") from None
