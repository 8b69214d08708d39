"""P2: contagion that came home from work (domain.md §6 P2, issues 4 and 12).

A day counts when, that same evening or night, an off-work moment of *contagion* (context
home, commute or elsewhere) carries a tag or a person from one of that day's work moments:
- a work moment is work at any hour (late shifts); only its context says where it was;
- order matters: the off-work moment is at or after the work moment (a work moment without
  a time is taken to end by the work end); an off-work moment between 00:00 and 04:00 in
  the same entry belongs to that night, so after the day's work; an untimed one counts;
- off-work *concern* about work (caring, with the boundary held) is counted apart and
  never called spillover;
- a label that belongs at home more than at work (noted off work, without work, on more
  days than at work: a family member, say) is not by itself a work label. Tags and people
  are matched as one vocabulary (a word is a word) and shown as #tag and @person.

Chance: if the evenings had nothing to do with the day's work, an evening would share a
label with its own day's work about as often as with another day's work of the same
weekday. `count_chance` compares the days counted with that chance overlap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from journal.core.reflection.chance import Chance, count_chance
from journal.core.reflection.common import MIN_TREND_DAYS, SPILLOVER_RECENT, finding, plural
from journal.core.reflection.days import Days, MomentRow

KIND = "spillover"
TITLE = "Contagion that came home from work"
RECENT_DAYS = 7
TOP_LABELS = 5
NIGHT_END = 4 * 60      # a moment before 04:00 belongs to the night after the day
DAY = 24 * 60
MIN_DAYS = 3            # fewer spillover days than this is never marked


def spillover(days: Days, end: date, work_end: str, cutoff: int
              ) -> tuple[dict[str, Any], list[Chance]]:
    work, own_home, work_sets, evenings, shared = _labels(days.moments)
    home_labels = {label for label, n in own_home.items() if n > work.get(label, 0)}
    if home_labels:
        work_sets = [w - home_labels if w else w for w in work_sets]
        evenings = [e - home_labels if e else e for e in evenings]
    hit_days: list[int] = []
    concern_days = 0
    labels: Counter[str] = Counter()
    moments = 0
    for i in shared:   # days whose work and off-work moments share a label
        day = days.moments[i]
        found, concern, n = _day(day, cutoff, home_labels)
        if found:
            hit_days.append(i)
            labels.update(found)
            moments += n
        concern_days += bool(concern)
    work_days = len(days) - days.at_work.count(0)
    recent_from = end.toordinal() - RECENT_DAYS
    recent = [i for i in hit_days if days.ordinals[i] > recent_from]
    chances = _chance_overlap(evenings, work_sets, days.weekday)
    expected = sum(chances)
    stats: dict[str, Any] = {
        "days": len(hit_days),
        "moments": moments,
        "concern_days": concern_days,
        "labels": [{"label": k, "days": n} for k, n in _top(labels)],
        "work_days": work_days,
        "last_7_days": len(recent),
        "expected_by_chance": round(expected, 1),
        "work_end": work_end,
        "definition": ("a day on which an off-work moment of contagion (home, commute, "
                       "elsewhere) that evening or night carries a tag or person from that "
                       "day's work moments"),
    }
    what = "this many days"
    if len(days) < MIN_TREND_DAYS or not work_days:
        missing = (f"This needs at least {MIN_TREND_DAYS} entries with some moments at "
                   f"work; this range has {plural(len(days), 'entry', 'entries')} and "
                   f"{plural(work_days, 'day')} with moments at work.")
        return finding(KIND, TITLE, "Not enough moments at work to look at yet.",
                       stats, missing=missing), [Chance(what)]
    if hit_days:
        top = ", ".join(f"{x['label']} ({plural(x['days'], 'day')})"
                        for x in stats["labels"][:3])
        summary = (f"On {len(hit_days)} of your {plural(work_days, 'day')} with moments at "
                   f"work, contagion came home: a tag or person from that day's work came up "
                   f"again in a contagion moment off work the same evening or night, most "
                   f"often {top}. " + (f"{len(recent)} of them in the last {RECENT_DAYS} "
                                       "days." if recent else
                                       f"None in the last {RECENT_DAYS} days."))
    else:
        summary = (f"On none of your {plural(work_days, 'day')} with moments at work did a "
                   f"tag or person from that day's work come up again in a contagion moment "
                   f"off work that evening or night.")
    summary += (f" If evenings had nothing to do with the day's work, about {expected:.1f} "
                f"such days would be expected from the labels work and home share.")
    if concern_days:
        summary += (f" Concern off work about work (caring, with your boundary held) on "
                    f"{plural(concern_days, 'day')} is not counted here.")
    overall, lately = Chance(what), Chance(what)   # the whole range, the last week
    if len(hit_days) >= MIN_DAYS:
        overall = count_chance(len(hit_days), chances, what)
    if len(recent) >= SPILLOVER_RECENT:
        lately = count_chance(len(recent), [c for i, c in enumerate(chances)
                                            if days.ordinals[i] > recent_from], what)
    for c in (overall, lately):
        c.how = "shuffles of your evenings among your days of the same weekday"
    return finding(KIND, TITLE, summary, stats, days.evidence(hit_days),
                   n=work_days), [overall, lately]


def _labels(all_days: Sequence[Sequence[MomentRow]]
            ) -> tuple[Counter[str], Counter[str], list[frozenset[str]], list[frozenset[str]],
                       list[int]]:
    """Per label (a tag or a person: matching treats them as one vocabulary, a word is a
    word): the days it was noted at work, and the days it was noted off work without being
    noted at work that day; per day: its work labels, and the labels of its off-work
    contagion moments (its evening, for the chance check); and the days whose work and
    off-work moments share a label at all (only those can count). Set updates run in C."""
    work: list[str] = []   # each day's distinct labels, counted by one Counter at the end
    home: list[str] = []
    work_sets: list[frozenset[str]] = []
    evenings: list[frozenset[str]] = []
    empty: frozenset[str] = frozenset()
    shared: list[int] = []
    for i, day in enumerate(all_days):
        at_work: set[str] = set()
        off: set[str] = set()
        evening: set[str] = set()
        for kind, _, context, _, tags, people, _, _ in day:
            if context == "work":
                at_work.update(tags, people)
            else:
                off.update(tags, people)
                if kind == "contagion":
                    evening.update(tags, people)
        if at_work:
            work.extend(at_work)
            work_sets.append(frozenset(at_work))
        else:
            work_sets.append(empty)
        if off:
            home.extend(off - at_work if at_work else off)
            if at_work and not at_work.isdisjoint(off):
                shared.append(i)
        evenings.append(frozenset(evening) if evening else empty)
    return Counter(work), Counter(home), work_sets, evenings, shared


def _day(day: Sequence[MomentRow], cutoff: int, home_labels: set[str]
         ) -> tuple[set[str], bool, int]:
    """One day with moments at work and off work: the labels contagion carried home (in
    order; "#tag", "@person"), whether concern carried any, and how many contagion moments
    did."""
    first: dict[str, int] = {}   # work label -> the earliest minute it was noted
    for _, _, context, at, tags, people, _, _ in day:
        if context == "work":
            when = cutoff if at is None else at
            for label in (*tags, *people):
                if when < first.get(label, _NEVER) and label not in home_labels:
                    first[label] = when
    found: set[str] = set()
    concern = False
    n = 0
    if not first:
        return found, concern, n
    for kind, _, context, at, tags, people, _, _ in day:
        if context == "work" or kind not in ("contagion", "concern"):
            continue
        when = DAY if at is None else at + DAY if at < NIGHT_END else at
        carried = {"#" + t for t in tags if first.get(t, _NEVER) <= when}
        carried.update("@" + p for p in people if first.get(p, _NEVER) <= when)
        if not carried:
            continue
        if kind == "contagion":
            found |= carried
            n += 1
        else:
            concern = True
    return found, concern, n


_NEVER = DAY * 2


def _chance_overlap(evenings: list[frozenset[str]], work_sets: list[frozenset[str]],
                    weekday: list[int]) -> list[float]:
    """Per day: the share of days of its weekday whose work labels overlap its evening's
    contagion labels (the chance its evening would count if evenings were shuffled among
    the days of the same weekday), from bitsets over days (one pass over the work), once
    per distinct evening and weekday, so this stays fast on long journals."""
    sizes = [0] * 7
    for w in weekday:
        sizes[w] += 1
    wanted = set().union(*evenings)
    if not wanted:
        return [0.0] * len(evenings)
    bits, masks = _bitsets(work_sets, weekday, wanted)
    out = []
    known: dict[tuple[frozenset[str], int], float] = {}   # evenings repeat
    for labels, w in zip(evenings, weekday, strict=True):
        if not labels:
            out.append(0.0)
            continue
        chance = known.get((labels, w))
        if chance is None:
            hit = 0
            for label in labels:
                hit |= bits.get(label, 0)
            chance = known[labels, w] = (hit & masks[w]).bit_count() / sizes[w]
        out.append(chance)
    return out


def _bitsets(work_sets: list[frozenset[str]], weekday: list[int], wanted: set[str]
             ) -> tuple[dict[str, int], list[int]]:
    """Per wanted label, the days whose work noted it; per weekday, its days (bits i)."""
    days: dict[str, list[int]] = {}
    by_weekday: list[list[int]] = [[] for _ in range(7)]
    for i, (labels, w) in enumerate(zip(work_sets, weekday, strict=True)):
        by_weekday[w].append(i)
        for label in labels:
            days.setdefault(label, []).append(i)
    size = len(weekday)
    return ({label: _bits(on, size) for label, on in days.items() if label in wanted},
            [_bits(on, size) for on in by_weekday])


def _bits(on: list[int], size: int) -> int:
    """The integer whose bits `on` are set, built in one go (OR-ing 1 << i day by day
    copies a growing integer each time: quadratic on long journals)."""
    flags = bytearray(size // 8 + 1)
    for i in on:
        flags[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(flags, "little")


def _top(labels: Counter[str]) -> list[tuple[str, int]]:
    """The most frequent labels; ties by label, so the order never depends on set order."""
    return sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_LABELS]
