"""`practice` (issue 17): what the user's own entries say about the practice toward concern.

Two things, both "your data so far", neither a promise:

1. Within practices: the mean change in activation, after minus before, over practices
   rated both times.
2. The next day: for each day D that had a practice and whose next calendar day D+1 has
   contagion or concern moments, D+1's contagion share (contagion moments / both kinds on
   that day). The same for *comparable* days: days with a contagion moment but no practice,
   followed by a day with moments. The day is the unit: each day's share counts once,
   however many moments it has, and the two means are compared.

Chance is checked by permutation, within weekdays: which comparable-or-practice days had a
practice is reshuffled (keeping each weekday's number of practice days) PERMUTATIONS times
with a fixed seed, and the share of reshuffles giving a gap at least as large as the one
seen is the chance figure (reshuffling stops early once ENOUGH_AT_LEAST reach it: the figure
is then surely above 5%, and rougher). The finding is notable when there are enough days
(PRACTICE_MIN_DAYS in each group), the gap is at least PRACTICE_GAP and the chance figure
is below CHANCE_ALPHA. Issue 12 brings one permutation machinery for every finding; this
module has its own until then (docs/reflection.md).

The finding is given only when the range holds at least one practice: someone who never
takes one is not shown an empty card about it.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from journal.core.reflection.common import CHANCE_ALPHA, finding, mean, pct, plural
from journal.core.reflection.days import Days

KIND = "practice"
TITLE = "The practice toward concern"
#: One practice, positional: (date, minutes, before or None, after or None).
PracticeRow = Sequence[Any]

PRACTICE_MIN_DAYS = 5      # days in each group before comparing
PRACTICE_GAP = 0.10        # a gap of 10 points of next-day contagion share
PERMUTATIONS = 999         # reshuffles for the chance figure (p never below 1/1000)
#: Stop reshuffling once this many reach the gap seen: the figure is then above 5% whatever
#: the rest would give (51/1000 at the latest), so the decision is the same, sooner.
ENOUGH_AT_LEAST = 50
_SEED = 17                 # the same data always gives the same figure


def practice(days: Days, practices: Iterable[PracticeRow]) -> dict[str, Any] | None:
    """The finding over the days in range, or None when no practice falls in it."""
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
    p_value, tries = (_permutation_p(after, other, strata) if enough and gap is not None
                      else (None, 0))
    notable = bool(enough and gap is not None and abs(gap) >= PRACTICE_GAP
                   and p_value is not None and p_value < CHANCE_ALPHA)
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
        "chance": p_value,
        "permutations": tries,
        "comparable_definition": "days with a contagion moment and no practice, each "
                                 "followed by a day with moments",
        "min_days": PRACTICE_MIN_DAYS,
    }
    summary = [_within(changes)]
    evidence = days.evidence(after_days)
    if not enough:
        missing = (f"Comparing the next day needs at least {PRACTICE_MIN_DAYS} practice days "
                   f"and {PRACTICE_MIN_DAYS} comparable days without one, each followed by a "
                   f"day with moments; this range has {len(after)} and {len(other)}.")
        return finding(KIND, TITLE, " ".join(summary), stats, evidence, missing=missing)
    summary.append(
        f"The day after a practice, your contagion share was {pct(share_after)} on average "
        f"({plural(len(after), 'day')}), against {pct(share_other)} after comparable days "
        f"without one ({plural(len(other), 'day')}).")
    assert p_value is not None
    summary.append(
        f"Shuffling which days had a practice (within each weekday) gave a gap this large in "
        f"{_percent(p_value)} of {tries} tries"
        + ("; that is more than chance usually gives." if notable else
           "; chance alone could explain it." if p_value >= CHANCE_ALPHA else
           f", but the gap is under {round(PRACTICE_GAP * 100)} points."))
    summary.append("Your data so far: you choose when to practise, so this is not proof of "
                   "cause.")
    return finding(KIND, TITLE, " ".join(summary), stats, evidence, notable=notable)


def _percent(p_value: float) -> str:
    return "under 1%" if p_value < 0.01 else f"{round(p_value * 100)}%"


def _within(changes: list[int]) -> str:
    if not changes:
        return "No practice was rated both before and after yet."
    change = mean(changes)
    assert change is not None
    way = ("went down" if change < 0 else "went up" if change > 0 else "stayed the same")
    return (f"Within the {plural(len(changes), 'practice')} you rated before and after, "
            f"your activation {way} by {abs(change):g} on average (0-10).")


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


def _permutation_p(after: list[float], other: list[float],
                   weekdays: list[int]) -> tuple[float, int]:
    """Two-sided: the share of within-weekday reshuffles (and the data itself) whose gap
    between the means is at least the one seen; and how many reshuffles were made."""
    values = after + other
    n_after, n_other = len(after), len(other)
    total = sum(values)
    seen = abs(sum(after) / n_after - (total - sum(after)) / n_other)
    strata: dict[int, list[float]] = {}
    quota: dict[int, int] = {}
    for i, (value, weekday) in enumerate(zip(values, weekdays, strict=True)):
        strata.setdefault(weekday, []).append(value)
        if i < n_after:
            quota[weekday] = quota.get(weekday, 0) + 1
    rng = random.Random(_SEED)
    sample = rng.sample
    groups = [(members, quota.get(w, 0)) for w, members in strata.items()]
    at_least = tries = 0
    while tries < PERMUTATIONS and at_least < ENOUGH_AT_LEAST:
        tries += 1
        picked = sum(sum(sample(members, k)) for members, k in groups if k)
        if abs(picked / n_after - (total - picked) / n_other) >= seen - 1e-12:
            at_least += 1
    return round((at_least + 1) / (tries + 1), 4), tries
