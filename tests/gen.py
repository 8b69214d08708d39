"""Planted-pattern data for the reflection tests.

`noise()` writes entries with no pattern in them: work moments on weekdays (work tags and
people, times 09:00-17:00), home moments about home-only tags and people, random kinds
and intensities, sleep independent of everything, recovery activities at random. Each
`plant_*` function then adds ONE pattern and returns its ground truth, so a test can
measure precision and recall of the finding that should recover it.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import date, timedelta

from journal.core.model.entries import Entry, Moment

START = date(2026, 1, 5)  # a Monday
WORK_TAGS = ("discharge", "family-meeting", "paperwork", "new-admission", "team",
             "home-visit", "ward-round", "handover")
WORK_PEOPLE = ("client-a", "client-b", "client-c", "client-d", "colleague-e", "dr-f")
HOME_TAGS = ("kids", "landlord", "money", "partner", "car")
HOME_PEOPLE = ("neighbour", "sister")
ACTIVITIES = ("music", "cooking", "friends", "reading")


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def moment(rng: random.Random, kind: str, context: str, minute: int | None, *,
           tags: list[str] | None = None, people: list[str] | None = None,
           intensity: int | None = None, action: str | None = None) -> Moment:
    return Moment(kind=kind, intensity=rng.randint(2, 9) if intensity is None else intensity,
                  context=context, time=None if minute is None else _hhmm(minute),
                  tags=list(tags or []), people=list(people or []), action=action,
                  id=_id(rng))


def noise(days: int = 140, seed: int = 1, *, start: date = START,
          p_contagion: float | Callable[[float], float] = 0.5, p_home: float = 0.4,
          p_activity: float = 0.4, sleep_mean: float = 6.0, sleep_sd: float = 1.0,
          p_action: float = 0.0, p_away: float = 0.2) -> list[Entry]:
    """One entry per day, oldest first. `p_contagion` may be a function of t in [0, 1]."""
    rng = random.Random(seed)
    entries = []
    for i in range(days):
        day = start + timedelta(days=i)
        t = i / max(1, days - 1)
        p_c = p_contagion(t) if callable(p_contagion) else p_contagion
        moments = []
        if day.weekday() < 5:
            minute = rng.randint(9 * 60, 10 * 60)
            for _ in range(rng.randint(1, 3)):
                moments.append(moment(rng, _kind(rng, p_c), "work", minute,
                                      tags=[rng.choice(WORK_TAGS)],
                                      people=[rng.choice(WORK_PEOPLE)]))
                minute = min(17 * 60, minute + rng.randint(60, 150))
        if rng.random() < p_home:
            moments.append(moment(rng, _kind(rng, p_c), rng.choice(("home", "elsewhere")),
                                  rng.randint(19 * 60, 22 * 60), tags=[rng.choice(HOME_TAGS)],
                                  people=[rng.choice(HOME_PEOPLE)] if rng.random() < 0.3
                                  else []))
        for m in moments:
            if rng.random() < p_action:
                m.action = rng.choice(("withdrew", "avoided")) if rng.random() < p_away \
                    else rng.choice(("helped", "approached"))
        sleep = max(0, min(10, round(rng.gauss(sleep_mean, sleep_sd))))
        recovery = [a for a in ACTIVITIES if rng.random() < p_activity]
        entries.append(Entry(date=day, body="A day.", sleep=sleep, recovery=recovery,
                             good_things=["tea"] if rng.random() < 0.5 else [],
                             moments=moments, id=_id(rng)))
    return entries


def _kind(rng: random.Random, p_contagion: float) -> str:
    return "contagion" if rng.random() < p_contagion else "concern"


def by_date(entries: list[Entry]) -> dict[date, Entry]:
    return {e.date: e for e in entries}


# -- plants ------------------------------------------------------------------------------------
def plant_spillover(entries: list[Entry], seed: int = 2, rate: float = 0.2) -> set[date]:
    """On about `rate` of the work days, contagion brings a work tag or person home that
    same evening or night, in one of three ways: at home that evening, on the commute, or
    at home after midnight in the same entry (issue 12: work is matched with that evening
    and night). Returns the planted days."""
    rng = random.Random(seed)
    planted: set[date] = set()
    for entry in entries:
        work = [m for m in entry.moments if m.context == "work"]
        if not work or rng.random() >= rate:
            continue
        source = rng.choice(work)
        carry = ({"tags": source.tags} if rng.random() < 0.5 else {"people": source.people})
        way = rng.choice(("evening", "commute", "night"))
        context, minute = {"evening": ("home", rng.randint(19 * 60, 23 * 60)),
                           "commute": ("commute", 17 * 60 + 40),
                           "night": ("home", rng.randint(0, 3 * 60))}[way]
        entry.moments.append(moment(rng, "contagion", context, minute, **carry))
        planted.add(entry.date)
    return planted


def plant_trigger(entries: list[Entry], seed: int = 3, tag: str = "restraint",
                  n: int = 24, contagion: float = 0.9) -> str:
    """Make `tag` the only tag of `n` random work moments, mostly contagion. Returns it."""
    rng = random.Random(seed)
    work = [m for e in entries for m in e.moments if m.context == "work"]
    for m in rng.sample(work, n):
        m.tags = [tag]
        m.kind = _kind(rng, contagion)
    return tag


def heavy_days(entries: list[Entry], threshold: int = 7) -> set[date]:
    return {e.date for e in entries
            if any(m.kind == "contagion" and m.intensity >= threshold for m in e.moments)}


def plant_sleep_drop(entries: list[Entry], drop: int = 3) -> set[date]:
    """The night after each heavy day is rated `drop` points lower. Returns the heavy days
    followed by a sleep rating (the ground truth of the comparison's high group)."""
    days = by_date(entries)
    truth = set()
    for day in sorted(heavy_days(entries)):
        nxt = days.get(day + timedelta(days=1))
        if nxt is not None and nxt.sleep is not None:
            nxt.sleep = max(0, nxt.sleep - drop)
            truth.add(day)
    return truth


def plant_recovery(entries: list[Entry], seed: int = 4, activity: str = "yoga",
                   p: float = 0.3, flip: float = 0.7) -> set[date]:
    """Add `activity` to about `p` of the days; on the day after, each contagion moment
    turns into concern with probability `flip`. Returns the days with the activity."""
    rng = random.Random(seed)
    days = by_date(entries)
    planted = set()
    for entry in entries:
        if rng.random() >= p:
            continue
        entry.recovery.append(activity)
        planted.add(entry.date)
        nxt = days.get(entry.date + timedelta(days=1))
        for m in nxt.moments if nxt else []:
            if m.kind == "contagion" and rng.random() < flip:
                m.kind = "concern"
    return planted


def plant_gap(entries: list[Entry], first: int, length: int) -> tuple[date, date]:
    """No recovery on entries[first : first + length] (consecutive days in noise())."""
    for entry in entries[first:first + length]:
        entry.recovery = []
    return entries[first].date, entries[first + length - 1].date


def precision_recall(found: set, truth: set) -> tuple[float, float]:
    hits = len(found & truth)
    return (hits / len(found) if found else 1.0, hits / len(truth) if truth else 1.0)


def evidence_dates(finding: dict) -> set[date]:
    return {date.fromisoformat(e["date"]) for e in finding["evidence"]}


def find(result: dict, kind: str) -> dict:
    return next(f for f in result["findings"] if f["kind"] == kind)


def drift(seed: int, days: int = 364, points: float = 0.10, moments: int = 12) -> list[Entry]:
    """A year whose contagion share drifts `points` toward concern (from 0.5 + points/2 to
    0.5 - points/2), with about `moments` moments on each day: work on weekdays, home
    every day. Nothing else is planted."""
    rng = random.Random(seed)
    entries = []
    for i in range(days):
        day = START + timedelta(days=i)
        p = 0.5 + points / 2 - points * i / max(1, days - 1)
        count = max(1, round(rng.gauss(moments, 1)))
        found = [moment(rng, _kind(rng, p), "work" if day.weekday() < 5 and j % 2 == 0
                        else "home", None, tags=[rng.choice(WORK_TAGS)])
                 for j in range(count)]
        entries.append(Entry(date=day, body="A day.", sleep=rng.randint(4, 8),
                             recovery=[a for a in ACTIVITIES if rng.random() < 0.4],
                             moments=found, id=_id(rng)))
    return entries
