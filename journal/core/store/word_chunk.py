"""One bucket's word filter (issue 19): the distinct casefolded words of its entries'
searchable text, each with the rows holding it, sealed as its own row of `word_chunks` so
only a word search ever decrypts it (docs/format.md, docs/security.md).

Its rows are the rows of the bucket's index chunk (journal.core.store.index_chunk), in the
same order: both are stamped with the manifest MAC of the bucket they were built from, and
a MAC names exactly one set of rows. The plaintext is laid out so a search runs in C over
bytes: the words, sorted, each followed by a newline (a word never holds white space), are
searched with `bytes.find` (UTF-8 matches only at character boundaries), and only the
postings of the words found are read, through a table of offsets.
"""

from __future__ import annotations

import itertools
import json
import struct
from collections.abc import Iterable, Iterator, Sequence

from journal.core.model.entries import Entry
from journal.core.model.query import searchable_text
from journal.core.store import crypto

WORDS_AAD_PREFIX = b"journal/v1/words|"
FORMAT = 1
PAD_BLOCK = 1024
_NL = b"\n"


def words_aad(vault_id: bytes, bucket: int) -> bytes:
    return WORDS_AAD_PREFIX + vault_id + struct.pack(">B", bucket)


def words_of(entry: Entry) -> list[str]:
    """The distinct words of everything a search looks in (`searchable_text`, casefolded),
    split at white space. A word without white space occurs in that text exactly when it
    occurs inside one of these, so a filter built on them is exact."""
    return sorted(set(searchable_text(entry).split()))


def _row_width(rows: int) -> int:
    return 1 if rows <= 1 << 8 else 2 if rows <= 1 << 16 else 4


_ROW_TYPE = {2: "<H", 4: "<I"}
_OFFSET_TYPE = {2: "<H", 4: "<I"}


def _mask_of(rows: Iterable[int]) -> int:
    """The rows as a bit mask (bit i: row i)."""
    mask = 0
    for row in rows:
        mask |= 1 << row
    return mask


