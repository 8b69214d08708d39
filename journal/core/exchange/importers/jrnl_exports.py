"""Read what jrnl 4.6 exports (`jrnl --export json|markdown|yaml`), as jrnl wrote it.

* json: `{"tags": {...}, "entries": [{"title", "body", "date", "time", "tags", "starred"}]}`.
* markdown, one file: `# YYYY`, `## Month`, then per entry `### <date time> <title>`, a blank
  line and the body, whose headings jrnl deepened by `###` (undone here).
* markdown, a folder (`-o DIR`): one `YYYY-MM-DD_<slug>.md` per entry, `# <date time> <title>`,
  body headings deepened by `#`.
* yaml, a folder: one `YYYY-MM-DD_<slug>.md` per entry: `---`, `title:`, `date:`,
  `starred:`, `tags: a, b`, `body: |` and the body indented by a tab, `...`. jrnl drops
  lines holding only tags from this body: tags it lists that the text lacks come back on a
  `Tags:` line.

Each entry then maps as jrnl text does (`jrnl_text.make_piece`: `@tag` -> `#tag`, a star ->
`#starred`), one Entry per day. Dates are read with the journal's `timeformat` (jrnl's
default "%Y-%m-%d %H:%M" when not given). Not a format of its own: `jrnl` hands these here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from journal.core.errors import ValidationError
from journal.core.exchange.importers import entries_stream, jrnl_text
from journal.core.exchange.importers._shared import (
    Piece,
    decode_text,
    entries_list,
    fold_days,
    read_bytes,
    tag_line,
)
from journal.core.exchange.importers.folded import open_folded
from journal.core.exchange.importers.source import HeldSource, Source
from journal.core.model.entries import Entry

#: `read_bytes`' limit: a larger export is refused by the whole read.
_MAX_FILE = 512 * 1024 * 1024
_FILE_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}_.*\.md$")
_YEAR = re.compile(r"^# \d{4}$")
_MONTH = re.compile(r"^## [A-Z][a-z]+$")
#: jrnl's tag rule (Entry.tag_regex with tagsymbols "#@").
_JRNL_TAG = re.compile(r"(?<!\S)([#@][-+*#/\w]+)")


def kind(path: Path) -> str:
    """"json", "markdown", "markdown-folder", "yaml-folder", or "" (not a jrnl export).

    Only jrnl's fingerprints count, so that an Obsidian folder is never taken for one: a
    jrnl Markdown entry ends with a line holding one space, a yaml one with `...` after a
    `body: |` block."""
    path = Path(path)
    try:
        if path.is_dir():
            files = sorted(p for p in path.glob("*.md") if p.is_file())
            if not files or not all(_FILE_NAME.match(p.name) for p in files):
                return ""
            text = _tail_and_head(files[0])
            if text[0].startswith("---\ntitle: ") and "\nbody: |" in text[0] \
                    and text[1].rstrip().endswith("\n..."):
                return "yaml-folder"
            if re.match(r"# \d", text[0]) and text[1].endswith("\n "):
                return "markdown-folder"
            return ""
        if not path.is_file():
            return ""
        head, tail = _tail_and_head(path)
    except OSError:
        return ""
    head = head.lstrip("\ufeff")
    if head.lstrip().startswith("{"):
        squeezed = re.sub(r"\s+", "", head)
        if squeezed.startswith(('{"tags":', '{"entries":')) and '"title":' in squeezed \
                and '"time":' in squeezed and '"creationDate"' not in squeezed:
            return "json"
        return ""
    lines = head.split("\n")
    if path.suffix.lower() == ".md" and _YEAR.match(lines[0]) and tail.endswith("\n ") and any(
            line.startswith("### ") for line in lines):
        return "markdown"
    return ""


def _tail_and_head(path: Path) -> tuple[str, str]:
    """The first and the last 4 KiB of a file, as text."""
    with path.open("rb") as handle:
        head = handle.read(4096)
        size = handle.seek(0, 2)
        handle.seek(max(0, size - 4096))
        tail = handle.read(4096)
    return head.decode("utf-8", "replace"), tail.decode("utf-8", "replace")


def detect(path: Path) -> bool:
    return bool(kind(path))


def read(path: Path, timeformat: str | None = None) -> list[Entry]:
    path = Path(path)
    found = kind(path)
    if found == "json":
        pieces = _json_pieces(path, timeformat)
    elif found == "markdown":
        pieces = _markdown_pieces(path, decode_text(read_bytes(path), path), "###", timeformat)
    elif found in ("markdown-folder", "yaml-folder"):
        pieces = []
        for file in sorted(p for p in path.glob("*.md") if p.is_file()):
            text = decode_text(read_bytes(file), file)
            pieces.extend(_yaml_pieces(file, text, timeformat) if found == "yaml-folder"
                          else _markdown_pieces(file, text, "#", timeformat))
    else:
        raise ValidationError(f"{path}: not a jrnl export (json, markdown or yaml)")
    return fold_days("jrnl", pieces)


def _when(value: str, timeformat: str | None, where: str) -> datetime:
    when = jrnl_text.read_date(value.strip(), timeformat, where) if value.strip() else None
    if when is None:
        raise ValidationError(f"{where}: '{value[:40]}' is not a date jrnl can read")
    return when


def _piece(when: datetime, title: str, body: str, starred: bool, tags: list[str],
           source: str) -> Piece:
    raw = f"{title}\n{body}" if body.strip() else title
    piece = jrnl_text.make_piece(when, raw, starred)
    present = {t[1:].lower() for t in _JRNL_TAG.findall(f"{title}\n{body}")}
    lost = [t for t in tags if t.lstrip("#@").lower() not in present]
    line = tag_line(lost)
    if line:
        piece.text = f"{piece.text}\n\n{line}"
    piece.source_key = source
    return piece


def _json_pieces(path: Path, timeformat: str | None) -> list[Piece]:
    items = entries_list(decode_text(read_bytes(path), path), str(path), "a jrnl export")
    return [_json_piece(item, index, f"{path}, entry {index}")
            for index, item in enumerate(items)]


def _json_piece(item: Any, index: int, where: str) -> Piece:
    if not isinstance(item, dict):
        raise ValidationError(f"{where}: must be an object")
    fields = {k: item.get(k, "") for k in ("title", "body", "date", "time")}
    for name, value in fields.items():
        if not isinstance(value, str):
            raise ValidationError(f"{where}: field '{name}' must be text")
    tags = item.get("tags", []) or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValidationError(f"{where}: field 'tags' must be a list of text")
    starred = item.get("starred", False)
    if not isinstance(starred, bool):
        raise ValidationError(f"{where}: field 'starred' must be true or false")
    try:
        when = datetime.strptime(f"{fields['date']} {fields['time']}", "%Y-%m-%d %H:%M")
    except ValueError:
        raise ValidationError(f"{where}: 'date' and 'time' must be YYYY-MM-DD and HH:MM") \
            from None
    return _piece(when, fields["title"], fields["body"], starred, tags,
                  f"{index}|{json.dumps(item, sort_keys=True)}")


def open_json(path: Path, again: bool = False,
              progress: Callable[[int], None] | None = None) -> Source:
    """jrnl's json export read as a stream, entry by entry (`entries_stream`): the same
    entries and errors as `read`, without holding them all."""
    path = Path(path)

    def whole() -> Source:
        return HeldSource(read(path), keep=again)

    try:
        too_large = path.stat().st_size > _MAX_FILE
    except OSError:
        return whole()
    if too_large:
        return whole()
    return entries_stream.open_stream("jrnl", path, [("", entries_stream.file_opener(path))],
                                      _json_piece, whole, progress)


def _split_header(rest: str, timeformat: str | None, where: str) -> tuple[datetime, str]:
    """`<date time> <title>`: the date as long as the timeformat writes it."""
    fmt = timeformat or jrnl_text.DEFAULT_TIMEFORMAT
    length = len(datetime(2000, 10, 10, 10, 10, 10).strftime(fmt))
    return _when(rest[:length], fmt, where), rest[length + 1:]


def _markdown_pieces(path: Path, text: str, marks: str, timeformat: str | None) -> list[Piece]:
    starts = _markdown_starts(path, text, marks, timeformat)
    return [_markdown_piece_at(path, text, starts, index, marks)
            for index in range(len(starts))]


def _markdown_starts(path: Path, text: str, marks: str,
                     timeformat: str | None) -> list[tuple[int, int, datetime, str]]:
    """Each entry heading of a jrnl markdown export: where its line starts, its line
    number, its date and its title, every heading checked (the first problem raises)."""
    starts: list[tuple[int, int, datetime, str]] = []
    for line_no, (begin, line) in enumerate(jrnl_text.lines_of(text), start=1):
        if line.startswith(f"{marks} ") and not line.startswith(f"{marks}#"):
            when, title = _split_header(line[len(marks) + 1:], timeformat,
                                        f"{path}, line {line_no}")
            starts.append((begin, line_no, when, title))
        elif not starts and line.strip() and not (_YEAR.match(line) or _MONTH.match(line)):
            raise ValidationError(f"{path}, line {line_no}: text before the first entry "
                                  f"heading ('{marks} <date> <title>')")
    return starts


def _markdown_piece_at(path: Path, text: str, starts: list[tuple[int, int, datetime, str]],
                       index: int, marks: str) -> Piece:
    """The `index`-th entry of the export whose `_markdown_starts` these are."""
    begin, line_no, when, title = starts[index]
    end = starts[index + 1][0] - 1 if index + 1 < len(starts) else len(text)
    _, *body_lines = text[begin:end].split("\n")
    deepened = re.compile(rf"^{re.escape(marks)}#+ ")
    lines = [line[len(marks):] if deepened.match(line) else line  # jrnl deepened them
             for line in body_lines]
    while lines and (not lines[-1].strip() or _YEAR.match(lines[-1]) or _MONTH.match(lines[-1])):
        lines.pop()
    body = "\n".join(lines).strip("\n")
    return _piece(when, title, body, False, [], f"{path.name}|{line_no}|{body}")


def open_markdown(path: Path, timeformat: str | None = None, again: bool = False,
                  progress: Callable[[int], None] | None = None) -> Source:
    """jrnl's markdown export (one file) checked whole and held as its text, its days
    folded again as they are written (`folded`), as jrnl's own text is."""
    path = Path(path)
    text = decode_text(read_bytes(path), path)
    starts = _markdown_starts(path, text, "###", timeformat)
    return open_folded("jrnl", [when for _, _, when, _ in starts],
                       lambda index: _markdown_piece_at(path, text, starts, index, "###"),
                       again=again, progress=progress)


def _yaml_pieces(path: Path, text: str, timeformat: str | None) -> list[Piece]:
    lines = text.split("\n")
    fields: dict[str, Any] = {}
    body: list[str] = []
    index = 1
    while index < len(lines) and not lines[index].startswith("body: |"):
        key, sep, value = lines[index].partition(": ")
        if sep and not key.startswith(" "):
            fields[key] = value
        index += 1
    if index >= len(lines):
        raise ValidationError(f"{path}: a jrnl yaml export without 'body: |'")
    for line in lines[index + 1:]:
        if line == "...":
            break
        body.append(line[1:] if line.startswith("\t") else line)
    if "date" not in fields:
        raise ValidationError(f"{path}, line 3: a jrnl yaml export without 'date:'")
    when = _when(fields["date"], timeformat, f"{path}, field 'date'")
    tags = [t.strip() for t in str(fields.get("tags", "")).split(",") if t.strip()]
    starred = fields.get("starred", "False").strip() == "True"
    title = fields.get("title", "")
    body_text = "\n".join(body).strip("\n")
    return [_piece(when, title, body_text, starred, [f"#{t}" for t in tags],
                   f"{path.name}|{text}")]
