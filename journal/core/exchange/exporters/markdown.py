"""Export to a folder of Markdown files, one per day, readable in Obsidian and any editor.

Each file is `YYYY-MM-DD.md`: front matter between `---` lines, then the entry's body.
Front matter values are JSON (a subset of YAML, so Obsidian and YAML tools read them);
lists are written one item per line (`  - "a walk"`), each moment as one JSON object:

    ---
    date: 2026-11-20
    id: "9b0c..."
    written_at: "2026-11-20T21:30:00"
    sleep: 6
    good_things:
      - "Lunch outside"
    moments:
      - {"id": "...", "kind": "contagion", "intensity": 6, "context": "work", ...}
    ---
    The body, exactly as written.

Empty values are left out. `journal.core.exchange.importers.markdown` reads these files back to the
same entries. Everything written here is PLAINTEXT: files are created 0600 in a 0700 folder,
and the caller warns the user where the plaintext now lives.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path
from typing import Any

from journal.core.errors import StorageError, ValidationError
from journal.core.exchange import format_v1 as exchange
from journal.core.exchange.exporters import create_private_file
from journal.core.model.entries import Entry
from journal.core.store.private_dirs import make_private_dirs

_SIMPLE_KEY = re.compile(r"[A-Za-z_][\w.-]*")


def write(entries: list[Entry], out_dir: Path, *, replace: bool = False) -> list[Path]:
    """One `YYYY-MM-DD.md` per entry in `out_dir` (created 0700; it must be new or empty).

    `replace` is accepted for the registry's signature but never overwrites: an existing,
    non-empty folder is refused."""
    out_dir = Path(out_dir)
    _prepare(out_dir)
    ordered = sorted(entries, key=lambda e: (e.date, e.id))
    days = [e.date for e in ordered]
    if len(set(days)) != len(days):
        twice = sorted({d for d in days if days.count(d) > 1})[0]
        raise ValidationError(f"two entries for {twice}: one file per day needs one entry")
    written: list[Path] = []
    try:
        for entry in ordered:
            data = render(entry).encode("utf-8")
            written.append(create_private_file(out_dir / f"{entry.date.isoformat()}.md", data))
    except BaseException:
        for path in written:  # no half export: remove what this call wrote
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    return written


def _prepare(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise ValidationError(f"{out_dir} is a file; the Markdown export needs a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        raise ValidationError(f"{out_dir} is not empty; export Markdown into a new or empty "
                              "folder (nothing is overwritten)")
    try:
        make_private_dirs(out_dir)
        os.chmod(out_dir, 0o700)
    except OSError as exc:
        raise StorageError(f"cannot create {out_dir}: {exc.strerror}") from None


def render(entry: Entry) -> str:
    """The whole file for one entry: front matter, then the body and one final newline."""
    data = exchange.entry_dict(entry)
    lines = ["---", f"date: {data.pop('date')}"]
    for key, value in data.items():
        if key == "body" or value is None or value == [] or value == {}:
            continue
        lines.extend(_field(key, value))
    lines.append("---")
    return "\n".join(lines) + "\n" + entry.body + "\n"


def _field(key: str, value: Any) -> list[str]:
    if not _SIMPLE_KEY.fullmatch(key):
        key = _json(key)  # an unusual extra key: quoted, still valid YAML
    if isinstance(value, list):
        return [f"{key}:", *(f"  - {_json(item)}" for item in value)]
    return [f"{key}: {_json(value)}"]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)
