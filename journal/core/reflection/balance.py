"""P1: the contagion-concern balance per ISO week and its trend (domain.md §6 P1)."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from journal.core.reflection.days import (
    MIN_TREND_DAYS,
    MIN_TREND_WEEKS,
    Day,
    chance_z,
    finding,
    pct,
    plural,
    share,
    two_proportion_z,
)

KIND = "balance"
TITLE = "Feeling it with them, and wanting to help"
EDGE_WEEKS = 4          # weeks averaged for "at first" / "lately" in the summary
RECENT_DAYS = 7         # P1 flag window...
PRIOR_DAYS = 14         # ...against the 14 days before it
RECENT_SHARE = 0.60
RECENT_RISE = 0.15
RECENT_MIN_DAYS = 4
TREND_NOTABLE_WEEKS = 8


def balance(days: list[Day], end: date) -> dict[str, Any]:
    weeks: dict[tuple[int, int], list[int]] = {}
    for day in days:
        iso = day.date.isocalendar()
        counts = weeks.setdefault((iso.year, iso.week), [0, 0, 0, 0])
        counts[0] += day.contagion
        counts[1] += day.concern
        for moment in day.moments:
            if moment.kind == "contagion":
                counts[2] += moment.intensity
            elif moment.kind == "concern":
                counts[3] += moment.intensity
    rows = [
        {"week": f"{y}-W{w:02d}", "contagion": c[0], "concern": c[1],
         "contagion_share": share(c[0], c[0] + c[1]),
         "contagion_intensity": c[2], "concern_intensity": c[3]}
        for (y, w), c in sorted(weeks.items())
    ]
    points = [(date.fromisocalendar(y, w, 1).toordinal() / 7, c[0] / (c[0] + c[1]))
              for (y, w), c in sorted(weeks.items()) if c[0] + c[1]]
    total_c = sum(d.contagion for d in days)
    total_k = sum(d.concern for d in days)
    tagged_days = [d for d in days if d.tagged]
    recent = _recent(tagged_days, end)
    stats: dict[str, Any] = {
        "weeks": rows,
        "trend_per_week": None,
        "contagion": total_c,
        "concern": total_k,
        "contagion_share": share(total_c, total_c + total_k),
        "days_with_moments": len(tagged_days),
        "weeks_with_moments": len(points),
        "share_counts": "moments (each moment counts once, whatever its intensity)",
        "recent": recent,
    }
    if len(tagged_days) < MIN_TREND_DAYS or len(points) < MIN_TREND_WEEKS:
        missing = (f"A trend needs moments on at least {MIN_TREND_DAYS} days across "
                   f"{MIN_TREND_WEEKS} weeks; this range has "
                   f"{plural(len(tagged_days), 'day')} with moments in "
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
    evidence = [d for d in tagged_days if d.date > end - timedelta(days=RECENT_DAYS)]
    return finding(KIND, TITLE, summary, stats, evidence, notable=notable)


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


def _recent(tagged: list[Day], end: date) -> dict[str, Any]:
    """P1's flag: the last 7 days' share >= 60% and >= 15 points above the 14 days before,
    on >= 4 days with moments, and more than chance (one-sided z test at 5%)."""
    recent_from = end - timedelta(days=RECENT_DAYS)
    prior_from = recent_from - timedelta(days=PRIOR_DAYS)
    last = [d for d in tagged if recent_from < d.date <= end]
    prior = [d for d in tagged if prior_from < d.date <= recent_from]
    last_share = share(sum(d.contagion for d in last), sum(d.tagged for d in last))
    prior_share = share(sum(d.contagion for d in prior), sum(d.tagged for d in prior))
    last_c, last_n = sum(d.contagion for d in last), sum(d.tagged for d in last)
    prior_c, prior_n = sum(d.contagion for d in prior), sum(d.tagged for d in prior)
    flag = (len(last) >= RECENT_MIN_DAYS and last_share is not None and prior_share is not None
            and last_share >= RECENT_SHARE and last_share - prior_share >= RECENT_RISE
            and two_proportion_z(last_c, last_n, prior_c, prior_n) >= chance_z(1, sides=1))
    return {"last_7_days_share": last_share, "previous_14_days_share": prior_share,
            "days": len(last), "flag": flag}
