"""The longest stretch without any recovery activity noted.

A stretch is a run of consecutive calendar days that each have an entry listing no
recovery activity. A day without an entry ends the stretch: nothing is known about it.
Framing (domain.md §8.5): this describes the notes, it never says the user is failing.
"""

from __future__ import annotations

from datetime import date
from itertools import compress
from typing import Any

from journal.core.reflection.chance import Chance, run_chance
from journal.core.reflection.common import (
    GAP_NOTABLE_DAYS,
    MIN_TREND_DAYS,
    finding,
    plural,
)
from journal.core.reflection.days import Days

KIND = "self_care_gap"
TITLE = "Stretches without recovery"


def self_care_gap(days: Days) -> tuple[dict[str, Any], list[Chance]]:
    has = list(map(bool, days.recovery))
    # Day i continues day i-1's stretch when neither lists recovery and it is the next
    # calendar day; cutting where that fails leaves stretches (and single days with recovery)
    cut = [a or b or not f   # [i]: a cut before day i + 1
           for a, b, f in zip(has, has[1:], days.follows, strict=False)]
    cuts = [0, *compress(range(1, len(has)), cut), len(has)] if has else [0]
    starts = cuts[:-1]
    lengths = [0 if has[a] else b - a for a, b in zip(starts, cuts[1:], strict=True)]
    longest = max(lengths, default=0)
    first = starts[lengths.index(longest)] if longest else 0   # the earliest of the longest
    best = (first, first + longest)
    long_runs = sum(map(GAP_NOTABLE_DAYS.__le__, lengths))
    best_days = list(map(date.fromordinal, days.ordinals[slice(*best)]))
    with_recovery = sum(has)
    stats: dict[str, Any] = {
        "longest": ({"from": best_days[0].isoformat(),
                     "to": best_days[-1].isoformat(),
                     "days": len(best_days)}
                    if best_days else {"from": None, "to": None, "days": 0}),
        "stretches_of_7_days_or_more": long_runs,
        "days_with_recovery": with_recovery,
        "entries": len(days),
        "definition": ("consecutive calendar days, each with an entry that lists no recovery "
                       "activity; a day without an entry ends the stretch"),
    }
    what = "a stretch this long"
    if not with_recovery:
        where = (f"none are noted in this range's {plural(len(days), 'entry', 'entries')}"
                 if len(days) else "this range has no entries yet")
        return finding(KIND, TITLE, "Recovery activities: not used yet in this range.", stats,
                       missing=f"This needs recovery activities on your entries, so that a "
                       f"stretch without them means something; {where}."), [Chance(what)]
    if len(days) < MIN_TREND_DAYS:
        missing = (f"This needs at least {MIN_TREND_DAYS} entries; this range has "
                   f"{plural(len(days), 'entry', 'entries')}.")
        return finding(KIND, TITLE, "Not enough entries to find stretches yet.",
                       stats, missing=missing), [Chance(what)]
    rate = with_recovery / len(days)
    stats["recovery_rate"] = round(rate, 3)
    if best_days:
        when = (f"on {best_days[0]}" if len(best_days) == 1 else
                f"from {best_days[0]} to {best_days[-1]}")
        summary = (f"Your longest stretch without a recovery activity noted was "
                   f"{plural(len(best_days), 'day')}, {when}. "
                   f"You noted recovery on {with_recovery} of {len(days)} days.")
    else:
        summary = f"You noted recovery on every one of your {len(days)} days."
    chance = (run_chance(len(best_days), len(days), rate, what)
              if len(best_days) >= GAP_NOTABLE_DAYS else Chance(what))
    return finding(KIND, TITLE, summary, stats, days.evidence(range(*best)), n=len(days),
                   if_notable=" If rest did not fit then, what around work made it hard?"
                   ), [chance]
