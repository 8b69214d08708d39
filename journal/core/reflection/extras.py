"""Findings beyond the six required ones: withdrawal urges (P9), good-things anchors (P8)
and feeling numb more often (P10, from the `numb`/`cynical` feeling words only)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from journal.core.reflection.days import (
    MIN_TREND_DAYS,
    WITHDRAW_MIN,
    WITHDRAW_RISE,
    WITHDRAW_SHARE,
    Day,
    finding,
    pct,
    plural,
    share,
)

STEP_AWAY = ("withdrew", "avoided")
REACH_IN = ("helped", "approached")
NUMB_WORDS = ("numb", "cynical", "detached-from-them")
_NUMB = frozenset(NUMB_WORDS)


def withdrawal(days: list[Day], end: date) -> dict[str, Any]:
    """P9: the share of moments with an action where the action was to step away."""
    recent_from = end - timedelta(days=14)
    prior_from = recent_from - timedelta(days=14)
    totals = {"all": [0, 0], "last": [0, 0], "prior": [0, 0]}  # [stepped away, with action]
    evidence: list[Day] = []
    for day in days:
        window = ("last" if day.date > recent_from else
                  "prior" if day.date > prior_from else None)
        stepped = False
        for moment in day.moments:
            if moment.action is None:
                continue
            away = moment.action in STEP_AWAY
            stepped |= away
            for key in ("all", window):
                if key:
                    totals[key][0] += away
                    totals[key][1] += 1
        if stepped:
            evidence.append(day)
    away, n = totals["all"]
    last, prior = (share(*totals["last"]), share(*totals["prior"]))
    stats: dict[str, Any] = {
        "stepped_away": away, "with_action": n, "share": share(away, n),
        "last_14_days": {"stepped_away": totals["last"][0], "with_action": totals["last"][1],
                         "share": last},
        "previous_14_days": {"stepped_away": totals["prior"][0],
                             "with_action": totals["prior"][1], "share": prior},
    }
    title = "Wanting to step away"
    if n < WITHDRAW_MIN:
        return finding("withdrawal", title, "Too few moments with an action noted yet.", stats,
                       evidence, missing=f"This needs at least {WITHDRAW_MIN} moments with an "
                       f"action (helped, approached, withdrew, avoided); this range has {n}.")
    summary = (f"You noted wanting to step away (withdrew or avoided) in {away} of {n} "
               f"moments with an action ({pct(share(away, n))}).")
    rose = (last is not None and prior is not None and totals["last"][1] >= WITHDRAW_MIN
            and last - prior >= WITHDRAW_RISE)
    if rose:
        summary += f" In the last 14 days: {pct(last)}, against {pct(prior)} before."
    summary += " Wanting to step away is a signal of strain, not a failing."
    notable = (share(away, n) or 0) >= WITHDRAW_SHARE or rose
    return finding("withdrawal", title, summary, stats, evidence, notable=notable)


def good_things(days: list[Day]) -> dict[str, Any]:
    """P8: days with at least one good thing, and concern moments where you helped. Counts
    only; this finding never flags."""
    with_good = [d for d in days if d.good_things]
    reached = sum(1 for d in days for m in d.moments
                  if m.kind == "concern" and m.action in REACH_IN)
    stats = {"days_with_good_things": len(with_good), "entries": len(days),
             "good_things": sum(d.good_things for d in days), "helped_moments": reached}
    title = "Good things and moments you helped"
    if len(days) < MIN_TREND_DAYS:
        return finding("good_things", title, "Too few entries yet.", stats, with_good,
                       missing=f"This needs at least {MIN_TREND_DAYS} entries; this range "
                       f"has {len(days)}.")
    summary = (f"You noted good things on {len(with_good)} of {len(days)} days, and "
               f"{plural(reached, 'concern moment')} where you helped or reached out.")
    return finding("good_things", title, summary, stats, with_good)


def numbness(days: list[Day], end: date) -> dict[str, Any]:
    """P10: moments with a numb/cynical feeling word, last 2 weeks against the 2 before."""
    recent_from = end - timedelta(days=14)
    prior_from = recent_from - timedelta(days=14)
    total = last = prior = 0
    evidence: list[Day] = []
    for day in days:
        hits = 0
        for m in day.moments:
            if m.feelings and not _NUMB.isdisjoint(m.feelings):
                hits += 1
        if not hits:
            continue
        total += hits
        evidence.append(day)
        if day.date > recent_from:
            last += hits
        elif day.date > prior_from:
            prior += hits
    stats = {"moments": total, "last_14_days": last, "previous_14_days": prior,
             "words": list(NUMB_WORDS)}
    title = "Feeling numb"
    if len(days) < MIN_TREND_DAYS:
        return finding("numbness", title, "Too few entries yet.", stats, evidence,
                       missing=f"This needs at least {MIN_TREND_DAYS} entries; this range "
                       f"has {len(days)}.")
    notable = last >= 3 and last >= 2 * prior
    summary = (f"You noted feeling numb or cynical in {plural(total, 'moment')}; "
               f"{last} in the last 14 days, {prior} in the 14 before." if total else
               "You noted no moments with the feeling words numb or cynical.")
    if notable:
        summary += " It may help to talk it over with a supervisor or a peer."
    return finding("numbness", title, summary, stats, evidence, notable=notable)