def _rows_of(mask: int) -> Iterator[int]:
    """The rows set in a bit mask, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _bitmap(rows: list[int], size: int) -> bytes:
    return _mask_of(rows).to_bytes(size, "little")


class WordChunk:
    """The word filter of one bucket's `n` rows. Read-only once built; holds the encoded
    bytes only (no Python object per word until a posting is read)."""

    __slots__ = ("bucket", "mac", "n", "count", "_buf", "_words", "_offsets", "_postings",
                 "_ow")

    def __init__(self, bucket: int, mac: str, n: int, count: int, buf: bytes, words: int,
                 offsets: int, postings: int, offset_width: int) -> None:
        self.bucket = bucket
        self.mac = mac
        self.n = n
        """How many rows (the index chunk's length)."""
        self.count = count
        """How many distinct words."""
        self._buf = buf
        self._words, self._offsets, self._postings, self._ow = (
            words, offsets, postings, offset_width)

    def __len__(self) -> int:
        return self.n

    # -- building and encoding -------------------------------------------------------------
    @classmethod
    def from_rows(cls, bucket: int, rows: Sequence[Iterable[str]], mac: str) -> WordChunk:
        """`rows[i]`: the words of row i (`words_of`), rows in the index chunk's order."""
        vocabulary: dict[str, list[int]] = {}
        add = vocabulary.setdefault
        for row, words in enumerate(rows):
            for word in set(words):
                add(word, []).append(row)
        n = len(rows)
        width, bitmap = _row_width(n), (n + 7) // 8
        most = bitmap // width - (bitmap % width == 0)  # more rows: a bit mask is shorter
        ordered = sorted(vocabulary)
        if width == 1:
            postings = [bytes(found) if len(found) <= most else _bitmap(found, bitmap)
                        for found in map(vocabulary.__getitem__, ordered)]
        else:
            code = _ROW_TYPE[width][1]
            postings = [struct.pack(f"<{len(found)}{code}", *found) if len(found) <= most
                        else _bitmap(found, bitmap)
                        for found in map(vocabulary.__getitem__, ordered)]
        joined = b"".join(postings)
        ow = 2 if len(joined) < 1 << 16 else 4
        table = struct.pack(f"<{len(postings) + 1}{_OFFSET_TYPE[ow][1]}", 0,
                            *itertools.accumulate(map(len, postings)))
        words = "".join(w + "\n" for w in ordered).encode()
        head = json.dumps({"v": FORMAT, "mac": mac, "n": n, "k": len(ordered),
                           "wb": len(words), "ow": ow}, separators=(",", ":")).encode()
        return cls.decode(bucket, b"".join((head, _NL, words, table, joined)))

    def encode(self) -> bytes:
        return self._buf

    def restamped(self, mac: str) -> WordChunk:
        """The same words and rows, stamped with another manifest MAC (key rotation)."""
        head = json.dumps({"v": FORMAT, "mac": mac, "n": self.n, "k": self.count,
                           "wb": self._offsets - self._words, "ow": self._ow},
                          separators=(",", ":")).encode()
        return self.decode(self.bucket, b"".join((head, _NL, self._buf[self._words:])))

    @classmethod
    def decode(cls, bucket: int, plaintext: bytes) -> WordChunk:
        """DecryptError unless the parts are where the header says and agree in size."""
        plaintext = bytes(plaintext)
        end = plaintext.find(_NL)
        head = crypto.parse_json(plaintext[:end]) if end > 0 else None
        if not (isinstance(head, dict) and head.get("v") == FORMAT):
            raise crypto.DecryptError("not a word row of this format")
        mac, n, k, wb, ow = (head.get(key) for key in ("mac", "n", "k", "wb", "ow"))
        if not (isinstance(mac, str) and all(type(x) is int and x >= 0 for x in (n, k, wb))
                and ow in _OFFSET_TYPE):
            raise crypto.DecryptError("word row header missing or of the wrong type")
        words = end + 1
        offsets = words + wb
        postings = offsets + (k + 1) * ow
        # The number of words in part 2 is checked as they are read (`row_words`, and
        # `rows_with_words` never reads past the k-th): counting them here cost a third
        # of opening a row.
        if postings > len(plaintext) or (wb and plaintext[offsets - 1] != _NL[0]) \
                or (k == 0) != (wb == 0):
            raise crypto.DecryptError("word row words malformed")
        chunk = cls(bucket, mac, n, k, plaintext, words, offsets, postings, ow)
        if chunk._offset(k) != len(plaintext) - postings or chunk._offset(0) != 0:
            raise crypto.DecryptError("word row postings malformed")
        return chunk

    def seal(self, key: bytes, vault_id: bytes) -> bytes:
        return crypto.seal(key, crypto.pad(self._buf, PAD_BLOCK), words_aad(vault_id, self.bucket))

    @classmethod
    def open(cls, key: bytes, vault_id: bytes, bucket: int, blob: bytes) -> WordChunk:
        plaintext = crypto.unpad(crypto.open_sealed(key, blob, words_aad(vault_id, bucket)))
        return cls.decode(bucket, plaintext)

    # -- reading -----------------------------------------------------------------------------
    def _offset(self, i: int) -> int:
        return struct.unpack_from(_OFFSET_TYPE[self._ow], self._buf,
                                  self._offsets + i * self._ow)[0]

    def _mask(self, i: int) -> int:
        """The rows of word `i` as a bit mask (DecryptError if malformed)."""
        start, end = self._offset(i), self._offset(i + 1)
        size, bitmap, width = end - start, (self.n + 7) // 8, _row_width(self.n)
        at = self._postings + start
        if size == bitmap:
            mask = int.from_bytes(self._buf[at:at + size], "little")
            if mask >> self.n:
                raise crypto.DecryptError("word row posting beyond its rows")
            return mask
        if 0 <= size < bitmap and size % width == 0:
            raw = self._buf[at:at + size]
            mask = _mask_of(raw if width == 1 else [r for (r,) in struct.iter_unpack(
                _ROW_TYPE[width], raw)])
            if mask >> self.n:
                raise crypto.DecryptError("word row posting beyond its rows")
            return mask
        raise crypto.DecryptError("word row posting malformed")

    def rows_with_words(self, words: Iterable[str]) -> int:
        """A bit mask of the rows whose searchable text holds every one of `words`
        (casefolded): exact for a word without white space; one with white space counts
        as its pieces (a superset: its caller checks the full entries)."""
        buf, start, stop = self._buf, self._words, self._offsets
        mask = (1 << self.n) - 1
        for word in words:
            for piece in word.split():
                needle = piece.encode()
                found, index, last = 0, 0, start
                at = buf.find(needle, start, stop)
                while at != -1:
                    index += buf.count(_NL, last, at)  # the words before this one
                    if index >= self.count:
                        raise crypto.DecryptError("word row words malformed")
                    found |= self._mask(index)
                    last = buf.find(_NL, at, stop) + 1  # past this word's end
                    index += 1
                    at = buf.find(needle, last, stop)
                mask &= found
                if not mask:
                    return 0
        return mask

    def words(self) -> list[str]:
        """Every distinct word, sorted."""
        return self._buf[self._words:self._offsets].decode().split("\n")[:-1]

    def row_words(self) -> list[list[str]]:
        """Each row's words (sorted), rows in order: the filter read back whole (saves
        patch it; `journal check` compares it with the entries)."""
        n, buf, base = self.n, self._buf, self._postings
        rows: list[list[str]] = [[] for _ in range(n)]
        offsets = struct.unpack_from(f"<{self.count + 1}{_OFFSET_TYPE[self._ow][1]}", buf,
                                     self._offsets)
        bitmap, width = (n + 7) // 8, _row_width(n)
        try:
            for word, start, end in zip(self.words(), offsets[:-1], offsets[1:], strict=True):
                found: Iterable[int]
                if end - start == bitmap:
                    found = _rows_of(int.from_bytes(buf[base + start:base + end], "little"))
                elif width == 1 and start <= end:
                    found = buf[base + start:base + end]
                else:
                    found = _rows_of(self._mask(offsets.index(start)))
                for row in found:
                    rows[row].append(word)
        except (IndexError, ValueError):
            raise crypto.DecryptError("word row posting malformed") from None
        return rows
