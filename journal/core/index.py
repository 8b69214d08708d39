"""The encrypted index: a compact summary of every entry, sealed in at most 256 chunks, so
list, filters and reflection never decrypt every full entry (issue 8: 50,000 entries must
not wait).

An entry's summary holds what listing, tag/person/kind/context/date filters and reflection
need: date, title, tags and people of the body, check-in, and its moments without notes. No
body, no note, no good thing's text. Entries are grouped by the first byte of their random
id (the integrity manifest's buckets), so an entry never moves between chunks, a save
rewrites one chunk of about n/256 summaries, and a chunk's size says nothing about dates.

A chunk is columns, not objects: one JSON document of per-entry columns plus posting lists
(tag -> rows, person -> rows), and a second JSON document of moments that is decoded only
when moments are needed (reflection, showing a row). Loading 50,000 summaries is then a
few hundred small decrypts and JSON decodes, and an `Entry` is built only for a row that
is shown (`Hits`). Each chunk records the manifest bucket MAC it was written with: a chunk
that does not match the manifest (older, swapped, from before the index existed) is
rebuilt from the entries, never believed.

Entries built from summaries are *partial* (no body, no notes); the vault refuses to save
them, so a summary can never overwrite the words it came from.
"""

from __future__ import annotations

import json
import struct
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import chain
from typing import Any, overload

from journal.core import crypto
from journal.core.models import Entry, Moment

BUCKETS = 256
INDEX_AAD_PREFIX = b"journal/v1/index|"
FORMAT = 1
TITLE_MAX = 160
PAD_BLOCK = 1024
#: minute of the day -> "HH:MM"
HHMM = [f"{h:02d}:{m:02d}" for h in range(24) for m in range(60)]
_MINUTE = {text: i for i, text in enumerate(HHMM)}
_REF_ROW = 1 << 16
_REF_DAY = 1 << 24


def bucket_of(raw_uuid: bytes) -> int:
    return raw_uuid[0]


def chunk_aad(vault_id: bytes, bucket: int) -> bytes:
    return INDEX_AAD_PREFIX + vault_id + struct.pack(">B", bucket)


def record_of(entry: Entry) -> list[Any]:
    """One entry's summary: [id, version, date ordinal, title, sleep, energy, good things,
    body length, written_at, body tags, body people, recovery, moments]; a moment is
    [kind, intensity, context, minute, tags, people, action, feelings] (reflection's
    MomentRow)."""
    notes = [m.note.strip() for m in entry.moments if m.note.strip()]
    title = entry.title or (f"({notes[0]})" if notes else "")
    return [
        entry.id, entry.version, entry.date.toordinal(), title[:TITLE_MAX], entry.sleep,
        entry.energy, len(entry.good_things), len(entry.body),
        entry.written_at.isoformat() if entry.written_at else None,
        list(entry.body_tags), list(entry.body_people), list(entry.recovery),
        [[m.kind, m.intensity, m.context, _MINUTE.get(m.time or ""), list(m.tags),
          list(m.people), m.action, list(m.feelings)] for m in entry.moments],
    ]


def partial_of(entry: Entry) -> Entry:
    """The partial entry the index gives back for `entry` (what list and filters see)."""
    chunk = Chunk.from_records(0, [record_of(entry)], "")
    return chunk.entry(0)


