"""One chunk of the encrypted index (journal.core.store.index): the summaries of the entries
whose id starts with one byte, as columns, sealed as one blob; what a summary holds
(`record_of`) and how a chunk is encoded, sealed, opened and read (docs/format.md). The
words of the same rows, for a word search, are sealed apart (journal.core.store.word_chunk).
"""

from __future__ import annotations

import base64
import binascii
import json
import struct
import sys
from array import array
from collections.abc import Iterable
from datetime import date, datetime
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

from journal.core.model.entries import KINDS, Entry, Moment
from journal.core.model.moment_fold import COUNTS, NEVER, RULES, Carried, Folded, fold_moments
from journal.core.model.practice import Practice
from journal.core.store import crypto

BUCKETS = crypto.MANIFEST_BUCKETS  # one chunk per manifest bucket
INDEX_AAD_PREFIX = b"journal/v1/index|"
#: 2 added the check-in and practices (issue 17); 3 a fifth part, the words of every
#: row (the word filter, issue 19); 4 moved the words to rows of their own
#: (journal.core.store.word_chunk) and the title and moments per kind, all a listing
#: line needs, to a part of their own; 5 added a sixth part, the rows' moments folded as
#: reflection reads them (journal.core.model.moment_fold, issue 19); 6 keeps the fold's
#: work labels as one mask of rows per label instead of a set per row. A chunk of format 4
#: or 5 opens, and is folded from its own moments (`upgraded`: its owner stores it again;
#: a fold of format 5 is not read); one of an older format does not open, so it is rebuilt
#: from its rows like a stale one.
FORMAT = 6
UPGRADES = (4, 5)
TITLE_MAX = 160
PAD_BLOCK = 1024
#: minute of the day -> "HH:MM"
HHMM = [f"{h:02d}:{m:02d}" for h in range(24) for m in range(60)]
_MINUTE = {text: i for i, text in enumerate(HHMM)}
#: array typecode of a 4-byte signed int (dates as proleptic ordinals; tested to be 4 bytes)
_DAY_TYPE = "i"


def chunk_aad(vault_id: bytes, bucket: int) -> bytes:
    return INDEX_AAD_PREFIX + vault_id + struct.pack(">B", bucket)


def record_of(entry: Entry) -> list[Any]:
    """One entry's summary: [id, version, date ordinal, title, sleep, energy, good things,
    body length, written_at, body tags, body people, recovery, moments, check-in,
    practices]; a moment is [kind, intensity, context, minute, tags, people, action,
    feelings] (reflection's MomentRow), a practice [moment index, minutes, steps, before,
    after]. Its words are not in it (journal.core.store.word_chunk.words_of)."""
    notes = [m.note.strip() for m in entry.moments if m.note.strip()]
    title = entry.title or (f"({notes[0]})" if notes else "")
    return [
        entry.id, entry.version, entry.date.toordinal(), title[:TITLE_MAX], entry.sleep,
        entry.energy, len(entry.good_things), len(entry.body),
        entry.written_at.isoformat() if entry.written_at else None,
        list(entry.body_tags), list(entry.body_people), list(entry.recovery),
        [[m.kind, m.intensity, m.context, _MINUTE.get(m.time or ""), list(m.tags),
          list(m.people), m.action, list(m.feelings)] for m in entry.moments],
        entry.check_in,
        [[i, p.minutes, list(p.steps), p.before, p.after]
         for i, p in enumerate(m.practice for m in entry.moments) if p is not None],
    ]


#: The per-row columns, in three documents decoded when first needed: what reflection and
#: lookups by id read, what a listing line shows, and what only showing a row needs.
_CORE = ("id", "sleep", "rec", "good", "chk", "prac")
_LINE = ("title", "kinds")
_SHOWN = ("ver", "energy", "blen", "written", "btags", "bpeople")
_COLUMNS = (_CORE, _LINE, _SHOWN)
#: A record's fields, in order: the columns above plus the date (2), then the moments (12),
#: then the check-in and practices (_TAIL).
_RECORD = ("id", "ver", "day", "title", "sleep", "energy", "good", "blen", "written", "btags",
           "bpeople", "rec")
