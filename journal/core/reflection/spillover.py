"""P2: work following someone home (domain.md §6 P2, issue 4).

A *spillover moment* is an off-work moment (context home, commute or elsewhere, or any
moment timed after the work end) that carries a tag or a person of a work moment from the
same day or the calendar day before. Same-day work moments count only when they did not
come later (when both have a time, the work moment must be at or before the off-work one).
Tags and people from entry bodies are not used: only moments say where something happened.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from itertools import compress
from operator import ne
from typing import Any

from journal.core.reflection.common import (
    MIN_TREND_DAYS,
    SPILLOVER_RECENT,
    finding,
    plural,
)
from journal.core.reflection.days import Days, MomentRow, minutes

KIND = "spillover"
TITLE = "Work following you home"
RECENT_DAYS = 7
TOP_LABELS = 5

# A work tag or person -> the earliest minute it was noted that day (None: unknown time).
_Keys = dict[str, int | None]


def spillover(days: Days, end: date, work_end: str) -> dict[str, Any]:
    cutoff = minutes(work_end)
    assert cutoff is not None
    work_days = len(days) - days.at_work.count(0)
    hit_days: list[int] = []
    hit_labels: list[str] = []    # each label once per day it came home
    hit_kinds: list[str] = []     # each spillover moment's kind
    moments, follows = days.moments, days.follows
    last: tuple[int, _Keys, _Keys] = (-2, {}, {})   # the last day whose keys were made
    # the days with a moment off work, oldest first
    for i in compress(range(len(days)), map(ne, days.moment_count, days.at_work)):
        day = moments[i]
        w_tags, w_people = _work_keys(day, cutoff)
        if i and follows[i - 1]:   # yesterday's keys, made already if it was such a day too
            y_tags, y_people = (last[1:] if last[0] == i - 1
                                else _work_keys(moments[i - 1], cutoff))
        elif not (w_tags or w_people):
            continue
        else:
            y_tags = y_people = {}
        last = (i, w_tags, w_people)
        day_labels: set[str] = set()
        for kind, _, context, at, tags, people, *_ in day:
            if context == "work" and (at is None or at <= cutoff):
                continue
            matched = ["#" + t for t in tags if t in y_tags or (
                t in w_tags and (at is None or w_tags[t] is None or w_tags[t] <= at))]
            matched += ["@" + p for p in people if p in y_people or (
                p in w_people and (at is None or w_people[p] is None or w_people[p] <= at))]
            if matched:
                hit_kinds.append(kind)
                day_labels.update(matched)
        if day_labels:
            hit_days.append(i)
            hit_labels.extend(day_labels)
    recent_from = end.toordinal() - RECENT_DAYS
    recent = sum(1 for i in hit_days if days.ordinals[i] > recent_from)
    labels, by_kind = Counter(hit_labels), Counter(hit_kinds)
    hit_moments = len(hit_kinds)
    stats: dict[str, Any] = {
        "days": len(hit_days),
        "moments": hit_moments,
        "by_kind": dict(sorted(by_kind.items())),
        "labels": [{"label": k, "days": n} for k, n in _top(labels)],
        "work_days": work_days,
        "last_7_days": recent,
        "work_end": work_end,
        "definition": ("an off-work moment (home, commute, elsewhere, or after " + work_end
                       + ") with a tag or person from a work moment of the same or the "
                       "previous day"),
    }
    if len(days) < MIN_TREND_DAYS or not work_days:
        missing = (f"Spillover needs at least {MIN_TREND_DAYS} entries with some moments at "
                   f"work; this range has {plural(len(days), 'entry', 'entries')} and "
                   f"{plural(work_days, 'day')} with work moments.")
        return finding(KIND, TITLE, "Not enough work moments to look for spillover yet.",
                       stats, missing=missing)
    if hit_days:
        top = ", ".join(f"{x['label']} ({plural(x['days'], 'day')})"
                        for x in stats["labels"][:3])
        summary = (f"On {plural(len(hit_days), 'day')} (of {work_days} days with moments at "
                   f"work) a tag or person from work came up again off work, most often "
                   f"{top}. " + (f"{recent} of them in the last {RECENT_DAYS} days."
                                 if recent else f"None in the last {RECENT_DAYS} days."))
    else:
        summary = (f"On none of your {plural(work_days, 'day')} with moments at work did a "
                   f"tag or person from work come up again off work.")
    return finding(KIND, TITLE, summary, stats, days.evidence(hit_days),
                   notable=recent >= SPILLOVER_RECENT)


def _work_keys(moments: Sequence[MomentRow], cutoff: int) -> tuple[_Keys, _Keys]:
    """The tags and people of a day's moments at work (before the work end), each with the
    earliest minute it was noted; an unknown time (None) counts as the earliest."""
    tags: _Keys = {}
    people: _Keys = {}
    for _, _, context, at, m_tags, m_people, _, _ in moments:
        if context == "work" and (at is None or at <= cutoff):
            for label in m_tags:
                known = tags.get(label, _UNSEEN)
                if known is _UNSEEN or at is None or (known is not None and at < known):
                    tags[label] = at
            for label in m_people:
                known = people.get(label, _UNSEEN)
                if known is _UNSEEN or at is None or (known is not None and at < known):
                    people[label] = at
    return tags, people


_UNSEEN: Any = object()


def _top(labels: Counter[str]) -> list[tuple[str, int]]:
    """The most frequent labels; ties by label, so the order never depends on set order."""
    return sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_LABELS]
