"""`practice` (issue 17): what the user's own entries say about the practice toward concern.

Two things, both "your data so far", neither a promise:

1. Within practices: the mean change in activation, after minus before, over practices
   rated both times.
2. The next day: for each day D that had a practice and whose next calendar day D+1 has
   contagion or concern moments, D+1's contagion share (contagion moments / both kinds on
   that day). The same for *comparable* days: days with a contagion moment but no practice,
   followed by a day with moments. The day is the unit: each day's share counts once,
   however many moments it has, and the two means are compared.

Chance is checked with the shared machinery (chance.py, issue 12): the compared days'
next-day shares are shuffled within weekday (each weekday keeps its number of practice
days), seeded from the data. The check is made when there are enough days
(PRACTICE_MIN_DAYS in each group) and the gap is at least PRACTICE_GAP; the finding is
notable when it passes the family control of all findings shown together.

The finding is given only when the range holds at least one practice: someone who never
takes one is not shown an empty card about it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from journal.core.reflection.chance import Chance, seeded, shuffle_test
from journal.core.reflection.common import counted, finding, mean, pct
from journal.core.reflection.days import Days

KIND = "practice"
TITLE = "The practice toward concern"
#: One practice, positional: (date, minutes, before or None, after or None).
PracticeRow = Sequence[Any]

PRACTICE_MIN_DAYS = 5      # days in each group before comparing
PRACTICE_GAP = 0.10        # a gap of 10 points of next-day contagion share


def practice(days: Days, practices: Iterable[PracticeRow]
             ) -> tuple[dict[str, Any], list[Chance]] | None:
    """The finding over the days in range and its chance check, or None when no practice
    falls in it."""
    if not len(days):
        return None
    first, last = days.dates[0], days.dates[-1]
    rows = [r for r in practices if first <= r[0] <= last]
    if not rows:
        return None
    changes = [r[3] - r[2] for r in rows if r[2] is not None and r[3] is not None]
    practice_days = {r[0] for r in rows}
    after, other, after_days, strata = _next_day_groups(days, practice_days)
    share_after, share_other = _mean_share(after), _mean_share(other)
    gap = (round(share_after - share_other, 3)
           if share_after is not None and share_other is not None else None)
    enough = len(after) >= PRACTICE_MIN_DAYS and len(other) >= PRACTICE_MIN_DAYS
    what = "a gap this large"
    chance = Chance(what)
    if enough and gap is not None and abs(gap) >= PRACTICE_GAP:
        chance = shuffle_test(after + other, [1] * len(after) + [0] * len(other), strata,
                              seeded(days.seed, KIND), what, sides=2)
    stats: dict[str, Any] = {
        "practices": len(rows),
        "rated": len(changes),
        "mean_change": mean(changes),
        "mean_minutes": mean([r[1] for r in rows]),
        "practice_days": len(practice_days),
        "next_day_share_after": share_after,
        "next_day_share_other": share_other,
        "days_after": len(after),
        "days_other": len(other),
        "difference": gap,
        "comparable_definition": "days with a contagion moment and no practice, each "
                                 "followed by a day with moments",
        "min_days": PRACTICE_MIN_DAYS,
    }
    summary = [_within(changes)]
    evidence = days.evidence(after_days)
    if not enough:
        missing = (f"Comparing the next day needs at least {PRACTICE_MIN_DAYS} practice days "
                   f"and {PRACTICE_MIN_DAYS} comparable days without one, each followed by a "
                   f"day with moments; this range has {counted(len(after), 'practice day')} "
                   f"and {counted(len(other), 'comparable day')} like that.")
        return finding(KIND, TITLE, " ".join(summary), stats, evidence, missing=missing,
                       n=len(after)), [chance]
    summary.append(
        f"On the {len(after)} days after a practice, on average {pct(share_after)} of a "
        f"day's moments were contagion, against {pct(share_other)} on the {len(other)} "
        f"days after comparable days without one.")
    summary.append("Your data so far: you choose when to practise, so this is not proof of "
                   "cause.")
    return finding(KIND, TITLE, " ".join(summary), stats, evidence,
                   n=len(after) + len(other)), [chance]


def _within(changes: list[int]) -> str:
    if not changes:
        return "No practice was rated both before and after yet."
    change = mean(changes)
    assert change is not None
    if len(changes) == 1:
        said = {-1: "went down by", 1: "went up by", 0: "stayed the same"}
        head = "In the one practice you rated before and after, your activation"
    else:
        said = {-1: "went down on average by", 1: "went up on average by",
                0: "stayed the same on average"}
        head = (f"Over the {len(changes)} practices you rated before and after, your "
                f"activation")
    way = said[(change > 0) - (change < 0)]
    by = f" {abs(change):g} {'point' if abs(change) == 1 else 'points'}" if change else ""
    return f"{head} {way}{by} (on a scale of 0-10)."


def _next_day_groups(days: Days, practice_days: set[date]) -> tuple[
        list[float], list[float], list[int], list[int]]:
    """The next-day shares after practice days and after comparable days; the indices of the
    practice days used (for the evidence); each compared day's weekday, practice days first
    (the permutation's strata)."""
    after: list[float] = []
    other: list[float] = []
    used: list[int] = []
    after_wd: list[int] = []
    other_wd: list[int] = []
    for i, follows in enumerate(days.follows):
        both = days.contagion[i + 1] + days.concern[i + 1]
        if not follows or not both:
            continue
        next_share = days.contagion[i + 1] / both
        if days.dates[i] in practice_days:
            after.append(next_share)
            used.append(i)
            after_wd.append(days.dates[i].weekday())
        elif days.contagion[i]:
            other.append(next_share)
            other_wd.append(days.dates[i].weekday())
    return after, other, used, after_wd + other_wd


def _mean_share(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None
