"""P6 / issue 4: recurring trigger tags, ranked by their share of contagion moments.

Every tag on at least 5 contagion-or-concern moments is listed, highest contagion share
first. A tag is compared with the other moments **in the same context** (a work tag with
other work moments, issue 12), so "contagion is likelier at work" alone makes no tag stand
out. Its chance check counts each day once: the tag's contagion moments minus what the
same-context share predicts, summed per day, against the larger of the day-clustered and
the binomial spread (moments of one day are not independent). Each tag's check takes a
share of the triggers' part of the family's alpha in proportion to its moments (weights
fixed by how often a tag was noted, never by its kinds, so the weighted family control
stays valid): a tag on 30 moments can show a real gap, one on 5 mostly what chance makes.
A tag *stands out* when its share is at least 15 points above its same-context comparison
and its check passes the family control.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from journal.core.reflection.chance import Chance, normal_chance
from journal.core.reflection.common import (
    MIN_TREND_DAYS,
    TRIGGER_MARGIN,
    TRIGGER_MIN_MOMENTS,
    finding,
    pct,
    plural,
    share,
)
from journal.core.reflection.days import Days

KIND = "triggers"
TITLE = "What recurs"
WHAT = "a gap this large for a tag"
HOW = "journals in which tags had nothing to do with contagion"


def triggers(days: Days) -> tuple[dict[str, Any], list[Chance]]:
    counts = _tag_counts(days)   # tag -> [contagion, concern, contagion intensity]
    total_c = sum(days.contagion)
    total_k = sum(days.concern)
    total = total_c + total_k
    ranked = {t: v for t, v in counts.items() if v[0] + v[1] >= TRIGGER_MIN_MOMENTS}
    by_context = _by_context(days, ranked)   # tag -> context -> [contagion, moments]
    context_c = {ctx: n for (kind, ctx), n in days.contexts.items() if kind == "contagion"}
    context_n: dict[str, int] = defaultdict(int)
    for (_, ctx), n in days.contexts.items():
        context_n[ctx] += n
    rows = []
    checks: dict[str, Chance] = {}
    tested: dict[str, dict[str, float]] = {}   # tag -> the same-context shares it is tested on
    alone: set[str] = set()   # tags with no other moment in their places (words only)
    for tag, (c, k, c_int) in ranked.items():
        n = c + k
        contexts = sorted(by_context[tag].items())
        # the same-context share of the other moments, for each of the tag's moments
        expected = {ctx: _share_or(context_c.get(ctx, 0) - tc, context_n[ctx] - tn, c / n)
                    for ctx, (tc, tn) in contexts}
        others = sum(expected[ctx] * tn for ctx, (_, tn) in contexts) / n
        if all(context_n[ctx] == tn for ctx, (_, tn) in contexts):
            alone.add(tag)
        if c / n - others >= TRIGGER_MARGIN:
            tested[tag] = expected
        # its share of the triggers' alpha grows with its moments (fixed before any kind
        # is looked at, so the family control stays valid): a tag on 5 moments, which
        # chance can easily make all contagion, no longer takes as much as one on 30
        checks[tag] = Chance(WHAT, how=HOW, weight=n)
        rows.append({"tag": tag, "contagion": c, "concern": k,
                     "contagion_share": share(c, n), "moments": n,
                     "others_contagion_share": round(others, 3),
                     "mean_contagion_intensity": round(c_int / c, 1) if c else None,
                     "z": None, "stands_out": False})
    moments_of = days.tag_moments(tested)   # one more pass, only when needed
    for tag, expected in tested.items():
        z = _day_clustered_z(moments_of[tag], expected)
        checks[tag] = normal_chance(z, WHAT, HOW)
        checks[tag].weight = ranked[tag][0] + ranked[tag][1]
        next(r for r in rows if r["tag"] == tag)["z"] = round(z, 2)
    rows.sort(key=lambda r: (-r["contagion_share"], -r["moments"], r["tag"]))
    stats: dict[str, Any] = {
        "tags": rows,
        "min_moments": TRIGGER_MIN_MOMENTS,
        "overall_contagion_share": share(total_c, total),
        "standing_out": [],
        "comparison": "other moments in the same context (work, commute, home, elsewhere)",
    }
    if len(days) < MIN_TREND_DAYS or not rows:
        missing = (f"A tag is ranked once it is on at least {TRIGGER_MIN_MOMENTS} moments "
                   f"(over at least {MIN_TREND_DAYS} entries); "
                   + ("no tag is there yet." if not rows else
                      f"this range has only {plural(len(days), 'entry', 'entries')}."))
        return finding(KIND, TITLE, "No tag recurs often enough to rank yet.", stats,
                       missing=missing), [Chance(WHAT)]
    top = rows[0]
    plain = (f"No tag stood out: the highest contagion share was {_tag_said(top)}, "
             f"{_others_said(top, top['tag'] in alone)}." if top["contagion"] else
             f"No tag stood out: none of the moments of the tags noted "
             f"{TRIGGER_MIN_MOMENTS} times or more was contagion.")
    out = finding(KIND, TITLE, plain, stats, n=sum(r["moments"] for r in rows))

    def mark(result: dict[str, Any], notable: bool, bar: float) -> None:
        standing = [r for r in rows if checks[r["tag"]].notable]
        for r in standing:
            r["stands_out"] = True
        stats["standing_out"] = [r["tag"] for r in standing]
        if not standing:
            return
        parts = [f"{_tag_said(r)}, {_others_said(r, r['tag'] in alone)}"
                 for r in standing[:3]]
        result["summary"] = f"You noted contagion more often with {'; '.join(parts)}."
        result["evidence"] = days.evidence(sorted(
            {day for r in standing for day, _, contagion in moments_of[r["tag"]]
             if contagion}))

    out["_later"] = mark
    return out, [checks[r["tag"]] for r in rows]


def _tag_said(row: dict[str, Any]) -> str:
    """A tag and what its moments were: "#a (contagion on 6 of its 9 moments, 67%)", "all",
    "none"."""
    c, n = row["contagion"], row["moments"]
    on = (f"none of its {n} moments" if c == 0 else f"all {n} of its moments" if c == n else
          f"{c} of its {n} moments, {pct(row['contagion_share'])}")
    return f"#{row['tag']} (contagion on {on})"


def _others_said(row: dict[str, Any], alone: bool) -> str:
    """What it is compared with: the other moments noted in the same places (work, commute,
    home, elsewhere), or that there were none."""
    if alone:
        return "and no other moment was noted in the same places to compare it with"
    others = row["others_contagion_share"]
    if others == 1:
        return "while every other moment in the same places was contagion"
    if others == 0:
        return "while no other moment in the same places was contagion"
    return f"against {pct(others)} of the other moments in the same places"


def _share_or(c: int, n: int, default: float) -> float:
    return c / n if n else default


def _by_context(days: Days, ranked: dict[str, list[int]]) -> dict[str, dict[str, list[int]]]:
    """Per ranked tag, per context: [its contagion moments, its contagion-or-concern
    moments] (from the days' tallies: no pass over the moments)."""
    out: dict[str, dict[str, list[int]]] = {t: {} for t in ranked}
    for (_, ctx), tags in days.contagion_tags.items():
        for tag, n in tags.items():
            if tag in out:
                cell = out[tag].setdefault(ctx, [0, 0])
                cell[0] += n
                cell[1] += n
    for ctx, tags in days.concern_tags.items():
        for tag, n in tags.items():
            if tag in out:
                out[tag].setdefault(ctx, [0, 0])[1] += n
    return out


def _day_clustered_z(moments: list[tuple[int, str, int]], expected: dict[str, float]) -> float:
    """The tag's contagion moments minus their same-context expectation, over the larger of
    the day-clustered spread (one residual per day) and the binomial one."""
    per_day: dict[int, float] = defaultdict(float)
    binomial = 0.0
    for day, ctx, is_c in moments:
        p = expected[ctx]
        per_day[day] += is_c - p
        binomial += p * (1 - p)
    total = sum(per_day.values())
    g = len(per_day)
    clustered = sum(r * r for r in per_day.values()) * (g / (g - 1) if g > 1 else 1.0)
    spread = max(clustered, binomial)
    return total / math.sqrt(spread) if spread > 0 else 0.0


def _tag_counts(days: Days) -> dict[str, list[int]]:
    """Per tag: [contagion moments, concern moments, sum of contagion intensities]. The
    days count the tags by kind, context and (contagion) intensity."""
    counts: dict[str, list[int]] = {}
    for (intensity, _), tags in days.contagion_tags.items():
        for tag, n in tags.items():
            row = counts.setdefault(tag, [0, 0, 0])
            row[0] += n
            row[2] += n * intensity
    for tags in days.concern_tags.values():
        for tag, n in tags.items():
            counts.setdefault(tag, [0, 0, 0])[1] += n
    return counts
