"""Pieces shared by the command modules: options, parameter types, entry rendering."""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from journal.cli.moment_syntax import format_moment
from journal.cli.runtime import Runtime
from journal.core.care.check_in import HEADING, check_in_items
from journal.core.errors import JournalError, ValidationError
from journal.core.model.entries import KINDS, Entry
from journal.core.textsafe import one_line, terminal_safe
from journal.core.wording import plural as plural

if TYPE_CHECKING:
    from journal.core.model.practice import Practice
    from journal.core.store.vault import Vault

pass_runtime = click.make_pass_decorator(Runtime, ensure=True)


def passphrase_file_option(func: Any) -> Any:
    return click.option(
        "--passphrase-file", type=click.Path(path_type=Path, dir_okay=False),
        help="Read the vault passphrase from the first line of FILE (instead of a prompt).",
    )(func)


def json_option(func: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True,
                        help="Print JSON in the exchange format's shape (docs/format.md).")(func)


class DateType(click.ParamType):
    """A day as journal.core.model.dates reads it (YYYY-MM-DD, today, yesterday, '3 days ago',
    'last friday', 'nov 20'), counted from the runtime's clock."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return parse_day(str(value), _today(ctx))
        except ValidationError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateType()


def _today(ctx: click.Context | None) -> date:
    runtime = ctx.find_object(Runtime) if ctx else None
    return (runtime or Runtime()).clock.today()


def parse_day(text: str, today: date) -> date:
    from journal.core.model.dates import parse_date

    return parse_date(text, today)


def find_entry(vault: Vault, ref: str, today: date) -> Entry:
    """An entry by date (any form journal.core.model.dates reads), full id, or a unique id
    prefix (4 or more hex digits: `2026` and `cafe` are id prefixes, not dates)."""
    from journal.core.model.dates import parse_date

    text = ref.strip()
    if not re.fullmatch(r"[0-9a-fA-F-]{4,36}", text) or re.fullmatch(r"\d{4}-\d{2}-\d{2}",
                                                                      text):
        try:
            day = parse_date(text, today)
        except ValidationError:
            raise ValidationError(f"'{one_line(text)[:40]}' is neither a date nor an entry id"
                                  " (dates: YYYY-MM-DD, yesterday, 'last friday'...)") from None
        entry = vault.get_by_date(day)
        if entry is None:
            raise JournalError(f"there is no entry for {day.isoformat()}")
        return entry
    try:
        entry = vault.get(str(uuid.UUID(text)))
    except ValueError:
        entry = None
        matches = vault.index().ids_starting(text.lower())
        if len(matches) > 1:
            raise JournalError(f"the id prefix '{text}' matches {len(matches)} entries; "
                               "give more of it") from None
        entry = vault.get(matches[0]) if matches else None
    if entry is None:
        raise JournalError(f"there is no entry with id {text}")
    return entry


# -- rendering --------------------------------------------------------------------------------
def moment_summary(entry: Entry) -> str:
    counts = Counter(m.kind for m in entry.moments)
    return " / ".join(f"{counts[k]} {k}" for k in KINDS if counts[k])


def terminal_width() -> int:
    import shutil  # with its compression modules: 2-3 ms that `journal add` does not need

    return shutil.get_terminal_size((100, 24)).columns


def entry_line(entry: Entry, width: int | None = None) -> str:
    notes = [m.note for m in entry.moments if m.note.strip()]
    title = entry.title or (f"({notes[0].strip()})" if notes else "")
    counts = Counter(m.kind for m in entry.moments)
    return summary_line(entry.date, title, [counts[k] for k in KINDS], width)


#: `%a` in the C locale, the one Python's strftime uses (it never calls setlocale for
#: LC_TIME): the same text without a strftime per line (a search may list thousands).
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: The moments of a line ("2 contagion / 1 concern") by their counts per kind: a few
#: dozen distinct counts make every line of a long listing.
_MOMENTS: dict[tuple[int, ...], str] = {}


def summary_line(day: date, title: str, kinds: list[int], width: int | None = None) -> str:
    """One listing line: date, weekday, moments per kind (`kinds` in KINDS order), title."""
    width = width or terminal_width()
    counted = tuple(kinds)
    moments = _MOMENTS.get(counted)
    if moments is None:
        moments = _MOMENTS[counted] = " / ".join(
            f"{n} {k}" for n, k in zip(kinds, KINDS, strict=True) if n) or "-"
    head = f"{day.isoformat()} {_WEEKDAYS[day.weekday()]}  {moments:<24}  "
    title = one_line(title or "(no text)")
    room = max(width - len(head) - 1, 12)
    if len(title) > room:
        title = title[:room - 1].rstrip() + "…"
    return head + title


#: What `one_line` changes in a title: a control character (escaped) or a newline or tab.
_NOT_PLAIN = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def summary_lines(rows: Iterable[tuple[date, str, list[int]]], width: int) -> Iterator[str]:
    """`summary_line` of each (day, title, kinds), the same text, for the thousands of
    lines of a search or a listing: the head after the date is kept per weekday and
    moments, and a title with nothing for `one_line` to change is taken as it is."""
    tails: dict[tuple[int, ...], tuple[str, int]] = {}
    for day, title, kinds in rows:
        key = (day.weekday(), *kinds)
        found = tails.get(key)
        if found is None:
            head = summary_line(day, "", kinds, width)[:-len("(no text)")][10:]
            found = tails[key] = head, max(width - 10 - len(head) - 1, 12)
        tail, room = found
        if not title:
            title = "(no text)"
        elif _NOT_PLAIN.search(title):
            title = one_line(title)
        if len(title) > room:
            title = title[:room - 1].rstrip() + "…"
        yield day.isoformat() + tail + title


def render_entry(entry: Entry) -> str:
    """Markdown: the body, then moments in the compact syntax, then the check-in; control
    characters a terminal would act on are shown escaped (`\x1b`), never sent raw."""
    return terminal_safe(_markdown(entry))


def _markdown(entry: Entry) -> str:
    lines = [f"# {entry.date:%A} {entry.date.day} {entry.date:%B %Y}", ""]
    lines.append(entry.body.rstrip() if entry.body.strip() else "_(no text)_")
    if entry.moments:
        lines += ["", "## Moments", ""]
        for moment in entry.moments:
            lines.append(f"- {format_moment(moment)}")
            if moment.practice is not None:
                lines.append(f"  - {practice_line(moment.practice)}")
    checkin = check_in_items(entry)
    if checkin:
        lines += ["", f"## {HEADING}", "", *(f"- {item}" for item in checkin)]
    written = entry.written_at.strftime("%Y-%m-%d %H:%M") if entry.written_at else "-"
    changed = entry.updated_at.strftime("%Y-%m-%d %H:%M") if entry.updated_at else "-"
    lines += ["", f"<!-- id {entry.id} · written {written} · changed {changed} -->"]
    return "\n".join(lines)


def practice_line(practice: Practice) -> str:
    """'practice: 2 min, 6 of 6 steps, activation 8 -> 5' (the steps taken, their ratings)."""
    from journal.core.care.practice_script import describe

    return "practice: " + describe(practice)


def entries_document(entries: list[Entry]) -> str:
    """The exchange document for `--json` output, in the order given (newest first)."""
    from journal.core.exchange import format_v1 as exchange

    return exchange.to_text(exchange.document([exchange.entry_dict(e) for e in entries]))
