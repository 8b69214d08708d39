"""The ground every finding stands on: the input rows (`DayRow`, `MomentRow`), and the days
in range as one column table (`Days`), folded from the rows a batch at a time (`DayFold`):
each row's moments are read once, into per-day counts, interned label sets and small
tallies (journal.core.model.moment_fold), and never kept, so reflecting over the encrypted
index holds one chunk's decoded moments at a time (and, for the triggers' second read, a
narrow range's own rows: `_KEPT`); an index chunk whose rows are all in range is taken as
the chunk folded them when it was written, decoding no moment, and one with none in range
is not read (issue 19).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from datetime import date
from itertools import compress
from operator import eq, itemgetter
from typing import Any, Protocol, runtime_checkable

from journal.core.model.entries import Entry
from journal.core.model.moment_fold import COUNTS, Carried, Folded, fold_moments
from journal.core.reflection.chance import data_seed
from journal.core.reflection.common import MINUTE_OF

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


class FoldedChunk(Protocol):
    """One batch of rows with its moments folded already (an index chunk)."""

    days: Sequence[int]   # each row's date as an ordinal

    def columns(self) -> tuple[Sequence[str], Sequence[int | None], Sequence[Sequence[str]],
                               Sequence[int]]: ...   # ids, sleep, recovery, good things

    def folded(self) -> Folded: ...   # the rows' moments folded (fold_moments), same order

    def rows(self, head: int | None = None) -> Iterable[DayRow]: ...
    # the rows themselves (moments decoded), or only the first `head` of them


@runtime_checkable
class FoldedChunks(RowChunks, Protocol):
    """RowChunks whose batches also come folded (`folds`)."""

    def folds(self) -> Iterator[FoldedChunk]: ...


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

    __slots__ = ("_dates", "ordinals", "_ids", "_folded_ids", "_order", "sleep", "recovery",
                 "good", "follows",
                 "moment_count", "contagion", "concern", "contagion_intensity",
                 "concern_intensity", "heavy", "stepped_away", "with_action", "helped", "numb",
                 "at_work", "weekday", "seed", "contagion_tags", "concern_tags", "contexts",
                 "work_masks", "weekday_bits", "evenings", "work_labels", "home_labels",
                 "carried", "felt",
                 "_again", "_items")

    ordinals: list[int]                  # date.toordinal()
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
    # spillover (P2): per batch folded, its number of days and per label (tags and people
    # alike) the days whose work moments noted it, as bits (`work_bits` joins them), and
    # per weekday its days as bits over the days in the order they were folded (not by
    # date: for counting overlaps); per day, the labels of its off-work contagion
    # moments (equal sets shared); per label, the days it was noted at work, and off work
    # without being noted at work that day; and the labels of a day's work its off-work
    # moments carry (`carried`: its `days` are days of this table)
    work_masks: list[tuple[int, dict[str, int]]]
    weekday_bits: list[int]
    evenings: Sequence[frozenset[str]]
    work_labels: Counter[str]
    home_labels: Counter[str]
    carried: Carried                     # which came home: spillover
    felt: bool                           # any moment has a feeling word
    _again: Callable[[], Iterable[Iterable[DayRow]]]   # the rows once more (tag_moments)
    _dates: list[date] | None            # `dates`, made on first use
    _ids: Sequence[str] | None           # `ids`, put in date order on first use...
    _folded_ids: Sequence[str]           # ...from the ids as folded
    _order: list[int]                    # day i was folded at position _order[i]
    _items: EvidenceTable | None         # the evidence items, made on first use

    def __len__(self) -> int:
        return len(self.ordinals)

    @property
    def ids(self) -> Sequence[str]:
        """Each day's entry id, put in date order on first use (only the evidence items
        read them: taken then, each id is read twice while it is in the cache)."""
        if self._ids is None:
            order = self._order
            self._ids = (itemgetter(*order)(self._folded_ids) if len(order) > 1
                         else tuple(self._folded_ids))
        return self._ids

    @property
    def dates(self) -> list[date]:
        """Each day's date, made on first use (most findings read the ordinals only)."""
        if self._dates is None:
            self._dates = list(map(date.fromordinal, self.ordinals))
        return self._dates

    def work_bits(self, labels: Collection[str]) -> dict[str, int]:
        """For each of the labels noted at work, the days that noted it, as bits over the days
        in the order they were folded (as `weekday_bits`)."""
        return _joined(self.work_masks, labels)

    def evidence(self, indices: Iterable[int]) -> Evidence:
        """One item per day for ascending, distinct day indices (so oldest first)."""
        return Evidence(self._evidence_items(), list(indices))

    def evidence_where(self, flags: Iterable[Any]) -> Evidence:
        """One item per day whose flag (in day order) is true."""
        return Evidence(self._evidence_items(), list(compress(range(len(self)), flags)))

    def _evidence_items(self) -> EvidenceTable:
        # Made once and shared by every finding's evidence: the result is read-only.
        if self._items is None:
            self._items = EvidenceTable(_iso_dates(self.ordinals), _side_by_side(self.ids))
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


