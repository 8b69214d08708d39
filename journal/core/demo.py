"""Deterministic demo and benchmark data: a year in the journal of a hospital social worker.

`generate_year(end)` writes realistic entries (prose with #tags and @pseudonyms, moments,
sleep, energy, recovery, good things) with patterns the reflection view should find:

- `#safeguarding` is mostly contagion (a trigger that stands out);
- some evenings a work tag or person comes home as contagion (spillover), most in the
  hard last week;
- sleep is worse after heavy-contagion days;
- after a `walk`, the next day's contagion share is lower;
- a stretch of about two and a half weeks in early summer has no recovery at all;
- the contagion share drifts slowly toward concern over the year;
- on most evenings that list a `compassion-pause`, the day's heaviest contagion moment
  keeps a practice toward concern (the steps taken, a timer now and then, activation
  before and after, mostly a little lower after), as the app's practice keeps it.

Entries start with their own words, not a heading: the app, `journal show` and the lists
already name the day.

Weekends differ: few work moments, more recovery, better sleep. No real names: clients are
initials or roles. `generate(n)` is the benchmark's bulk data (fixed size, any length).
Pure: nothing touches the disk.
"""

from __future__ import annotations

import dataclasses
import random
import uuid
from datetime import date, datetime, time, timedelta

from journal.core.model.entries import Entry, Moment
from journal.core.model.practice import STEPS, Practice

WORK_TAGS = ("family-meeting", "discharge", "end-of-life", "bad-news", "paperwork",
             "new-admission", "grief", "home-visit", "team")
TRIGGER = "safeguarding"
HOME_TAGS = ("kids", "landlord", "mum-health", "money", "partner")
CLIENTS = ("mr-k", "mrs-d", "ms-t", "family-b", "young-dad", "mr-o", "mrs-a", "the-twins-mum",
           "ms-l", "mr-p")
COLLEAGUES = ("charge-nurse", "supervisor-j", "dr-r", "new-student")
RECOVERY = ("walk", "music", "cooking", "friends", "yoga", "supervision", "compassion-pause")
GOOD = ("coffee with @charge-nurse before the ward round", "the sun came out on the walk home",
        "a family said thank you, properly", "finished the discharge letters early",
        "the kids laughed at dinner", "a good chat with my sister", "new book from the library",
        "@supervisor-j backed my call", "slept with the window open", "made soup from scratch",
        "someone held the lift for me", "got the referral through first time")
CONTAGION_LINES = (
    "I felt it in my own chest for an hour afterwards.",
    "Took their panic on board and couldn't put it down.",
    "My hands were shaking when I left the room.",
    "Felt flooded, like it was happening to me.",
    "Came out wound tight and snapped at the printer.",
)
CONCERN_LINES = (
    "Mostly I wanted to make it a bit easier for them.",
    "Felt warm toward them, steady enough to stay.",
    "Moved by how they looked after each other.",
    "I could sit with it and still think about what they needed.",
    "Tender, not heavy. I knew what to do next.",
)
SCENES = {
    "family-meeting": "Family meeting with @{p}: everyone wanted something different.",
    "discharge": "Chased the discharge plan for @{p} all morning.",
    "end-of-life": "Sat with @{p} while the doctors talked about comfort care.",
    "bad-news": "Was in the room when @{p} heard the news.",
    "paperwork": "Three hours of forms; @{p}'s file still isn't done.",
    "new-admission": "New admission, @{p}, frightened and alone on the ward.",
    "grief": "@{p} cried about the dog they'd had to give up.",
    "home-visit": "Home visit to @{p}: damp flat, no heating.",
    "team": "Handover with @{p} ran long.",
    TRIGGER: "Safeguarding call about @{p}'s kids. The details stick.",
}
HOME_SCENES = {
    "kids": "Homework battle with the kids.", "landlord": "Email from the landlord again.",
    "mum-health": "Mum rang about her test results.", "money": "Bills spread on the table.",
    "partner": "Short with my partner over nothing.",
}
CARRIED = ("At dinner I was still back there with @{p}. #{t}",
           "Couldn't stop replaying the @{p} conversation in the shower. #{t}",
           "Lay awake going over #{t} and @{p} again.",
           "Snapped at the kids; my head was still on @{p}. #{t}")
OPENINGS = ("Long one today.", "Strange day.", "Busy, mostly fine.", "Heavy ward today.",
            "Quiet start, then not.", "Tired before I got in.")