_TAIL = ("chk", "prac")


class Chunk:
    """The decoded summaries of one bucket, as columns. Read-only once built.

    Six JSON documents: the keys (dates, the tag and person posting lists, the words for
    completion: enough to filter and order), decoded at once; then, each when first
    needed, the core columns (ids, sleep, recovery, good things: for reflection and lookups
    by id), the line columns (title, moments per kind: a listing), the shown columns
    (version, energy, body length, time written, body labels), the moments, and the
    moments folded as reflection reads them (`folded`). The word filter of the same rows
    is a row of its own (journal.core.store.word_chunk)."""

    __slots__ = ("bucket", "mac", "days", "ptag", "pperson", "words", "upgraded", "_parts",
                 "_raws")

    def __init__(self, bucket: int, mac: str, days: array[int], ptag: dict[str, str],
                 pperson: dict[str, str], words: dict[str, list[str]],
                 parts: list[Any]) -> None:
        self.bucket = bucket
        self.mac = mac
        self.days = days
        """Each row's date as a proleptic ordinal, newest first."""
        self.ptag = ptag
        """tag -> the rows carrying it (body or moments), as a bit mask in hex."""
        self.pperson = pperson
        self.words = words
        """The distinct recovery ("rec") and feeling ("feel") words of the chunk (for
        completion, without decoding rows or moments)."""
        self.upgraded = False
        """Opened from an older format (its fold made from its moments): store it again."""
        decoded = [not isinstance(part, memoryview) for part in parts]
        self._parts: list[Any] = [p if d else None for p, d in zip(parts, decoded, strict=True)]
        """core, line and shown columns, moments, fold (None until decoded; a fold that is
        None in `_raws` too is folded from the moments)"""
        self._raws: list[memoryview | None] = [
            None if d else p for p, d in zip(parts, decoded, strict=True)]

    # -- building and encoding -------------------------------------------------------------
    @classmethod
    def from_records(cls, bucket: int, records: list[list[Any]], mac: str) -> Chunk:
        records = sorted(records, key=lambda r: r[2], reverse=True)  # newest first
        ptag: dict[str, int] = {}
        pperson: dict[str, int] = {}
        for row, record in enumerate(records):
            moments = record[12]
            for tag in set(record[9]).union(*(m[4] for m in moments)):
                ptag[tag] = ptag.get(tag, 0) | 1 << row
            for person in set(record[10]).union(*(m[5] for m in moments)):
                pperson[person] = pperson.get(person, 0) | 1 << row
        columns = {name: [r[i] for r in records] for i, name in enumerate(_RECORD)}
        columns.update((name, [r[13 + i] for r in records]) for i, name in enumerate(_TAIL))
        columns["kinds"] = [[sum(m[0] == kind for m in r[12]) for kind in KINDS]
                            for r in records]
        days = array(_DAY_TYPE, columns["day"])
        words = {"rec": sorted({w for r in records for w in r[11]}),
                 "feel": sorted({w for r in records for m in r[12] for w in m[7]})}
        moments = [r[12] for r in records]
        return cls(bucket, mac, days, {k: format(v, "x") for k, v in ptag.items()},
                   {k: format(v, "x") for k, v in pperson.items()}, words,
                   [*({k: columns[k] for k in names} for names in _COLUMNS), moments,
                    fold_moments(moments)])

    @staticmethod
    def order(records: list[list[Any]]) -> list[int]:
        """The positions of `records` in a chunk's row order (newest first)."""
        return sorted(range(len(records)), key=lambda i: records[i][2], reverse=True)

    def records(self) -> list[list[Any]]:
        cols, moms = self.columns(), self.moments()
        return [[*(cols[name][i] if name != "day" else self.days[i] for name in _RECORD),
                 moms[i], *(cols[name][i] for name in _TAIL)]
                for i in range(len(self))]

    def encode(self) -> bytes:
        days = array(_DAY_TYPE, self.days)
        if sys.byteorder != "little":
            days.byteswap()
        keys = {"v": FORMAT, "mac": self.mac, "day": base64.b64encode(days).decode("ascii"),
                "ptag": self.ptag, "pperson": self.pperson, "words": self.words}
        dump = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        # Compact JSON escapes every newline inside strings, so b"\n" separates the parts.
        # A part never decoded (a chunk opened and stored again: an upgrade) is copied as it
        # was, neither decoded nor kept.
        raws = [self._raws[n] for n in range(4)]
        return b"\n".join([dump(keys).encode(),
                           *(dump(self._part(n)).encode() if raw is None else bytes(raw)
                             for n, raw in enumerate(raws)),
                           dump(_fold_document(self.folded())).encode()])

    @classmethod
    def decode(cls, bucket: int, plaintext: bytes) -> Chunk:
        ends = [plaintext.find(b"\n")]
        keys = crypto.parse_json(plaintext[:ends[0]])
        if not isinstance(keys, dict) or keys.get("v") not in (FORMAT, *UPGRADES):
            raise crypto.DecryptError("not an index chunk of this format")
        upgraded = keys["v"] != FORMAT   # format 4: no fold yet; 5: a fold of its own
        for _ in range(3 if keys["v"] == 4 else 4):
            ends.append(plaintext.find(b"\n", ends[-1] + 1))
        if -1 in ends:
            raise crypto.DecryptError("not an index chunk of this format")
        mac, packed, ptag, pperson, words = (
            keys.get(k) for k in ("mac", "day", "ptag", "pperson", "words"))
        if not (isinstance(mac, str) and isinstance(packed, str) and isinstance(ptag, dict)
                and isinstance(pperson, dict) and isinstance(words, dict)
                and all(isinstance(words.get(k), list) for k in ("rec", "feel"))):
            raise crypto.DecryptError("index chunk keys missing or of the wrong type")
        try:
            days = array(_DAY_TYPE, base64.b64decode(packed, validate=True))
        except (ValueError, binascii.Error):
            raise crypto.DecryptError("index chunk dates") from None
        if sys.byteorder != "little":
            days.byteswap()
        view = memoryview(plaintext)  # the other parts are decoded, and copied, when needed
        starts = [end + 1 for end in ends]
        parts: list[Any] = [view[a:b] for a, b in zip(starts, [*ends[1:], None], strict=True)]
        if upgraded:   # folded from the moments when first needed
            parts[4:] = [None]
        chunk = cls(bucket, mac, days, ptag, pperson, words, parts)
        chunk.upgraded = upgraded
        return chunk

    def seal(self, key: bytes, vault_id: bytes) -> bytes:
        return crypto.seal(key, crypto.pad(self.encode(), PAD_BLOCK),
                           chunk_aad(vault_id, self.bucket))

    @classmethod
    def open(cls, key: bytes, vault_id: bytes, bucket: int, blob: bytes) -> Chunk:
        plaintext = crypto.unpad(crypto.open_sealed(key, blob, chunk_aad(vault_id, bucket)))
        return cls.decode(bucket, plaintext)

    # -- reading -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.days)

    def _part(self, n: int, keep: bool = True) -> Any:
        """Part `n` (0 core, 1 line, 2 shown columns, 3 moments, 4 fold), decoded on first
        use and kept (unless `keep` is false: then decoded for this call only, when not
        kept yet). Safe from several threads: each may decode, and the last result is kept
        (equal to the others); a thread that finds the raw part gone takes the decoded
        one."""
        part = self._parts[n]
        if part is None:
            raw = self._raws[n]
            if raw is None:
                part = self._parts[n]
                if part is None and n == 4:   # a chunk of format 4 or 5: folded here, kept
                    part = self._parts[4] = fold_moments(self._part(3, keep=False))
                return part   # else another thread decoded it between the two reads
            part = crypto.parse_json(bytes(raw))
            if n == 4:
                folded = _folded(part, len(self))
                # made under other rules (journal.core.model.moment_fold.RULES): fold again
                part = fold_moments(self._part(3, keep=False)) if folded is None else folded
                good = True
            elif n == 3:
                good = isinstance(part, list) and len(part) == len(self)
            else:
                good = isinstance(part, dict) and all(
                    isinstance(part.get(k), list) and len(part[k]) == len(self)
                    for k in _COLUMNS[n])
            if not good:
                raise crypto.DecryptError("index chunk parts differ in length")
            if keep:
                self._parts[n] = part
                self._raws[n] = None
        return part

    def core(self) -> dict[str, list[Any]]:
        """id, sleep, rec (recovery labels), good (number of good things), chk (check-in),
        prac (practices: [moment index, minutes, steps, before, after]) per row."""
        return self._part(0)

    def columns(self) -> dict[str, list[Any]]:
        """Every row column (the core, line and shown ones) by name."""
        return {**self._part(0), **self._part(1), **self._part(2)}

    @property
    def ids(self) -> list[str]:
        return self._part(0)["id"]

    def moments(self, keep: bool = True) -> list[list[list[Any]]]:
        """Each row's moments, decoded on first use (only reflection and shown rows); with
        `keep` false, not kept by the chunk (reflection folds them and lets them go)."""
        return self._part(3, keep)

    def moments_head(self, rows: int) -> list[list[list[Any]]]:
        """The moments of the first `rows` rows (the newest: a range ending today needs a
        few rows of each chunk), decoded only as far into the moments part as they reach,
        a row at a time, and not kept; more than half of the rows are decoded with the
        part, in one call. Anything unexpected there is left to the whole part's
        decoding."""
        raw = self._raws[3]
        if 2 * rows > len(self) or raw is None:
            return self.moments(keep=False)[:rows]
        decode = _ROW_DECODER.raw_decode
        head: list[list[list[Any]]] = []
        try:
            text = bytes(raw).decode("utf-8")
            at = 1 if text[:1] == "[" else -1
            while at > 0 and len(head) < rows:
                row, at = decode(text, at)
                head.append(row)
                at = at + 1 if text[at:at + 1] == "," else -1
            if at > 0 and set(map(type, head)) <= {list}:
                return head
        except (ValueError, RecursionError):
            pass
        return self.moments(keep=False)[:rows]   # a DecryptError if the part is malformed

    def folded(self, keep: bool = True) -> Folded:
        """Every row's moments folded as reflection reads them (`fold_moments`), stored with
        the chunk (a chunk of format 4 or 5 folds its moments here, once)."""
        return self._part(4, keep)

    def fold_matches(self) -> bool:
        """Whether the stored fold is the fold of the chunk's own moments (`journal check`:
        the moments are checked against the entries, the fold against the moments)."""
        try:
            return (_fold_document(self.folded(keep=False))
                    == _fold_document(fold_moments(self.moments(keep=False))))
        except crypto.DecryptError:
            return False

    def line(self, i: int) -> tuple[date, str, list[int]]:
        """What a one-line listing of row `i` shows: its date, title and the number of its
        moments of each kind (in `KINDS` order), decoding only the line columns."""
        line = self._part(1)
        return date.fromordinal(self.days[i]), line["title"][i], line["kinds"][i]

    def line_columns(self) -> tuple[list[str], list[list[int]]]:
        """Every row's title and moments per kind (`line` for all rows at once)."""
        line = self._part(1)
        return line["title"], line["kinds"]

    def entry(self, i: int) -> Entry:
        """Row `i` as a partial Entry (no body, no notes, good things as placeholders)."""
        cols = self.columns()
        written = cols["written"][i]
        entry = Entry(
            date=date.fromordinal(self.days[i]), body="", sleep=cols["sleep"][i],
            energy=cols["energy"][i], recovery=list(cols["rec"][i]),
            good_things=[""] * cols["good"][i],
            moments=[Moment(kind=k, intensity=n, context=c, time=None if t is None else HHMM[t],
                            tags=list(mt), people=list(mp), action=a, feelings=list(f), id="")
                     for k, n, c, t, mt, mp, a, f in self.moments()[i]],
            id=cols["id"][i], version=cols["ver"][i],
            written_at=datetime.fromisoformat(written) if written else None,
        )
        for index, minutes, steps, before, after in cols["prac"][i]:
            entry.moments[index].practice = Practice(minutes, tuple(steps), before, after)
        entry.check_in = cols["chk"][i]
        entry.partial = True
        entry.summary_title = cols["title"][i]
        entry.mentions = (list(cols["btags"][i]), list(cols["bpeople"][i]))
        entry.body_length = cols["blen"][i]
        return entry

    def rows_matching(self, query: Any, words: Any = None) -> Iterable[int]:
        """Rows that pass the query's tag, person, kind, context and date filters and hold
        its words, as `words` (this bucket's WordChunk, needed when the query has words)
        finds them: exact for words without white space (`WordChunk.rows_with_words`)."""
        mask: int | None = None
        for wanted, postings in ((query.tags, self.ptag), (query.people, self.pperson)):
            for label in wanted:
                found = postings.get(label)
                if found is None:
                    return ()
                mask = int(found, 16) if mask is None else mask & int(found, 16)
                if not mask:
                    return ()
        if query.text:
            if words is None or len(words) != len(self):
                raise crypto.DecryptError("no word filter for this index chunk")
            found = words.rows_with_words(query.text)
            mask = found if mask is None else mask & found
            if not mask:
                return ()
        candidates: Iterable[int] = range(len(self)) if mask is None else _rows_of(mask)
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


