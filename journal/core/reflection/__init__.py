"""Patterns in a user's own entries (issue 4, domain.md §6): explainable counts, never a
diagnosis. Pure functions over decrypted entries or compact rows; no I/O, no UI.

    reflect_rows(rows, since=None, until=None, work_end="18:00", today=None,
                 practices=()) -> dict
    reflect(entries, since=None, until=None, work_end="18:00", today=None) -> dict

returns `{"range": {"from", "to"}, "entries": N, "moments": M, "findings": [...],
"not_a_diagnosis", "support"}`; each finding is `{"kind", "title", "status", "notable",
"summary", "n", "chance", "stats", "evidence", ["missing"]}`. Which findings are notable is
decided for all of them at once (`chance.family`). docs/reflection.md documents every
rule, threshold, chance check and key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from journal.core.care.support import SUPPORT_POINTER, support_plain
from journal.core.errors import ValidationError
from journal.core.model.entries import Entry
from journal.core.reflection.balance import balance
from journal.core.reflection.chance import Chance, family, weigh
from journal.core.reflection.common import FORBIDDEN_WORDS, minutes
from journal.core.reflection.days import (
    DayFold,
    DayRow,
    FoldedChunks,
    MomentRow,
    RowChunks,
    repeated_dates,
    rows_from_entries,
)
from journal.core.reflection.extras import good_things, numbness, withdrawal
from journal.core.reflection.practice import PracticeRow, practice
from journal.core.reflection.recovery import recovery
from journal.core.reflection.selfcare import self_care_gap
from journal.core.reflection.sleep import sleep_after_contagion
from journal.core.reflection.spillover import spillover
from journal.core.reflection.triggers import triggers

__all__ = ["FORBIDDEN_WORDS", "KINDS", "NOT_A_DIAGNOSIS", "DayRow", "MomentRow", "PracticeRow",
           "RowChunks", "bench_reflect", "practice_rows", "reflect", "reflect_rows",
           "rows_from_entries"]

#: The required kinds, in output order; extras follow them.
KINDS = ("balance", "spillover", "triggers", "sleep_after_contagion", "recovery",
         "self_care_gap")
EXTRA_KINDS = ("withdrawal", "good_things", "numbness")
#: Given only when the range holds a practice (issue 17), after the extras.
OPTIONAL_KINDS = ("practice",)

#: A finding's share of the family's alpha (1 unless named): the balance (P1) is the
#: primary pattern, so its trend can be marked on a drift of about 10 points a year; the
#: triggers split theirs over every tag ranked, so they get a little more.
WEIGHT = {"balance": 2.5, "triggers": 1.5}

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

NOT_A_DIAGNOSIS = ("These are patterns in your own notes, counted and shown with their dates. "
                   "They are not a diagnosis and not a cause; only you know what they mean.")


def reflect(entries: Iterable[Entry], *, since: date | None = None, until: date | None = None,
            work_end: str = "18:00", today: date | None = None) -> dict[str, Any]:
    """Every finding over the entries dated within [since, until]."""
    _check(since, until, work_end)
    entries = list(entries)
    return reflect_rows(rows_from_entries(entries), since=since, until=until,
                        work_end=work_end, today=today, practices=practice_rows(entries))


def practice_rows(entries: Iterable[Entry]) -> list[PracticeRow]:
    """(date, minutes, before, after) per practice: the rows the `practice` finding reads
    (Index.practice_rows gives the same from the encrypted index)."""
    return [(e.date, m.practice.minutes, m.practice.before, m.practice.after)
            for e in entries for m in e.moments if m.practice is not None]


def reflect_rows(rows: Iterable[DayRow] | RowChunks, *, since: date | None = None,
                 until: date | None = None, work_end: str = "18:00",
                 today: date | None = None,
                 practices: Iterable[PracticeRow] = ()) -> dict[str, Any]:
    """Every finding over the rows (`DayRow`s, in any order; rows on one date are merged,
    the first one's id kept) dated within [since, until]: the same dict `reflect` gives
    over the entries the rows were made from. The rows are read, never changed. Rows that
    come a batch at a time (`RowChunks`) are folded a batch at a time, and no batch's
    moments are kept; a batch that comes folded already (`FoldedChunks`: the encrypted
    index's `day_rows()`, whose chunks keep their fold) is skipped when none of its dates is
    in range, taken as it is when all its rows are, and otherwise its moments decoded once
    and its rows in range folded (`DayFold.add_chunks`). Evidence items ({"date",
    "entry_id"}) are shared between findings (each list an `Evidence`: which of the day
    table's items it holds): treat the result as read-only."""
    _check(since, until, work_end)
    cutoff = minutes(work_end)
    assert cutoff is not None   # _check made sure
    if isinstance(rows, FoldedChunks):
        fold = DayFold(since, until, rows.repeated())
        fold.add_chunks(rows.folds())   # each skipped, taken whole or its rows in range folded
    elif isinstance(rows, RowChunks):
        fold = DayFold(since, until, rows.repeated(), again=rows.chunks)
        for chunk in rows.chunks():
            fold.add(chunk)
            del chunk   # before the next chunk is decoded
    else:
        rows = rows if isinstance(rows, list | tuple) else list(rows)
        fold = DayFold(since, until, repeated_dates(rows), again=lambda: (rows,))
        fold.add(rows)
    days = fold.days()
    last = date.fromordinal(days.ordinals[-1]) if len(days) else None
    end = until or (max(today, last) if today and last else today or last) or date.today()
    if since and since > end:   # a range that starts after today holds nothing yet
        end = since
    start = since or (date.fromordinal(days.ordinals[0]) if len(days) else end)
    checked = [
        balance(days, end),
        spillover(days, end, work_end, cutoff),
        triggers(days),
        sleep_after_contagion(days),
        recovery(days),
        self_care_gap(days),
        withdrawal(days, end),
        good_things(days),
        numbness(days, end),
    ]
    taken = practice(days, practices)
    if taken is not None:
        checked.append(taken)
    bar = family(weigh([(WEIGHT.get(f["kind"], 1.0), chances) for f, chances in checked]))
    return {
        "range": {"from": start.isoformat(), "to": end.isoformat()},
        "entries": len(days),
        "moments": sum(days.moment_count),
        "findings": [_settled(f, c, bar) for f, c in checked],
        "not_a_diagnosis": NOT_A_DIAGNOSIS,
        "support": {"pointer": SUPPORT_POINTER, "text": support_plain()},
    }


def _settled(found: dict[str, Any], chances: list[Chance], bar: float) -> dict[str, Any]:
    """A finding once the family has spoken: notable when any of its checks is, its closing
    words, and the sentence on chance of its strongest check."""
    if_notable, if_not = found.pop("_after")
    later = found.pop("_later", None)
    ok = found["status"] == "ok"
    tested = [c for c in chances if c.p is not None]
    chance = min(tested, key=lambda c: c.p or 0.0) if tested else chances[0]
    found["notable"] = notable = ok and any(c.notable for c in chances)
    if later is not None and ok:
        later(found, notable, bar)
    found["summary"] += if_notable if notable else if_not if ok else ""
    found["chance"] = (chance.sentence() if ok else
                       "Too little data yet to tell a pattern from chance.")
    found["stats"]["chance"] = chance.as_dict()
    return found


def _check(since: date | None, until: date | None, work_end: str) -> None:
    if since and until and since > until:
        raise ValidationError(f"the start {since} is after the end {until}")
    if not isinstance(work_end, str) or not _HHMM.match(work_end):
        raise ValidationError("must be HH:MM", field="work_end")


def bench_reflect(n_entries: int = 10_000, seed: int = 7) -> tuple[int, float]:
    """For `make bench`: `reflect_rows` over the rows of `n_entries` generated entries,
    with the collector paused as in the product; returns (n_entries, seconds) for the
    reflection alone (generating the entries and their rows is not timed)."""
    import time

    from journal.core.demo import generate
    from journal.core.store.bulk import paused_gc

    rows = rows_from_entries(generate(n_entries, seed))
    with paused_gc():
        started = time.perf_counter()
        reflect_rows(rows)
        return n_entries, time.perf_counter() - started
