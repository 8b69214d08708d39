"""Conflict hunks that sync left in an entry's body, and the body once each is decided.

When two machines changed the same lines of a day, the sync merge (journal.core.sync.merge)
keeps both texts between marks, each on a line of its own:

    <<<<<<< one version (merged by sync)
    what one machine wrote
    =======
    what the other machine wrote
    >>>>>>> other version

Since issue 18 each mark also says which machine wrote that side and when it was saved
there, after sync's own words (`<<<<<<< one version (merged by sync) laptop, Thu 3 Dec
21:40`, `>>>>>>> other version desktop, Fri 4 Dec 07:15`): `side_label` writes those words
(the name made one line, so it cannot end the mark's line or look like another mark),
`machine_of` reads the name back for the view. Revisions written before carry no author and
their marks keep the words alone.

Only hunks of exactly that shape are read as conflicts: the opening and closing marks with
sync's own labels (a label may carry more words after them, which are kept for display),
one `=======` between (or, where a version itself holds a `=======` line, one
`======= (merged by sync)`, the merge's DIVIDER, and the bare lines are text), at the start
of a line, outside a fenced code block. Marks a person
typed themselves (git's `<<<<<<< HEAD`, half a hunk, a hunk pasted inside a ``` fence, a
hunk whose middle is ambiguous) stay text, untouched. Pure logic: the app's conflict view
shows the hunks and writes the body back with `Conflicted.resolve`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from journal.core.textsafe import one_line

#: The marks as journal.core.sync.merge writes them (tests/core/test_conflicts.py
#: keeps the two in step), without their line ends.
OPEN = "<<<<<<< one version (merged by sync)"
MIDDLE = "======="
CLOSE = ">>>>>>> other version"
#: The middle mark the merge writes instead of MIDDLE when a version itself holds a line
#: `=======` (a Setext heading's underline, or an inner hunk's middle): it divides, and the
#: bare lines are text.
DIVIDER = "======= (merged by sync)"

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")

#: The longest name a mark shows (a longer one is cut, with an ellipsis).
NAME_MAX = 40
#: Fixed English names: a mark must read the same on every machine, whatever its locale.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
           "Dec")
_WHEN = re.compile(r"(.*), (?:" + "|".join(_DAYS) + r") \d{1,2} (?:" + "|".join(_MONTHS)
                   + r")(?: \d{4})? \d{2}:\d{2}")
#: Characters str.splitlines ends a line at that one_line leaves as they are.
_BREAKS = str.maketrans({"\u2028": " ", "\u2029": " "})


def clean_name(name: str) -> str:
    """A machine's name as a mark shows it: one line (controls escaped, every line break a
    space), trimmed, at most NAME_MAX characters."""
    text = " ".join(one_line(name).translate(_BREAKS).split())
    return text if len(text) <= NAME_MAX else text[:NAME_MAX - 1] + "\u2026"


def side_label(name: str, saved: str, year: int | None = None, tag: str = "") -> str:
    """The words a mark carries after sync's own for one side: `laptop, Thu 3 Dec 21:40`
    (the year too when it is not `year`, the day's). A function of the revision's author
    alone, the same on every machine (its own wall-clock time, English names). `tag` (the
    start of the machine's id, when two machines of one name wrote the two sides) follows
    the name: `laptop #3f9c, Thu 3 Dec 21:40`. "" when the name is empty; the name alone
    when the time does not parse."""
    shown = clean_name(name)
    if not shown:
        return ""
    if tag:
        shown += f" #{clean_name(tag)}"
    stamp = when_saved(saved, year)
    return f"{shown}, {stamp}" if stamp else shown


def when_saved(saved: str, year: int | None = None, *, weekday: bool = True,
               hour: bool = True) -> str:
    """A time as marks say it, `Thu 3 Dec 21:40` (English names whatever the locale; the
    year too when it is not `year`; without the weekday or the hour when asked), or ""
    when `saved` is no ISO 8601 time."""
    try:
        when = datetime.fromisoformat(saved)
    except (TypeError, ValueError):
        return ""
    stamp = f"{when.day} {_MONTHS[when.month - 1]}"
    if weekday:
        stamp = f"{_DAYS[when.weekday()]} {stamp}"
    if year is not None and when.year != year:
        stamp += f" {when.year}"
    return f"{stamp} {when:%H:%M}" if hour else stamp


def id_tags(*ids: str) -> tuple[str, ...]:
    """What marks show of different machine ids when the machines share a name: the
    shortest start of each (4, 8, 16 characters, or all) at which they all differ."""
    longest = max(map(len, ids))
    size = next(k for k in (4, 8, 16, longest) if len({i[:k] for i in ids}) == len(ids))
    return tuple(i[:size] for i in ids)


def written_here(one_label: str, other_label: str, name: str, machine: str = "") -> str:
    """Which side of a hunk this machine wrote ("one", "other", or "" when the marks do not
    tell): the side whose mark names this machine (`name`, and its id `machine` when the
    mark carries the start of one, `laptop #3f9c`), when the other side's does not."""
    if not name:
        return ""
    names = (machine_of(one_label), machine_of(other_label))
    here = clean_name(name)

    def mine(shown: str) -> bool:
        if shown == here:
            return True
        tag = shown[len(here) + 2:] if shown.startswith(here + " #") else ""
        return bool(tag and machine and machine.startswith(tag) and len(tag) >= 4)

    found = [mine(n) for n in names]
    if found[0] == found[1]:
        return ""  # neither, or both: two machines of one name, or marks of before
    return "one" if found[0] else "other"


#: Between the names in a mark whose side already merges several machines' versions.
JOIN = " + "


def merged_label(names: Sequence[str], tags: Sequence[str] = ()) -> str:
    """The words a mark carries for a side that is already the merge of several machines'
    versions (three machines changed the same lines): their names, each once, in order,
    without a time (`laptop + desktop`); a name with a tag (the start of its machine's id,
    when machines of one name wrote there: `tags[i]` for `names[i]`, "" for none) shows
    it as `side_label` does (`laptop #3f9c + laptop #a1b2`). "" when fewer than two are
    known."""
    tagged = zip(map(clean_name, names), map(clean_name, tags or [""] * len(names)),
                 strict=True)
    shown = list(dict.fromkeys(n + (f" #{t}" if t else "") for n, t in tagged if n))
    return JOIN.join(shown) if len(shown) > 1 else ""


def machine_of(label: str) -> str:
    """The machine's name in a mark's words written by `side_label`, or the names of a
    merged side written by `merged_label` ("" for marks without one: older ones, or
    words typed by hand)."""
    found = _WHEN.fullmatch(label)
    if found:
        return found.group(1)
    return label if JOIN in label else ""


class Choice(Enum):
    """What to keep of one hunk (an edit by hand is given as its text instead)."""

    ONE = "one"
    OTHER = "other"
    BOTH = "both"


@dataclass(frozen=True)
class Hunk:
    """One place where both machines changed the same lines."""

    one: str
    """The first version's lines, each ending in a newline (empty: it removed them)."""
    other: str
    one_label: str = ""
    """What the opening mark says after sync's own words (a machine's name, a time), if
    anything."""
    other_label: str = ""

    def take(self, choice: Choice | str) -> str:
        """The text that replaces the hunk: a side, both in order, or `choice` itself
        (an edit by hand; a newline is added at its end if missing, as the hunk ends a
        line)."""
        if choice is Choice.ONE:
            return self.one
        if choice is Choice.OTHER:
            return self.other
        if choice is Choice.BOTH:
            return self.one + self.other
        text = str(choice)
        return text if not text or text.endswith("\n") else text + "\n"


@dataclass(frozen=True)
class Conflicted:
    """A body cut into the text around hunks and the hunks themselves, in order."""

    parts: tuple[str | Hunk, ...]

    @property
    def hunks(self) -> list[Hunk]:
        return [p for p in self.parts if isinstance(p, Hunk)]

    def resolve(self, choices: Sequence[Choice | str]) -> str:
        """The body with hunk i replaced by `hunks[i].take(choices[i])`."""
        hunks = self.hunks
        if len(choices) != len(hunks):
            raise ValueError(f"{len(hunks)} hunks need {len(hunks)} choices, not "
                             f"{len(choices)}")
        picks = iter(choices)
        return "".join(p.take(next(picks)) if isinstance(p, Hunk) else p for p in self.parts)

    def line_before(self, index: int) -> str:
        """The last line with words in it before hunk `index` (to say where it is; not a
        mark: a hunk nested in another follows the outer one's opening mark), or "" at
        the start of the body."""
        seen = 0
        text = ""
        for part in self.parts:
            if isinstance(part, Hunk):
                if seen == index:
                    break
                seen += 1
                text = ""
            else:
                text = part
        lines = [line for line in text.splitlines() if line.strip() and not _a_mark(line)]
        return lines[-1].strip() if lines else ""


def _label(line: str, mark: str) -> str | None:
    """The words after `mark` when `line` is that mark (None when it is not)."""
    if line == mark:
        return ""
    if line.startswith(mark + " "):
        return line[len(mark) + 1:].strip()
    return None


def _a_mark(line: str) -> bool:
    """Whether a line is one of sync's marks (with or without its label)."""
    return line in (MIDDLE, DIVIDER) or _label(line, OPEN) is not None \
        or _label(line, CLOSE) is not None


def _hunk_at(lines: list[str], start: int) -> tuple[Hunk, int] | None:
    """The hunk opening at `lines[start]` and the index after it, if it is well formed:
    exactly one dividing mark before the first closing mark (one DIVIDER, the bare
    `=======` lines then being text; or, without a DIVIDER, exactly one `=======`), no
    second opening mark."""
    one_label = _label(lines[start].rstrip("\n"), OPEN)
    if one_label is None:
        return None
    middles: list[int] = []
    dividers: list[int] = []
    for i in range(start + 1, len(lines)):
        bare = lines[i].rstrip("\n")
        if _label(bare, OPEN) is not None:
            return None
        if bare in (MIDDLE, DIVIDER):
            (middles if bare == MIDDLE else dividers).append(i)
            continue
        other_label = _label(bare, CLOSE)
        if other_label is not None:
            found = dividers if dividers else _dividing(lines, start, middles)
            if len(found) != 1:
                return None  # which one divides the two versions cannot be told
            middle = found[0]
            hunk = Hunk("".join(lines[start + 1:middle]), "".join(lines[middle + 1:i]),
                        one_label, other_label)
            return hunk, i + 1
    return None


def _dividing(lines: list[str], start: int, middles: list[int]) -> list[int]:
    """Which of a hunk's `=======` lines can be its middle mark. One alone is; of several
    (a conflict the merge wrote before its DIVIDER, where a version held a Setext heading's
    underline), those at which the hunk divides so that every other one can underline a
    line of text: the line before it in its own version, or, first in its version, the
    line before the hunk (the merge may have kept the heading's words above the marks).
    Exactly one such line: the hunk is offered; none or several: it stays text."""
    if len(middles) < 2:
        return middles

    def text(line: str) -> bool:
        return bool(line.strip()) and line.rstrip("\n") not in (MIDDLE, DIVIDER)

    def underlines(at: int, middle: int) -> bool:
        before = at - 1
        if before in (start, middle):
            return start > 0 and text(lines[start - 1])
        return text(lines[before])

    return [m for m in middles if all(underlines(o, m) for o in middles if o != m)]


def parse(body: str) -> Conflicted:
    """The body's sync conflict hunks (none when it has no well-formed one)."""
    parts: list[str | Hunk] = []
    if OPEN not in body:
        return Conflicted((body,) if body else ())
    lines = body.splitlines(keepends=True)
    text: list[str] = []
    fence: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        bare = line.rstrip("\n")
        opened = _FENCE.fullmatch(bare.rstrip("\r"))
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(
                    fence) and not opened.group(2).strip():
                fence = None
        elif opened and not (opened.group(1)[0] == "`" and "`" in opened.group(2)):
            fence = opened.group(1)
        elif bare.startswith("<<<<<<<"):
            found = _hunk_at(lines, i)
            if found is not None:
                if text:
                    parts.append("".join(text))
                    text = []
                parts.append(found[0])
                i = found[1]
                continue
        text.append(line)
        i += 1
    if text:
        parts.append("".join(text))
    return Conflicted(tuple(parts))


def has_conflicts(body: str) -> bool:
    return bool(parse(body).hunks)
