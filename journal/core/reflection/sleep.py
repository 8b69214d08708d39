"""P4: sleep after heavy-contagion days against sleep after other days.

Sleep on an entry is the night *before* it, so the night after day D is the sleep on D+1's
entry. A pair needs an entry on D and a sleep rating on D+1. A heavy day's highest
contagion intensity is 7 or more; every other day with an entry (including days with no
contagion at all) is "other".
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import and_, gt, is_not
from typing import Any

from journal.core.reflection.chance import Chance, seeded, shuffle_test
from journal.core.reflection.common import (
    HEAVY_INTENSITY,
    MIN_COMPARE_DAYS,
    MIN_SLEEP_GROUP,
    SLEEP_GAP,
    counted,
    finding,
    mean,
    plural,
)
from journal.core.reflection.days import Days

KIND = "sleep_after_contagion"
TITLE = "Sleep after heavy days"


def sleep_after_contagion(days: Days) -> tuple[dict[str, Any], list[Chance]]:
    heavy = days.heavy
    nights = days.sleep[1:]      # [i]: the night after day i, when day i+1 follows it
    pairs = list(map(and_, days.follows, map(is_not, nights, repeat(None))))
    after_heavy = list(map(and_, pairs, map(bool, heavy)))
    high: list[int] = list(compress(nights, after_heavy))
    other: list[int] = list(compress(nights, map(gt, pairs, after_heavy)))  # pair, not heavy
    heavy_days = days.evidence_where(after_heavy)
    after_high, after_other = mean(high), mean(other)
    diff = (round(after_other - after_high, 2)
            if after_high is not None and after_other is not None else None)
    rated = len(days.sleep) - days.sleep.count(None)
    stats: dict[str, Any] = {
        "after_high": after_high,
        "after_other": after_other,
        "n_high": len(high),
        "n_other": len(other),
        "difference": diff,
        "heavy_day_definition": (f"a day whose highest contagion intensity is "
                                 f"{HEAVY_INTENSITY} or more (0-10)"),
        "sleep_definition": "the sleep rating (0-10) on the next day's entry, for last night",
        "min_difference": SLEEP_GAP,
        "days_with_sleep": rated,
    }
    what = "a gap this large"
    if not rated:
        where = (f"none are noted in this range's {plural(len(days), 'entry', 'entries')}"
                 if len(days) else "this range has no entries yet")
        return finding(KIND, TITLE, "Sleep ratings: not used yet in this range.", stats,
                       missing=f"This needs sleep ratings on your entries; {where}."
                       ), [Chance(what)]
    if (len(high) < MIN_SLEEP_GROUP or len(other) < MIN_SLEEP_GROUP
            or len(high) + len(other) < MIN_COMPARE_DAYS):
        missing = (f"The comparison needs at least {MIN_SLEEP_GROUP} heavy and "
                   f"{MIN_SLEEP_GROUP} other days followed by an entry with a sleep rating "
                   f"({MIN_COMPARE_DAYS} in all); this range has "
                   f"{counted(len(high), 'heavy day')} and {counted(len(other), 'other day')} "
                   f"like that.")
        return finding(KIND, TITLE, "Not enough nights with a sleep rating to compare yet.",
                       stats, heavy_days, missing=missing), [Chance(what)]
    assert diff is not None
    summary = (f"On the {len(high)} nights after days when your contagion reached "
               f"{HEAVY_INTENSITY} or more, you rated sleep {after_high:.1f} out of 10 on "
               f"average, against {after_other:.1f} on the {len(other)} nights after other days.")
    chance = Chance(what)
    if abs(diff) >= SLEEP_GAP:
        used = [i for i, ok in enumerate(pairs) if ok]
        chance = shuffle_test([nights[i] for i in used], [1 if heavy[i] else 0 for i in used],
                              [days.weekday[i] for i in used],
                              seeded(days.seed, KIND), what, sides=2)
    return finding(KIND, TITLE, summary, stats, heavy_days, n=len(high) + len(other),
                   if_notable=" This is a pattern in your own entries, not a cause.",
                   if_not=" Nothing here stands out beyond chance."), [chance]
