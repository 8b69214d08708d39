"""The encrypted index: a compact summary of every entry, sealed in at most 256 chunks, so
list, filters and reflection never decrypt every full entry (issue 8: 50,000 entries must
not wait).

An entry's summary holds what listing, tag/person/kind/context/date filters and reflection
need: date, title, tags and people of the body, check-in, and its moments without notes. No
body, no note, no good thing's text. Entries are grouped by the first byte of their random
id (the integrity manifest's buckets), so an entry never moves between chunks, a save
rewrites one chunk of about n/256 summaries, and a chunk's size says nothing about dates.

A chunk (journal.core.store.index_chunk) is columns, not objects: packed dates and tag/person
posting lists (bit masks) decoded at once, then row columns and moments decoded only when
needed (reflection, showing a row). Loading 50,000 summaries is then 256 small decrypts and
JSON decodes (~30 ms), and an `Entry` is built only for a row that is read (`Hits`). Each
chunk records the manifest bucket MAC it was written with: a chunk that does not match the
manifest (older, swapped, from before the index existed) is rebuilt from the entries, never
believed (journal.core.store.index_store).

Entries built from summaries are *partial* (no body, no notes); the vault refuses to save
them, so a summary can never overwrite the words it came from.

The words of every entry (for a word search) are not in the chunks: each bucket has a word
row of its own (journal.core.store.word_chunk), loaded through `words` only when a query
has words, so a list, a tag filter or a reflection never decrypts them.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from itertools import chain, compress
from typing import Any, TypeVar, overload

from journal.core.model.entries import Entry
from journal.core.model.moment_fold import Folded
from journal.core.store import crypto
from journal.core.store.index_chunk import BUCKETS, Chunk, record_of
from journal.core.store.word_chunk import WordChunk, words_of

__all__ = ["BUCKETS", "Chunk", "Hits", "Index", "LazySequence", "WordChunk", "record_of",
           "words_of"]

#: Loads the word rows matching an index's chunks (the vault's, or none in memory).
WordSource = Callable[["Index"], dict[int, WordChunk]]

T = TypeVar("T")
#: An index row's reference: its date, bucket and row packed in one int (sortable by date).
_REF_ROW = 1 << 16
_REF_DAY = 1 << 24


class Index:
    """Every entry's summary, newest first on demand. Treat as read-only: a save makes a new
    Index sharing the chunks that did not change (`with_chunks`). `words` loads the word
    rows of these chunks when a query first has words (`word_chunks`)."""

    def __init__(self, chunks: dict[int, Chunk], words: WordSource | None = None,
                 word_chunks: dict[int, WordChunk] | None = None) -> None:
        self.chunks = {b: c for b, c in chunks.items() if len(c)}
        self._order: list[int] | None = None
        self._source = words
        self._words = word_chunks

    @classmethod
    def from_entries(cls, entries: Iterable[Entry]) -> Index:
        """An index over entries in memory (tests, stand-ins for a vault)."""
        rows: dict[int, list[Entry]] = {}
        for entry in entries:
            rows.setdefault(crypto.manifest_bucket(uuid.UUID(entry.id).bytes), []).append(entry)
        chunks, words = {}, {}
        for bucket, found in rows.items():
            chunks[bucket], words[bucket] = build_pair(bucket, [record_of(e) for e in found],
                                                       [words_of(e) for e in found], "")
        return cls(chunks, word_chunks=words)

    def with_chunks(self, changed: dict[int, Chunk],
                    words: dict[int, WordChunk] | None = None) -> Index:
        """This index with `changed` chunks (a save), and their word rows if given: word
        rows already loaded carry over for the other buckets."""
        loaded = None
        if self._words is not None:
            loaded = {b: w for b, w in self._words.items() if b not in changed}
            if words is not None and changed.keys() <= words.keys():
                loaded.update((b, words[b]) for b in changed)
            else:
                loaded = None  # reloaded (and checked against the chunks) when next needed
        return Index({**self.chunks, **changed}, self._source, loaded)

    def word_chunks(self) -> dict[int, WordChunk]:
        """The word row of every chunk, loaded on first use (only a word search needs
        them); each has the rows of its chunk, in the same order."""
        if self._words is None:
            if self._source is None:
                raise crypto.DecryptError("this index has no word rows")
            self._words = self._source(self)
        return self._words

    def loaded_word_chunks(self) -> dict[int, WordChunk] | None:
        """The word rows if a word search loaded them, else None (nothing is loaded)."""
        return self._words

    def __len__(self) -> int:
        return sum(map(len, self.chunks.values()))

    def _refs(self, bucket: int, rows: Iterable[int]) -> list[int]:
        days = self.chunks[bucket].days
        base = bucket * _REF_ROW
        return [days[i] * _REF_DAY + base + i for i in rows]

    def order(self) -> list[int]:
        """Every row as a reference (day, bucket, row packed in one int), newest first."""
        if self._order is None:
            refs = list(chain.from_iterable(self._refs(b, range(len(c)))
                                            for b, c in self.chunks.items()))
            refs.sort(reverse=True)
            self._order = refs
        return self._order

    def select(self, query: Any = None) -> Hits:
        """Summaries passing `query`'s filters (all when None), newest first; its words
        through each chunk's word filter (exact unless a word holds white space)."""
        if query is None or not (query.tags or query.people or query.kinds or query.contexts
                                 or query.since or query.until or query.text):
            return Hits(self, self.order())
        words = self.word_chunks() if query.text else {}
        refs = list(chain.from_iterable(self._refs(b, c.rows_matching(query, words.get(b)))
                                        for b, c in self.chunks.items()))
        refs.sort(reverse=True)
        return Hits(self, refs)

    def entry(self, ref: int) -> Entry:
        return self.chunks[(ref % _REF_DAY) // _REF_ROW].entry(ref % _REF_ROW)

    def line(self, ref: int) -> tuple[date, str, list[int]]:
        """Date, title and moments per kind of a row (`Chunk.line`): no Entry built."""
        return self.chunks[(ref % _REF_DAY) // _REF_ROW].line(ref % _REF_ROW)

    def ids_starting(self, prefix: str) -> list[str]:
        return [i for c in self.chunks.values() for i in c.ids if i.startswith(prefix)]

    def day_rows(self) -> DayRows:
        """(date, id, sleep, recovery, good things, moments) per entry: reflection's DayRow,
        also a chunk at a time without the chunks keeping the moments (`DayRows`)."""
        return DayRows(self)

    def practice_rows(self, since: date | None = None, until: date | None = None
                      ) -> Iterator[tuple[date, int, int | None, int | None]]:
        """(date, minutes, before, after) per practice: reflection's PracticeRow. With a
        range, only the chunks holding a day of it are read (their core columns decoded):
        the rest of their rows may still come (reflection keeps those in range)."""
        fromordinal = date.fromordinal
        in_range = range(since.toordinal() if since else 0,
                         (until or date.max).toordinal() + 1).__contains__
        for chunk in self.chunks.values():
            if (since or until) and not any(map(in_range, chunk.days)):
                continue
            prac = chunk.core()["prac"]
            for ordinal, practices in compress(zip(chunk.days, prac, strict=True), prac):
                for _, minutes, _, before, after in practices:
                    yield fromordinal(ordinal), minutes, before, after

    def recovery_labels(self) -> set[str]:
        return {w for c in self.chunks.values() for w in c.words["rec"]}

    def feeling_labels(self) -> set[str]:
        """Every feeling word of every moment."""
        return {w for c in self.chunks.values() for w in c.words["feel"]}

    def label_counts(self) -> tuple[Counter[str], Counter[str]]:
        """How many entries carry each tag and each person (body or moments)."""
        tags: Counter[str] = Counter()
        people: Counter[str] = Counter()
        for chunk in self.chunks.values():
            for label, mask in chunk.ptag.items():
                tags[label] += int(mask, 16).bit_count()
            for label, mask in chunk.pperson.items():
                people[label] += int(mask, 16).bit_count()
        return tags, people


DayRow = tuple[date, str, int | None, list[str], int, list[Any]]


class DayRows:
    """Every row's (date, id, sleep, recovery, good things, moments): iterated, or a chunk
    at a time (`chunks`: each chunk's moments decoded for that pass only, so reflecting
    holds one chunk's moments, issue 19), or a chunk at a time with the chunk's fold of its
    moments (`folds`: no moment decoded), with the dates more than one row holds
    (`repeated`, from the packed dates: no moment decoded)."""

    def __init__(self, index: Index) -> None:
        self._index = index

    def __iter__(self) -> Iterator[DayRow]:
        return chain.from_iterable(self.chunks())

    def chunks(self) -> Iterator[list[DayRow]]:
        return map(_day_rows, self._index.chunks.values())

    def folds(self) -> Iterator[ChunkRows]:
        """Each chunk's rows with their moments folded (reflection.days.FoldedChunk): the
        chunk's own fold, so a reflection over whole chunks decodes no moment."""
        return map(ChunkRows, self._index.chunks.values())

    def repeated(self) -> set[date]:
        counts = Counter(chain.from_iterable(c.days for c in self._index.chunks.values()))
        return {date.fromordinal(day) for day, n in counts.items() if n > 1}


class ChunkRows:
    """One chunk as reflection reads it: dates, columns, the fold of its moments, and the
    rows themselves when a fold cannot be taken whole (reflection.days.FoldedChunk)."""

    __slots__ = ("_chunk", "days")

    def __init__(self, chunk: Chunk) -> None:
        self._chunk = chunk
        self.days = chunk.days

    def columns(self) -> tuple[list[str], list[int | None], list[list[str]], list[int]]:
        cols = self._chunk.core()
        return cols["id"], cols["sleep"], cols["rec"], cols["good"]

    def folded(self) -> Folded:
        return self._chunk.folded(keep=False)

    def rows(self, head: int | None = None) -> list[DayRow]:
        """The rows, or the first `head` of them (the newest: only those rows' moments
        decoded)."""
        if head is None or head >= len(self.days):
            return _day_rows(self._chunk)
        chunk, cols = self._chunk, self._chunk.core()
        return list(zip(map(date.fromordinal, chunk.days[:head]),
                        *(cols[name][:head] for name in ("id", "sleep", "rec", "good")),
                        chunk.moments_head(head), strict=True))


def _day_rows(chunk: Chunk) -> list[DayRow]:
    """A chunk's rows as reflection reads them, its moments decoded for this call only."""
    cols = chunk.core()
    return list(zip(map(date.fromordinal, chunk.days), cols["id"], cols["sleep"], cols["rec"],
                    cols["good"], chunk.moments(keep=False), strict=True))


def build_pair(bucket: int, records: list[list[Any]], words: list[list[str]],
               mac: str) -> tuple[Chunk, WordChunk]:
    """A bucket's chunk and its word row, from each entry's record (`record_of`) and words
    (`words_of`), in the same order: the word row's rows are the chunk's."""
    order = Chunk.order(records)
    return (Chunk.from_records(bucket, [records[i] for i in order], mac),
            WordChunk.from_rows(bucket, [words[i] for i in order], mac))


class LazySequence(Sequence[T]):
    """`build(key)` for each of `keys`, computed when read (never cached)."""

    def __init__(self, keys: list[Any], build: Callable[[Any], T]) -> None:
        self.keys = keys
        self._build = build

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, item: int) -> T: ...

    @overload
    def __getitem__(self, item: slice) -> list[T]: ...

    def __getitem__(self, item: int | slice) -> T | list[T]:
        if isinstance(item, slice):
            return list(map(self._build, self.keys[item]))
        return self._build(self.keys[item])

    def __iter__(self) -> Iterator[T]:
        return map(self._build, self.keys)


class Hits(LazySequence[Entry]):
    """Index rows newest first; an Entry is built only for the rows read."""

    def __init__(self, index: Index, refs: list[int]) -> None:
        super().__init__(refs, index.entry)
        self._index = index
        self.refs = refs

    def head(self, n: int) -> Hits:
        """The first `n` rows, still index rows (`lines`, `ids` build no Entry)."""
        return Hits(self._index, self.refs[:n])

    def lines(self) -> Iterator[tuple[date, str, list[int]]]:
        """Each row's date, title and moments per kind, as a listing shows them, without
        building entries or decoding moments (`search` and `list` print thousands): only
        the line columns of the chunks the rows are in (`Chunk.line_columns`)."""
        chunks = self._index.chunks
        columns: dict[int, tuple[list[str], list[list[int]]]] = {}
        fromordinal = date.fromordinal
        for ref in self.refs:
            bucket, row = divmod(ref % _REF_DAY, _REF_ROW)
            found = columns.get(bucket)
            if found is None:
                found = columns[bucket] = chunks[bucket].line_columns()
            yield fromordinal(ref // _REF_DAY), found[0][row], found[1][row]

    def dates(self) -> list[date]:
        return [date.fromordinal(ref // _REF_DAY) for ref in self.refs]

    def ids(self) -> list[str]:
        chunks = self._index.chunks
        return [chunks[(ref % _REF_DAY) // _REF_ROW].ids[ref % _REF_ROW] for ref in self.refs]