EVENINGS = ("Home late, ate standing up.", "Tried to switch off with a film.",
            "Early night, hopefully.", "Wrote this in bed.")


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _moment(rng: random.Random, *, kind: str, context: str, tag: str, person: str | None,
            at: int | None, heavy: bool = False) -> Moment:
    if kind == "contagion":
        intensity = rng.randint(7, 9) if heavy else rng.randint(3, 8)
        feelings = rng.sample(("upset", "worried", "distressed", "troubled", "helpless",
                               "numb"), 2)
        action = rng.choice(("withdrew", "avoided", "approached", None, None))
    else:
        intensity = rng.randint(3, 8)
        feelings = rng.sample(("sympathetic", "moved", "compassionate", "warm", "tender"), 2)
        action = rng.choice(("helped", "approached", "helped", None))
    return Moment(kind=kind, intensity=intensity, context=context,
                  time=_hhmm(at) if at is not None else None, tags=[tag],
                  people=[person] if person else [], feelings=feelings, action=action,
                  note="", id=_uuid(rng))


def generate_year(end: date, seed: int = 7, days: int = 365) -> list[Entry]:
    """`days` days ending on `end`, oldest first; about 1 in 12 days has no entry."""
    rng = random.Random(seed)
    # the practices draw from their own stream, so the rest of the year is the same with
    # or without them
    practice_rng = random.Random(f"practice-{seed}")
    start = end - timedelta(days=days - 1)
    gap_start = start + timedelta(days=int(days * 0.55))
    gap = (gap_start, gap_start + timedelta(days=16))
    entries: list[Entry] = []
    prev: Entry | None = None
    prev_heavy = False
    for i in range(days):
        day = start + timedelta(days=i)
        t = i / max(1, days - 1)
        in_gap = gap[0] <= day <= gap[1]
        if not in_gap and rng.random() < 0.08:
            prev, prev_heavy = None, False
            continue
        weekend = day.weekday() >= 5
        walked = prev is not None and "walk" in prev.recovery
        p_contagion = (0.62 - 0.3 * t) * (0.55 if walked else 1.0)
        caseload = CLIENTS[int(t * 6) % 4: int(t * 6) % 4 + 6]
        moments: list[Moment] = []
        lines = [rng.choice(OPENINGS)]
        n_work = rng.choice((0, 0, 1)) if weekend else rng.choice((1, 2, 2, 3))
        yesterday = [m for m in (prev.moments if prev else []) if m.context == "work"]
        if yesterday and not weekend and n_work <= 2 and rng.random() < 0.06:
            carried = rng.choice(yesterday)  # yesterday's work, on this morning's bus
            moments.append(_moment(rng, kind="contagion", context="commute", tag=carried.tags[0],
                                   person=carried.people[0], at=8 * 60 + rng.randint(0, 20)))
            lines += ["", f"On the bus I was still going over yesterday with "
                      f"@{carried.people[0]}. #{carried.tags[0]}"]
        minute = rng.randint(8 * 60 + 30, 10 * 60)
        for _ in range(n_work):
            tag = TRIGGER if rng.random() < 0.09 else rng.choice(WORK_TAGS)
            person = rng.choice(caseload if tag != "team" else COLLEAGUES)
            kind = ("contagion" if rng.random() < (0.88 if tag == TRIGGER else p_contagion)
                    else "concern")
            heavy = kind == "contagion" and (tag == TRIGGER or rng.random() < 0.3)
            moments.append(_moment(rng, kind=kind, context="work", tag=tag, person=person,
                                   at=minute, heavy=heavy))
            lines += ["", f"{SCENES[tag].format(p=person)} #{tag}",
                      rng.choice(CONTAGION_LINES if kind == "contagion" else CONCERN_LINES)]
            minute = min(17 * 60 + 30, minute + rng.randint(60, 180))
        heavy_day = any(m.kind == "contagion" and m.intensity >= 7 for m in moments)
        work = [m for m in moments if m.context == "work"]
        hard_week = i >= days - 7  # the last week was a hard one: work keeps coming home
        p_spill = 0.85 if hard_week else (0.22 if heavy_day else 0.06)
        if work and len(moments) < 4 and rng.random() < p_spill:
            carried = rng.choice(work)
            # what comes home is contagion (still back there, replaying it), whatever
            # the kind of the work moment it carries
            moments.append(_moment(rng, kind="contagion", context="home",
                                   tag=carried.tags[0],
                                   person=carried.people[0] if carried.people else None,
                                   at=rng.randint(19 * 60, 22 * 60 + 30)))
            lines += ["", rng.choice(CARRIED).format(p=carried.people[0], t=carried.tags[0])]
        if len(moments) < 4 and rng.random() < (0.45 if weekend else 0.2):
            tag = rng.choice(HOME_TAGS)
            kind = "contagion" if rng.random() < p_contagion else "concern"
            moments.append(_moment(rng, kind=kind, context=rng.choice(("home", "elsewhere")),
                                   tag=tag, person=None, at=rng.randint(11 * 60, 21 * 60)))
            lines += ["", f"{HOME_SCENES[tag]} #{tag}"]
        recovery: list[str] = []
        if not in_gap:
            for activity, weekday_p, weekend_p in (
                ("walk", 0.35, 0.55), ("music", 0.2, 0.3), ("cooking", 0.2, 0.45),
                ("friends", 0.08, 0.4), ("yoga", 0.15, 0.2),
                ("supervision", 0.12 if day.weekday() == 2 else 0.0, 0.0),
            ):
                if rng.random() < (weekend_p if weekend else weekday_p):
                    recovery.append(activity)
            if heavy_day and rng.random() < 0.35:
                recovery.append("compassion-pause")
                moments = _practised(moments, practice_rng)
        if recovery:
            lines += ["", f"Tonight: {', '.join(recovery)}."]
        lines += ["", rng.choice(EVENINGS)]
        sleep: int | None = None
        if rng.random() > 0.1:
            base = (7.0 if weekend else 6.4) - (2.6 if prev_heavy else 0.0)
            sleep = max(0, min(10, round(rng.gauss(base, 1.0))))
        energy = None if sleep is None else max(0, min(10, sleep + rng.randint(-2, 1)))
        good = rng.sample(GOOD, rng.choice((0, 1, 1, 2, 3)))
        written = datetime.combine(day, time(21, 0)) + timedelta(minutes=rng.randint(0, 120))
        entry = Entry(date=day, body="\n".join(lines) + "\n", written_at=written,
                      updated_at=written, sleep=sleep, energy=energy, recovery=recovery,
                      good_things=good, moments=moments, id=_uuid(rng))
        entries.append(entry)
        prev, prev_heavy = entry, heavy_day
    return entries


