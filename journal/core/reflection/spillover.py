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
from typing import Any

from journal.core.reflection.common import (
    MIN_TREND_DAYS,
    SPILLOVER_RECENT,
    finding,
    plural,
)

# Not imported from days.py, which imports carried_home from here (no import cycle):
MomentRow = Sequence[Any]  # days.MomentRow
Days = Any  # days.Days

KIND = "spillover"
TITLE = "Work following you home"
RECENT_DAYS = 7
TOP_LABELS = 5

def carried_home(day: Sequence[MomentRow], before: Sequence[MomentRow] | None,
                 work_end: int) -> tuple[set[str], set[str], list[str]] | None:
    """On a day with moments off work: the tags and the people its off-work moments carried
    from work (`before`: the previous calendar day's moments, if it has an entry), and the
    kinds of those moments, one per moment; None when nothing came home. build_days calls
    this while both days are in the CPU cache."""
    tags: set[str] = set()       # today's and yesterday's work tags...
    people: set[str] = set()     # ...and people
    latest = _at_work(day, work_end, tags, people)
    if before is not None:
        _at_work(before, work_end, tags, people)
    if not (tags or people):
        return None
    tags_home: set[str] = set()
    people_home: set[str] = set()
    kinds: list[str] = []
    for kind, _, context, at, m_tags, m_people, _, _ in day:
        if context == "work" and (at is None or at <= work_end):
            continue
        if at is None or at >= latest:   # no work moment of the day came later
            found_tags, found_people = tags.intersection(m_tags), people.intersection(m_people)
        else:
            found_tags, found_people = _exact(day, before, work_end, at, m_tags, m_people)
        if found_tags or found_people:
            kinds.append(kind)
            tags_home |= found_tags
            people_home |= found_people
    return (tags_home, people_home, kinds) if kinds else None


def spillover(days: Days, end: date, work_end: str) -> dict[str, Any]:
    work_days = len(days) - days.at_work.count(0)
    hit_days = days.carried_days   # oldest first
    labels = Counter({"#" + tag: n for tag, n in days.carried_tags.items()})
    labels.update({"@" + person: n for person, n in days.carried_people.items()})
    by_kind = days.carried_kinds
    hit_moments = sum(by_kind.values())
    recent_from = end.toordinal() - RECENT_DAYS
    recent = sum(1 for i in hit_days if days.ordinals[i] > recent_from)
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


def _at_work(moments: Sequence[MomentRow], work_end: int, tags: set[str],
             people: set[str]) -> int:
    """Adds the tags and people of a day's moments at work (not timed after the work end)
    to `tags` and `people`; returns the latest of their known times (-1 if none is known)."""
    latest = -1
    for _, _, context, at, m_tags, m_people, _, _ in moments:
        if context == "work" and (at is None or at <= work_end):
            tags.update(m_tags)
            people.update(m_people)
            if at is not None and at > latest:
                latest = at
    return latest


def _exact(day: Sequence[MomentRow], before: Sequence[MomentRow] | None, work_end: int,
           at: int, m_tags: Sequence[str], m_people: Sequence[str]) -> tuple[set[str], set[str]]:
    """The tags and people of an off-work moment at `at` found at work the day before, or
    at work the same day no later than `at` (some work moment that day came later)."""
    y_tags: set[str] = set()
    y_people: set[str] = set()
    if before is not None:
        _at_work(before, work_end, y_tags, y_people)
    e_tags, e_people = _earliest_at_work(day, work_end)
    return ({t for t in m_tags if t in y_tags or (
                t in e_tags and (e_tags[t] is None or e_tags[t] <= at))},
            {p for p in m_people if p in y_people or (
                p in e_people and (e_people[p] is None or e_people[p] <= at))})


# A work tag or person -> the earliest minute it was noted that day (None: unknown time).
_Keys = dict[str, "int | None"]


def _earliest_at_work(moments: Sequence[MomentRow], work_end: int) -> tuple[_Keys, _Keys]:
    """The tags and people of a day's moments at work, each with the earliest minute it was
    noted; an unknown time (None) counts as the earliest."""
    tags: _Keys = {}
    people: _Keys = {}
    for _, _, context, at, m_tags, m_people, _, _ in moments:
        if context == "work" and (at is None or at <= work_end):
            for keys, labels in ((tags, m_tags), (people, m_people)):
                for label in labels:
                    known = keys.get(label, _UNSEEN)
                    if known is _UNSEEN or at is None or (known is not None and at < known):
                        keys[label] = at
    return tags, people


_UNSEEN: Any = object()


def _top(labels: Counter[str]) -> list[tuple[str, int]]:
    """The most frequent labels; ties by label, so the order never depends on set order."""
    return sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_LABELS]
