"""The ground every finding stands on: the input rows (`DayRow`, `MomentRow`), and the days
in range as one column table (`Days`), built from the rows in a single pass over the
moments that also takes every per-day count the findings need.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import compress
from operator import eq, itemgetter
from typing import Any

from journal.core.model.entries import Entry
from journal.core.reflection.chance import data_seed
from journal.core.reflection.common import (
    HEAVY_INTENSITY,
    MINUTE_OF,
    NUMB_WORDS,
    REACH_IN,
    STEP_AWAY,
)

# -- the input rows ------------------------------------------------------------------------
#: One moment, positional: (kind, intensity, context, minute, tags, people, action,
#: feelings). `minute` is the moment's time as minutes after midnight ("HH:MM" -> h*60+m),
#: None when it has none; the rest is what `models.Moment` holds.
MomentRow = Sequence[Any]
#: One entry, positional: (date, entry_id, sleep or None, recovery labels, number of good
#: things, moments). Rows may come in any order; two on one date are merged (first id kept).
DayRow = tuple[date, str, int | None, Sequence[str], int, Sequence[MomentRow]]


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
    pass over the moments. Findings read whole columns with C loops (map, compress, sum)."""

    __slots__ = ("dates", "ordinals", "ids", "sleep", "recovery", "good", "moments", "follows",
                 "moment_count", "contagion", "concern", "contagion_intensity",
                 "concern_intensity", "heavy", "stepped_away", "with_action", "helped", "numb",
                 "at_work", "weekday", "seed", "contagion_tags", "concern_tags", "contexts",
                 "_items")

    dates: Sequence[date]
    ordinals: list[int]                  # date.toordinal()
    ids: Sequence[str]
    sleep: Sequence[int | None]
    recovery: Sequence[tuple[str, ...]]  # labels as given (may repeat); equal ones shared
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
    at_work: list[int]                   # moments at work (at any hour: late shifts)
    moment_count: list[int]              # moments
    weekday: list[int]                   # 0 Monday .. 6 Sunday: the shuffles' strata
    seed: int                            # from the data: seeds every shuffle
    contagion_tags: dict[tuple[int, str], Counter[str]]  # (intensity, context) -> tags
    concern_tags: dict[str, Counter[str]]  # context -> its concern moments' tags
    contexts: Counter[tuple[str, str]]   # (kind, context) -> contagion, concern moments

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
    # Labels to count are appended (references only) while their moments are in the CPU
    # cache, and counted by C loops every _BLOCK days, while they still are.
    c_tags: defaultdict[tuple[int, str], list[str]] = defaultdict(list)
    k_tags: defaultdict[str, list[str]] = defaultdict(list)
    kinds: list[tuple[str, str]] = []   # (kind, context) per contagion or concern moment
    tallies = _Tallies()
    add_kind = kinds.append
    numb_free = _NUMB.isdisjoint
    heavy_from = HEAVY_INTENSITY
    counts: list[Any] = []   # _COUNTS values per day, one day after the other
    add = counts.extend
    one_of: dict[tuple[str, ...], tuple[str, ...]] = {}   # one tuple per distinct recovery
    same_recovery = one_of.setdefault
    for i, (moments, recovery) in enumerate(zip(days.moments, days.recovery, strict=True)):
        recovery = tuple(recovery)
        c = k = c_sum = k_sum = heavy = away = acted = helped = numb = work = 0
        for kind, intensity, context, _, tags, _, action, feelings in moments:
            if kind == "contagion":
                c += 1
                c_sum += intensity
                heavy += intensity >= heavy_from
                c_tags[intensity, context].extend(tags)
                add_kind(("contagion", context))
            elif kind == "concern":
                k += 1
                k_sum += intensity
                k_tags[context].extend(tags)
                add_kind(("concern", context))
            if action is not None:
                acted += 1
                if action in STEP_AWAY:
                    away += 1
                elif kind == "concern" and action in REACH_IN:
                    helped += 1
            if feelings and not numb_free(feelings):
                numb += 1
            if context == "work":   # late shifts too: a work moment is work at any hour
                work += 1
        add((len(moments), c, k, c_sum, k_sum, heavy, away, acted, helped, numb, work,
             same_recovery(recovery, recovery)))
        if i % _BLOCK == 0:
            tallies.count(c_tags, k_tags, kinds)
    tallies.count(c_tags, k_tags, kinds)
    (days.moment_count, days.contagion, days.concern, days.contagion_intensity,
     days.concern_intensity, days.heavy, days.stepped_away, days.with_action, days.helped,
     days.numb, days.at_work, days.recovery) = (counts[n::_COUNTS] for n in range(_COUNTS))
    days.contagion_tags = tallies.contagion
    days.concern_tags = tallies.concern
    days.contexts = tallies.contexts
    days.weekday = [(o - 1) % 7 for o in ordinals]   # date.fromordinal(1) is a Monday
    days.seed = data_seed(ordinals, days.contagion, days.concern, days.moment_count)
    return days


class _Tallies:
    """The Counters build_days fills from its lists of labels, a block of days at a time."""

    def __init__(self) -> None:
        self.contagion: dict[tuple[int, str], Counter[str]] = {}
        self.concern: dict[str, Counter[str]] = {}
        self.contexts: Counter[tuple[str, str]] = Counter()

    def count(self, contagion: dict[tuple[int, str], list[str]],
              concern: dict[str, list[str]], kinds: list[tuple[str, str]]) -> None:
        """Counts the lists' labels, then empties the lists."""
        for key, tags in contagion.items():
            self.contagion.setdefault(key, Counter()).update(tags)
            tags.clear()
        for context, tags in concern.items():
            self.concern.setdefault(context, Counter()).update(tags)
            tags.clear()
        self.contexts.update(kinds)
        kinds.clear()


_BLOCK = 512
_COUNTS = 12
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
