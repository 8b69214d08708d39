"""jrnl's plain text, read as jrnl 4.6 reads it (Journal._parse, jrnl.time.parse): the
entries of a journal, its dates, and jrnl 1.x's text (LegacyJournal).

Each entry starts with `[<date>] Title` at the start of a line, body lines follow, a blank
line separates entries; a title ending in `*` is starred. A date is read first with the
journal's `timeformat` (an option; by default jrnl's "%Y-%m-%d %H:%M" and "%F %r"), then as
dateutil reads it with jrnl's defaults (a missing day is the 1st, a missing time 00:00:
`[2019-07 14:23]` is 2019-07-01 14:23). A bracket of at most 6 characters (`[1]`, a
footnote) or without any digit (`[link]`) is body text, as in jrnl. Anything else in brackets
at the start of a line that is not a date with a year is refused with its line number: jrnl
would guess it from today's date, or glue the entry onto the one before.

jrnl 1.x text (`YYYY-MM-DD HH:MM Title` lines, no brackets) is read as jrnl's upgrade reads
it: a bracketed line inside it is body text. A body line that jrnl indents by one space so
that it is not read as an entry (` [2019-08-03 12:55] text`) loses that space.

Not an import format itself: `jrnl` (the format: files, folders, encryption) and
`jrnl_exports` read through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from journal.core.errors import ValidationError
from journal.core.exchange.importers._shared import Piece, fold_days
from journal.core.model.entries import Entry

ENTRY_START = re.compile(r"(?:^|\n)\[([^\]\n]+)\](?: |(?=\n)|$)")
DATE_LIKE = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?)?$"
)
_FORMATS = (
    "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %I:%M %p",
    "%Y-%m-%d %I:%M:%S%p", "%Y-%m-%d %I:%M%p", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
)
#: jrnl's tag pattern (Entry.tag_regex) with its default tagsymbols "#@"; we rewrite only @.
_AT_TAG = re.compile(r"(?<!\S)@(?=[-+*#/\w])")
LEGACY_START = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2})(?: (.*))?$")
_ESCAPED_DATE = re.compile(r"^ (\[\d[^\]\n]*\] )")
#: jrnl's Journal default timeformat; "%F %r" (its default config) is tried as well.
DEFAULT_TIMEFORMAT = "%Y-%m-%d %H:%M"
#: jrnl.time: dateutil fills what a date leaves out from 9999-01-01 00:00; the year 9999
#: means "no year", which jrnl replaces by the current year (so we refuse it).
_NO_YEAR = datetime(9999, 1, 1)

def text_place(path: Path, kind: str = "") -> str:
    """How errors name a journal's text: the file, and what it was (`jrnl v3`)."""
    return f"{path} ({kind})" if kind else str(path)


def text_pieces(text: str, where: str, timeformat: str | None = None) -> list[Piece]:
    text = text.replace("\r\n", "\n")
    starts = header_starts(text, where, timeformat)
    return [piece_at(text, starts, index) for index in range(len(starts))]


def header_starts(text: str, where: str,
                  timeformat: str | None = None) -> list[tuple[int, int, datetime]]:
    """Where each entry of jrnl text (LF line ends) starts, where its text starts, and its
    date, every header checked: the first problem raises, naming its line."""
    starts: list[tuple[int, int, datetime]] = []
    line_no, counted = 1, 0  # lines counted on from the last header: counting each from
    for match in ENTRY_START.finditer(text):  # the start was quadratic (50,000: minutes)
        blob = match.group(1)
        line_no += text.count("\n", counted, match.start(1))
        counted = match.start(1)
        when = read_date(blob, timeformat, where, line_no)
        if when is None:
            continue  # a bracketed word in the body, as jrnl would leave it
        starts.append((match.start(1) - 1, match.end(), when))
    if not starts:
        if text.strip():
            raise ValidationError(f"{where}: no jrnl entries found (expected lines like "
                                  "'[2026-11-20 08:15] Title')")
        return []
    if text[: starts[0][0]].strip():
        raise ValidationError(f"{where}, line 1: text before the first '[date] Title' line")
    return starts


def piece_at(text: str, starts: list[tuple[int, int, datetime]], index: int) -> Piece:
    """The `index`-th entry of the text whose `header_starts` these are."""
    _start, body_start, when = starts[index]
    end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
    return make_piece(when, text[body_start:end])


def read_date(blob: str, timeformat: str | None, where: str,
              line_no: int | None = None) -> datetime | None:
    """The date of a `[blob] ` entry header as jrnl reads it; None if jrnl keeps it as body
    text; ValidationError (with the line) for a header jrnl would misfile."""
    for fmt in (timeformat or DEFAULT_TIMEFORMAT, "%Y-%m-%d %I:%M:%S %p", *_FORMATS):
        try:
            return datetime.strptime(blob, fmt)
        except ValueError:
            continue
    if len(blob) <= 6 or not any(ch.isdigit() for ch in blob):
        return None  # jrnl: "probably a markdown footnote"; or a word such as [link]
    when = _dateutil(blob)
    if when is None:
        place = f"{where}, line {line_no}" if line_no else where
        raise ValidationError(f"{place}: '{blob[:40]}' is not a real date and time that jrnl "
                              "can read (jrnl would glue this entry onto the one before, or "
                              "file it under today)")
    return when


