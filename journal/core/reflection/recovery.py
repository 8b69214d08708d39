"""P5: recovery activities and the next day's balance, the day as the unit.

For every day D with an entry whose next calendar day D+1 has contagion or concern
moments, D+1's contagion share (its contagion moments over its moments: each day weighs
the same) is compared between days D that listed the activity and days that did not (the
baseline). An activity has enough data with >= 5 days with it and >= 5 without; it is
tested when the two mean shares differ by >= 10 points: the days' next-day shares are
shuffled within weekday, and the smallest chance over the activities tested is multiplied
by their number (Bonferroni). It stands out when that passes the family control.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import compress
from operator import add, and_, not_, truediv
from typing import Any

from journal.core.reflection.chance import Chance, seeded, shuffle_test
from journal.core.reflection.common import (
    MIN_COMPARE_DAYS,
    RECOVERY_GAP,
    RECOVERY_MIN_DAYS,
    counted,
    finding,
    pct,
    plural,
)
from journal.core.reflection.days import Days

KIND = "recovery"
TITLE = "What seems to help"
WHAT = "a gap this large for an activity"


def recovery(days: Days) -> tuple[dict[str, Any], list[Chance]]:
    # the compared days: day i+1 follows day i and has moments; value: its contagion share
    nexts = list(map(add, days.contagion, days.concern))[1:]   # [i]: day i+1's moments
    pairs = list(map(and_, days.follows, map(bool, nexts)))   # [i]: day i is compared
    n_used = pairs.count(True)
    value = list(map(truediv, compress(days.contagion[1:], pairs), compress(nexts, pairs)))
    distinct = dict.fromkeys(compress(days.recovery, pairs))   # the lists of labels
    as_set = {r: frozenset(r) for r in distinct}   # a label listed twice counts once
    noted = sum(map(bool, days.recovery))
    activities = sorted(set().union(*as_set.values()))
    with_each = _selectors(compress(days.recovery, pairs), as_set)
    rows = []
    checks: dict[str, Chance] = {}
    strata: list[int] | None = None
    for activity in activities:
        with_it, without = with_each(activity)
        n_days = with_it.count(1)
        base_days = n_used - n_days
        enough = n_days >= RECOVERY_MIN_DAYS and base_days >= RECOVERY_MIN_DAYS
        after = _mean(compress(value, with_it), n_days)
        base = _mean(compress(value, without), base_days)
        diff = round(after - base, 3) if after is not None and base is not None else None
        row = {"activity": activity, "days": n_days, "days_without": base_days,
               "next_day_contagion_share": after, "baseline_contagion_share": base,
               "difference": diff, "enough_data": enough, "stands_out": False}
        rows.append(row)
        if enough and diff is not None and abs(diff) >= RECOVERY_GAP:
            if strata is None:
                strata = list(compress(days.weekday, pairs))
            checks[activity] = shuffle_test(value, list(map(int, with_it)), strata,
                                            seeded(days.seed, "recovery:" + activity), WHAT,
                                            sides=2)
        elif enough:
            checks[activity] = Chance(WHAT)
    rows.sort(key=lambda r: (not r["enough_data"], r["difference"] is None,
                             r["difference"] or 0.0, r["activity"]))
    compared = sum(1 for r in rows if r["enough_data"])
    stats: dict[str, Any] = {
        "activities": rows,
        "days_compared": n_used,
        "days_with_recovery": noted,
        "baseline_definition": ("the mean next-day contagion share after days without the "
                                "activity (each day counts once)"),
        "min_days": RECOVERY_MIN_DAYS,
    }
    if not noted:
        where = (f"none are noted in this range's {plural(len(days), 'entry', 'entries')}"
                 if len(days) else "this range has no entries yet")
        return finding(KIND, TITLE, "Recovery activities: not used yet in this range.",
                       stats, missing=f"This needs recovery activities on your entries; "
                       f"{where}."), [Chance(WHAT)]
    if n_used < MIN_COMPARE_DAYS or not compared:
        missing = (f"Each activity needs at least {RECOVERY_MIN_DAYS} days with it and "
                   f"{RECOVERY_MIN_DAYS} without, each followed by a day with moments "
                   f"({MIN_COMPARE_DAYS} such days in all); this range has "
                   f"{counted(n_used, 'such day')}, and recovery noted on "
                   f"{plural(noted, 'day')}" + _closest(rows) + ".")
        return finding(KIND, TITLE, "Not enough days with recovery noted to compare yet.",
                       stats, missing=missing, n=n_used), [Chance(WHAT)]
    plain = (f"No activity went with a next-day contagion share "
             f"{round(RECOVERY_GAP * 100)} or more points away from days without it, beyond "
             f"what chance gives ({plural(compared, 'activity', 'activities')} compared "
             f"over {plural(n_used, 'day')}).")
    out = finding(KIND, TITLE, plain, stats, n=n_used)

    def mark(result: dict[str, Any], notable: bool, bar: float) -> None:
        standing = [r for r in rows if r["activity"] in checks
                    and checks[r["activity"]].notable]
        for r in standing:
            r["stands_out"] = True
        if not standing:
            return
        parts = [f"the day after a day when you noted the activity \u201c{r['activity']}\u201d, "
                 f"your contagion share was {'lower' if r['difference'] < 0 else 'higher'} "
                 f"on average ({pct(r['next_day_contagion_share'])} of a day's moments, "
                 f"against {pct(r['baseline_contagion_share'])} after days without it; "
                 f"{plural(r['days'], 'day')} with it)" for r in standing[:3]]
        result["summary"] = ("On " + "; on ".join(parts) + ". Your data so far: busier days "
                             "may leave less room for recovery, so this is not proof of cause.")
        wanted = {r["activity"] for r in standing}
        result["evidence"] = days.evidence(
            [i for i in compress(range(len(pairs)), pairs)
             if not wanted.isdisjoint(days.recovery[i])])

    out["_later"] = mark
    return out, list(checks.values())


def _closest(rows: list[dict[str, Any]]) -> str:
    """The activity noted on the most compared days, with its two counts: what the
    thresholds above are measured against."""
    if not rows or not max(r["days"] for r in rows):
        return ""
    r = max(rows, key=lambda r: (r["days"], r["days_without"]))
    return (f"; the activity noted most, \u201c{r['activity']}\u201d, has "
            f"{plural(r['days'], 'such day')} with it and {r['days_without'] or 'none'} "
            f"without")


def _selectors(listed: Iterable[tuple[str, ...]],
               as_set: dict[tuple[str, ...], frozenset[str]]
               ) -> Callable[[str], tuple[Sequence[int], Sequence[int]]]:
    """For an activity, which of the days listed (each day's labels) hold it and which do
    not, as two selectors for `compress` (1 or 0 a day). The distinct lists of labels are
    numbered (a byte a day), so each activity's selectors are one `bytes.translate` each,
    not a pass over the days in Python; beyond 256 distinct lists, a pass per activity."""
    if len(as_set) <= 256:
        number = {r: n for n, r in enumerate(as_set)}
        codes = bytes(map(number.__getitem__, listed))

        def by_code(activity: str) -> tuple[bytes, bytes]:
            has = bytes(activity in labels for labels in as_set.values()).ljust(256, b"\0")
            return codes.translate(has), codes.translate(bytes(map(not_, has)))

        return by_code
    labels = list(map(as_set.__getitem__, listed))

    def by_day(activity: str) -> tuple[list[bool], list[bool]]:
        has = {ls: activity in ls for ls in as_set.values()}
        with_it = list(map(has.__getitem__, labels))
        return with_it, list(map(not_, with_it))

    return by_day


def _mean(values: Iterable[float], n: int) -> float | None:
    """The mean of the n values (summed in their order), to 3 places."""
    return round(sum(values) / n, 3) if n else None
