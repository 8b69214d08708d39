"""`journal reflect`: patterns in your own entries (docs/reflection.md)."""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from itertools import chain, repeat
from operator import is_, itemgetter
from pathlib import Path
from typing import Any

import click

from journal import settings as settings_mod
from journal.cli.common import DATE, pass_runtime, passphrase_file_option
from journal.cli.output import say, say_json
from journal.cli.runtime import Runtime
from journal.core.care.support import SUPPORT_POINTER
from journal.core.errors import ValidationError
from journal.core.reflection import NOT_A_DIAGNOSIS, reflect_rows
from journal.core.reflection.days import Evidence, EvidenceTable
from journal.core.store.bulk import paused_gc
from journal.core.store.read_ahead import ReadAhead
from journal.core.wording import counted

_string = json.encoder.encode_basestring   # a str as JSON, UTF-8 kept (C)

EVIDENCE_SHOWN = 10
WIDTH = 88
MARK = "●"


@click.command("reflect")
@click.option("--since", "--from", "since", type=DATE,
              help="First day to include (YYYY-MM-DD). Default: your first entry.")
@click.option("--until", "--to", "until", type=DATE,
              help="Last day to include (YYYY-MM-DD). Default: today.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the findings as JSON (the shape is in docs/reflection.md).")
@passphrase_file_option
@pass_runtime
def reflect_command(runtime: Runtime, since: date | None, until: date | None, as_json: bool,
                    passphrase_file: Path | None) -> None:
    """Patterns in your own entries: the contagion/concern balance, work following you
    home, recurring tags, sleep after heavy days, what seems to help, and stretches
    without recovery. Counts and dates from your notes, never a diagnosis.

    \b
    Example:
      journal reflect --since 2026-09-01
      journal reflect --json > reflection.json
    """
    if since and until and since > until:
        raise ValidationError(f"--since {since} is after --until {until}")
    today = runtime.clock.today()
    if since and not until and since > today:
        raise ValidationError(f"--since {since} is after today, {today}")
    work_end = settings_mod.load(runtime.paths.settings_file).work_end
    # the index chunks read while the key is derived (the whole journal's 256, or a range's)
    vault = runtime.open_vault(passphrase_file, read_ahead=ReadAhead(chunks=True))
    try:
        index = vault.index()  # reflection needs no bodies: no full decrypts
    finally:
        vault.close()
    with paused_gc():
        result = reflect_rows(index.day_rows(), since=since, until=until, work_end=work_end,
                              today=today, practices=index.practice_rows(since, until))
    if as_json:
        for piece in json_pieces(result):
            say_json(piece)
    else:
        say(render_text(result))


def json_pieces(result: dict[str, Any]) -> Iterator[str]:
    """`exchange.to_text(result)` (all but its escaping of DEL and C1 controls, which
    `say_json` does the same way) a top-level field and a finding at a time, so the text of a
    long journal is never whole in memory; lists of flat records (the evidence, the weeks)
    are written as json.dumps(indent=2) writes them, but ~5x faster: their values' texts
    and what comes between them joined once. The findings share their evidence items
    (`Evidence`): each day's item is written once, and its text taken again. The result
    must not change while it is written."""
    seen: dict[tuple[int, int], list[str] | None] = {}   # (table, depth) -> its items' texts
    yield "{"
    for n, (key, value) in enumerate(result.items()):
        head = f"{',' if n else ''}\n  {_string(key)}: "
        if key == "findings" and value:
            yield head + "["
            for m, finding in enumerate(value):
                yield ("," if m else "") + "\n    " + "".join(_dumps(finding, 2, seen))
            yield "\n  ]"
        else:
            yield head + "".join(_dumps(value, 1, seen))
    yield "\n}\n"