def _dateutil(blob: str) -> datetime | None:
    from dateutil.parser import ParserError  # jrnl's own date reader
    from dateutil.parser import parse as dateparse

    try:
        when = dateparse(blob, default=_NO_YEAR)
    except (ParserError, ValueError, OverflowError, TypeError, LookupError):
        return None
    if when.year == _NO_YEAR.year:
        return None  # jrnl would take the current year
    return when.replace(tzinfo=None, microsecond=0)


def legacy_when(line: str, timeformat: str) -> datetime | None:
    """jrnl 1.x: the line starts with a date in `timeformat` (as long as one it writes)."""
    length = len(datetime(2000, 10, 10, 10, 10, 10).strftime(timeformat))
    try:
        return datetime.strptime(line[:length], timeformat)
    except ValueError:
        return None


def make_piece(when: datetime, raw: str, starred: bool = False) -> Piece:
    """One jrnl entry's text (title line, body) as jrnl reads it: a trailing `*` stars it."""
    lines = raw.strip("\n").split("\n")
    title = lines[0].rstrip()
    if title.endswith("*"):  # jrnl: a title ending in * is starred
        starred = True
        title = title.rstrip("* ").rstrip()
    if starred:
        title = f"{title} #starred".strip()
    # ` [2019-08-03 12:55] text`: a body line jrnl (and our jrnl export) indents by one
    # space so that it is not read as a new entry; the space is not the writer's
    body = "\n".join(_ESCAPED_DATE.sub(r"\1", line.rstrip())
                     for line in lines[1:]).rstrip("\n")
    text = _AT_TAG.sub("#", f"{title}\n{body}" if body else title)
    return Piece(when=when, text=text, source_key=raw)


def parse_legacy(text: str, path: Path, kind: str = "jrnl v1",
                 timeformat: str | None = None) -> list[Entry]:
    """jrnl 1.x text: `YYYY-MM-DD HH:MM Title` lines, no brackets (jrnl's LegacyJournal)."""
    text = text.replace("\r\n", "\n")
    starts = legacy_starts(text, path, kind, timeformat)
    return fold_days("jrnl", [legacy_piece_at(text, starts, index, timeformat)
                              for index in range(len(starts))])


def legacy_starts(text: str, path: Path, kind: str = "jrnl v1",
                  timeformat: str | None = None) -> list[tuple[int, int, datetime]]:
    """Where each entry of jrnl 1.x text (LF line ends) starts, where its header line ends,
    and its date, every line checked: the first problem raises, naming its line."""
    timeformat = timeformat or DEFAULT_TIMEFORMAT
    starts: list[tuple[int, int, datetime]] = []
    for line_no, (begin, line) in enumerate(lines_of(text), start=1):
        offset = begin + len(line) + 1
        line = line.rstrip()
        new_when = legacy_when(line, timeformat)
        if new_when is None and LEGACY_START.match(line) and timeformat == DEFAULT_TIMEFORMAT:
            raise ValidationError(f"{path} ({kind}), line {line_no}: '{line[:16]}' is not a "
                                  "real date and time")
        if new_when is not None:
            starts.append((begin, offset - 1, new_when))
        elif not starts and line.strip():
            raise ValidationError(f"{path} ({kind}), line {line_no}: text before the first "
                                  "entry")
    return starts


def lines_of(text: str) -> Iterator[tuple[int, str]]:
    """Each line of the text and where it starts, as `text.split("\n")` gives them, one at a
    time (a journal's lines as a list cost about its size again)."""
    begin, size = 0, len(text)
    while True:
        end = text.find("\n", begin)
        if end < 0:
            yield begin, text[begin:size]
            return
        yield begin, text[begin:end]
        begin = end + 1


def legacy_piece_at(text: str, starts: list[tuple[int, int, datetime]], index: int,
                    timeformat: str | None = None) -> Piece:
    """The `index`-th entry of jrnl 1.x text whose `legacy_starts` these are: its header
    line's title and the lines up to the next header, as jrnl's upgrade reads them."""
    length = len(datetime(2000, 10, 10, 10, 10, 10).strftime(timeformat or DEFAULT_TIMEFORMAT))
    begin, _, when = starts[index]
    end = starts[index + 1][0] - 1 if index + 1 < len(starts) else len(text)
    header, *body = text[begin:end].split("\n")
    lines = [header.rstrip()[length + 1:]]
    for line in body:
        line = line.rstrip()
        lines.append(f" {line}" if re.match(r"^\[[^\]]+\]", line) else line)
    return make_piece(when, "\n".join(lines))
