"""The JSON exchange format, version 1 (docs/format.md): `journal export --format json`,
`journal import`, and `--json` output of list / search / show.

    {"format": "journal-export", "version": 1, "entries": [ {entry}, ... ]}

`dump` is deterministic: entries sorted by (date, id), keys in a fixed order, unknown
("extra") keys after the known ones in sorted order. So export -> import into a fresh vault
-> export gives byte-identical text. `updated_at` is vault bookkeeping (it changes on every
save) and is not exported; `written_at` is.

`load` validates the whole document before returning anything (`importers.export_stream` does
the same reading the file as a stream, for large exports): the first problem raises a
ValidationError naming the entry (its index in `entries`, counted from 0 as in jq's
`.entries[3]`, and its date) and the field, e.g.
`entry 3 (2024-02-30), field 'date': '2024-02-30' is not a real date (YYYY-MM-DD)`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from journal.core.errors import ValidationError
from journal.core.model.entries import Entry, Moment

FORMAT = "journal-export"
VERSION = 1

ENTRY_KEYS = ("id", "date", "written_at", "body", "sleep", "energy", "recovery",
              "good_things", "moments")
MOMENT_KEYS = ("id", "kind", "intensity", "context", "time", "tags", "people", "feelings",
               "action", "note")
#: Known keys written only when set (issue 17), after the keys above: a practice on a
#: moment, a safety check-in on an entry.
MOMENT_OPTIONAL = ("practice",)
ENTRY_OPTIONAL = ("check_in",)
#: Keys the model owns but the exchange format leaves out (vault bookkeeping).
NOT_EXPORTED = ("updated_at",)


# -- writing ----------------------------------------------------------------------------------
def moment_dict(moment: Moment) -> dict[str, Any]:
    data = moment.to_dict()
    out = {key: data[key] for key in MOMENT_KEYS}
    out.update((key, data[key]) for key in MOMENT_OPTIONAL if key in data)
    out.update((key, _canonical(data[key])) for key in sorted(data) if key not in out)
    return out


def entry_dict(entry: Entry) -> dict[str, Any]:
    """One entry in the exchange shape, keys in the documented order."""
    data = entry.to_dict()
    out: dict[str, Any] = {key: data[key] for key in ENTRY_KEYS if key != "moments"}
    out["moments"] = [moment_dict(m) for m in entry.moments]
    out.update((key, data[key]) for key in ENTRY_OPTIONAL if key in data)
    out.update((key, _canonical(data[key])) for key in sorted(data)
               if key not in out and key not in NOT_EXPORTED)
    return out


def document(entry_dicts: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "entries": entry_dicts}


def dump(entries: Iterable[Entry]) -> dict[str, Any]:
    """The whole exchange document, entries sorted by date (then id)."""
    ordered = sorted(entries, key=lambda e: (e.date, e.id))
    return document([entry_dict(e) for e in ordered])


_RAW_C1 = re.compile("[\x7f-\x9f]")


def to_text(data: Any) -> str:
    """The one JSON rendering used everywhere: 2-space indent, UTF-8 kept, final newline.
    DEL and C1 controls (which json leaves raw with ensure_ascii=False) are written as
    \\u escapes: the same JSON data, and nothing a terminal would obey."""
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return _RAW_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def to_json_text(entries: Iterable[Entry]) -> str:
    return to_text(dump(entries))


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _canonical(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


# -- reading ----------------------------------------------------------------------------------
def parse_text(text: str, source: str = "the file") -> Any:
    """JSON text -> Python data, refusing NaN/Infinity and duplicate keys, with a clear error."""
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise ValidationError(f"{source} is nested too deeply to be an export") from None


def _no_constant(name: str) -> Any:
    raise ValidationError(f"JSON value {name} is not allowed (numbers must be finite)")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValidationError(f"the key '{key[:40]}' appears twice in one object")
        out[key] = value
    return out


def load(data: Any, *, consume: bool = False) -> list[Entry]:
    """Validate a whole exchange document (already parsed) and return its entries, in file
    order. Nothing is returned unless every entry is valid. `consume`: drop each parsed
    entry from `data` once it is an Entry, so a large document is not held twice."""
    if not isinstance(data, dict):
        raise ValidationError(NOT_OBJECT)
    check_head(data.get("format"), data.get("version"))
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list):
        raise ValidationError("'entries' must be a list")
    entries: list[Entry] = []
    ids: dict[str, str] = {}
    for index, raw in enumerate(raw_entries):
        entries.append(validated(index, raw, ids))
        if consume:
            raw_entries[index] = None
    return entries


NOT_OBJECT = "the top level must be an object with 'format', 'version' and 'entries'"


def check_head(fmt: Any, version: Any) -> None:
    if fmt != FORMAT:
        raise ValidationError(f"'format' must be \"{FORMAT}\" (this is not a journal export)")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError("'version' must be the number 1")
    if version > VERSION:
        raise ValidationError(f"this export is format version {version}; this program reads "
                              f"version {VERSION}: upgrade journal to import it")
    if version != VERSION:
        raise ValidationError(f"'version' must be {VERSION}, not {version}")


def validated(index: int, raw: Any, ids: dict[str, str]) -> Entry:
    """Entry `index` of a document, checked on its own and against the ids before it."""
    where = where_of(index, raw)
    entry = Entry.from_dict(raw, where=where)
    if entry.id in ids:
        raise ValidationError(f"the id {entry.id} is used again ({ids[entry.id]} has it)",
                              where=where, field="id")
    ids[entry.id] = where
    moment_ids: dict[str, str] = {}  # unique within an entry (merging relies on it)
    for m_index, moment in enumerate(entry.moments):
        m_where = f"{where} moment {m_index}"
        if moment.id in moment_ids:
            raise ValidationError(f"the id {moment.id} is used again "
                                  f"({moment_ids[moment.id]} has it)",
                                  where=m_where, field="id")
        moment_ids[moment.id] = m_where
    return entry


def loads(text: str, source: str = "the file") -> list[Entry]:
    return load(parse_text(text, source))


def where_of(index: int, raw: Any) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("date"), str):
        shown = "".join(c for c in raw["date"][:20] if c.isprintable() and c not in "()")
        return f"entry {index} ({shown})"
    return f"entry {index}"
