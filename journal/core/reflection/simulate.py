"""Null years: realistic journals in which **nothing** is related to anything, for measuring
how often the reflection cries wolf (issue 12). The tests (tests/core/test_reflection_null.py)
and `make calibrate` (bench/calibrate.py) share this one generator.

A year is a list of `DayRow`s (what `reflect_rows` reads), about 300 entries ending on
`end`. Each simulated user has their own base rates (how much contagion, how often recovery
is noted), and then, by scenario:

- `independent`: moments, contexts, tags, sleep, recovery, actions and feelings are drawn
  independently, about 2 moments a day;
- `correlated`: good and bad days: the kinds, actions and feelings of one day's moments
  share that day's mood;
- `weekday`: weekday and context structure only: work on weekdays, contagion likelier at
  work than at home, worse sleep before workdays, busier Mondays;
- `busy`: about 10 moments a day;
- `busy_correlated`: about 10 moments a day on good and bad days.

Work and home share some labels (tags such as #tired, and family members sometimes noted at
work), so chance overlap between a day's work and its evening is realistic. Only the
standard library's `random` is used, seeded per year, so every figure is reproducible.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from journal.core.reflection.days import DayRow

SCENARIOS = ("independent", "correlated", "weekday", "busy", "busy_correlated")
WORK_TAGS = ("discharge", "family-meeting", "paperwork", "admission", "team", "home-visit",
             "ward-round", "handover", "safeguarding", "court")
SHARED_TAGS = ("tired", "phone", "rushed")
HOME_TAGS = ("kids", "money", "partner", "car", "news")
CLIENTS = ("client-a", "client-b", "client-c", "client-d", "colleague-e", "dr-f")
FAMILY = ("mum", "sister")
ACTIVITIES = ("walk", "music", "cooking", "friends", "reading")
FEELINGS = ("tired", "sad", "angry", "calm", "hopeful")
NUMB = ("numb", "cynical", "detached-from-them")


def null_year(seed: int, scenario: str = "independent", *, end: date = date(2026, 12, 4),
              days: int = 365) -> list[DayRow]:
    """One simulated year of rows with no planted relationship, ending on `end`."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}")
    rng = random.Random(f"{scenario}:{seed}")
    busy = scenario.startswith("busy")
    moody = scenario in ("correlated", "busy_correlated")
    structured = scenario == "weekday"
    user = {
        "p_entry": rng.uniform(0.75, 0.9),
        "p_contagion": rng.uniform(0.3, 0.6),
        "p_recovery": rng.uniform(0.1, 0.35),    # per activity
        "p_action": rng.uniform(0.2, 0.7),
        "p_away": rng.uniform(0.1, 0.35),
        "p_feelings": rng.uniform(0.1, 0.5),
        "p_numb": rng.uniform(0.02, 0.08),
        "sleep": rng.uniform(5, 7),
    }
    rows: list[DayRow] = []
    first = end - timedelta(days=days - 1)
    for offset in range(days):
        day = first + timedelta(days=offset)
        if rng.random() >= user["p_entry"]:
            continue
        workday = day.weekday() < 5
        mood = rng.choice((-0.25, 0.25)) if moody else 0.0
        moments = []
        mean_moments = (10 if busy else 2) * (1.3 if structured and day.weekday() == 0 else 1)
        for _ in range(_poisson(rng, mean_moments)):
            moments.append(_moment(rng, user, workday, mood, structured))
        sleep = None
        if rng.random() < 0.85:
            base = user["sleep"] - (0.7 if structured and day.weekday() < 5 else 0.0)
            sleep = max(0, min(10, round(rng.gauss(base, 1.5))))
        recovery = [a for a in ACTIVITIES if rng.random() < user["p_recovery"]]
        good = rng.choice((0, 0, 1, 2, 3))
        rows.append((day, str(uuid.UUID(int=rng.getrandbits(128), version=4)), sleep,
                     recovery, good, moments))
    return rows


def _moment(rng: random.Random, user: dict[str, float], workday: bool, mood: float,
            structured: bool) -> tuple:
    at_work = rng.random() < (0.7 if workday else 0.05)
    if at_work:
        context = "work"
        minute = rng.randint(8 * 60, 18 * 60) if rng.random() < 0.9 else \
            rng.randint(18 * 60, 22 * 60)   # late shifts
        tags = [rng.choice(WORK_TAGS if rng.random() < 0.8 else SHARED_TAGS)]
        people = ([rng.choice(CLIENTS if rng.random() < 0.9 else FAMILY)]
                  if rng.random() < 0.5 else [])
    else:
        context = rng.choice(("home", "home", "home", "commute", "elsewhere"))
        minute = rng.choice((rng.randint(17 * 60, 24 * 60 - 1), rng.randint(17 * 60, 23 * 60),
                             rng.randint(0, 90), rng.randint(6 * 60, 8 * 60)))
        tags = [rng.choice(HOME_TAGS if rng.random() < 0.7 else SHARED_TAGS)]
        people = [rng.choice(FAMILY)] if rng.random() < 0.3 else []
    if rng.random() < 0.2:
        minute = None
    if rng.random() < 0.2:
        tags = []
    p = user["p_contagion"] + mood
    if structured:
        p += 0.15 if at_work else -0.15
    kind = "contagion" if rng.random() < p else "concern"
    action = None
    if rng.random() < user["p_action"]:
        away = rng.random() < user["p_away"] + (mood / 2 if mood else 0.0)
        action = rng.choice(("withdrew", "avoided") if away else ("helped", "approached"))
    feelings: list[str] = []
    if rng.random() < user["p_feelings"]:
        numb = rng.random() < user["p_numb"] * (1.8 if mood > 0 else 0.2 if mood < 0 else 1)
        feelings = [rng.choice(NUMB) if numb else rng.choice(FEELINGS)]
    return (kind, rng.randint(1, 10), context, minute, tags, people, action, feelings)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson count (Knuth's method: fine for the small means used here)."""
    limit, k, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def weekly_looks(end: date, weeks: int = 13) -> list[tuple[date, date]]:
    """The (since, until) of a user who looks at the default 4-week range once a week for
    `weeks` weeks, the last look ending on `end`."""
    return [(until - timedelta(days=27), until)
            for until in (end - timedelta(days=7 * (weeks - 1 - w)) for w in range(weeks))]
