"""Import the journal's own exchange format, version 1 (docs/format.md)."""

from __future__ import annotations

from pathlib import Path

from journal.core.errors import ValidationError
from journal.core.exchange import format_v1 as exchange
from journal.core.model.entries import Entry

_SNIFF = 4096


def detect(path: Path) -> bool:
    path = Path(path)
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(_SNIFF)
    return head.lstrip().startswith(b"{") and exchange.FORMAT.encode() in head


def read(path: Path, source_passphrase: object = None) -> list[Entry]:
    del source_passphrase  # exports are plaintext JSON
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(f"{path} is not UTF-8 text") from None
    data = exchange.parse_text(text, source=str(path))
    del text  # half the peak memory of a large import: the text, then its parsed objects
    try:
        return exchange.load(data, consume=True)
    except ValidationError as exc:  # name the file, as every importer's errors do
        raise ValidationError(f"{path}, {exc}") from None