class Chunk:
    """The decoded summaries of one bucket, as columns. Read-only once built."""

    __slots__ = ("bucket", "mac", "ids", "vers", "days", "titles", "sleep", "energy", "good",
                 "blen", "written", "btags", "bpeople", "rec", "ptag", "pperson", "_moms",
                 "_moms_raw")

    def __init__(self, bucket: int, head: dict[str, Any], moms_raw: bytes | None,
                 moms: list[list[list[Any]]] | None = None) -> None:
        self.bucket = bucket
        self.mac: str = head["mac"]
        self.ids: list[str] = head["id"]
        self.vers: list[int] = head["ver"]
        self.days: list[int] = head["day"]
        self.titles: list[str] = head["title"]
        self.sleep: list[int | None] = head["sleep"]
        self.energy: list[int | None] = head["energy"]
        self.good: list[int] = head["good"]
        self.blen: list[int] = head["blen"]
        self.written: list[str | None] = head["written"]
        self.btags: list[list[str]] = head["btags"]
        self.bpeople: list[list[str]] = head["bpeople"]
        self.rec: list[list[str]] = head["rec"]
        self.ptag: dict[str, list[int]] = head["ptag"]
        self.pperson: dict[str, list[int]] = head["pperson"]
        self._moms = moms
        self._moms_raw = moms_raw
        columns = (self.vers, self.days, self.titles, self.sleep, self.energy, self.good,
                   self.blen, self.written, self.btags, self.bpeople, self.rec)
        if any(len(c) != len(self.ids) for c in columns):
            raise crypto.DecryptError("index chunk columns differ in length")

    # -- building and encoding -------------------------------------------------------------
    @classmethod
    def from_records(cls, bucket: int, records: list[list[Any]], mac: str) -> Chunk:
        records = sorted(records, key=lambda r: r[2], reverse=True)  # newest first
        ptag: dict[str, list[int]] = {}
        pperson: dict[str, list[int]] = {}
        for row, record in enumerate(records):
            moments = record[12]
            for tag in set(record[9]).union(*(m[4] for m in moments)):
                ptag.setdefault(tag, []).append(row)
            for person in set(record[10]).union(*(m[5] for m in moments)):
                pperson.setdefault(person, []).append(row)
        names = ("id", "ver", "day", "title", "sleep", "energy", "good", "blen", "written",
                 "btags", "bpeople", "rec")
        head: dict[str, Any] = {name: [r[i] for r in records] for i, name in enumerate(names)}
        head.update(mac=mac, ptag=ptag, pperson=pperson)
        return cls(bucket, head, None, [r[12] for r in records])

    def records(self) -> list[list[Any]]:
        moms = self.moments()
        return [[self.ids[i], self.vers[i], self.days[i], self.titles[i], self.sleep[i],
                 self.energy[i], self.good[i], self.blen[i], self.written[i], self.btags[i],
                 self.bpeople[i], self.rec[i], moms[i]] for i in range(len(self.ids))]

    def encode(self) -> bytes:
        head = {"v": FORMAT, "mac": self.mac, "id": self.ids, "ver": self.vers,
                "day": self.days, "title": self.titles, "sleep": self.sleep,
                "energy": self.energy, "good": self.good, "blen": self.blen,
                "written": self.written, "btags": self.btags, "bpeople": self.bpeople,
                "rec": self.rec, "ptag": self.ptag, "pperson": self.pperson}
        dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        # Compact JSON escapes every newline inside strings, so b"\n" separates the parts.
        return f"{dump(head)}\n{dump(self.moments())}".encode()

    @classmethod
    def decode(cls, bucket: int, plaintext: bytes) -> Chunk:
        head_raw, sep, moms_raw = plaintext.partition(b"\n")
        head = crypto.parse_json(head_raw)
        if not sep or not isinstance(head, dict) or head.get("v") != FORMAT:
            raise crypto.DecryptError("not an index chunk of this format")
        try:
            return cls(bucket, head, moms_raw)
        except (KeyError, TypeError) as exc:
            raise crypto.DecryptError(f"index chunk: {exc}") from None

    def seal(self, key: bytes, vault_id: bytes) -> bytes:
        return crypto.seal(key, crypto.pad(self.encode(), PAD_BLOCK),
                           chunk_aad(vault_id, self.bucket))

    @classmethod
    def open(cls, key: bytes, vault_id: bytes, bucket: int, blob: bytes) -> Chunk:
        plaintext = crypto.unpad(crypto.open_sealed(key, blob, chunk_aad(vault_id, bucket)))
        return cls.decode(bucket, plaintext)

    # -- reading -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.ids)

    def moments(self) -> list[list[list[Any]]]:
        """Each row's moments, decoded on first use (only reflection and shown rows)."""
        if self._moms is None:
            moms = crypto.parse_json(self._moms_raw or b"")
            if not isinstance(moms, list) or len(moms) != len(self.ids):
                raise crypto.DecryptError("index chunk moments differ in length")
            self._moms, self._moms_raw = moms, None
        return self._moms

    def entry(self, i: int) -> Entry:
        """Row `i` as a partial Entry (no body, no notes, good things as placeholders)."""
        written = self.written[i]
        entry = Entry(
            date=date.fromordinal(self.days[i]), body="", sleep=self.sleep[i],
            energy=self.energy[i], recovery=list(self.rec[i]), good_things=[""] * self.good[i],
            moments=[Moment(kind=k, intensity=n, context=c, time=None if t is None else HHMM[t],
                            tags=list(mt), people=list(mp), action=a, feelings=list(f), id="")
                     for k, n, c, t, mt, mp, a, f in self.moments()[i]],
            id=self.ids[i], version=self.vers[i],
            written_at=datetime.fromisoformat(written) if written else None,
        )
        entry.partial = True
        entry.summary_title = self.titles[i]
        entry.mentions = (list(self.btags[i]), list(self.bpeople[i]))
        entry.body_length = self.blen[i]
        return entry

    def rows_matching(self, query: Any) -> Iterable[int]:
        """Rows that pass the query's tag, person, kind, context and date filters (its free
        text is the caller's: it needs the bodies)."""
        rows: set[int] | None = None
        for wanted, postings in ((query.tags, self.ptag), (query.people, self.pperson)):
            for label in wanted:
                found = postings.get(label)
                if not found:
                    return ()
                rows = set(found) if rows is None else rows.intersection(found)
        candidates: Iterable[int] = range(len(self.ids)) if rows is None else rows
        if query.since or query.until:
            low = query.since.toordinal() if query.since else 0
            high = query.until.toordinal() if query.until else 1 << 30
            days = self.days
            candidates = [i for i in candidates if low <= days[i] <= high]
        if query.kinds or query.contexts:
            kinds, contexts, moms = set(query.kinds), set(query.contexts), self.moments()
            candidates = [i for i in candidates if any(
                (not kinds or m[0] in kinds) and (not contexts or m[2] in contexts)
                for m in moms[i])]
        return candidates