def _fold_document(folded: Folded) -> dict[str, Any]:
    """A fold as the sixth part of a chunk (docs/format.md): the per-row numbers packed
    little-endian, 1, 2 or 4 bytes each, column after column; each distinct label set of
    the evenings once, as numbers into the chunk's sorted labels; each work label's rows as
    one mask (hex); the carried labels (`Carried`) as five packed columns, the labels as
    numbers into their own sorted list."""
    width, packed = _packed([n for column in (*folded.counts, folded.evening) for n in column])
    names = sorted(set().union(*folded.sets))
    number = {name: i for i, name in enumerate(names)}
    carried = folded.carried
    shown = sorted(set(carried.labels))
    at = {label: i for i, label in enumerate(shown)}
    carried_width, carried_packed = _packed(
        [*carried.days, *carried.moments, *carried.contagion,
         *map(at.__getitem__, carried.labels), *carried.bounds])
    return {
        "rules": RULES,
        "w": width,
        "counts": packed,
        "labels": names,
        "sets": [sorted(map(number.__getitem__, labels)) for labels in folded.sets[1:]],
        "wb": {label: format(bits, "x") for label, bits in sorted(folded.work_bits.items())},
        "cw": carried_width,
        "carried": carried_packed,
        "shown": shown,
        "ct": [[intensity, context, dict(tags)]
               for (intensity, context), tags in folded.contagion_tags.items()],
        "kt": {context: dict(tags) for context, tags in folded.concern_tags.items()},
        "cx": dict(folded.contagion_contexts),
        "kx": dict(folded.concern_contexts),
        "home": dict(sorted(folded.home.items())),
        "felt": folded.felt,
    }


