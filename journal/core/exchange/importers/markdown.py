"""Import a folder of Markdown files, one per day (our own Markdown export, Obsidian daily
notes, any editor), or a single such file.

A file's day is its front matter `date:` or, without one, a `YYYY-MM-DD` at the start of its
name. Front matter is optional: lines between a first line `---` and the next `---`. It is
read as the simple YAML our exporter writes: `key: value` and `key:` followed by `  - item`
lines, where values are JSON (quoted strings, numbers, lists, objects, null) or bare words
(`date: 2026-11-20`, `title: A day`, `tags: [work, rest]`). Our keys (date, id, written_at,
sleep, energy, recovery, good_things, moments) fill the entry; `tags` become a
`Tags: #a #b` line in the body; any other key is kept with the entry. Hidden folders such as
`.obsidian` are skipped. Several files for one day become `## <file name>` sections.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from journal.core.errors import ValidationError
from journal.core.exchange.importers._shared import (
    Passphrase,
    decode_text,
    entry_id,
    read_bytes,
    tag_line,
)
from journal.core.model.entries import Entry

_NAME_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?!\d)")
_KEY_LINE = re.compile(r'^("(?:[^"\\]|\\.)*"|[A-Za-z_][\w.-]*)\s*:(?:\s+(.*?))?\s*$')
_ITEM_LINE = re.compile(r"^\s+-\s+(.*?)\s*$|^\s*-\s*$")
_MAX_FILES = 100_000


def detect(path: Path) -> bool:
    path = Path(path)
    try:
        if path.is_file():
            return path.suffix.lower() in (".md", ".markdown")
        if path.is_dir():
            return next(iter(_files(path, limit=1)), None) is not None
    except OSError:
        return False
    return False


def read(path: Path, source_passphrase: Passphrase = None) -> list[Entry]:
    path = Path(path)
    from journal.core.exchange.importers import jrnl_exports

    if jrnl_exports.detect(path):  # jrnl's markdown/yaml export: its headings, tags, times
        return jrnl_exports.read(path)
    if path.is_dir():
        files = _files(path)
        if not files:
            raise ValidationError(f"{path}: no Markdown (.md) files in this folder")
    elif path.is_file():
        files = [path]
    else:
        raise ValidationError(f"{path} does not exist")
    by_day: dict[date, list[tuple[Path, Entry]]] = {}
    for file in files:
        entry = parse_file(file, decode_text(read_bytes(file), file))
        by_day.setdefault(entry.date, []).append((file, entry))
    entries = [_fold(day, by_day[day]) for day in sorted(by_day)]
    seen: dict[str, Path] = {}
    for entry in entries:
        file = by_day[entry.date][0][0]
        if entry.id in seen:  # e.g. an exported file copied as a template for another day
            raise ValidationError(f"{file}: has the same id as {seen[entry.id]}; remove the "
                                  "'id:' line from one of them")
        seen[entry.id] = file
    return entries


def _files(folder: Path, limit: int = _MAX_FILES) -> list[Path]:
    found: list[Path] = []
    for file in sorted(folder.rglob("*")):
        rel = file.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if file.suffix.lower() in (".md", ".markdown") and file.is_file():
            found.append(file)
            if len(found) >= limit:
                break
    return found


def parse_file(path: Path, text: str) -> Entry:
    """One Markdown file -> one Entry (validated like the exchange format)."""
    meta, body, body_line = split_front_matter(text, path)
    raw_tags = meta.pop("tags", None)
    if raw_tags is not None:
        if isinstance(raw_tags, str):
            raw_tags = [t for t in re.split(r"[,\s]+", raw_tags) if t]
        if not isinstance(raw_tags, list) or not all(isinstance(t, str) for t in raw_tags):
            raise ValidationError(f"{path}, front matter field 'tags': must be a list of text")
        line = tag_line(raw_tags)
        if line:
            body = f"{body.rstrip(chr(10))}\n\n{line}" if body.strip() else line
    meta.pop("updated_at", None)  # vault bookkeeping, set when saved
    if "date" not in meta or meta["date"] in (None, ""):
        match = _NAME_DATE.match(path.name)
        if not match:
            raise ValidationError(f"{path}: no date (name the file YYYY-MM-DD.md or add "
                                  "'date: YYYY-MM-DD' front matter)")
        meta["date"] = match.group(1)
    elif isinstance(meta["date"], str) and re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d", meta["date"]):
        meta["date"] = meta["date"][:10]  # a date-time: its day
    if meta.get("id") and not _is_uuid(meta["id"]):
        meta["source_id"] = meta.pop("id")  # someone else's note id: kept, not ours
    if not meta.get("id"):
        meta["id"] = entry_id("markdown", _day(meta["date"], path), [path.name, text])
    meta["body"] = body
    return Entry.from_dict(meta, where=str(path))


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _day(value: Any, path: Path) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"{path}, field 'date': '{str(value)[:20]}' is not a real date "
                              "(YYYY-MM-DD)") from None


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str, int]:
    """(front matter as a dict, body, line number where the body starts)."""
    body = text[:-1] if text.endswith("\n") else text
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return {}, body, 1
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise ValidationError(f"{path}, line 1: front matter opened with '---' is never closed")
    meta = _parse_meta(lines[1:end], path)
    rest = "\n".join(lines[end + 1:])
    return meta, rest[:-1] if rest.endswith("\n") else rest, end + 2


def _parse_meta(lines: list[str], path: Path) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    key: str | None = None
    for offset, line in enumerate(lines):
        line_no = offset + 2
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM_LINE.match(line)
        if item and key is not None and (meta[key] is None or isinstance(meta[key], list)):
            if meta[key] is None:
                meta[key] = []
            meta[key].append(_value(item.group(1) or "", path, line_no))
            continue
        match = _KEY_LINE.match(line)
        if not match:
            raise ValidationError(f"{path}, line {line_no}: front matter not understood (expected "
                                  "'key: value' or '  - item')")
        key = json.loads(match.group(1)) if match.group(1).startswith('"') else match.group(1)
        if key in meta:
            raise ValidationError(f"{path}, line {line_no}: front matter key '{key}' appears "
                                  "twice")
        raw = match.group(2)
        meta[key] = None if raw in (None, "") else _value(raw, path, line_no)
    return meta


def _value(raw: str, path: Path, line_no: int) -> Any:
    raw = raw.strip()
    if raw in ("~", "null", "Null", "NULL", ""):
        return None
    if raw[:1] in "{[\"" or raw in ("true", "false") or re.fullmatch(r"-?\d+(\.\d+)?", raw):
        try:
            return json.loads(raw, parse_constant=_no_constant)
        except RecursionError:
            raise ValidationError(f"{path}, line {line_no}: front matter value is nested too "
                                  "deeply") from None
        except (json.JSONDecodeError, ValueError):
            if raw.startswith("[") and raw.endswith("]"):  # YAML flow list of bare words
                return [_bare(p) for p in raw[1:-1].split(",") if p.strip()]
            if raw[:1] in "{\"":
                raise ValidationError(f"{path}, line {line_no}: front matter value is not "
                                      "valid JSON") from None
    return _bare(raw)


def _bare(raw: str) -> str:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1]
    return raw


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _fold(day: date, items: list[tuple[Path, Entry]]) -> Entry:
    """Several files for one day: body sections under each file's name, lists joined."""
    if len(items) == 1:
        return items[0][1]
    first = items[0][1].copy()
    sections = []
    for path, entry in items:
        sections.append(f"## {path.stem}\n{entry.body.strip(chr(10))}".rstrip("\n"))
        if entry is items[0][1]:
            continue
        for name in ("sleep", "energy"):
            mine, theirs = getattr(first, name), getattr(entry, name)
            if mine is not None and theirs is not None and mine != theirs:
                raise ValidationError(f"{path}: {name} {theirs} disagrees with "
                                      f"{items[0][0].name} ({mine}) for {day}")
            setattr(first, name, mine if mine is not None else theirs)
        first.recovery += [r for r in entry.recovery if r not in first.recovery]
        first.good_things += entry.good_things
        first.moments += entry.moments
        first.extra.update({k: v for k, v in entry.extra.items() if k not in first.extra})
        stamps = [t for t in (first.written_at, entry.written_at) if t]
        first.written_at = min(stamps) if stamps else None
    first.body = "\n\n".join(sections)
    first.id = entry_id("markdown", day, [e.id for _, e in items])
    return first
