"""The ground every finding stands on: the input rows (`DayRow`, `MomentRow`), and the days
in range as one column table (`Days`), folded from the rows a batch at a time (`DayFold`):
each row's moments are read once, into per-day counts, interned label sets and small
tallies, and never kept, so reflecting over the encrypted index holds one chunk's decoded
moments at a time (issue 19).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import date
from itertools import compress
from operator import eq, itemgetter
from typing import Any, Protocol, runtime_checkable

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


@runtime_checkable
class RowChunks(Protocol):
    """Rows a batch at a time (the encrypted index: a chunk at a time, each chunk's moments
    decoded for that pass only) and the dates more than one row holds (known before any
    moment is decoded, so those rows alone are held and merged)."""

    def chunks(self) -> Iterator[Iterable[DayRow]]: ...   # may be called again

    def repeated(self) -> Collection[date]: ...


def rows_from_entries(entries: Iterable[Entry]) -> list[DayRow]:
    """The rows `reflect_rows` reads, from entries (full or summaries)."""
    minute = MINUTE_OF.get
    return [(e.date, e.id, e.sleep, e.recovery, len(e.good_things),
             [(m.kind, m.intensity, m.context, minute(m.time) if m.time else None, m.tags,
               m.people, m.action, m.feelings) for m in e.moments])
            for e in entries]


def repeated_dates(rows: Iterable[DayRow]) -> set[date]:
    """The dates more than one of the rows holds."""
    seen: set[date] = set()
    again: set[date] = set()
    for row in rows:
        (again if row[0] in seen else seen).add(row[0])
    return again


# -- the table -------------------------------------------------------------------------------
class Days:
    """The days with an entry in range, oldest first, one distinct date each, as columns
    (`x[i]` is day i's x): the rows' own fields, plus what findings need of the moments,
    taken in one pass over them (the moments themselves are not kept). Findings read whole
    columns with C loops (map, compress, sum)."""

    __slots__ = ("dates", "ordinals", "ids", "sleep", "recovery", "good", "follows",
                 "moment_count", "contagion", "concern", "contagion_intensity",
                 "concern_intensity", "heavy", "stepped_away", "with_action", "helped", "numb",
                 "at_work", "weekday", "seed", "contagion_tags", "concern_tags", "contexts",
                 "work_sets", "evenings", "work_labels", "home_labels", "carried", "felt",
                 "_again", "_items")

    dates: Sequence[date]
    ordinals: list[int]                  # date.toordinal()
    ids: Sequence[str]
    sleep: Sequence[int | None]
    recovery: Sequence[tuple[str, ...]]  # labels as given (may repeat); equal ones shared
    good: Sequence[int]
    follows: list[bool]                  # [i]: day i+1 is the calendar day after day i
    contagion: Sequence[int]             # moments of each kind
    concern: Sequence[int]
    contagion_intensity: Sequence[int]   # their intensity sums
    concern_intensity: Sequence[int]
    heavy: Sequence[int]                 # contagion moments of HEAVY_INTENSITY or more
    stepped_away: Sequence[int]          # moments whose action is in STEP_AWAY
    with_action: Sequence[int]           # moments with any action
    helped: Sequence[int]                # concern moments whose action is in REACH_IN
    numb: Sequence[int]                  # moments with a NUMB_WORDS feeling
    at_work: Sequence[int]               # moments at work (at any hour: late shifts)
    moment_count: Sequence[int]          # moments
    weekday: list[int]                   # 0 Monday .. 6 Sunday: the shuffles' strata
    seed: int                            # from the data: seeds every shuffle
    contagion_tags: dict[tuple[int, str], Counter[str]]  # (intensity, context) -> tags
    concern_tags: dict[str, Counter[str]]  # context -> its concern moments' tags
    contexts: Counter[tuple[str, str]]   # (kind, context) -> contagion, concern moments
    # spillover (P2): per day, the labels (tags and people alike) of its work moments and
    # of its off-work contagion moments (equal sets shared); per label, the days it was
    # noted at work, and off work without being noted at work that day; and per day whose
    # off-work moments carry a label of that day's work (day index, `carried`), oldest first
    work_sets: Sequence[frozenset[str]]
    evenings: Sequence[frozenset[str]]
    work_labels: Counter[str]
    home_labels: Counter[str]
    carried: list[tuple[int, tuple[tuple[bool, tuple[tuple[str, str], ...]], ...]]]
    felt: bool                           # any moment has a feeling word
    _again: Callable[[], Iterable[Iterable[DayRow]]]   # the rows once more (tag_moments)

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

    def tag_moments(self, tags: Collection[str]) -> dict[str, list[tuple[int, str, int]]]:
        """For each of the tags: (day, context, 1 if contagion else 0) per contagion-or-concern
        moment carrying it (once per moment), in day order and, within a day, in the moments'
        order. Read from the rows once more (only a tag that may stand out needs this), a
        batch at a time like the first pass."""
        found: dict[str, list[tuple[int, str, int]]] = {t: [] for t in tags}
        if not found:
            return found
        index = {o: i for i, o in enumerate(self.ordinals)}   # only days in range
        day_of = index.get
        wanted = found.get
        seen: list[tuple[int, str, int, str]] = []   # (day, context, contagion, tag)
        for rows in self._again():
            _tag_moments(rows, day_of, wanted, seen.append)
            del rows   # before the next batch is decoded
        seen.sort(key=_FIRST)   # stable: rows of one date keep their order (they merge so)
        for i, context, is_c, tag in seen:
            found[tag].append((i, context, is_c))
        return found


def _tag_moments(rows: Iterable[DayRow], day_of: Callable[[int], int | None],
                 wanted: Callable[[str], Any], add: Callable[[Any], None]) -> None:
    """(day, context, contagion, tag) for each wanted tag of each contagion-or-concern
    moment of the rows in range."""
    for row in rows:
        i = day_of(row[0].toordinal())
        if i is None:
            continue
        for kind, _, context, _, tags, _, _, _ in row[5]:
            if kind == "contagion":
                is_c = 1
            elif kind == "concern":
                is_c = 0
            else:
                continue
            for tag in tags if len(tags) < 2 else set(tags):
                if wanted(tag) is not None:
                    add((i, context, is_c, tag))


def build_days(rows: Iterable[DayRow], since: date | None, until: date | None,
               work_end: int) -> Days:
    """The Days in [since, until] from rows in any order (`work_end`: minutes after
    midnight; a work moment timed after it counts as off work)."""
    rows = rows if isinstance(rows, list | tuple) else list(rows)
    fold = DayFold(since, until, work_end, repeated_dates(rows), again=lambda: (rows,))
    fold.add(rows)
    return fold.days()


class DayFold:
    """Folds rows, a batch at a time (`add`), into one compact record per day and the label
    tallies; `days()` then sorts the records into the Days table. Rows on a date of
    `repeated` are held whole and merged at the end (only hand-built lists repeat a date:
    a vault keeps one entry a day); any other date must come once."""

    def __init__(self, since: date | None, until: date | None, work_end: int,
                 repeated: Collection[date] = (),
                 again: Callable[[], Iterable[Iterable[DayRow]]] = tuple) -> None:
        self.since, self.until, self.cutoff = since, until, work_end
        self.again = again   # the same rows once more, batch by batch (Days.tag_moments)
        self.repeated = frozenset(repeated)
        self.held: list[DayRow] = []
        self.records: list[tuple[Any, ...]] = []
        self.tallies = _Tallies()
        self.sets: dict[frozenset[str], frozenset[str]] = {}   # one object per equal set
        self.recoveries: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.prefixed: dict[str, str] = {}   # "#tag" and "@person", made once each
        self.felt = False

    def add(self, rows: Iterable[DayRow]) -> None:
        """Folds the rows in; nothing of their moments is kept."""
        since, until, repeated = self.since, self.until, self.repeated
        c_tags: defaultdict[tuple[int, str], list[str]] = defaultdict(list)
        k_tags: defaultdict[str, list[str]] = defaultdict(list)
        c_contexts: list[str] = []   # the context of each contagion moment
        k_contexts: list[str] = []   # ... and of each concern moment
        home_labels: list[str] = []   # each day's off-work labels not noted at work
        add_c_context = c_contexts.append
        add_k_context = k_contexts.append
        numb_free = _NUMB.isdisjoint
        heavy_from = HEAVY_INTENSITY
        add_record = self.records.append
        same_recovery = self.recoveries.setdefault
        same_set = self.sets.setdefault
        cutoff = self.cutoff
        felt = self.felt
        empty = _EMPTY
        for n, row in enumerate(rows, 1):
            day = row[0]
            if (since is not None and day < since) or (until is not None and day > until):
                continue
            if day in repeated:
                self.held.append(row)
                continue
            _, entry_id, sleep, recovery, good, moments = row
            recovery = tuple(recovery)
            ordinal = day.toordinal()
            c = k = c_sum = k_sum = heavy = away = acted = helped = numb = work = 0
            at_work: set[str] = set()
            off: set[str] = set()
            evening: set[str] = set()
            for kind, intensity, context, _, tags, people, action, feelings in moments:
                if kind == "contagion":
                    c += 1
                    c_sum += intensity
                    heavy += intensity >= heavy_from
                    c_tags[intensity, context].extend(tags)
                    add_c_context(context)
                    code = 1
                elif kind == "concern":
                    k += 1
                    k_sum += intensity
                    k_tags[context].extend(tags)
                    add_k_context(context)
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
            carried = None
            if at_work:
                work_set = frozenset(at_work)
                work_set = same_set(work_set, work_set)
                if off:
                    home_labels.extend(off - at_work)
                    if not at_work.isdisjoint(off):
                        carried = self._carried(moments, cutoff)
            else:
                work_set = empty
                home_labels.extend(off)
            if evening:
                evening_set = frozenset(evening)
                evening_set = same_set(evening_set, evening_set)
            else:
                evening_set = empty
            add_record((ordinal, day, entry_id, sleep, same_recovery(recovery, recovery), good,
                        len(moments), c, k, c_sum, k_sum, heavy, away, acted, helped, numb,
                        work, work_set, evening_set, carried))
            if n % _BLOCK == 0:
                self.tallies.count(c_tags, k_tags, c_contexts, k_contexts, home_labels)
        self.felt = felt
        self.tallies.count(c_tags, k_tags, c_contexts, k_contexts, home_labels)

    def _carried(self, moments: Sequence[MomentRow], cutoff: int
                 ) -> tuple[tuple[bool, tuple[tuple[str, str], ...]], ...] | None:
        """A day with moments at work and off work: per off-work moment of contagion or
        concern that carries a label of that day's work noted at or before it (in order),
        (contagion?, ((label, "#tag" or "@person"), ...)). Which labels belong at home is
        known only when every day is in, so they are taken out later (spillover)."""
        first: dict[str, int] = {}   # work label -> the earliest minute it was noted
        for _, _, context, at, tags, people, _, _ in moments:
            if context == "work":
                when = cutoff if at is None else at
                for label in (*tags, *people):
                    if when < first.get(label, _NEVER):
                        first[label] = when
        out = []
        prefixed = self.prefixed
        for kind, _, context, at, tags, people, _, _ in moments:
            if context == "work" or kind not in ("contagion", "concern"):
                continue
            when = _DAY if at is None else at + _DAY if at < _NIGHT_END else at
            labels = [(t, prefixed.get("#" + t) or prefixed.setdefault("#" + t, "#" + t))
                      for t in tags if first.get(t, _NEVER) <= when]
            labels += [(p, prefixed.get("@" + p) or prefixed.setdefault("@" + p, "@" + p))
                       for p in people if first.get(p, _NEVER) <= when]
            if labels:
                out.append((kind == "contagion", tuple(labels)))
        return tuple(out) if out else None

    def days(self) -> Days:
        """The Days table of every row folded in (oldest first)."""
        if self.held:
            held, self.held = self.held, []
            self.repeated = frozenset()
            self.add(_merged(sorted(held, key=_FIRST)))   # stable: the first row stays first
        records = sorted(self.records, key=_FIRST)
        self.records = []
        days = Days()
        days._items = None
        columns = list(zip(*records, strict=True)) or [()] * 20
        (ordinals, days.dates, days.ids, days.sleep, days.recovery, days.good,
         days.moment_count, days.contagion, days.concern, days.contagion_intensity,
         days.concern_intensity, days.heavy, days.stepped_away, days.with_action, days.helped,
         days.numb, days.at_work, days.work_sets, days.evenings, carried) = columns
        days.ordinals = ordinals = list(ordinals)
        if any(map(eq, ordinals[1:], ordinals)):
            raise ValueError("rows repeat a date that was not declared repeated")
        days.follows = list(map(eq, ordinals[1:], map(_NEXT, ordinals)))
        days.carried = list(compress(enumerate(carried), carried))
        tallies = self.tallies
        days.contagion_tags = tallies.contagion
        days.concern_tags = tallies.concern
        days.contexts = tallies.contexts
        days.work_labels = work = Counter()   # days per label: from the distinct sets
        for labels, n in Counter(days.work_sets).items():
            for label in labels:
                work[label] += n
        days.home_labels = tallies.home
        days.felt = self.felt
        days._again = self.again
        days.weekday = [(o - 1) % 7 for o in ordinals]   # date.fromordinal(1) is a Monday
        days.seed = data_seed(ordinals, days.contagion, days.concern, days.moment_count)
        return days


class _Tallies:
    """The Counters DayFold fills from its lists of labels, a block of days at a time."""

    def __init__(self) -> None:
        self.contagion: dict[tuple[int, str], Counter[str]] = {}
        self.concern: dict[str, Counter[str]] = {}
        self.contexts: Counter[tuple[str, str]] = Counter()
        self.home: Counter[str] = Counter()

    def count(self, contagion: dict[tuple[int, str], list[str]],
              concern: dict[str, list[str]], c_contexts: list[str], k_contexts: list[str],
              home: list[str]) -> None:
        """Counts the lists' labels, then empties the lists."""
        for key, tags in contagion.items():
            self.contagion.setdefault(key, Counter()).update(tags)
            tags.clear()
        for context, tags in concern.items():
            self.concern.setdefault(context, Counter()).update(tags)
            tags.clear()
        for kind, contexts in (("contagion", c_contexts), ("concern", k_contexts)):
            for context, n in Counter(contexts).items():
                self.contexts[kind, context] += n
            contexts.clear()
        self.home.update(home)
        home.clear()


_BLOCK = 512
_NUMB = frozenset(NUMB_WORDS)
_FIRST = itemgetter(0)   # a row's date, a record's ordinal, a moment's day
_NEXT = (1).__add__
_EMPTY: frozenset[str] = frozenset()
_NIGHT_END = 4 * 60      # a moment before 04:00 belongs to the night after the day
_DAY = 24 * 60
_NEVER = _DAY * 2


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