class EvidenceTable(list[dict[str, str]]):
    """The Days table's evidence items, one {"date", "entry_id"} per day (a list like any
    other), that also keeps the columns they were made from (`keys`, `columns`: the dates'
    texts and the ids, as the items held them when made), so a writer may take the values
    from the columns once it has checked that the items still hold them (`reflect --json`
    writes 50,000 of them)."""

    __slots__ = ("keys", "columns")

    def __init__(self, dates: Sequence[str], ids: Sequence[str]) -> None:
        super().__init__([{"date": d, "entry_id": i} for d, i in zip(dates, ids, strict=True)])
        self.keys = ("date", "entry_id")
        self.columns = (dates, ids)


class Evidence(list[dict[str, str]]):
    """A finding's evidence: a list of the Days table's own items (shared by every
    finding), one per day, that also says which days they are (`days`, indices into
    `table`), so a writer may write each day's item once for all findings (`reflect
    --json`: 107,000 items of 46,000 days at 50,000 entries). A list like any other."""

    __slots__ = ("table", "days")

    def __init__(self, table: list[dict[str, str]], days: list[int]) -> None:
        super().__init__(map(table.__getitem__, days))
        self.table = table
        self.days = days


def _iso_dates(ordinals: list[int]) -> list[str]:
    """date.fromordinal(o).isoformat() for ascending ordinals. When they are dense (a
    journal kept most days), the texts of every day from the first one's month on are made
    a month at a time (its "YYYY-MM-" and the day numbers) and picked: a third cheaper than
    `isoformat` per date."""
    if not ordinals or ordinals[-1] - ordinals[0] > 2 * len(ordinals) + 62:
        return [date.fromordinal(o).isoformat() for o in ordinals]
    first = date.fromordinal(ordinals[0])
    start = ordinals[0] - first.day + 1   # the 1st of its month
    needed = ordinals[-1] - start + 1
    texts: list[str] = []
    year, month = first.year, first.month
    while len(texts) < needed:
        leap = month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        texts += map(f"{year:04d}-{month:02d}-".__add__,
                     _DAY_TEXTS[:_MONTH_DAYS[month] + leap])
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [texts[o - start] for o in ordinals]


def _side_by_side(texts: Sequence[str]) -> Sequence[str]:
    """Equal texts, made anew one after the other in memory, in order (one join and one
    split, in C), when every one is a str without a NUL; else the texts as they are. The
    ids come from 256 decoded chunks and are taken in date order, each from another
    place: every later pass over them (the evidence items, `reflect --json`'s checks and
    texts) would pay a cache miss per id; the copy pays them once."""
    try:
        parts = "\0".join(texts).split("\0")
    except TypeError:
        return texts
    return parts if len(parts) == len(texts) else texts


_DAY_TEXTS = [f"{n:02d}" for n in range(1, 32)]
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


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


def build_days(rows: Iterable[DayRow], since: date | None, until: date | None) -> Days:
    """The Days in [since, until] from rows in any order."""
    rows = rows if isinstance(rows, list | tuple) else list(rows)
    fold = DayFold(since, until, repeated_dates(rows), again=lambda: (rows,))
    fold.add(rows)
    return fold.days()


