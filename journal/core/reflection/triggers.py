"""P6 / issue 4: recurring trigger tags, ranked by their share of contagion moments.

Every tag on at least 5 contagion-or-concern moments is listed, highest contagion share
first. A tag *stands out* when its share is at least 15 points above the share of all
other moments and that gap is larger than chance usually gives (one-sided two-proportion
z test at the 5% level, Bonferroni-corrected for the number of tags ranked): five moments,
four of them contagion, is not yet a pattern, and among twenty tags one will look odd.
"""

from __future__ import annotations

from typing import Any

from journal.core.reflection.common import (
    MIN_TREND_DAYS,
    TRIGGER_MARGIN,
    TRIGGER_MIN_MOMENTS,
    chance_z,
    finding,
    pct,
    plural,
    share,
    two_proportion_z,
)
from journal.core.reflection.days import Days

KIND = "triggers"
TITLE = "What recurs"


def triggers(days: Days) -> dict[str, Any]:
    counts = _tag_counts(days)   # tag -> [contagion, concern, contagion intensity]
    total_c = sum(days.contagion)
    total_k = sum(days.concern)
    total = total_c + total_k
    rows = []
    ranked = {t: v for t, v in counts.items() if v[0] + v[1] >= TRIGGER_MIN_MOMENTS}
    needed_z = chance_z(len(ranked), sides=1)  # only higher shares are flagged
    for tag, (c, k, c_int) in ranked.items():
        n = c + k
        rest_c, rest_n = total_c - c, total - n
        tag_share = c / n
        rest_share = rest_c / rest_n if rest_n else None
        stands_out = (rest_share is not None and tag_share - rest_share >= TRIGGER_MARGIN
                      and two_proportion_z(c, n, rest_c, rest_n) >= needed_z)
        rows.append({"tag": tag, "contagion": c, "concern": k,
                     "contagion_share": share(c, n), "moments": n,
                     "others_contagion_share": share(rest_c, rest_n),
                     "mean_contagion_intensity": round(c_int / c, 1) if c else None,
                     "stands_out": stands_out})
    rows.sort(key=lambda r: (-r["contagion_share"], -r["moments"], r["tag"]))
    outstanding = [r for r in rows if r["stands_out"]]
    stats: dict[str, Any] = {
        "tags": rows,
        "min_moments": TRIGGER_MIN_MOMENTS,
        "overall_contagion_share": share(total_c, total),
        "standing_out": [r["tag"] for r in outstanding],
        "z_needed": round(needed_z, 2),
    }
    if len(days) < MIN_TREND_DAYS or not rows:
        missing = (f"A tag is ranked once it is on at least {TRIGGER_MIN_MOMENTS} moments "
                   f"(over at least {MIN_TREND_DAYS} entries); "
                   + ("no tag is there yet." if not rows else
                      f"this range has only {plural(len(days), 'entry', 'entries')}."))
        return finding(KIND, TITLE, "No tag recurs often enough to rank yet.", stats,
                       missing=missing)
    if outstanding:
        parts = [f"#{r['tag']} ({r['contagion']} of {r['moments']} moments, "
                 f"{pct(r['contagion_share'])})" for r in outstanding[:3]]
        summary = (f"You noted contagion more often with {', '.join(parts)} than across "
                   f"your other moments ({pct(share(total_c, total))}).")
    else:
        top = rows[0]
        summary = (f"No tag stood out: the highest contagion share was #{top['tag']} "
                   f"({pct(top['contagion_share'])} of {top['moments']} moments), against "
                   f"{pct(share(total_c, total))} overall.")
    wanted = {r["tag"] for r in outstanding}
    evidence = [i for i, moments in enumerate(days.moments) if days.contagion[i] and any(
        m[0] == "contagion" and not wanted.isdisjoint(m[4]) for m in moments)] if wanted else []
    return finding(KIND, TITLE, summary, stats, days.evidence(evidence),
                   notable=bool(outstanding))


def _tag_counts(days: Days) -> dict[str, list[int]]:
    """Per tag: [contagion moments, concern moments, sum of contagion intensities]. The
    days count the tags of contagion moments by intensity."""
    counts: dict[str, list[int]] = {}
    for intensity, tags in days.contagion_tags.items():
        for tag, n in tags.items():
            row = counts.setdefault(tag, [0, 0, 0])
            row[0] += n
            row[2] += n * intensity
    for tag, n in days.concern_tags.items():
        counts.setdefault(tag, [0, 0, 0])[1] += n
    return counts
