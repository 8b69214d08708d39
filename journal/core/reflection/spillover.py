"""P2: work following someone home (domain.md §6 P2, issue 4).

A *spillover moment* is an off-work moment (context home, commute or elsewhere, or any
moment timed after the work end) that carries a tag or a person of a work moment from the
same day or the calendar day before. Same-day work moments count only when they did not
come later (when both have a time, the work moment must be at or before the off-work one).
Tags and people from entry bodies are not used: only moments say where something happened.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from journal.core.models import Moment
from journal.core.reflection.days import (
    MIN_TREND_DAYS,
    MINUTE_OF,
    SPILLOVER_RECENT,
    Day,
    finding,
    minutes,
    plural,
)

KIND = "spillover"
TITLE = "Work following you home"
RECENT_DAYS = 7
TOP_LABELS = 5

# A work tag or person -> the earliest minute it was noted that day (None: unknown time).
_Keys = dict[str, int | None]


def spillover(days: list[Day], end: date, work_end: str) -> dict[str, Any]:
    cutoff = minutes(work_end)
    assert cutoff is not None
    prev_date: date | None = None
    prev: tuple[_Keys, _Keys] = ({}, {})
    none: tuple[_Keys, _Keys] = ({}, {})
    one = timedelta(days=1)
    hit_days: list[Day] = []
    labels: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    hit_moments = 0
    work_days = 0
    for day in days:
        tags: _Keys = {}
        people: _Keys = {}
        off: list[tuple[Moment, int | None]] = []
        at_work = False
        for moment in day.moments:
            at = MINUTE_OF.get(moment.time) if moment.time else None
            if moment.context == "work" and (at is None or at <= cutoff):
                at_work = True
                for tag in moment.tags:
                    tags[tag] = _earliest(tags[tag], at) if tag in tags else at
                for person in moment.people:
                    people[person] = _earliest(people[person], at) if person in people else at
            else:
                off.append((moment, at))
        work_days += at_work
        if off:
            y_tags, y_people = prev if prev_date == day.date - one else none
            day_labels: set[str] = set()
            for moment, at in off:
                matched = ["#" + t for t in moment.tags
                           if t in y_tags or (t in tags and _not_later(tags[t], at))]
                matched += ["@" + p for p in moment.people
                            if p in y_people or (p in people and _not_later(people[p], at))]
                if matched:
                    hit_moments += 1
                    by_kind[moment.kind] += 1
                    day_labels.update(matched)
            if day_labels:
                hit_days.append(day)
                labels.update(day_labels)
        prev_date, prev = day.date, (tags, people)
    recent = sum(1 for d in hit_days if d.date > end - timedelta(days=RECENT_DAYS))
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
    return finding(KIND, TITLE, summary, stats, hit_days, notable=recent >= SPILLOVER_RECENT)


def _top(labels: Counter[str]) -> list[tuple[str, int]]:
    """The most frequent labels; ties by label, so the order never depends on set order."""
    return sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_LABELS]


def _earliest(a: int | None, b: int | None) -> int | None:
    """The earlier of two times; unknown (None) wins, as it may be the earliest."""
    return None if a is None or b is None else min(a, b)


def _not_later(work_at: int | None, off_at: int | None) -> bool:
    return work_at is None or off_at is None or work_at <= off_at
