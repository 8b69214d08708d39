"""Findings beyond the six required ones: withdrawal urges (P9), good-things anchors (P8)
and feeling numb more often (P10, from the `numb`/`cynical` feeling words only)."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from typing import Any

from journal.core.reflection.common import (
    MIN_TREND_DAYS,
    NUMB_WORDS,
    WITHDRAW_MIN,
    WITHDRAW_RISE,
    WITHDRAW_SHARE,
    finding,
    pct,
    plural,
    share,
)
from journal.core.reflection.days import Days


def withdrawal(days: Days, end: date) -> dict[str, Any]:
    """P9: the share of moments with an action where the action was to step away."""
    recent_from, prior_from = _windows(days, end)
    away_col, acted_col = days.stepped_away, days.with_action
    totals = {"all": [sum(away_col), sum(acted_col)],   # [stepped away, with action]
              "last": [sum(away_col[recent_from:]), sum(acted_col[recent_from:])],
              "prior": [sum(away_col[prior_from:recent_from]),
                        sum(acted_col[prior_from:recent_from])]}
    evidence = days.evidence_where(away_col)
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
                       evidence, missing=f"This needs at least {WITHDRAW_MIN} "
                       f"moments with an action (helped, approached, withdrew, avoided); this "
                       f"range has {n}.")
    summary = (f"You noted wanting to step away (withdrew or avoided) in {away} of {n} "
               f"moments with an action ({pct(share(away, n))}).")
    rose = (last is not None and prior is not None and totals["last"][1] >= WITHDRAW_MIN
            and last - prior >= WITHDRAW_RISE)
    if rose:
        summary += f" In the last 14 days: {pct(last)}, against {pct(prior)} before."
    summary += " Wanting to step away is a signal of strain, not a failing."
    notable = (share(away, n) or 0) >= WITHDRAW_SHARE or rose
    return finding("withdrawal", title, summary, stats, evidence,
                   notable=notable)


def good_things(days: Days) -> dict[str, Any]:
    """P8: days with at least one good thing, and concern moments where you helped. Counts
    only; this finding never flags."""
    with_good = days.evidence_where(days.good)
    reached = sum(days.helped)
    stats = {"days_with_good_things": len(with_good), "entries": len(days),
             "good_things": sum(days.good), "helped_moments": reached}
    title = "Good things and moments you helped"
    if len(days) < MIN_TREND_DAYS:
        return finding("good_things", title, "Too few entries yet.", stats, with_good,
                       missing=f"This needs at least {MIN_TREND_DAYS} entries; this range "
                       f"has {len(days)}.")
    summary = (f"You noted good things on {len(with_good)} of {len(days)} days, and "
               f"{plural(reached, 'concern moment')} where you helped or reached out.")
    return finding("good_things", title, summary, stats, with_good)


def numbness(days: Days, end: date) -> dict[str, Any]:
    """P10: moments with a numb/cynical feeling word, last 2 weeks against the 2 before."""
    recent_from, prior_from = _windows(days, end)
    numb = days.numb
    total, last, prior = sum(numb), sum(numb[recent_from:]), sum(numb[prior_from:recent_from])
    evidence = days.evidence_where(numb)
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


def _windows(days: Days, end: date) -> tuple[int, int]:
    """The first day indices of the last 14 days and of the 14 days before them."""
    recent_from = end.toordinal() - 14
    return (bisect_right(days.ordinals, recent_from),
            bisect_right(days.ordinals, recent_from - 14))
