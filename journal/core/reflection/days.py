"""The shared ground of every finding: the days in range as one column table (`Days`), built
from compact rows in a single pass, plus the thresholds (domain.md §6) and the small helpers
findings are written with.

Findings never read entry bodies (no Markdown parsing, no free-text scanning, domain.md §6
safety note): they use the structured fields only (moments, sleep, recovery, good things).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import compress
from operator import eq, itemgetter
from statistics import NormalDist
from typing import Any

from journal.core.models import Entry

# -- thresholds (docs/reflection.md explains each) ----------------------------------------
MIN_TREND_DAYS = 7          # domain.md §6: at least 7 entries before a trend
MIN_TREND_WEEKS = 3         # a slope needs a few points
MIN_COMPARE_DAYS = 14       # domain.md §6: at least 14 entries before a comparison
MIN_SLEEP_GROUP = 4         # P4: >= 4 days in each group
SLEEP_GAP = 1.5             # P4: mention a difference of 1.5 points or more
HEAVY_INTENSITY = 7         # P4: a heavy day's highest contagion intensity
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

STEP_AWAY = frozenset(("withdrew", "avoided"))   # P9: actions that step away
REACH_IN = frozenset(("helped", "approached"))   # P8: actions that reach in
NUMB_WORDS = ("numb", "cynical", "detached-from-them")   # P10

#: Words no output may contain (domain.md §8.1): checked by the tests, not at run time.
FORBIDDEN_WORDS = ("burnout", "compassion fatigue", "sts", "ptsd", "secondary traumatic")

# -- the input rows ------------------------------------------------------------------------
#: One moment, positional: (kind, intensity, context, minute, tags, people, action,
#: feelings). `minute` is the moment's time as minutes after midnight ("HH:MM" -> h*60+m),
#: None when it has none; the rest is what `models.Moment` holds.
MomentRow = Sequence[Any]
#: One entry, positional: (date, entry_id, sleep or None, recovery labels, number of good
#: things, moments). Rows may come in any order; two on one date are merged (first id kept).
DayRow = tuple[date, str, int | None, Sequence[str], int, Sequence[MomentRow]]

#: "HH:MM" -> minutes after midnight (a lookup is much faster than parsing).
MINUTE_OF = {f"{h:02d}:{m:02d}": h * 60 + m for h in range(24) for m in range(60)}


def minutes(hhmm: str | None) -> int | None:
    return MINUTE_OF.get(hhmm) if hhmm else None


def rows_from_entries(entries: Iterable[Entry]) -> list[DayRow]:
    """The rows `reflect_rows` reads, from entries (full or summaries)."""
    minute = MINUTE_OF.get
    return [(e.date, e.id, e.sleep, e.recovery, len(e.good_things),
             [(m.kind, m.intensity, m.context, minute(m.time) if m.time else None, m.tags,
               m.people, m.action, m.feelings) for m in e.moments])
            for e in entries]


# -- the table -------------------------------------------------------------------------------
class Days:
    """The days with an entry in range, oldest first, one distinct date each, as columns
    (`x[i]` is day i's x): the rows' own fields, plus the counts findings need, taken in one
    pass over the moments. Findings read whole columns with C loops (map, compress, sum);
    only spillover walks moments again, on the days with moments off work."""

    __slots__ = ("dates", "ordinals", "ids", "sleep", "recovery", "good", "moments", "follows",
                 "moment_count", "contagion", "concern", "contagion_intensity",
                 "concern_intensity", "heavy", "stepped_away", "with_action", "helped", "numb",
                 "at_work", "contagion_tags", "concern_tags", "_items")

    dates: Sequence[date]
    ordinals: list[int]                  # date.toordinal()
    ids: Sequence[str]
    sleep: Sequence[int | None]
    recovery: Sequence[Sequence[str]]    # labels as given (may repeat; merged days: a set)
    good: Sequence[int]
    moments: Sequence[Sequence[MomentRow]]
    follows: list[bool]                  # [i]: day i+1 is the calendar day after day i
    contagion: list[int]                 # moments of each kind
    concern: list[int]
    contagion_intensity: list[int]       # their intensity sums
    concern_intensity: list[int]
    heavy: list[int]                     # contagion moments of HEAVY_INTENSITY or more
    stepped_away: list[int]              # moments whose action is in STEP_AWAY
    with_action: list[int]               # moments with any action
    helped: list[int]                    # concern moments whose action is in REACH_IN
    numb: list[int]                      # moments with a NUMB_WORDS feeling
    at_work: list[int]                   # moments at work, not timed after the work end
    moment_count: list[int]              # moments
    contagion_tags: dict[int, list[str]]  # intensity -> the tags of its contagion moments
    concern_tags: list[str]              # the tags of concern moments (a tag once a moment)

    def __len__(self) -> int:
        return len(self.ordinals)

    def evidence(self, indices: Iterable[int]) -> list[dict[str, str]]:
        """One item per day for ascending, distinct day indices (so oldest first)."""
        return list(map(self._evidence_items().__getitem__, indices))

    def evidence_where(self, flags: Iterable[Any]) -> list[dict[str, str]]:
        """One item per day whose flag (in day order) is true."""
        return list(compress(self._evidence_items(), flags))

    def _evidence_items(self) -> list[dict[str, str]]:
        # Made once and shared by every finding's evidence: the result is read-only.
        if self._items is None:
            self._items = [{"date": d, "entry_id": i}
                           for d, i in zip(map(date.isoformat, self.dates), self.ids,
                                           strict=True)]
        return self._items


def build_days(rows: Iterable[DayRow], since: date | None, until: date | None,
               work_end: int) -> Days:
    """The Days in [since, until] from rows in any order (`work_end`: minutes after
    midnight; a work moment timed after it counts as off work)."""
    rows = sorted(rows, key=_DATE)   # stable: of two rows on one date, the first stays first
    if since is not None or until is not None:
        dates = list(map(_DATE, rows))
        rows = rows[bisect_left(dates, since) if since else 0:
                    bisect_right(dates, until) if until else len(rows)]
    days = Days()
    days._items = None
    columns = list(zip(*rows, strict=True)) or [()] * 6
    if len(set(columns[0])) < len(rows):
        columns = list(zip(*_merged(rows), strict=True))
    days.dates, days.ids, days.sleep, days.recovery, days.good, days.moments = columns
    days.ordinals = ordinals = list(map(date.toordinal, days.dates))
    days.follows = list(map(eq, ordinals[1:], map(_NEXT, ordinals)))
    c_tags: defaultdict[int, list[str]] = defaultdict(list)
    k_tags: list[str] = []
    add_k = k_tags.extend
    numb_free = _NUMB.isdisjoint
    heavy_from = HEAVY_INTENSITY
    counts: list[int] = []   # _COUNTS numbers per day, one day after the other
    add = counts.extend
    for moments in days.moments:
        c = k = c_sum = k_sum = heavy = away = acted = helped = numb = work = 0
        for kind, intensity, context, minute, tags, _, action, feelings in moments:
            if kind == "contagion":
                c += 1
                c_sum += intensity
                heavy += intensity >= heavy_from
                c_tags[intensity].extend(tags)
            elif kind == "concern":
                k += 1
                k_sum += intensity
                add_k(tags)
            if action is not None:
                acted += 1
                if action in STEP_AWAY:
                    away += 1
                elif kind == "concern" and action in REACH_IN:
                    helped += 1
            if feelings and not numb_free(feelings):
                numb += 1
            if context == "work" and (minute is None or minute <= work_end):
                work += 1
        add((len(moments), c, k, c_sum, k_sum, heavy, away, acted, helped, numb, work))
    (days.moment_count, days.contagion, days.concern, days.contagion_intensity,
     days.concern_intensity, days.heavy, days.stepped_away, days.with_action, days.helped,
     days.numb, days.at_work) = (counts[n::_COUNTS] for n in range(_COUNTS))
    days.contagion_tags, days.concern_tags = dict(c_tags), k_tags
    return days


_COUNTS = 11
_NUMB = frozenset(NUMB_WORDS)
_DATE = itemgetter(0)
_NEXT = (1).__add__


def _merged(rows: list[DayRow]) -> list[DayRow]:
    """Sorted rows with one row per date: sleep is the first given, recovery the union, good
    things and moments add up, the first id is kept (only hand-built lists repeat a date)."""
    out: list[DayRow] = []
    for row in rows:
        if out and out[-1][0] == row[0]:
            day, entry_id, sleep, recovery, good, moments = out[-1]
            out[-1] = (day, entry_id, row[2] if sleep is None else sleep,
                       set(recovery).union(row[3]), good + row[4], [*moments, *row[5]])
        else:
            out.append(row)
    return out


# -- building findings -----------------------------------------------------------------------
def finding(kind: str, title: str, summary: str, stats: dict[str, Any],
            evidence: list[dict[str, str]] | None = None, *, notable: bool = False,
            missing: str | None = None) -> dict[str, Any]:
    """The one shape every finding has (docs/reflection.md, "JSON shape"); `evidence` is
    `Days.evidence(...)`."""
    out: dict[str, Any] = {
        "kind": kind,
        "title": title,
        "status": "insufficient" if missing else "ok",
        "notable": bool(notable) and not missing,
        "summary": summary,
        "stats": stats,
        "evidence": evidence or [],
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


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


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