class DayFold:
    """Folds rows, a batch at a time (`add`), into one compact record per day and the label
    tallies; `days()` then sorts the records into the Days table. A batch may come folded
    already (`add_folded`: the encrypted index keeps each chunk's fold). Rows on a date of
    `repeated` are held whole and merged at the end (only hand-built lists repeat a date:
    a vault keeps one entry a day); any other date must come once."""

    def __init__(self, since: date | None, until: date | None,
                 repeated: Collection[date] = (),
                 again: Callable[[], Iterable[Iterable[DayRow]]] = tuple) -> None:
        self.since, self.until = since, until
        self.low = since.toordinal() if since else 0
        self.high = until.toordinal() if until else _FOREVER
        self.again = again   # the same rows once more, batch by batch (Days.tag_moments)
        self.in_range = range(self.low, self.high + 1).__contains__   # an ordinal's
        # the chunks add_chunks did not skip, in order, each with its rows in range if kept
        self.touched: list[tuple[FoldedChunk, list[DayRow] | None]] = []
        self.repeated = frozenset(repeated)
        self.repeated_days = {d.toordinal() for d in self.repeated}
        self.held: list[DayRow] = []
        # one list per column of the table, batch after batch (sorted by date at the end)
        self.columns: list[list[Any]] = [[] for _ in range(_COLUMNS)]
        self.work_masks: list[tuple[int, dict[str, int]]] = []   # per batch: rows, its masks
        self.carried = Carried()   # its days: positions in the columns (before the sort)
        self.next_moment = 0       # the carried moments' numbers: each batch's its own
        self.tallies = _Tallies()
        self.sets: dict[frozenset[str], frozenset[str]] = {}   # one object per equal set
        self.recoveries: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.felt = False

    def add(self, rows: Iterable[DayRow]) -> None:
        """Folds the rows in; nothing of their moments is kept."""
        since, until, repeated = self.since, self.until, self.repeated
        kept: list[DayRow] = []
        for row in rows:
            day = row[0]
            if (since is not None and day < since) or (until is not None and day > until):
                continue
            if day in repeated:
                self.held.append(row)
                continue
            kept.append(row)
            if len(kept) == _BLOCK:
                self._add_rows(kept)
                kept = []
        if kept:
            self._add_rows(kept)

    def _add_rows(self, rows: list[DayRow]) -> None:
        ordinals = [row[0].toordinal() for row in rows]
        ids, sleep, recovery, good, moments = (
            [row[i] for row in rows] for i in range(1, 6))
        self._merge(ordinals, ids, sleep, recovery, good, fold_moments(moments))

    def add_chunks(self, chunks: Iterable[FoldedChunk]) -> None:
        """Every batch, each as `_add_chunk` says; their rows in range counted first (from the
        packed dates alone), so that rows are kept for the triggers' second read only when
        all of them fit (_KEPT): keeping rows that are dropped later costs more than it
        saves."""
        chunks = list(chunks)
        # how many of each one's rows are in range: one C loop over its packed dates
        inside = [sum(map(self.in_range, chunk.days)) for chunk in chunks]
        keep = sum(inside) <= _KEPT
        for chunk, n in zip(chunks, inside, strict=True):
            self._add_chunk(chunk, n, keep)

    def _add_chunk(self, chunk: FoldedChunk, inside: int, keep: bool) -> None:
        """One batch that comes folded (an index chunk), `inside` of its rows in range,
        read as little as the range lets: skipped when none is (nothing decoded); taken as
        it folded itself when all are and none repeats (no moment decoded); else
        its rows up to the last one in range decoded once and those in range folded, and
        kept when `keep` for `Days.tag_moments`, which then reads only the chunks touched
        here: a range (the app's four weeks) decodes the moments of only the chunks
        holding a day of it, once (issue 19)."""
        ordinals = chunk.days
        if not inside:
            return
        self.again = self._again_touched
        if inside == len(ordinals) and self.repeated_days.isdisjoint(ordinals):
            self.add_folded(ordinals, *chunk.columns(), chunk.folded())
            self.touched.append((chunk, None))
            return
        if inside < len(ordinals):
            # only the rows up to the last one in range are decoded (a chunk's rows are
            # newest first: a range ending today needs the first few)
            wanted = list(compress(range(len(ordinals)), map(self.in_range, ordinals)))
            rows = list(map(chunk.rows(wanted[-1] + 1).__getitem__, wanted))
        else:
            rows = list(chunk.rows())
        self.add(rows)
        self.touched.append((chunk, rows if keep else None))

    def _again_touched(self) -> Iterator[Iterable[DayRow]]:
        """The rows in range once more, in the order the chunks came: those kept, and
        the rows of any other chunk `add_chunks` touched decoded again."""
        for chunk, rows in self.touched:
            yield chunk.rows() if rows is None else rows

    def add_folded(self, ordinals: Sequence[int], ids: Sequence[str],
                   sleep: Sequence[int | None], recovery: Sequence[Sequence[str]],
                   good: Sequence[int], folded: Folded) -> None:
        """A batch of rows already folded (their moments' `Folded`, in the same order), every
        date in range and none repeated."""
        self._merge(ordinals, ids, sleep, recovery, good, folded)

    def _merge(self, ordinals: Sequence[int], ids: Sequence[str], sleep: Sequence[int | None],
               recovery: Sequence[Sequence[str]], good: Sequence[int], folded: Folded) -> None:
        # equal sets and recovery tuples one object each: hashed once, later
        sets = list(map(self.sets.setdefault, folded.sets, folded.sets))
        recoveries = list(map(tuple, recovery))
        recoveries = list(map(self.recoveries.setdefault, recoveries, recoveries))
        if not all(len(column) == len(ordinals)
                   for column in (ids, sleep, good, *folded.counts, folded.evening)):
            raise ValueError("a batch's columns differ in length")
        for column, values in zip(self.columns, (
                ordinals, ids, sleep, recoveries, good, *folded.counts,
                map(sets.__getitem__, folded.evening)), strict=True):
            column.extend(values)
        self.work_masks.append((len(ordinals), folded.work_bits))
        carried, more = self.carried, folded.carried
        if len(more):
            if max(more.days) >= len(ordinals):
                raise ValueError("a batch's carried labels name a day it does not hold")
            offset = len(self.columns[0]) - len(ordinals)
            carried.days.extend(map(offset.__add__, more.days))
            base = self.next_moment
            carried.moments.extend(map(base.__add__, more.moments))
            self.next_moment = base + max(more.moments) + 1
            carried.contagion.extend(more.contagion)
            carried.labels.extend(more.labels)
            carried.bounds.extend(more.bounds)
        self.tallies.add(folded)
        self.felt = self.felt or folded.felt

    def days(self) -> Days:
        """The Days table of every row folded in (oldest first)."""
        if self.held:
            held, self.held = self.held, []
            self.repeated = frozenset()
            self.add(_merged(sorted(held, key=_FIRST)))   # stable: the first row stays first
        columns, self.columns = self.columns, [[] for _ in range(_COLUMNS)]
        days = Days()
        days._items = None
        # the bits of spillover's overlap counts, over the days as folded (the order of
        # `columns` before the sort): a count needs no date order
        days.work_masks, self.work_masks = self.work_masks, []
        days.work_labels = work = Counter()   # days per label
        for _, masks in days.work_masks:
            for label, mask in masks.items():
                work[label] += mask.bit_count()
        weekday = list(map(_WEEKDAY, map(_PREVIOUS, columns[0])))
        days.weekday_bits = _weekday_bits(weekday)
        days._folded_ids, days._ids = columns[1], None
        order, columns = _by_date([columns[0], *columns[2:], weekday])
        days._order = order
        (ordinals, days.sleep, days.recovery, days.good,
         days.moment_count, days.contagion, days.concern, days.contagion_intensity,
         days.concern_intensity, days.heavy, days.stepped_away, days.with_action, days.helped,
         days.numb, days.at_work, days.evenings, weekday) = columns
        days.weekday = list(weekday)
        days.carried, self.carried = self.carried, Carried()
        if days.carried.days:   # from positions in the fold to days of the table
            day_of = [0] * len(order)
            deque(map(day_of.__setitem__, order, range(len(order))), maxlen=0)
            days.carried.days = list(map(day_of.__getitem__, days.carried.days))
        days.ordinals = ordinals = list(ordinals)
        if any(map(eq, ordinals[1:], ordinals)):
            raise ValueError("rows repeat a date that was not declared repeated")
        days._dates = None
        days.follows = list(map(eq, ordinals[1:], map(_NEXT, ordinals)))
        tallies = self.tallies
        days.contagion_tags = tallies.contagion
        days.concern_tags = tallies.concern
        days.contexts = tallies.contexts
        days.home_labels = tallies.home
        days.felt = self.felt
        days._again = self.again
        days.seed = data_seed(ordinals, days.contagion, days.concern, days.moment_count)
        return days


