"""The `timeformat` a jrnl configuration gives one journal file: jrnl 4.6 reads
`$XDG_CONFIG_HOME/jrnl/jrnl.yaml` (or the legacy `~/.jrnl_config`), a small YAML file:

    journals:
      default:
        journal: ~/journal.txt
        timeformat: "%d.%m.%Y %H:%M"     # per journal, optional
      work: ~/work.txt                  # the short form
    timeformat: "%F %r"                 # for every journal

Only this shape is read (a line reader, no YAML library); anything else in the file is
ignored. The caller passes the candidate config paths and the user's home (for `~`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_LINE = re.compile(r"^(\s*)([^\s:#][^:]*?)\s*:(?:\s+(.*?))?\s*$")


def _scalar(raw: str | None) -> str:
    raw = (raw or "").strip()
    if " #" in raw and raw[:1] not in "'\"":
        raw = raw.split(" #", 1)[0].rstrip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        inner = raw[1:-1]
        return inner.replace("''", "'") if raw[0] == "'" else inner
    return raw


def parse(text: str) -> tuple[str, dict[str, dict[str, str]]]:
    """(top-level timeformat or "", {journal name: {"journal": path, "timeformat": ...}})."""
    top = ""
    journals: dict[str, dict[str, str]] = {}
    section = ""
    name = ""
    name_indent = -1
    for line in text.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            continue
        indent, key, value = len(match.group(1)), match.group(2).strip(), match.group(3)
        if indent == 0:
            section, name = key, ""
            if key == "timeformat":
                top = _scalar(value)
            continue
        if section != "journals":
            continue
        if name == "" or indent <= name_indent:
            name, name_indent = key, indent
            journals[name] = {"journal": _scalar(value)} if value else {}
        elif key in ("journal", "timeformat"):
            journals[name][key] = _scalar(value)
    return top, journals


def timeformat_for(journal: Path, configs: list[Path], home: Path | None = None) -> str | None:
    """The timeformat jrnl uses for the file `journal`, from the first readable config that
    names it; None if none does."""
    target = _resolved(Path(journal))
    for config in configs:
        try:
            text = Path(config).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        top, journals = parse(text)
        for settings in journals.values():
            where = settings.get("journal")
            if not where:
                continue
            path = Path(where)
            if where.startswith("~") and home is not None:
                path = home / where[1:].lstrip("/\\")
            if _resolved(path) == target:
                return settings.get("timeformat") or top or None
    return None


def _resolved(path: Path) -> str:
    try:
        return os.path.normcase(str(path.resolve()))
    except (OSError, RuntimeError):
        return str(path)