def _practised(moments: list[Moment], rng: random.Random) -> list[Moment]:
    """The moments with a practice kept on the heaviest contagion one (the first of equals):
    usually every step, sometimes one skipped or stopped early; a timer now and then; the
    activation before near the moment's intensity and, when closed, mostly lower after."""
    heaviest = max((m for m in moments if m.kind == "contagion"),
                   key=lambda m: m.intensity)
    shape = rng.random()
    if shape < 0.6:
        steps = STEPS
    elif shape < 0.85:
        skipped = rng.choice(("warmth_self", "widening", "next_step"))
        steps = tuple(s for s in STEPS if s != skipped)
    else:
        steps = STEPS[:rng.choice((2, 3, 4))]  # stopped early: no second rating
    before = max(3, min(10, heaviest.intensity + rng.randint(-2, 1)))
    after = (max(0, before - rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4)))
             if "close" in steps else None)
    practice = Practice(minutes=rng.choice((0, 0, 0, 1, 2, 2, 3)), steps=steps,
                        before=before, after=after)
    return [dataclasses.replace(m, practice=practice) if m is heaviest else m
            for m in moments]


_FILLER = ("Sat with it for a while before writing. The ward was loud and the coffee was "
           "worse than usual, but @charge-nurse kept everyone going. ")


def generate(n_entries: int, seed: int = 7, start: date = date(2000, 1, 3),
             body_bytes: int = 1500, moments: int = 3) -> list[Entry]:
    """Bulk data for benchmarks: `n_entries` consecutive days from `start`, each with a
    body of about `body_bytes` bytes and exactly `moments` moments."""
    rng = random.Random(seed)
    entries = []
    for i in range(n_entries):
        day = start + timedelta(days=i)
        tag = rng.choice(WORK_TAGS + (TRIGGER,))
        person = rng.choice(CLIENTS)
        head = (f"# {day.isoformat()}\n\n{SCENES[tag].format(p=person)} #{tag}\n\n"
                f"{rng.choice(CONTAGION_LINES + CONCERN_LINES)}\n\n")
        body = (head + _FILLER * (1 + body_bytes // len(_FILLER)))[:body_bytes]
        ms = []
        for j in range(moments):
            off = j == moments - 1 and rng.random() < 0.3
            ms.append(_moment(rng, kind=rng.choice(("contagion", "concern")),
                              context="home" if off else "work",
                              tag=tag if off else rng.choice(WORK_TAGS),
                              person=person, at=(20 if off else 9 + 2 * j) * 60))
        entries.append(Entry(
            date=day, body=body, sleep=rng.randint(3, 9), energy=rng.randint(2, 9),
            recovery=rng.sample(RECOVERY, rng.randint(0, 2)),
            good_things=rng.sample(GOOD, rng.randint(0, 2)), moments=ms, id=_uuid(rng),
            written_at=datetime.combine(day, time(21, 30)),
            updated_at=datetime.combine(day, time(21, 30)),
        ))
    return entries
