"""Read a classic Day One journal package (`Journal.dayone/`, Day One 1.x), as jrnl's DayOne
journal reads it: one XML property list per entry in `entries/<UUID>.doentry`.

Of each plist we read `Creation Date` (UTC), `Time Zone` (an IANA name: the entry's local
day and time; UTC when absent, where jrnl would take the computer's zone), `Entry Text`,
`Starred`, `Tags` and `UUID`. Tags and a star become a `Tags: #a #starred` line, as for Day
One's JSON export. A plist that cannot be read is refused naming its file (jrnl skips it
silently). Not a format of its own: `dayone` hands packages here.
"""

from __future__ import annotations

import plistlib
from datetime import UTC, datetime
from pathlib import Path
from xml.parsers.expat import ExpatError
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from journal.core.errors import ValidationError
from journal.core.exchange.importers._shared import Piece, fold_days, read_bytes, tag_line
from journal.core.model.entries import Entry

_MAX_ENTRY = 64 * 1024 * 1024


def entry_files(path: Path, limit: int = 1_000_000) -> list[Path]:
    folder = Path(path) / "entries"
    if not folder.is_dir():
        return []
    found = []
    for file in sorted(folder.glob("*.doentry")):
        if file.is_file():
            found.append(file)
            if len(found) >= limit:
                break
    return found


def detect(path: Path) -> bool:
    path = Path(path)
    return path.is_dir() and bool(entry_files(path, limit=1))


def read(path: Path) -> list[Entry]:
    files = entry_files(path)
    if not files:
        raise ValidationError(f"{path}: no Day One entries (expected entries/*.doentry)")
    return fold_days("dayone", [_piece(file) for file in files])


def _piece(file: Path) -> Piece:
    try:
        data = plistlib.loads(read_bytes(file, _MAX_ENTRY), fmt=plistlib.FMT_XML)
    except (plistlib.InvalidFileException, ExpatError, ValueError, TypeError, KeyError,
            OverflowError, RecursionError, AttributeError):
        raise ValidationError(f"{file}: not a Day One entry (an XML property list)") from None
    if not isinstance(data, dict):
        raise ValidationError(f"{file}: not a Day One entry (no dictionary)")
    created = data.get("Creation Date")
    if not isinstance(created, datetime):
        raise ValidationError(f"{file}: 'Creation Date' is missing or not a date")
    text = data.get("Entry Text", "")
    if not isinstance(text, str):
        raise ValidationError(f"{file}: 'Entry Text' must be text")
    tags = data.get("Tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValidationError(f"{file}: 'Tags' must be a list of text")
    starred = data.get("Starred", False)
    if not isinstance(starred, bool):
        raise ValidationError(f"{file}: 'Starred' must be true or false")
    instant = (created if created.tzinfo else created.replace(tzinfo=UTC)).astimezone(UTC)
    zone_name = data.get("Time Zone")
    zone = UTC
    if zone_name not in (None, ""):
        try:
            zone = ZoneInfo(str(zone_name))
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError(f"{file}: 'Time Zone' '{str(zone_name)[:40]}' is not a "
                                  "known time zone") from None
    try:
        local = instant.astimezone(zone).replace(tzinfo=None)
    except OverflowError:
        raise ValidationError(f"{file}: 'Creation Date' is out of range") from None
    text = text.replace("\r\n", "\n").strip("\n")
    line = tag_line([*tags, *(["starred"] if starred else [])])
    if line:
        text = f"{text}\n\n{line}" if text else line
    return Piece(when=local, text=text, source_key=f"{data.get('UUID', file.stem)}",
                 instant=instant, titled=False)
