"""Findings beyond the six required ones: withdrawal urges (P9), good-things anchors (P8)
and feeling numb more often (P10, from the `numb`, `cynical` and `detached-from-them`
feeling words only). Changes are compared day by day: the last 14 days against the 14
before, with data required in both, and a chance check that shuffles those 28 days'
rates within weekday."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date
from typing import Any

from journal.core.reflection.chance import Chance, seeded, shuffle_test
from journal.core.reflection.common import (
    MIN_TREND_DAYS,
    WITHDRAW_MIN,
    WITHDRAW_RISE,
    WITHDRAW_SHARE,
    counted,
    finding,
    pct,
    plural,
    share,
)
from journal.core.reflection.days import Days

WINDOW = 14
MIN_WINDOW_DAYS = 4      # days with data needed in each window before comparing
NUMB_MIN = 3             # P10: at least 3 in the last 14 days...
NUMB_RATIO = 2.0         # ...and at least twice the rate of the 14 days before
NUMB_TEXT = "numb, cynical or detached from them"


def withdrawal(days: Days, end: date) -> tuple[dict[str, Any], list[Chance]]:
    """P9: the share of moments with an action where the action was to step away."""
    recent_from, prior_from = _windows(days, end)
    away_col, acted_col = days.stepped_away, days.with_action
    totals = {"all": [sum(away_col), sum(acted_col)],   # [stepped away, with action]
              "last": [sum(away_col[recent_from:]), sum(acted_col[recent_from:])],
              "prior": [sum(away_col[prior_from:recent_from]),
                        sum(acted_col[prior_from:recent_from])]}
    evidence = days.evidence_where(away_col)
    away, n = totals["all"]
    rates = _rates(away_col, acted_col, prior_from, recent_from)
    last, prior = rates["last"], rates["prior"]
    stats: dict[str, Any] = {
        "stepped_away": away, "with_action": n, "share": share(away, n),
        "last_14_days": {"stepped_away": totals["last"][0], "with_action": totals["last"][1],
                         "share": share(*totals["last"]), "days": len(rates["last_days"]),
                         "mean_daily_share": last},
        "previous_14_days": {"stepped_away": totals["prior"][0],
                             "with_action": totals["prior"][1],
                             "share": share(*totals["prior"]),
                             "days": len(rates["prior_days"]), "mean_daily_share": prior},
    }
    title = "Wanting to step away"
    what = "a rise this large"
    if not n:
        return finding("withdrawal", title, "Actions on moments: not used yet in this range.",
                       stats, missing=f"This needs at least {WITHDRAW_MIN} moments with an "
                       f"action (helped, approached, withdrew, avoided); "
                       f"{_none_of(sum(days.moment_count))}."), [Chance(what)]
    if n < WITHDRAW_MIN:
        return finding("withdrawal", title, "Too few moments with an action noted yet.", stats,
                       evidence, missing=f"This needs at least {WITHDRAW_MIN} "
                       f"moments with an action (helped, approached, withdrew, avoided); this "
                       f"range has {plural(n, 'moment')} with one."), [Chance(what)]
    summary = ("You noted wanting to step away (withdrew or avoided) in "
               + (f"none of your {n} moments with an action." if not away else
                  f"all {n} of your moments with an action." if away == n else
                  f"{away} of your {n} moments with an action ({pct(share(away, n))})."))
    chance = Chance(what)
    both = (len(rates["last_days"]) >= MIN_WINDOW_DAYS
            and len(rates["prior_days"]) >= MIN_WINDOW_DAYS
            and totals["last"][1] >= WITHDRAW_MIN and totals["prior"][1] >= WITHDRAW_MIN)
    if both and last is not None and prior is not None:
        summary += (f" In the last {WINDOW} days, on a day with an action, on average "
                    f"{pct(last)} of that day's actions were stepping away, against "
                    f"{pct(prior)} in the {WINDOW} days before.")
        if last - prior >= WITHDRAW_RISE:
            chance = _change(days, rates, "withdrawal", what)
    if share(away, n) is not None and (share(away, n) or 0) >= WITHDRAW_SHARE:
        summary += " Many helpers note wanting to step away at times; it is not a failing."
    return finding("withdrawal", title, summary, stats, evidence, n=n), [chance]


def good_things(days: Days) -> tuple[dict[str, Any], list[Chance]]:
    """P8: days with at least one good thing, and concern moments where you helped. Counts
    only; this finding never flags."""
    with_good = days.evidence_where(days.good)
    reached = sum(days.helped)
    acted = sum(days.with_action)
    stats = {"days_with_good_things": len(with_good), "entries": len(days),
             "good_things": sum(days.good), "helped_moments": reached}
    title = "Good things and moments you helped"
    what = "a count"
    if len(days) < MIN_TREND_DAYS:
        return finding("good_things", title, "Too few entries yet.", stats, with_good,
                       missing=f"This needs at least {MIN_TREND_DAYS} entries; this range "
                       f"has {counted(len(days), 'entry', 'entries')}."), [Chance(what)]
    summary = ((f"You noted good things on all {len(days)} of your days."
                if len(with_good) == len(days) else
                f"You noted good things on {len(with_good)} of your {len(days)} days.")
               if with_good else "Good things: not used yet in this range.")
    summary += (f" You noted {counted(reached, 'concern moment')} where you helped or "
                f"reached out." if acted else " Actions on moments: not used yet in this range.")
    return finding("good_things", title, summary, stats, with_good, n=len(days)), [Chance(
        what, counts_only=True)]


def numbness(days: Days, end: date) -> tuple[dict[str, Any], list[Chance]]:
    """P10: moments with a numb, cynical or detached-from-them feeling, as a rate of the
    day's moments, last 2 weeks against the 2 before."""
    recent_from, prior_from = _windows(days, end)
    numb = days.numb
    total, last, prior = sum(numb), sum(numb[recent_from:]), sum(numb[prior_from:recent_from])
    evidence = days.evidence_where(numb)
    rates = _rates(numb, days.moment_count, prior_from, recent_from)
    felt = days.felt
    stats = {"moments": total, "last_14_days": last, "previous_14_days": prior,
             "last_14_days_rate": rates["last"], "previous_14_days_rate": rates["prior"],
             "feelings_used": felt, "words": ["numb", "cynical", "detached-from-them"]}
    title = "Feeling numb, cynical or detached"
    what = "a rise this large"
    if not felt:
        return finding("numbness", title, "Feeling words: not used yet in this range.",
                       stats, missing="This needs feeling words on your moments; "
                       f"{_none_of(sum(days.moment_count))}."), [Chance(what)]
    if len(days) < MIN_TREND_DAYS:
        return finding("numbness", title, "Too few entries yet.", stats, evidence,
                       missing=f"This needs at least {MIN_TREND_DAYS} entries; this range "
                       f"has {counted(len(days), 'entry', 'entries')}."), [Chance(what)]
    summary = (f"You noted feeling {NUMB_TEXT} in {plural(total, 'moment')}: "
               f"{last or 'none'} in the last {WINDOW} days, {prior or 'none'} in the "
               f"{WINDOW} days before." if total
               else f"You noted no moments with the feeling words {NUMB_TEXT}.")
    chance = Chance(what)
    both = (len(rates["last_days"]) >= MIN_WINDOW_DAYS
            and len(rates["prior_days"]) >= MIN_WINDOW_DAYS)
    if (both and last >= NUMB_MIN and rates["last"] is not None and rates["prior"] is not None
            and rates["last"] >= NUMB_RATIO * rates["prior"]):
        chance = _change(days, rates, "numbness", what)
    return finding("numbness", title, summary, stats, evidence, n=total,
                   if_notable=" It may help to talk it over with a supervisor or a peer."
                   ), [chance]


