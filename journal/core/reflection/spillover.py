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
from datetime import date
from itertools import compress, repeat
from operator import and_, itemgetter, le, not_
from typing import Any

from journal.core.model.moment_fold import Carried
from journal.core.reflection.chance import Chance, count_chance
from journal.core.reflection.common import (
    MIN_TREND_DAYS,
    SPILLOVER_RECENT,
    about,
    counted,
    finding,
    plural,
)
from journal.core.reflection.days import Days

KIND = "spillover"
TITLE = "Contagion that came home from work"
RECENT_DAYS = 7
TOP_LABELS = 5
MIN_DAYS = 3            # fewer spillover days than this is never marked


def spillover(days: Days, end: date, work_end: str, cutoff: int
              ) -> tuple[dict[str, Any], list[Chance]]:
    work, own_home = days.work_labels, days.home_labels
    home_labels = {label for label, n in own_home.items() if n > work.get(label, 0)}
    hit_days, labels, moments, concern_days = _came_home(days.carried, home_labels, cutoff)
    work_days = len(days) - days.at_work.count(0)
    recent_from = end.toordinal() - RECENT_DAYS
    recent = [i for i in hit_days if days.ordinals[i] > recent_from]
    chances = _chance_overlap(days, home_labels)
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
                   f"work; this range has {counted(len(days), 'entry', 'entries')} and "
                   f"{counted(work_days, 'day')} with moments at work.")
        return finding(KIND, TITLE, "Not enough moments at work to look at yet.",
                       stats, missing=missing), [Chance(what)]
    summary = _said(len(hit_days), work_days, stats["labels"], len(recent))
    summary += _by_chance(expected)
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


def _said(hits: int, work_days: int, labels: list[dict[str, Any]], recent: int) -> str:
    """What came home, in words that fit the counts: one day or all of them, one label or
    several, none or all of them lately."""
    of_work = ("your one day with moments at work" if work_days == 1 else
               f"all {work_days} of your days with moments at work" if hits == work_days else
               f"{hits} of your {work_days} days with moments at work" if hits else
               f"none of your {work_days} days with moments at work")
    if not hits:
        return (f"On {of_work}, no tag or person from that day's work came up again in a "
                f"contagion moment off work that evening or night." if work_days == 1 else
                f"On {of_work} did a tag or person from that day's work come up again in a "
                f"contagion moment off work that evening or night.")
    names = [x["label"] for x in labels]
    if hits == 1:
        which = f"; it was {_listed(names)}"
        lately = (f" That day was in the last {RECENT_DAYS} days." if recent else
                  f" That day was not in the last {RECENT_DAYS} days.")
    else:
        which = ", most often " + ", ".join(f"{x['label']} ({plural(x['days'], 'day')})"
                                            for x in labels[:3])
        were = "was" if recent == 1 else "were"
        lately = (f" All {hits} were in the last {RECENT_DAYS} days." if recent == hits else
                  f" {recent} of them {were} in the last {RECENT_DAYS} days." if recent else
                  f" None of those days was in the last {RECENT_DAYS} days.")
    return (f"On {of_work}, contagion came home: a tag or person from that day's work came "
            f"up again in a contagion moment off work the same evening or night{which}."
            + lately)


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _by_chance(expected: float) -> str:
    """The days chance alone would give, as a count of days (never "0.0 such days")."""
    if expected == 0:
        return (" No evening shared a label with the work of any day of its weekday, so "
                "chance alone would give none.")
    return (f" If evenings had nothing to do with that day's work, chance alone would give "
            f"{about(expected, 'such day')}, from how often an evening shares a label with "
            f"the work of days of the same weekday.")


def _came_home(carried: Carried, home_labels: set[str], cutoff: int
               ) -> tuple[list[int], Counter[str], int, int]:
    """What came home (`Days.carried`, one item per label an off-work moment carries): a
    label counts when it came home by the work end `cutoff` (noted at work at or before the
    moment, an untimed work moment taken to end at `cutoff`) and does not belong at home.
    The days contagion carried a label home (oldest first), the days each label was
    carried home by contagion, how many contagion moments carried one, and on how many
    days concern did. Counted over the columns with C loops (sets of pairs)."""
    counted = list(map(le, repeat(cutoff), carried.bounds))
    if home_labels:
        home = {mark + label for label in home_labels for mark in "#@"}
        counted = list(map(and_, counted, map(not_, map(home.__contains__, carried.labels))))
    by_contagion = list(map(and_, counted, carried.contagion))
    by_concern = list(map(and_, counted, map(not_, carried.contagion)))
    day_of = carried.days
    hit = list(compress(day_of, by_contagion))
    labels = Counter(map(_SECOND, set(zip(hit, compress(carried.labels, by_contagion),
                                          strict=True))))
    moments = len(set(compress(carried.moments, by_contagion)))
    return sorted(set(hit)), labels, moments, len(set(compress(day_of, by_concern)))


def _chance_overlap(days: Days, home_labels: set[str]) -> list[float]:
    """Per day: the share of days of its weekday whose work labels overlap its evening's
    contagion labels, labels that belong at home left out (the chance its evening would
    count if evenings were shuffled among the days of the same weekday), from bits over
    days (`Days.work_bits`, `Days.weekday_bits`: a count needs no date order), once per
    distinct evening and weekday, so this stays fast on long journals."""
    evenings, weekday = days.evenings, days.weekday
    out = [0.0] * len(evenings)
    bits = days.work_bits(set().union(*set(evenings)) - home_labels)   # only those asked
    on_weekday = days.weekday_bits
    sizes = [w.bit_count() for w in on_weekday]
    known: dict[tuple[frozenset[str], int], float] = {}   # evenings repeat
    for i in compress(range(len(evenings)), evenings):   # the days with an evening
        labels, w = evenings[i], weekday[i]
        chance = known.get((labels, w))
        if chance is None:
            hit = 0
            for label in labels:
                if label not in home_labels:
                    hit |= bits.get(label, 0)
            chance = known[labels, w] = (hit & on_weekday[w]).bit_count() / sizes[w]
        out[i] = chance
    return out


_SECOND = itemgetter(1)


def _top(labels: Counter[str]) -> list[tuple[str, int]]:
    """The most frequent labels; ties by label, so the order never depends on set order."""
    return sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_LABELS]
