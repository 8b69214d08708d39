"""What every finding is written with: the thresholds (domain.md §6, docs/reflection.md),
the one shape a finding has, and the small number and word helpers.

Findings never read entry bodies (no Markdown parsing, no free-text scanning, domain.md §6
safety note): they use the structured fields only (moments, sleep, recovery, good things).
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

# The rules the days' counts are folded with (the encrypted index keeps them folded, so
# they live below the store): HEAVY_INTENSITY (P4: a heavy day's highest contagion
# intensity), STEP_AWAY (P9: actions that step away), REACH_IN (P8: actions that reach
# in), NUMB_WORDS (P10).
from journal.core.model.moment_fold import HEAVY_INTENSITY as HEAVY_INTENSITY
from journal.core.model.moment_fold import NUMB_WORDS as NUMB_WORDS
from journal.core.model.moment_fold import REACH_IN as REACH_IN
from journal.core.model.moment_fold import STEP_AWAY as STEP_AWAY
from journal.core.wording import counted as counted
from journal.core.wording import plural as plural

# -- thresholds (docs/reflection.md explains each) ----------------------------------------
MIN_TREND_DAYS = 7          # domain.md §6: at least 7 entries before a trend
MIN_TREND_WEEKS = 3         # a slope needs a few points
MIN_COMPARE_DAYS = 14       # domain.md §6: at least 14 entries before a comparison
MIN_SLEEP_GROUP = 4         # P4: >= 4 days in each group
SLEEP_GAP = 1.5             # P4: mention a difference of 1.5 points or more
TRIGGER_MIN_MOMENTS = 5     # issue 4: tags with at least 5 moments
TRIGGER_MARGIN = 0.15       # a tag stands out at >= 15 points above the rest...
RECOVERY_MIN_DAYS = 5       # P5: >= 5 days with and >= 5 days without
RECOVERY_GAP = 0.10         # P5: a gap of 10 points of contagion share
CHANCE_ALPHA = 0.05         # ...and beyond what chance usually gives (5%, Bonferroni)
GAP_NOTABLE_DAYS = 7        # a stretch of a week or more without recovery is mentioned
SPILLOVER_RECENT = 3        # P2: >= 3 spillover days in the last 7
WITHDRAW_SHARE = 0.40       # P9
WITHDRAW_RISE = 0.20        # P9
WITHDRAW_MIN = 5            # P9


#: Words no finding may contain (domain.md §8.1; `*` ends a stem): checked by the tests,
#: not at run time. The not-a-diagnosis line outside the findings names "diagnosis" on
#: purpose.
FORBIDDEN_WORDS = ("burnout", "burn-out", "compassion fatigue", "sts", "ptsd",
                   "secondary traumatic", "depress*", "trauma*", "anxiety", "symptom*",
                   "disorder*", "diagnos*", "you have", "caused")

#: "HH:MM" -> minutes after midnight (a lookup is much faster than parsing).
MINUTE_OF = {f"{h:02d}:{m:02d}": h * 60 + m for h in range(24) for m in range(60)}


def minutes(hhmm: str | None) -> int | None:
    return MINUTE_OF.get(hhmm) if hhmm else None


# -- building findings -----------------------------------------------------------------------
def finding(kind: str, title: str, summary: str, stats: dict[str, Any],
            evidence: list[dict[str, str]] | None = None, *, n: int = 0,
            missing: str | None = None, if_notable: str = "", if_not: str = "") -> dict[str, Any]:
    """The one shape every finding has (docs/reflection.md, "JSON shape"); `evidence` is
    `Days.evidence(...)`, `n` the days it rests on. Whether it is notable is decided for all
    findings at once (`chance.family`); `reflect_rows` then adds `if_notable` or `if_not` to
    the summary, and the chance sentence."""
    out: dict[str, Any] = {
        "kind": kind,
        "title": title,
        "status": "insufficient" if missing else "ok",
        "notable": False,
        "summary": summary,
        "n": n,
        "stats": stats,
        "evidence": evidence or [],
        "_after": (if_notable, if_not),
    }
    if missing:
        out["missing"] = missing
    return out


# -- numbers and words -----------------------------------------------------------------------
def share(part: int | float, total: int | float) -> float | None:
    return round(part / total, 3) if total else None


def mean(values: list[int] | list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{round(value * 100)}%"


def about(value: float, word: str, many: str | None = None) -> str:
    """An expected count, to one decimal, with its noun: "about 2.5 days", "about 1 day"
    (never "1.0 days"); "no days" for none and "well under 1 day" below 0.05 (never
    "0.0 days")."""
    things = many or word + "s"
    shown = f"{value:.1f}".removesuffix(".0")
    if shown == "0":
        return f"no {things}" if value == 0 else f"well under 1 {word}"
    return f"about {shown} {word if shown == '1' else things}"


def two_proportion_z(a_hits: int, a_n: int, b_hits: int, b_n: int) -> float:
    """z of the difference between two shares (pooled standard error); 0 when undefined.
    Used only as a guard against reading chance as a pattern in small counts."""
    if not a_n or not b_n:
        return 0.0
    pooled = (a_hits + b_hits) / (a_n + b_n)
    se = math.sqrt(pooled * (1 - pooled) * (1 / a_n + 1 / b_n))
    if se == 0:
        return 0.0
    return (a_hits / a_n - b_hits / b_n) / se


def chance_z(comparisons: int, sides: int = 2) -> float:
    """The |z| a difference must reach to count when `comparisons` are made at once: the
    5% level split over all of them (Bonferroni); 1.96 for one two-sided comparison."""
    return NormalDist().inv_cdf(1 - CHANCE_ALPHA / (sides * max(1, comparisons)))