def _folded(document: Any, rows: int) -> Folded | None:
    """The fold a chunk's sixth part holds, checked against its `rows` (shapes and types,
    with C loops: a reflection reads 256 of them); None when it was made under other
    rules. Anything malformed is a DecryptError, as for the other parts."""
    try:
        if document["rules"] != RULES:
            return None
        packed = _unpacked(document["w"], document["counts"])
        width = len(COUNTS) + 1
        if len(packed) != width * rows:
            raise ValueError("counts")
        columns = [packed[i * rows:(i + 1) * rows].tolist() for i in range(width)]
        work_hex = document["wb"]
        if type(work_hex) is not dict:
            raise TypeError("not a dict")
        _only(work_hex.values(), str)
        work_bits = dict(zip(work_hex, map(int, work_hex.values(), repeat(16)), strict=True))
        if work_bits and (min(work_bits.values()) <= 0
                          or max(map(int.bit_length, work_bits.values())) > rows):
            raise ValueError("work rows")
        labels, sets = document["labels"], document["sets"]
        _only(labels, str)
        _only(sets, list)
        numbers = list(chain.from_iterable(sets))
        _only(numbers, int)
        if numbers and not 0 <= min(numbers) <= max(numbers) < len(labels):
            raise ValueError("labels")
        if packed and max(packed[-rows:]) > len(sets):
            raise ValueError("sets")
        carried = _unpacked(document["cw"], document["carried"])
        shown = document["shown"]
        _only(shown, str)
        size, odd = divmod(len(carried), 5)
        if odd:
            raise ValueError("carried")
        days, moments, contagion, at, bounds = (
            carried[i * size:(i + 1) * size].tolist() for i in range(5))
        if size and not (max(days) < rows and max(contagion) <= 1 and max(at) < len(shown)
                         and max(bounds) <= NEVER):
            raise ValueError("carried")
        ct, kt = document["ct"], document["kt"]
        _shaped(ct, 3)
        _only(map(_FIRST, ct), int)
        _only(map(_SECOND, ct), str)
        if type(kt) is not dict:
            raise TypeError("not a dict")
        tallies = [*map(_THIRD, ct), *kt.values()]
        _only(tallies, dict)
        _only(chain.from_iterable(map(dict.values, tallies)), int)
        contagion_tags = {(i, ctx): tags for i, ctx, tags in ct}
        concern_tags = kt
        folded = Folded()
        folded.counts = columns[:len(COUNTS)]
        folded.evening = columns[len(COUNTS)]
        folded.work_bits = work_bits
        label = labels.__getitem__
        folded.sets = [frozenset(), *(frozenset(map(label, numbers)) for numbers in sets)]
        folded.carried = Carried(days, moments, contagion, list(map(shown.__getitem__, at)),
                                 bounds)
        folded.contagion_tags = contagion_tags
        folded.concern_tags = concern_tags
        folded.contagion_contexts = _counts(document["cx"])
        folded.concern_contexts = _counts(document["kx"])
        folded.home = _counts(document["home"])
        folded.felt = document["felt"] is True
    except (KeyError, TypeError, ValueError, AttributeError, binascii.Error):
        raise crypto.DecryptError("index chunk fold malformed") from None
    return folded