def _dumps(value: Any, depth: int, seen: dict[tuple[int, int], list[str] | None]
           ) -> Iterator[str]:
    """json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) at `depth`."""
    inner = "\n" + "  " * (depth + 1)
    if type(value) is Evidence and value and (days := _evidence(value, depth, seen)):
        yield "[" + inner + ("," + inner).join(days)
        yield "\n" + "  " * depth + "]"
    elif type(value) is dict and value and all(type(k) is str for k in value):
        yield "{"
        for n, (key, item) in enumerate(value.items()):
            head = ("," if n else "") + inner + _string(key) + ": "
            text = _scalar(item)
            if text is None:
                yield head
                yield from _dumps(item, depth + 1, seen)
            else:
                yield head + text
        yield "\n" + "  " * depth + "}"
    elif type(value) is list and value and (texts := _records(value)) is not None:
        # The values' texts interleaved with what comes between them (the next key, or
        # the end of a record and the start of the next), joined once.
        more = "\n" + "  " * (depth + 2)
        heads = [f"{more}{_string(key)}: " for key in value[0]]
        between = [*("," + head for head in heads[1:]), inner + "}," + inner + "{" + heads[0]]
        width = len(heads)
        streams: list[Iterable[str]] = []   # per record: value 0, what follows it, value 1...
        for j, after in enumerate(between):
            streams += [texts[j::width], repeat(after)]
        pieces = list(chain.from_iterable(zip(*streams, strict=False)))   # repeat is endless
        pieces[-1] = inner + "}"
        yield "[" + inner + "{" + heads[0] + "".join(pieces)
        yield "\n" + "  " * depth + "]"
    elif type(value) is list and value and any(type(v) in (dict, list) for v in value):
        yield "["
        for n, item in enumerate(value):
            yield ("," if n else "") + inner
            yield from _dumps(item, depth + 1, seen)
        yield "\n" + "  " * depth + "]"
    else:
        yield json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False).replace(
            "\n", "\n" + "  " * depth)


def _evidence(value: Evidence, depth: int, seen: dict[tuple[int, int], list[str] | None]
              ) -> list[str] | None:
    """The texts of an evidence list's items, as items of a list at `depth`, taken from
    the texts of its whole table's (written once per table and depth: `seen`); None when
    the list no longer holds its table's items of its days, or the table is not one of
    flat records (then it is written as any list)."""
    table, days = value.table, value.days
    if len(days) != len(value) or not all(map(is_, value, map(table.__getitem__, days))):
        return None
    key = (id(table), depth)   # the result holds the table: no other takes its id meanwhile
    if key not in seen:
        columns = _columns(table) if table else None
        quote = ""
        if columns is not None and all(map(_plain, columns)):
            quote = '"'   # written as they are, between quotes
        elif columns is not None:
            texts = _records(table)
            width = len(columns)
            columns = None if texts is None else [texts[j::width] for j in range(width)]
        if columns is None:
            seen[key] = None
        else:   # an item's text: what comes before each value, the value, ..., the end
            more = "\n" + "  " * (depth + 2)
            heads = [f"{more}{_string(k)}: {quote}" for k in table[0]]
            between = ["{" + heads[0], *(quote + "," + head for head in heads[1:]),
                       quote + "\n" + "  " * (depth + 1) + "}"]
            streams: list[Iterable[str]] = [repeat(between[0])]
            for column, after in zip(columns, between[1:], strict=True):
                streams += [column, repeat(after)]
            seen[key] = list(map("".join, zip(*streams, strict=False)))   # repeat: endless
    texts = seen[key]
    return None if texts is None else list(map(texts.__getitem__, days))