class _Tallies:
    """The Counters DayFold adds each batch's fold to."""

    def __init__(self) -> None:
        self.contagion: dict[tuple[int, str], Counter[str]] = {}
        self.concern: dict[str, Counter[str]] = {}
        self.contexts: Counter[tuple[str, str]] = Counter()
        self.home: Counter[str] = Counter()

    def add(self, folded: Folded) -> None:
        _count_into(self.contagion, folded.contagion_tags)
        _count_into(self.concern, folded.concern_tags)
        contexts = self.contexts
        for context, n in folded.contagion_contexts.items():
            contexts["contagion", context] += n
        for context, n in folded.concern_contexts.items():
            contexts["concern", context] += n
        self.home.update(folded.home)


def _count_into(counts: dict[Any, Counter[str]], more: dict[Any, Any]) -> None:
    """Add each key's tag counts of `more` into `counts` (a key first seen gets its own)."""
    for key, tags in more.items():
        found = counts.get(key)
        if found is None:
            counts[key] = Counter(tags)
        else:
            found.update(tags)


def _by_date(columns: list[list[Any]]) -> tuple[list[int], list[Sequence[Any]]]:
    """The columns (the first: ordinals) with their rows in date order: one sort of the
    positions, then each column taken in that order with one C call (rather than a record
    per row sorted and split into columns again). Also the order: day i of the table was
    at position order[i]."""
    ordinals = columns[0]
    order = sorted(range(len(ordinals)), key=ordinals.__getitem__)   # stable
    if len(order) < 2:
        return order, [tuple(column) for column in columns]
    take = itemgetter(*order)
    return order, list(map(take, columns))


