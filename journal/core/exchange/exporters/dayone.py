"""Export to a Day One JSON export: a zip holding `Journal.json`, as Day One writes it and
Day One converters read it ({"metadata": {"version": "1.0"}, "entries": [...]}).

Each day is one Day One entry: `uuid` (the entry id, 32 upper-case hex digits),
`creationDate` (its `written_at`, or noon of its day, in UTC: the local time is written as
UTC with `timeZone` "UTC", so the day and time read back unchanged), `modifiedDate`,
`text` (the body, then moments and the check-in as lines, see plain_day), `tags` (every tag
of the body and the moments), `starred`, `isPinned` and `isAllDay` false, `creationDevice`
"journal", `duration` and `editingTime` 0: every field the converters' parsers require
(kulapard/dayone-to-obsidian's pydantic `Entry`, MarcDonald/obsidian-day-one-importer's zod
schema). ergebnis/day-one-to-obsidian-converter's JSON schema predates `isPinned` and
`isAllDay`, which current Day One exports carry, and refuses any field it does not list. The zip is
built in memory and written as one 0600 file: PLAINTEXT.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import datetime, time
from pathlib import Path
from typing import Any

from journal.core.exchange.exporters import create_private_file
from journal.core.exchange.exporters.plain_day import day_text
from journal.core.model.entries import Entry

JOURNAL_NAME = "Journal.json"
_STAMP = "%Y-%m-%dT%H:%M:%SZ"
#: A fixed zip timestamp: exporting twice gives the same bytes.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def write(entries: list[Entry], out: Path, *, replace: bool = False) -> list[Path]:
    return [create_private_file(Path(out), render_zip(entries), replace=replace)]


def render_zip(entries: list[Entry]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(JOURNAL_NAME, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        archive.writestr(info, render_json(entries))
    return buffer.getvalue()


def render_json(entries: list[Entry]) -> str:
    document = {"metadata": {"version": "1.0"},
                "entries": [entry_dict(e) for e in sorted(entries, key=lambda e: (e.date, e.id))]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def entry_dict(entry: Entry) -> dict[str, Any]:
    written = entry.written_at if entry.written_at and entry.written_at.date() == entry.date \
        else datetime.combine(entry.date, time(12, 0))
    modified = max(entry.updated_at or written, written)
    try:
        ident = uuid.UUID(entry.id).hex.upper()
    except ValueError:
        ident = uuid.uuid5(uuid.NAMESPACE_URL, entry.id).hex.upper()
    return {
        "uuid": ident,
        "creationDate": written.strftime(_STAMP),
        "modifiedDate": modified.strftime(_STAMP),
        "timeZone": "UTC",
        "starred": False,
        "isPinned": False,
        "isAllDay": False,
        "creationDevice": "journal",
        "duration": 0,
        "editingTime": 0,
        "tags": sorted(entry.all_tags),
        "text": day_text(entry),
    }
