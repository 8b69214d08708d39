"""Days' moments folded into what reflection reads of them (issue 19, target 4): per day a
few counts and the label set of its off-work contagion, per work label the days that noted
it (a bit mask), the labels of a day's work its off-work moments carry (`Carried`), and
tallies by tag and context. Reflection folds moments with it (`fold_moments`), and
the encrypted index keeps one fold per chunk, sealed inside the chunk and built whenever
the chunk is, so reflecting over a whole journal reads ~256 folds instead of every moment
(journal.core.store.index_chunk, docs/format.md).

The rules that decide the counts (what is heavy, which actions step away or reach in,
which feelings are numb) are here, below the store and reflection alike; `RULES` names
them, and a fold stored under other rules is not used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

HEAVY_INTENSITY = 7                              # P4: a heavy day's contagion intensity
STEP_AWAY = frozenset(("withdrew", "avoided"))   # P9: actions that step away
REACH_IN = frozenset(("helped", "approached"))   # P8: actions that reach in
NUMB_WORDS = ("numb", "cynical", "detached-from-them")   # P10

#: What a fold was made with: a stored fold whose rules differ is folded again from the
#: moments (so a changed threshold never reads old counts).
RULES = "|".join(("1", str(HEAVY_INTENSITY), ",".join(sorted(STEP_AWAY)),
                  ",".join(sorted(REACH_IN)), ",".join(sorted(NUMB_WORDS))))

#: A day's counts, in this order (one column each): its moments; its contagion and
#: concern moments; their intensity sums; contagion moments of HEAVY_INTENSITY or more;
#: moments whose action steps away; moments with any action; concern moments whose action
#: reaches in; moments with a numb feeling; moments at work (at any hour).
COUNTS = ("moments", "contagion", "concern", "contagion_intensity", "concern_intensity",
          "heavy", "stepped_away", "with_action", "helped", "numb", "at_work")

#: A moment that comes after every time of a day (and a work label never noted).
NEVER = 2 * 24 * 60
_NIGHT_END = 4 * 60      # a moment before 04:00 belongs to the night after the day
_DAY = 24 * 60
_NUMB = frozenset(NUMB_WORDS)


class Carried:
    """The labels of a day's work that its off-work moments of contagion or concern carry,
    one item per (moment, label), as columns: the day (its position in the fold; in
    `Days.carried`, its day in the table), the moment (a number of its own within the
    fold), 1 if contagion else 0, the label ("#tag" or "@person") and the latest work end
    at which it came home (`bound`: a work end `cutoff` counts it when cutoff <= bound).
    A label came home when noted at work at or before the moment, an untimed work moment
    counting as at the work end: so its bound is NEVER when it was noted at work at or
    before the moment (any work end); the moment's time (minutes, after midnight counted
    on, an untimed moment at 24:00) when it was noted at work only later but also without
    a time (it came home if work ended by then); and a label noted at work only later,
    each time with a time, never came home (not kept).
    journal.core.reflection.spillover applies the work end and the labels that belong at
    home, which are known only when every day is in."""

    __slots__ = ("days", "moments", "contagion", "labels", "bounds")

    def __init__(self, days: list[int] | None = None, moments: list[int] | None = None,
                 contagion: list[int] | None = None, labels: list[str] | None = None,
                 bounds: list[int] | None = None) -> None:
        self.days = days if days is not None else []
        self.moments = moments if moments is not None else []
        self.contagion = contagion if contagion is not None else []
        self.labels = labels if labels is not None else []
        self.bounds = bounds if bounds is not None else []

    def __len__(self) -> int:
        return len(self.days)

    def columns(self) -> tuple[list[int], list[int], list[int], list[str], list[int]]:
        return self.days, self.moments, self.contagion, self.labels, self.bounds


class Folded:
    """The fold of some days' moments, one item per day in the order given (columns), and
    the tallies over all of them. The labels of each day's off-work contagion are shared
    sets: `sets[0]` is the empty set and `evening[i]` indexes `sets`; the labels of the
    days' work are kept per label, as the days that noted it (`work_bits`: an overlap count
    needs no more, and a label is one number however many days note it)."""

    __slots__ = ("counts", "work_bits", "evening", "sets", "carried", "contagion_tags",
                 "concern_tags", "contagion_contexts", "concern_contexts", "home", "felt")

    counts: list[list[int]]                  # per COUNTS name, one item per day
    work_bits: dict[str, int]                # label -> the days (bit i) its work noted it
    evening: list[int]                       # the labels of its off-work contagion moments
    sets: list[frozenset[str]]
    carried: Carried                         # which came home: spillover decides
    contagion_tags: dict[tuple[int, str], Mapping[str, int]]   # (intensity, context) -> tags
    concern_tags: dict[str, Mapping[str, int]]    # context -> tags
    contagion_contexts: Mapping[str, int]    # context -> contagion moments
    concern_contexts: Mapping[str, int]
    home: Mapping[str, int]                  # label -> days it was noted off work only
    felt: bool                               # any moment has a feeling word

    def __len__(self) -> int:
        return len(self.evening)


def fold_moments(days: Iterable[Sequence[Sequence[Any]]]) -> Folded:
    """The fold of each day's moments (reflection's MomentRow: kind, intensity, context,
    minute or None, tags, people, action, feelings)."""
    counts: list[list[int]] = [[] for _ in COUNTS]
    (add_n, add_c, add_k, add_c_sum, add_k_sum, add_heavy, add_away, add_acted, add_helped,
     add_numb, add_work) = (column.append for column in counts)
    c_tags: dict[tuple[int, str], list[str]] = {}
    k_tags: dict[str, list[str]] = {}
    c_contexts: list[str] = []
    k_contexts: list[str] = []
    home: list[str] = []
    sets: dict[frozenset[str], int] = {frozenset(): 0}
    work_bits: dict[str, int] = {}
    evening_of: list[int] = []
    carried = Carried()
    numb_free = _NUMB.isdisjoint
    felt = False
    for day, moments in enumerate(days):
        c = k = c_sum = k_sum = heavy = away = acted = helped = numb = work = 0
        at_work: set[str] = set()
        off: set[str] = set()
        evening: set[str] = set()
        for kind, intensity, context, _, tags, people, action, feelings in moments:
            if kind == "contagion":
                c += 1
                c_sum += intensity
                heavy += intensity >= HEAVY_INTENSITY
                found = c_tags.get((intensity, context))
                if found is None:
                    c_tags[intensity, context] = list(tags)
                else:
                    found.extend(tags)
                c_contexts.append(context)
                code = 1
            elif kind == "concern":
                k += 1
                k_sum += intensity
                found = k_tags.get(context)
                if found is None:
                    k_tags[context] = list(tags)
                else:
                    found.extend(tags)
                k_contexts.append(context)
                code = 0
            else:
                code = -1
            if action is not None:
                acted += 1
                if action in STEP_AWAY:
                    away += 1
                elif code == 0 and action in REACH_IN:
                    helped += 1
            if feelings:
                felt = True
                if not numb_free(feelings):
                    numb += 1
            if context == "work":   # late shifts too: a work moment is work at any hour
                work += 1
                at_work.update(tags, people)
            else:
                off.update(tags, people)
                if code == 1:
                    evening.update(tags, people)
        if at_work:
            bit = 1 << day
            for label in at_work:
                work_bits[label] = work_bits.get(label, 0) | bit
            if off:
                home.extend(off - at_work)
                if not at_work.isdisjoint(off):
                    _carried(day, moments, carried)
        else:
            home.extend(off)
        if evening:
            evening_set = frozenset(evening)
            evening_of.append(sets.setdefault(evening_set, len(sets)))
        else:
            evening_of.append(0)
        add_n(len(moments))
        add_c(c)
        add_k(k)
        add_c_sum(c_sum)
        add_k_sum(k_sum)
        add_heavy(heavy)
        add_away(away)
        add_acted(acted)
        add_helped(helped)
        add_numb(numb)
        add_work(work)
    folded = Folded()
    folded.counts = counts
    folded.work_bits, folded.evening = work_bits, evening_of
    folded.sets = list(sets)
    folded.carried = carried
    folded.contagion_tags = {key: Counter(tags) for key, tags in c_tags.items()}
    folded.concern_tags = {key: Counter(tags) for key, tags in k_tags.items()}
    folded.contagion_contexts = Counter(c_contexts)
    folded.concern_contexts = Counter(k_contexts)
    folded.home = Counter(home)
    folded.felt = felt
    return folded


def _carried(day: int, moments: Sequence[Sequence[Any]], into: Carried) -> None:
    """A day with moments at work and off work: each label of that day's work that an
    off-work moment of contagion or concern holds, with the latest work end at which it
    came home (`Carried`), added to `into` in the moments' order. Which of them came home
    depends on the work end, and which belong at home is known only when every day is in:
    spillover decides both."""
    first: dict[str, int] = {}       # work label -> the earliest time it was noted
    untimed: set[str] = set()        # work labels noted without a time
    for _, _, context, at, tags, people, _, _ in moments:
        if context == "work":
            for label in (*tags, *people):
                if at is None:
                    untimed.add(label)
                    first.setdefault(label, NEVER)
                elif at < first.get(label, NEVER):
                    first[label] = at
    number = into.moments[-1] + 1 if into.moments else 0
    for kind, _, context, at, tags, people, _, _ in moments:
        if context == "work" or kind not in ("contagion", "concern"):
            continue
        when = _DAY if at is None else at + _DAY if at < _NIGHT_END else at
        found = False
        for mark, labels in (("#", tags), ("@", people)):
            for label in labels:
                noted = first.get(label)
                if noted is None:
                    continue
                if noted <= when:
                    bound = NEVER
                elif label in untimed:
                    bound = when
                else:
                    continue
                into.days.append(day)
                into.moments.append(number)
                into.contagion.append(1 if kind == "contagion" else 0)
                into.labels.append(mark + label)
                into.bounds.append(bound)
                found = True
        number += found
