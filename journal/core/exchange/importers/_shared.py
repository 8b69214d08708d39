"""Helpers shared by the importers: folding several source entries of one calendar day into
one Entry with time-ordered sections, deterministic ids, tag tokens, passphrases, reading.

Not an import format itself (the registry imports formats by name; this one starts with _).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from journal.core.errors import ValidationError
from journal.core.model.entries import Entry

#: uuid5 namespace of imported entries: the same source always yields the same entry ids,
#: so importing a file twice adds nothing (the import command skips identical ids).
IMPORT_NAMESPACE = uuid.UUID("6f1c0c52-8d0e-5b8a-9d3c-4a7e2b1f0e11")

Passphrase = str | Callable[[], str] | None

#: What a tag keeps: jrnl's tag characters ([-+*#/\w], Entry.tag_regex) minus `*` (emphasis
#: in Markdown), so `c++`, `c#` and `os/2` stay whole, as our markup reads them.
_TAG_CHARS = re.compile(r"[^\w+#/-]+", re.UNICODE)
_HEADING_MARKS = re.compile(r"^#{1,6}(?:\s+|$)")


@dataclass
class Piece:
    """One source entry: when it was written (local time) and its Markdown text."""

    when: datetime
    text: str
    source_key: str = ""
    has_time: bool = True
    #: The absolute time, when the source knows it (Day One): orders pieces written in the
    #: hour a daylight-saving switch repeats, whose local times are equal or reversed.
    instant: datetime | None = None
    #: True if the first line is a title (jrnl): on a day of several pieces it goes into the
    #: `## HH:MM Title` heading. False (Day One): only a Markdown heading line does; any other
    #: first line (a paragraph, an attachment marker) stays in the section's text.
    titled: bool = True


def tag_token(raw: str) -> str:
    """A source tag as our `#tag` syntax understands it ('' if nothing is left)."""
    label = _TAG_CHARS.sub("-", raw.strip().lstrip("#@").strip().lower())
    label = re.sub(r"\s+", "-", label).strip("-_/")
    return f"#{label}" if label else ""


def tag_line(tags: Iterable[str]) -> str:
    tokens: list[str] = []
    for raw in tags:
        token = tag_token(raw)
        if token and token not in tokens:
            tokens.append(token)
    return "Tags: " + " ".join(tokens) if tokens else ""


def entry_id(fmt: str, day: date, parts: Iterable[str]) -> str:
    """Deterministic id from the format, the day and the source content of that day."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return str(uuid.uuid5(IMPORT_NAMESPACE, f"{fmt}|{day.isoformat()}|{digest}"))


def fold_days(fmt: str, pieces: list[Piece]) -> list[Entry]:
    """One Entry per calendar day; several pieces on a day become `## HH:MM` sections."""
    by_day: dict[date, list[Piece]] = {}
    for piece in pieces:
        by_day.setdefault(piece.when.date(), []).append(piece)
    entries: list[Entry] = []
    for day in sorted(by_day):
        timed = all(p.instant is not None for p in by_day[day])
        day_pieces = sorted(by_day[day], key=(lambda p: p.instant) if timed else
                            (lambda p: p.when))
        if len(day_pieces) == 1:
            body = day_pieces[0].text.strip("\n")
        else:
            sections = []
            for piece in day_pieces:
                text = piece.text.strip("\n")
                first, _, rest = text.partition("\n")
                if not piece.titled and not _HEADING_MARKS.match(first):
                    first, rest = "", text
                stamp = f"{piece.when:%H:%M} " if piece.has_time else ""
                heading = f"## {stamp}{_HEADING_MARKS.sub('', first.strip())}".rstrip()
                sections.append(f"{heading}\n{rest.strip(chr(10))}".rstrip("\n"))
            body = "\n\n".join(sections)
        keys = [f"{p.when.isoformat()}|{p.source_key}|{p.text}" for p in day_pieces]
        entries.append(Entry(
            date=day,
            body=body,
            written_at=day_pieces[0].when.replace(microsecond=0),
            updated_at=day_pieces[-1].when.replace(microsecond=0),
            id=entry_id(fmt, day, keys),
        ))
    return entries


def resolve_passphrase(source_passphrase: Passphrase, path: Path) -> str:
    """Call the passphrase source only now that an encrypted file needs it."""
    value = source_passphrase() if callable(source_passphrase) else source_passphrase
    if not value:
        raise ValidationError(f"{path} is encrypted: a jrnl passphrase is needed "
                              "(--source-passphrase-file FILE or the prompt)")
    return value


def read_bytes(path: Path, limit: int = 512 * 1024 * 1024, head: int | None = None) -> bytes:
    """The file's bytes (`head`: its first `head` bytes only), or a ValidationError."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise ValidationError(f"{path} is too large to import ({size} bytes)")
        if head is not None:
            with path.open("rb") as handle:
                return handle.read(head)
        return path.read_bytes()
    except IsADirectoryError:
        raise ValidationError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror or exc}") from None


def decode_text(raw: bytes, path: Path, where: str = "") -> str:
    """UTF-8 (a BOM is dropped, CRLF becomes LF) or a ValidationError naming the line."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        place = f"{where}, line {line}" if where else f"line {line}"
        raise ValidationError(f"{path}, {place}: not UTF-8 text (byte {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def entries_list(text: str, where: str, what: str) -> list:
    """The `entries` list of an export's JSON text, or a ValidationError naming `where` (the
    file) and the line: `what` names the kind of export ("a Day One export")."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{where}, line {exc.lineno} column {exc.colno}: not valid JSON "
                              f"({exc.msg})") from None
    except RecursionError:
        raise ValidationError(f"{where}: nested too deeply to be {what}") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise ValidationError(f"{where}: not {what} (no \"entries\" list)")
    return data["entries"]