def _scalar(value: Any) -> str | None:
    """A string, number, true, false or null as json.dumps writes it (None for anything
    else, NaN and infinity included: json.dumps refuses those)."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    return None


def _records(items: list[Any]) -> list[str] | None:
    """When every item is a dict with the first one's keys, in its order, holding strings
    (an evidence list) or other flat values (the weeks): their values' texts, in order;
    else None."""
    values = _flat(items)
    if values is None:
        return None
    width = len(items[0])
    texts: list[Any] = [None] * len(values)
    for j in range(width):   # a key at a time: most hold one type, written with a C loop
        column = _texts(values[j::width])
        if column is None:
            return None
        texts[j::width] = column
    return texts


def _texts(values: list[Any]) -> list[str] | None:
    """The values' texts as `_scalar` writes them; None when one is not a flat value (or is
    NaN or infinity)."""
    try:
        return list(map(_string, values))
    except TypeError:   # not only strings
        pass
    kinds = set(map(type, values))
    if kinds == {int}:
        return list(map(int.__repr__, values))
    if kinds == {float} and all(map(math.isfinite, values)):
        return list(map(float.__repr__, values))
    if not kinds <= _FLAT:
        return None
    texts = list(map(_scalar, values))
    return None if None in texts else texts   # None: NaN or infinity


def _columns(table: list[Any]) -> list[Sequence[Any]] | None:
    """The values of a table of flat records a key at a time (as `_flat` gives them, a
    column each); None when it is not one. A day table's `EvidenceTable` gives the columns
    its items were made from, once C loops have checked that its items still hold exactly
    them: each a dict, with its keys in order, each value the column's own object (not
    looked at again: 50,000 items at 50,000 entries); any other table, or one changed
    since, is read from its items."""
    if type(table) is EvidenceTable:
        keys, columns, n = table.keys, table.columns, len(table)
        if (all(len(column) == n for column in columns) and set(map(type, table)) == {dict}
                and list(chain.from_iterable(table)) == list(keys) * n
                and all(all(map(is_, map(itemgetter(key), table), column))
                        for key, column in zip(keys, columns, strict=True))):
            return list(columns)
    values = _flat(table)
    if values is None:
        return None
    width = len(table[0])
    return [values[j::width] for j in range(width)]


def _flat(items: list[Any]) -> list[Any] | None:
    """The values of the items, in order, when every item is a dict with the first one's
    keys, in its order; else None. Checked with C loops: the keys of all items,
    concatenated, are the first one's keys repeated (with as many keys each)."""
    first = items[0]
    if type(first) is not dict or not first or {type(k) for k in first} != {str}:
        return None
    keys = list(first)
    if not (set(map(type, items)) == {dict} and set(map(len, items)) == {len(keys)}
            and list(chain.from_iterable(items)) == keys * len(items)):
        return None
    return list(chain.from_iterable(map(dict.values, items)))


def _plain(values: Sequence[Any]) -> bool:
    """Whether the values are strings JSON writes as they are between quotes: printable
    ASCII without a quote or a backslash (dates, ids)."""
    try:
        joined = "".join(values)   # (a str subclass is written as its text too)
    except TypeError:   # not only strings
        return False
    return joined.isascii() and not joined.encode("ascii").translate(None, _PLAIN)


#: The bytes written as they are between quotes: printable ASCII but a quote and a backslash.
_PLAIN = bytes(c for c in range(0x20, 0x7F) if c not in b'"\\')


#: The types of the values a flat record may hold (a float is checked by _scalar).
_FLAT = {str, int, float, bool, type(None)}


def render_text(result: dict[str, Any]) -> str:
    """The readable report: which findings stand out, then each finding's title, summary,
    chance sentence and evidence dates, and last the not-a-diagnosis line and where support
    is."""
    rng = result["range"]
    findings = result["findings"]
    marked = [f["title"] for f in findings if f["notable"]]
    lines = [f"Reflection {rng['from']} to {rng['to']}: "
             f"{counted(result['entries'], 'entry', 'entries')}, "
             f"{counted(result['moments'], 'moment')}"]
    lines += textwrap.wrap(
        (f"{MARK} stands out beyond chance: {', '.join(marked)}. Nothing else does."
         if marked else "Nothing in this range stands out beyond chance."), WIDTH)
    for item in findings:
        mark = f"{MARK} " if item["notable"] else "  "
        lines += ["", f"{mark}{item['title']}"]
        lines += _wrapped(item["summary"])
        if item["status"] != "ok":
            lines += _wrapped(f"Not enough data yet: {item['missing']}")
        else:
            lines += _wrapped((f"Marked {MARK}. " if item["notable"] else "Not marked. ")
                              + item["chance"])
        evidence = item["evidence"]   # only the latest are shown: only they are read
        if evidence:
            shown = ", ".join([e["date"] for e in evidence[-EVIDENCE_SHOWN:]])
            more = len(evidence) - EVIDENCE_SHOWN
            head = (f"Evidence ({len(evidence)} days, latest {EVIDENCE_SHOWN}; --json lists "
                    f"all): " if more > 0 else "Evidence: ")
            lines += textwrap.wrap(head + shown, WIDTH, initial_indent="  ",
                                   subsequent_indent="    ")
    lines += ["", *textwrap.wrap(result.get("not_a_diagnosis", NOT_A_DIAGNOSIS), WIDTH),
              *textwrap.wrap(result.get("support", {}).get("pointer", SUPPORT_POINTER), WIDTH)]
    return "\n".join(lines)


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent="  ", subsequent_indent="  ")
