"""Export to a plain jrnl journal (jrnl 4.6 reads it: `jrnl --export json` gives back the
days, times, titles, bodies and tags).

Each day becomes one jrnl entry `[YYYY-MM-DD HH:MM] <first line>` at its `written_at` time
(00:00 without one), its body below. A day whose body is nothing but `## HH:MM Title`
sections (as an import of several entries a day folds them) becomes one jrnl entry per
section again. Moments and the check-in follow as lines (plain_day), so their tags are
jrnl tags. jrnl would take a body line starting with `[a date] ` for a new entry: such a
line is indented by one space, as jrnl itself does for jrnl 1.x journals. The file is
PLAINTEXT, created 0600.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from pathlib import Path

from journal.core.exchange.exporters import create_private_file
from journal.core.exchange.exporters.plain_day import extra_lines
from journal.core.model.entries import Entry

TIMEFORMAT = "%Y-%m-%d %H:%M"
_SECTION = re.compile(r"^## (\d{2}):(\d{2}) (\S.*)$")
_BRACKET_LINE = re.compile(r"^\[[^\]\n]+\] ", re.MULTILINE)


def write(entries: list[Entry], out: Path, *, replace: bool = False) -> list[Path]:
    data = render(entries).encode("utf-8")
    return [create_private_file(Path(out), data, replace=replace)]


def render(entries: list[Entry]) -> str:
    blocks = []
    for entry in sorted(entries, key=lambda e: (e.date, e.id)):
        for when, text in _jrnl_entries(entry):
            blocks.append(_block(when, text))
    return "\n".join(blocks)


def _jrnl_entries(entry: Entry) -> list[tuple[datetime, str]]:
    """(time, text) of each jrnl entry of one day; the extra lines go to the last one."""
    body = entry.body.strip("\n")
    sections = _sections(body)
    if sections is None:
        at = entry.written_at.time() if entry.written_at and \
            entry.written_at.date() == entry.date else time(0, 0)
        sections = [(at, body)]
    out = [(datetime.combine(entry.date, at), text) for at, text in sections]
    extra = extra_lines(entry)
    if extra:
        when, text = out[-1]
        out[-1] = (when, f"{text}\n\n" + "\n".join(extra) if text else "\n".join(extra))
    return out


def _sections(body: str) -> list[tuple[time, str]] | None:
    """The `## HH:MM Title` sections if the body is made only of them (two or more, in
    time order), else None."""
    lines = body.split("\n")
    starts = [i for i, line in enumerate(lines) if _SECTION.match(line)]
    if len(starts) < 2 or starts[0] != 0:
        return None
    out: list[tuple[time, str]] = []
    for n, start in enumerate(starts):
        match = _SECTION.match(lines[start])
        assert match is not None
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            return None
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        rest = "\n".join(lines[start + 1:end]).strip("\n")
        text = match.group(3) + (f"\n{rest}" if rest else "")
        out.append((time(hour, minute), text))
    if [t for t, _ in out] != sorted(t for t, _ in out):
        return None
    return out


def _block(when: datetime, text: str) -> str:
    title, _, rest = text.partition("\n")
    rest = _BRACKET_LINE.sub(lambda m: " " + m.group(0), rest)
    head = f"[{when.strftime(TIMEFORMAT)}] {title.rstrip()}"
    rest = rest.rstrip("\n")  # a blank line after the title stays
    return f"{head}\n{rest}\n" if rest.strip() else f"{head}\n"
