"""Export to a Day One JSON export: a zip holding `Journal.json`, as Day One writes it and
Day One converters read it ({"metadata": {"version": "1.0"}, "entries": [...]}).

Each day is one Day One entry: `uuid` (the entry id, 32 upper-case hex digits),
`creationDate` (its `written_at`, or noon of its day, as the UTC instant with `Z`, as Day One
writes it) with `timeZone` the IANA name of the zone that local time was in, so Day One shows
the time as it was written and our importer reads back the same day and time: the zone of
`written_at` when it carries one, else the zone given (`journal export --timezone`, or the
computer's local zone, injected by the caller), each entry at the offset of its own date
(a local time the clocks skipped: the fixed zone of the hour before the switch, so it reads
back as written, `_skipped_hour`), `modifiedDate`,
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
from datetime import UTC, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

from journal.core.errors import ValidationError
from journal.core.exchange.exporters import create_private_file
from journal.core.exchange.exporters.plain_day import day_text
from journal.core.model.entries import Entry

JOURNAL_NAME = "Journal.json"
_STAMP = "%Y-%m-%dT%H:%M:%SZ"
#: A fixed zip timestamp: exporting twice gives the same bytes.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def write(entries: list[Entry], out: Path, *, replace: bool = False,
          zone: tzinfo = UTC) -> list[Path]:
    """`zone`: where a `written_at` without a zone of its own was written (local times)."""
    return [create_private_file(Path(out), render_zip(entries, zone), replace=replace)]


def named_zone(name: str) -> tzinfo:
    """The IANA zone `name` (`journal export --timezone`), or one line saying it is not."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationError(f"'{name[:40]}' is not a known time zone (an IANA name such "
                              "as Europe/London or America/New_York)") from None


def zone_name(zone: tzinfo, at: datetime) -> str:
    """The IANA name Day One's `timeZone` needs: a named zone's key (`Europe/London`);
    a fixed offset (all a computer's local zone may say) as `UTC` or `Etc/GMT-1` (POSIX
    signs: that is UTC+1). An offset of part of an hour has no such name."""
    key = getattr(zone, "key", None)
    if isinstance(key, str) and key:
        return key
    offset = zone.utcoffset(at.replace(tzinfo=None))
    if offset is None or offset == timedelta(0):
        return "UTC"
    hours, rest = divmod(offset, timedelta(hours=1))
    if rest or not -12 <= hours <= 14:
        raise ValidationError(f"the time zone {zone.tzname(at.replace(tzinfo=None)) or offset} "
                              "has no IANA name to give Day One; name it: journal export "
                              "--format dayone --timezone NAME (for example Asia/Kolkata)")
    return f"Etc/GMT{-hours:+d}"


def render_zip(entries: list[Entry], zone: tzinfo = UTC) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(JOURNAL_NAME, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        archive.writestr(info, render_json(entries, zone))
    return buffer.getvalue()


def render_json(entries: list[Entry], zone: tzinfo = UTC) -> str:
    document = {"metadata": {"version": "1.0"},
                "entries": [entry_dict(e, zone)
                            for e in sorted(entries, key=lambda e: (e.date, e.id))]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _local(when: datetime, zone: tzinfo) -> datetime:
    """`when` as an aware local time: its own zone if it has one, else `zone`."""
    return when if when.tzinfo is not None else when.replace(tzinfo=zone)


def _skipped_hour(written: datetime) -> tzinfo | None:
    """For a local time the clocks skipped (02:30 on the night they go forward): the fixed
    offset in force just before the switch, so the instant is the one Day One itself stores
    for it (02:30 before the switch is 03:30 after it) and the entry still reads 02:30 in
    its zone (`Etc/GMT+5` for New York). None for every time that exists."""
    instant = written.astimezone(UTC)
    if instant.astimezone(written.tzinfo).replace(tzinfo=None) == written.replace(tzinfo=None):
        return None
    offset = written.utcoffset()  # zoneinfo, fold 0: the offset before the switch
    if offset is None or offset % timedelta(hours=1):
        return None  # no IANA name for it: the zone's own (it reads an hour later)
    return timezone(offset)


def entry_dict(entry: Entry, zone: tzinfo = UTC) -> dict[str, Any]:
    written = entry.written_at if entry.written_at and entry.written_at.date() == entry.date \
        else datetime.combine(entry.date, time(12, 0))
    written = _local(written, zone)
    own = _skipped_hour(written) or written.tzinfo or zone  # its own zone, else the one given
    modified = max(_local(entry.updated_at, own) if entry.updated_at else written, written)
    try:
        ident = uuid.UUID(entry.id).hex.upper()
    except ValueError:
        ident = uuid.uuid5(uuid.NAMESPACE_URL, entry.id).hex.upper()
    return {
        "uuid": ident,
        "creationDate": written.astimezone(UTC).strftime(_STAMP),
        "modifiedDate": modified.astimezone(UTC).strftime(_STAMP),
        "timeZone": zone_name(own, written),
        "starred": False,
        "isPinned": False,
        "isAllDay": False,
        "creationDevice": "journal",
        "duration": 0,
        "editingTime": 0,
        "tags": sorted(entry.all_tags),
        "text": day_text(entry),
    }
