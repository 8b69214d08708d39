"""P1: the contagion-concern balance per ISO week and its trend (domain.md §6 P1)."""

from __future__ import annotations

import math
from bisect import bisect_right
from datetime import date
from itertools import compress, repeat
from operator import add, floordiv, ne
from typing import Any

from journal.core.reflection.common import (
    MIN_TREND_DAYS,
    MIN_TREND_WEEKS,
    chance_z,
    finding,
    pct,
    plural,
    share,
    two_proportion_z,
)
from journal.core.reflection.days import Days

KIND = "balance"
TITLE = "Feeling it with them, and wanting to help"
EDGE_WEEKS = 4          # weeks averaged for "at first" / "lately" in the summary
RECENT_DAYS = 7         # P1 flag window...
PRIOR_DAYS = 14         # ...against the 14 days before it
RECENT_SHARE = 0.60
RECENT_RISE = 0.15
RECENT_MIN_DAYS = 4
TREND_NOTABLE_WEEKS = 8


def balance(days: Days, end: date) -> dict[str, Any]:
    weeks = _weeks(days)
    rows = [
        {"week": label, "contagion": c, "concern": k,
         "contagion_share": round(c / (c + k), 3) if c + k else None,   # share(), inlined
         "contagion_intensity": c_sum, "concern_intensity": k_sum}
        for label, (_, c, k, c_sum, k_sum) in zip(_week_labels([w[0] for w in weeks]), weeks,
                                                  strict=True)
    ]
    points = [(monday / 7, c / (c + k)) for monday, c, k, _, _ in weeks if c + k]
    total_c = sum(days.contagion)
    total_k = sum(days.concern)
    tagged_days = sum(map(bool, map(add, days.contagion, days.concern)))
    recent = _recent(days, end)
    stats: dict[str, Any] = {
        "weeks": rows,
        "trend_per_week": None,
        "contagion": total_c,
        "concern": total_k,
        "contagion_share": share(total_c, total_c + total_k),
        "days_with_moments": tagged_days,
        "weeks_with_moments": len(points),
        "share_counts": "moments (each moment counts once, whatever its intensity)",
        "recent": recent,
    }
    if tagged_days < MIN_TREND_DAYS or len(points) < MIN_TREND_WEEKS:
        missing = (f"A trend needs moments on at least {MIN_TREND_DAYS} days across "
                   f"{MIN_TREND_WEEKS} weeks; this range has "
                   f"{plural(tagged_days, 'day')} with moments in "
                   f"{plural(len(points), 'week')}.")
        summary = (f"You noted {plural(total_c, 'contagion moment')} and "
                   f"{plural(total_k, 'concern moment')} so far.")
        return finding(KIND, TITLE, summary, stats, missing=missing)
    slope, se = _slope(points)
    stats["trend_per_week"] = round(slope, 4)
    edge = min(EDGE_WEEKS, len(points) // 2)
    first = _pooled(rows, slice(0, edge))
    last = _pooled(rows, slice(-edge, None))
    stats["first_weeks_share"], stats["last_weeks_share"] = first, last
    change = slope * (points[-1][0] - points[0][0])
    stats["trend_change"] = round(change, 3)
    # A trend is mentioned only over 8+ weeks, when it adds up to 15+ points and its slope
    # is at least twice its standard error (weekly shares are noisy).
    steady = (len(points) >= TREND_NOTABLE_WEEKS and abs(change) >= RECENT_RISE
              and (se == 0 or abs(slope) >= 2 * se))
    direction = ("toward contagion" if slope > 0 else "toward concern") if slope else "flat"
    summary = (
        f"You noted {plural(total_c, 'contagion moment')} and "
        f"{plural(total_k, 'concern moment')} over {plural(len(points), 'week')} "
        f"({pct(stats['contagion_share'])} contagion). The contagion share moved "
        f"{slope * 100:+.1f} points a week ({direction}): {pct(first)} in the first "
        f"{plural(edge, 'week')} with moments, {pct(last)} in the last {edge}."
    )
    if recent["flag"]:
        summary += (f" In the last {RECENT_DAYS} days contagion outweighed concern "
                    f"({pct(recent['last_7_days_share'])} against "
                    f"{pct(recent['previous_14_days_share'])} in the 14 days before).")
    notable = recent["flag"] or steady
    since = bisect_right(days.ordinals, end.toordinal() - RECENT_DAYS)
    evidence = [i for i in range(since, len(days)) if days.contagion[i] or days.concern[i]]
    return finding(KIND, TITLE, summary, stats, days.evidence(evidence), notable=notable)


def _weeks(days: Days) -> list[tuple[int, int, int, int, int]]:
    """Per ISO week with an entry, oldest first: (its Monday's ordinal, contagion moments,
    concern moments, their intensity sums). Days are sorted, so a week is one slice."""
    # date.fromordinal(1) is a Monday: (ordinal - 1) // 7 numbers the Monday-based weeks.
    week = list(map(floordiv, map(_PREVIOUS, days.ordinals), repeat(7)))
    cuts = [0, *compress(range(1, len(week)), map(ne, week[1:], week)), len(week)]
    c, k, c_sum, k_sum = (days.contagion, days.concern, days.contagion_intensity,
                          days.concern_intensity)
    return [(week[a] * 7 + 1, sum(c[a:b]), sum(k[a:b]), sum(c_sum[a:b]), sum(k_sum[a:b]))
            for a, b in zip(cuts, cuts[1:], strict=False) if a < b]


_PREVIOUS = (-1).__add__


def _week_labels(mondays: list[int]) -> list[str]:
    """"YYYY-Www" for ascending Mondays' ordinals (counted on from the week before when it is
    the week before: date.isocalendar() for every week was a fifth of this finding)."""
    labels = []
    last, year, week, last_week = None, 0, 0, 0
    for monday in mondays:
        follows = last is not None and monday == last + 7
        if follows and week < last_week:
            week += 1
        elif follows:
            year, week = year + 1, 1
            last_week = _iso_weeks(year)
        else:
            year, week, _ = date.fromordinal(monday).isocalendar()
            last_week = _iso_weeks(year)
        labels.append(f"{year}-W{week:02d}")
        last = monday
    return labels


def _iso_weeks(year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the year's last."""
    return date(year, 12, 28).isocalendar()[1]


def _pooled(rows: list[dict[str, Any]], part: slice) -> float | None:
    chosen = [r for r in rows if r["contagion"] + r["concern"]][part]
    c = sum(r["contagion"] for r in chosen)
    return share(c, c + sum(r["concern"] for r in chosen))


def _slope(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Ordinary least-squares slope of share against week number, and its standard error."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if not sxx:
        return 0.0, 0.0
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    if n < 3:
        return slope, 0.0
    resid = sum((y - my - slope * (x - mx)) ** 2 for x, y in points)
    return slope, math.sqrt(resid / (n - 2) / sxx)


def _recent(days: Days, end: date) -> dict[str, Any]:
    """P1's flag: the last 7 days' share >= 60% and >= 15 points above the 14 days before,
    on >= 4 days with moments, and more than chance (one-sided z test at 5%)."""
    end_at = end.toordinal()
    recent_from = end_at - RECENT_DAYS
    prior_from = recent_from - PRIOR_DAYS
    at = days.ordinals
    lo, mid, hi = (bisect_right(at, o) for o in (prior_from, recent_from, end_at))
    c, k = days.contagion, days.concern
    last_days = sum(1 for i in range(mid, hi) if c[i] or k[i])
    last_c, last_n = sum(c[mid:hi]), sum(c[mid:hi]) + sum(k[mid:hi])
    prior_c, prior_n = sum(c[lo:mid]), sum(c[lo:mid]) + sum(k[lo:mid])
    last_share = share(last_c, last_n)
    prior_share = share(prior_c, prior_n)
    flag = (last_days >= RECENT_MIN_DAYS and last_share is not None
            and prior_share is not None
            and last_share >= RECENT_SHARE and last_share - prior_share >= RECENT_RISE
            and two_proportion_z(last_c, last_n, prior_c, prior_n) >= chance_z(1, sides=1))
    return {"last_7_days_share": last_share, "previous_14_days_share": prior_share,
            "days": last_days, "flag": flag}