def _packed(numbers: list[int]) -> tuple[int, str]:
    """Whole numbers >= 0 packed little-endian in the fewest of 1, 2 or 4 bytes each that
    hold the largest, as base64: (bytes each, text)."""
    top = max(numbers, default=0)
    width = 1 if top < 1 << 8 else 2 if top < 1 << 16 else 4
    packed = array(_WIDTHS[width], numbers)
    if sys.byteorder != "little":
        packed.byteswap()
    return width, base64.b64encode(packed).decode("ascii")


def _unpacked(width: Any, text: Any) -> array[int]:
    """The numbers `_packed` wrote."""
    packed = array(_WIDTHS[width], base64.b64decode(text, validate=True))
    if sys.byteorder != "little":
        packed.byteswap()
    return packed


_FIRST, _SECOND, _THIRD = itemgetter(0), itemgetter(1), itemgetter(2)
_ROW_DECODER = json.JSONDecoder()   # one row's moments at a time (Chunk.moments_head)
#: bytes per number in a fold's counts -> array typecode, unsigned (tested to be that size)
_WIDTHS = {1: "B", 2: "H", 4: "I"}


def _only(values: Iterable[Any], kind: type) -> None:
    """Every value is of exactly this type (bool is not an int here)."""
    if not set(map(type, values)) <= {kind}:
        raise TypeError(f"not all {kind.__name__}")


def _columns(rows: list[Any], *kinds: type) -> None:
    """Every row a list of len(kinds) values, its i-th column all of kinds[i]."""
    _shaped(rows, len(kinds))
    for column, kind in enumerate(kinds):
        _only(map(itemgetter(column), rows), kind)


def _shaped(values: Any, length: int) -> None:
    """A list of lists of `length` items."""
    if type(values) is not list:
        raise TypeError("not a list")
    _only(values, list)
    if not set(map(len, values)) <= {length}:
        raise ValueError("wrong length")


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("not a whole number")
    return value


def _string(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("not a string")
    return value


def _counts(counts: Any) -> dict[str, int]:
    if type(counts) is not dict:
        raise TypeError("not counts")
    _only(counts.values(), int)
    return counts


def _rows_of(mask: int) -> list[int]:
    """The set bits of `mask`, lowest first."""
    return [i for i, bit in enumerate(bin(mask)[:1:-1]) if bit == "1"]