def _none_of(moments: int) -> str:
    """That none of the range's moments has the thing, in words that fit their number."""
    if not moments:
        return "this range has no moments yet"
    return "your one moment in this range has none" if moments == 1 else (
        f"none of this range's {moments} moments has one")


def _rates(part: Sequence[int], whole: Sequence[int], prior_from: int, recent_from: int
           ) -> dict[str, Any]:
    """Per day with any `whole`, part/whole; their means in the last 14 days and the 14
    before (None without days)."""
    last_days = [i for i in range(recent_from, len(whole)) if whole[i]]
    prior_days = [i for i in range(prior_from, recent_from) if whole[i]]
    value = {i: part[i] / whole[i] for i in (*prior_days, *last_days)}

    def mean(idx: list[int]) -> float | None:
        return round(sum(value[i] for i in idx) / len(idx), 3) if idx else None

    return {"last": mean(last_days), "prior": mean(prior_days), "last_days": last_days,
            "prior_days": prior_days, "value": value}


def _change(days: Days, rates: dict[str, Any], name: str, what: str) -> Chance:
    """Shuffles the 28 days' rates within weekday: how often are the last 14 days this far
    above the 14 before?"""
    used = [*rates["prior_days"], *rates["last_days"]]
    last = set(rates["last_days"])
    return shuffle_test([rates["value"][i] for i in used], [1 if i in last else 0 for i in used],
                        [days.weekday[i] for i in used], seeded(days.seed, name), what)


def _windows(days: Days, end: date) -> tuple[int, int]:
    """The first day indices of the last 14 days and of the 14 days before them."""
    recent_from = end.toordinal() - WINDOW
    return (bisect_right(days.ordinals, recent_from),
            bisect_right(days.ordinals, recent_from - WINDOW))
