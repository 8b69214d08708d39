"""P5: recovery activities and the next day's balance.

For every day D with an entry whose next calendar day D+1 has contagion or concern
moments, D+1's moments are pooled into "after days with the activity" or "after days
without it" (the baseline), for each activity label on D. Shares count moments. An
activity has enough data with >= 5 days with it and >= 5 without; it stands out when the
two shares differ by >= 10 points and by more than chance usually gives (two-proportion
z test at the 5% level, Bonferroni-corrected for the number of activities compared).
"""

from __future__ import annotations

from collections import Counter
from itertools import compress
from operator import add, and_, not_
from typing import Any

from journal.core.reflection.common import (
    MIN_COMPARE_DAYS,
    RECOVERY_GAP,
    RECOVERY_MIN_DAYS,
    chance_z,
    finding,
    pct,
    plural,
    share,
    two_proportion_z,
)
from journal.core.reflection.days import Days

KIND = "recovery"
TITLE = "What seems to help"


def recovery(days: Days) -> dict[str, Any]:
    next_c = days.contagion[1:]
    next_n = list(map(add, next_c, days.concern[1:]))
    # pairs[i]: day i+1 follows day i and has moments
    pairs = list(map(and_, days.follows, map(bool, next_n)))
    all_days, all_c, all_n = sum(pairs), sum(compress(next_c, pairs)), sum(compress(next_n, pairs))
    per: dict[str, list[int]] = {}   # activity -> [days, next-day contagion, next-day moments]
    # one C loop counts the pairs by (activities, next-day contagion, next-day moments)
    combos = Counter(zip(compress(days.recovery, pairs),
                         compress(next_c, pairs), compress(next_n, pairs), strict=True))
    for (activities, c, n), times in combos.items():
        for activity in set(activities):   # a label listed twice on a day counts once
            row = per.setdefault(activity, [0, 0, 0])
            row[0] += times
            row[1] += c * times
            row[2] += n * times
    rows = []
    needed_z = chance_z(sum(1 for v in per.values()
                            if v[0] >= RECOVERY_MIN_DAYS and all_days - v[0] >= RECOVERY_MIN_DAYS))
    for activity, (n_days, c, n) in per.items():
        base_days, base_c, base_n = all_days - n_days, all_c - c, all_n - n
        enough = n_days >= RECOVERY_MIN_DAYS and base_days >= RECOVERY_MIN_DAYS
        after, base = share(c, n), share(base_c, base_n)
        diff = round(after - base, 3) if after is not None and base is not None else None
        stands_out = (enough and diff is not None and abs(diff) >= RECOVERY_GAP
                      and abs(two_proportion_z(c, n, base_c, base_n)) >= needed_z)
        rows.append({"activity": activity, "days": n_days, "days_without": base_days,
                     "next_day_contagion_share": after, "baseline_contagion_share": base,
                     "difference": diff, "enough_data": enough, "stands_out": stands_out})
    rows.sort(key=lambda r: (not r["enough_data"], r["difference"] is None,
                             r["difference"] or 0.0, r["activity"]))
    outstanding = [r for r in rows if r["stands_out"]]
    stats: dict[str, Any] = {
        "activities": rows,
        "days_compared": all_days,
        "baseline_definition": "the next-day contagion share after days without the activity",
        "min_days": RECOVERY_MIN_DAYS,
        "z_needed": round(needed_z, 2),
    }
    if all_days < MIN_COMPARE_DAYS or not any(r["enough_data"] for r in rows):
        missing = (f"Each activity needs at least {RECOVERY_MIN_DAYS} days with it and "
                   f"{RECOVERY_MIN_DAYS} without, each followed by a day with moments "
                   f"({MIN_COMPARE_DAYS} such days in all); this range has {all_days}"
                   + ("" if rows else " and no recovery activity noted") + ".")
        return finding(KIND, TITLE, "Not enough days with recovery noted to compare yet.",
                       stats, missing=missing)
    if outstanding:
        parts = [f"after you noted {r['activity']}, your contagion share was "
                 f"{'lower' if r['difference'] < 0 else 'higher'} "
                 f"({pct(r['next_day_contagion_share'])} against "
                 f"{pct(r['baseline_contagion_share'])} after days without it; "
                 f"{plural(r['days'], 'day')})"
                 for r in outstanding[:3]]
        summary = ("On days " + "; on days ".join(parts) + ". Your data so far: busier days "
                   "may leave less room for recovery, so this is not proof of cause.")
    else:
        summary = (f"No activity went with a next-day contagion share "
                   f"{round(RECOVERY_GAP * 100)} or more points away from days without it.")
    wanted = {r["activity"] for r in outstanding}
    evidence = days.evidence_where(map(and_, pairs, map(not_, map(
        wanted.isdisjoint, days.recovery)))) if wanted else []
    return finding(KIND, TITLE, summary, stats, evidence, notable=bool(outstanding))