def _joined(batches: list[tuple[int, dict[str, int]]], labels: Collection[str]
            ) -> dict[str, int]:
    """Per label of `labels` that any batch has, the bits of each batch (of so many rows)
    one after the other: batch k's row r is bit (rows of the batches before k) + r. Joined
    as binary digits, each batch's as a run of its width (zeros where the label is not),
    read once per label (OR-ing shifted numbers would copy a growing number per batch)."""
    zeros = ["0" * rows for rows, _ in reversed(batches)]   # the highest bits first
    last = len(batches) - 1
    digits: dict[str, list[str]] = {}
    for k, (rows, bits) in enumerate(batches):
        width = f"0{rows}b"
        for label, mask in bits.items():
            if label not in labels:
                continue
            found = digits.get(label)
            if found is None:
                found = digits[label] = zeros.copy()
            found[last - k] = format(mask, width)
    return {label: int("".join(parts), 2) for label, parts in digits.items()}


def _weekday_bits(weekday: list[int]) -> list[int]:
    """Per weekday (0 Monday), the positions of `weekday` that are on it, as bits."""
    if not weekday:
        return [0] * 7
    digits = bytes(weekday)[::-1]   # the highest bit first
    return [int(digits.translate(table), 2) for table in _ON_WEEKDAY]


#: The table's columns as DayFold gathers them: ordinal, id, sleep, recovery, good things,
#: the fold's COUNTS, evening labels.
_COLUMNS = 5 + len(COUNTS) + 1
#: (ordinal - 1) % 7: 0 Monday .. 6 Sunday (date.fromordinal(1) is a Monday)
_PREVIOUS = (-1).__add__
_WEEKDAY = (7).__rmod__
#: weekday w -> a table that makes the digit "1" of byte w and "0" of any other byte
_ON_WEEKDAY = [bytes(b"0" * w + b"1" + b"0" * (255 - w)) for w in range(7)]
_BLOCK = 512
#: The most rows in range `DayFold.add_chunks` keeps from the chunks it decodes, for the
#: triggers' second read: over five years of days, every range the app offers (a year at
#: most), about 6 MB of the demo journal's moments (3 KB a row); a wider range keeps none
#: and reads its chunks again, holding one chunk's moments at a time.
_KEPT = 2048
_FIRST = itemgetter(0)   # a row's date, a record's ordinal, a moment's day
_NEXT = (1).__add__
_FOREVER = date.max.toordinal()


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
