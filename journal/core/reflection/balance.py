"""P1: the contagion-concern balance per ISO week and its trend (domain.md §6 P1)."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from itertools import chain, compress, repeat
from operator import add, mul, ne, sub, truediv
from typing import Any

from journal.core.reflection.chance import Chance, seeded, shuffle_test
from journal.core.reflection.common import (
    MIN_TREND_DAYS,
    MIN_TREND_WEEKS,
    counted,
    finding,
    pct,
    plural,
    share,
)
from journal.core.reflection.days import Days
from journal.core.wording import points

KIND = "balance"
TITLE = "Feeling it with them, and wanting to help"
EDGE_WEEKS = 4          # weeks averaged for "at first" / "lately" in the summary
RECENT_DAYS = 7         # P1 flag window...
PRIOR_DAYS = 14         # ...against the 14 days before it
RECENT_SHARE = 0.60
RECENT_RISE = 0.15
RECENT_MIN_DAYS = 4
TREND_NOTABLE_WEEKS = 8
TREND_MIN_CHANGE = 0.05   # a fitted change under 5 points over the range is not tested


def balance(days: Days, end: date) -> tuple[dict[str, Any], list[Chance]]:
    weeks = _Weeks(days)
    c, k = weeks.contagion, weeks.concern
    both = list(map(add, c, k))
    if 0 in both:
        shares = [round(a / n, 3) if n else None for a, n in zip(c, both, strict=True)]
    else:   # share(), inlined, in C loops
        shares = list(map(round, map(truediv, c, both), repeat(3)))
    rows = [
        {"week": label, "contagion": a, "concern": b, "contagion_share": ratio,
         "contagion_intensity": a_sum, "concern_intensity": b_sum}
        for label, a, b, ratio, a_sum, b_sum in zip(
            _week_labels(weeks.mondays), c, k, shares, weeks.contagion_intensity,
            weeks.concern_intensity, strict=True)
    ]
    with_moments = len(both) - both.count(0)
    total_c = sum(days.contagion)
    total_k = sum(days.concern)
    moments = list(map(add, days.contagion, days.concern))
    tagged_days = len(moments) - moments.count(0)
    recent, recent_chance = _recent(days, end, moments)
    stats: dict[str, Any] = {
        "weeks": rows,
        "trend_per_week": None,
        "trend_change": None,
        "contagion": total_c,
        "concern": total_k,
        "contagion_share": share(total_c, total_c + total_k),
        "days_with_moments": tagged_days,
        "weeks_with_moments": with_moments,
        "share_counts": "moments (each moment counts once, whatever its intensity)",
        "trend_weights": "each week weighs as much as the moments noted in it",
        "recent": recent,
    }
    noted = (f"You noted {counted(total_c, 'contagion moment')} and "
             f"{counted(total_k, 'concern moment')} on {plural(tagged_days, 'day')}"
             if tagged_days else "You noted no contagion or concern moments in this range")
    what = "a change this large"
    if tagged_days < MIN_TREND_DAYS or with_moments < MIN_TREND_WEEKS:
        missing = (f"This needs moments on at least {MIN_TREND_DAYS} days across "
                   f"{MIN_TREND_WEEKS} calendar weeks; this range has "
                   + (f"{plural(tagged_days, 'day')} with moments in "
                      f"{plural(with_moments, 'calendar week')}." if tagged_days else
                      "no day with moments yet."))
        return finding(KIND, TITLE, noted + ".", stats, missing=missing,
                       n=tagged_days), [Chance(what)]
    edge = min(EDGE_WEEKS, with_moments // 2)
    stats["first_weeks_share"] = _pooled(rows, slice(0, edge))
    stats["last_weeks_share"] = _pooled(rows, slice(-edge, None))
    summary = f"{noted} ({pct(stats['contagion_share'])} contagion)."
    trend_chance = Chance(what)
    if with_moments >= TREND_NOTABLE_WEEKS:
        used = list(compress(weeks.numbers, both))   # the weeks with moments
        slope, start, finish, trend_chance = _trend(days, weeks, used, moments)
        stats["trend_per_week"] = round(slope, 4)
        stats["trend_change"] = round(finish - start, 3)
        summary += " Counting every moment, the contagion share " + _moved(start, finish)
        if abs(finish - start) < TREND_MIN_CHANGE:
            trend_chance = Chance(what)
    else:
        summary += (f" A trend needs moments in at least {TREND_NOTABLE_WEEKS} calendar "
                    f"weeks, so only the last days are compared.")
    if recent["flag"]:
        summary += (f" In the last {RECENT_DAYS} days contagion outweighed concern: on "
                    f"average {pct(recent['last_7_days_share'])} of a day's moments, against "
                    f"{pct(recent['previous_14_days_share'])} in the 14 days before.")
    since = bisect_right(days.ordinals, end.toordinal() - RECENT_DAYS)
    evidence = [i for i in range(since, len(days)) if moments[i]]
    out = finding(KIND, TITLE, summary, stats, days.evidence(evidence), n=tagged_days)

    def steady(result: dict[str, Any], notable: bool, bar: float) -> None:
        change = stats["trend_change"]
        if trend_chance.notable and change:
            way = "toward concern" if change < 0 else "toward contagion"
            result["summary"] += f" That is a steady move {way}, beyond what chance gives."

    out["_later"] = steady
    return out, [trend_chance, recent_chance]


def _moved(start: float, finish: float) -> str:
    """How the fitted share moved, its points in words that fit: never "+0 points" or
    "+1 points"."""
    if pct(start) == pct(finish):
        return f"stayed at about {pct(start)} from the start of this range to its end."
    size = points(finish - start)
    return (f"went from about {pct(start)} at the start of this range to about "
            f"{pct(finish)} at its end ({size}).")


def _trend(days: Days, weeks: _Weeks, used: list[int], moments: list[int]
           ) -> tuple[float, float, float, Chance]:
    """The slope of the weekly contagion share against the week, each week weighted by its
    moments (the same as fitting every moment), the fitted share at the first and the last
    week with moments (`used`), and its chance check: the slope's numerator sum(x * r)
    over days (x the day's week, r its contagion minus the overall share times its moments),
    against the days' r shuffled within weekday."""
    c, total = days.contagion, sum(moments)
    overall = sum(c) / total
    x = weeks.of_day
    r = list(map(sub, c, map(mul, repeat(overall), moments)))   # ci - overall * ni
    mx = sum(map(mul, x, moments)) / total
    # (xi - mx) ** 2 is the same for every day of a week: worked out once a week
    square = map(pow, map(sub, weeks.numbers, repeat(mx)), repeat(2))
    sxx = sum(map(mul, moments, chain.from_iterable(map(repeat, square, weeks.lengths))))
    slope = sum(map(mul, x, r)) / sxx if sxx else 0.0
    start = min(1.0, max(0.0, overall + slope * (used[0] - mx)))
    finish = min(1.0, max(0.0, overall + slope * (used[-1] - mx)))
    chance = shuffle_test(r, x, days.weekday, seeded(days.seed, "balance-trend"),
                          "a change this large", sides=2)
    chance.weight = 4.0   # the trend is P1's main question; the last-days check weighs 1
    return slope, start, finish, chance


class _Weeks:
    """The ISO weeks with an entry, oldest first, as columns: each one's number
    ((Monday's ordinal - 1) // 7), Monday's ordinal, number of days, contagion and concern
    moments and their intensity sums; and each day's week number (`of_day`)."""

    def __init__(self, days: Days) -> None:
        # date.fromordinal(1) is a Monday: (ordinal - 1) // 7 numbers the Monday-based weeks
        self.of_day = week = [(o - 1) // 7 for o in days.ordinals]   # (faster than map)
        # days are sorted, so a week is one slice: cut where the week changes
        cuts = [0, *compress(range(1, len(week)), map(ne, week[1:], week)), len(week)]
        if not week:
            cuts = [0]
        starts, ends = cuts[:-1], cuts[1:]
        self.numbers = list(map(week.__getitem__, starts))
        self.mondays = [n * 7 + 1 for n in self.numbers]
        self.lengths = list(map(sub, ends, starts))
        spans = list(map(slice, starts, ends))
        self.contagion, self.concern, self.contagion_intensity, self.concern_intensity = (
            list(map(sum, map(column.__getitem__, spans))) for column in (
                days.contagion, days.concern, days.contagion_intensity,
                days.concern_intensity))   # whole numbers: exact in any order


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


def _recent(days: Days, end: date, moments: list[int]) -> tuple[dict[str, Any], Chance]:
    """P1's flag, with the day as the unit: the last 7 days' mean daily contagion share is
    >= 60% and >= 15 points above the 14 days before, with moments on >= 4 days in each
    window; its chance check shuffles these 21 days' shares within weekday."""
    end_at = end.toordinal()
    recent_from = end_at - RECENT_DAYS
    prior_from = recent_from - PRIOR_DAYS
    at = days.ordinals
    lo, mid, hi = (bisect_right(at, o) for o in (prior_from, recent_from, end_at))
    c = days.contagion
    used = [i for i in range(lo, hi) if moments[i]]
    shares = [c[i] / moments[i] for i in used]
    last = [s for i, s in zip(used, shares, strict=True) if i >= mid]
    prior = [s for i, s in zip(used, shares, strict=True) if i < mid]
    last_share = round(sum(last) / len(last), 3) if last else None
    prior_share = round(sum(prior) / len(prior), 3) if prior else None
    flag = (len(last) >= RECENT_MIN_DAYS and len(prior) >= RECENT_MIN_DAYS
            and last_share is not None and prior_share is not None
            and last_share >= RECENT_SHARE and last_share - prior_share >= RECENT_RISE)
    chance = Chance("a rise this large")
    if flag:
        chance = shuffle_test(shares, [1 if i >= mid else 0 for i in used],
                              [days.weekday[i] for i in used],
                              seeded(days.seed, "balance-recent"), "a rise this large")
    return ({"last_7_days_share": last_share, "previous_14_days_share": prior_share,
             "days": len(last), "previous_days": len(prior), "flag": flag}, chance)