def empty_chunk(bucket: int, mac: str) -> Chunk:
    return Chunk.from_records(bucket, [], mac)


class Index:
    """Every entry's summary, newest first on demand. Treat as read-only: a save makes a new
    Index sharing the chunks that did not change (`with_chunks`)."""

    def __init__(self, chunks: dict[int, Chunk]) -> None:
        self.chunks = {b: c for b, c in chunks.items() if len(c)}
        self._order: list[int] | None = None

    @classmethod
    def from_entries(cls, entries: Iterable[Entry]) -> Index:
        """An index over entries in memory (tests, stand-ins for a vault)."""
        records: dict[int, list[list[Any]]] = {}
        for entry in entries:
            records.setdefault(int(entry.id.replace("-", "")[:2], 16), []).append(
                record_of(entry))
        return cls({b: Chunk.from_records(b, r, "") for b, r in records.items()})

    def with_chunks(self, changed: dict[int, Chunk]) -> Index:
        return Index({**self.chunks, **changed})

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
        """Summaries passing `query`'s non-text filters (all when None), newest first."""
        if query is None or not (query.tags or query.people or query.kinds or query.contexts
                                 or query.since or query.until):
            return Hits(self, self.order())
        refs = list(chain.from_iterable(self._refs(b, c.rows_matching(query))
                                        for b, c in self.chunks.items()))
        refs.sort(reverse=True)
        return Hits(self, refs)

    def entry(self, ref: int) -> Entry:
        return self.chunks[(ref % _REF_DAY) // _REF_ROW].entry(ref % _REF_ROW)

    def ids_starting(self, prefix: str) -> list[str]:
        return [i for c in self.chunks.values() for i in c.ids if i.startswith(prefix)]

    def dates(self) -> list[date]:
        """Every entry's date, newest first."""
        return [date.fromordinal(ref // _REF_DAY) for ref in self.order()]

    def day_rows(self) -> Iterator[tuple[date, str, int | None, list[str], int, list[Any]]]:
        """(date, id, sleep, recovery, good things, moments) per entry: reflection's DayRow."""
        fromordinal = date.fromordinal
        for chunk in self.chunks.values():
            yield from zip(map(fromordinal, chunk.days), chunk.ids, chunk.sleep, chunk.rec,
                           chunk.good, chunk.moments(), strict=True)

    def label_counts(self) -> tuple[Counter[str], Counter[str]]:
        """How many entries carry each tag and each person (body or moments)."""
        tags: Counter[str] = Counter()
        people: Counter[str] = Counter()
        for chunk in self.chunks.values():
            for label, rows in chunk.ptag.items():
                tags[label] += len(rows)
            for label, rows in chunk.pperson.items():
                people[label] += len(rows)
        return tags, people


class Hits(Sequence[Entry]):
    """Index rows newest first; an Entry is built only for the rows read."""

    def __init__(self, index: Index, refs: list[int]) -> None:
        self._index = index
        self.refs = refs

    def __len__(self) -> int:
        return len(self.refs)

    @overload
    def __getitem__(self, item: int) -> Entry: ...

    @overload
    def __getitem__(self, item: slice) -> list[Entry]: ...

    def __getitem__(self, item: int | slice) -> Entry | list[Entry]:
        if isinstance(item, slice):
            return [self._index.entry(ref) for ref in self.refs[item]]
        return self._index.entry(self.refs[item])

    def __iter__(self) -> Iterator[Entry]:
        return map(self._index.entry, self.refs)

    def dates(self) -> list[date]:
        return [date.fromordinal(ref // _REF_DAY) for ref in self.refs]

    def ids(self) -> list[str]:
        chunks = self._index.chunks
        return [chunks[(ref % _REF_DAY) // _REF_ROW].ids[ref % _REF_ROW] for ref in self.refs]
