"""An export's JSON `{"entries": [...]}` read as a stream (ijson), entry by entry: Day
One's export and jrnl's `--export json`. An import of 50,000 entries held every parsed
entry and every folded day at once (Day One: 311 MB, jrnl: 332 MB); now it holds each
day's id and date and the entries of one read (`folded.open_stream_folded`).

Each entry is made into a piece exactly as reading the export whole makes it (the format's
own function, handed in, with the same place in its errors). The stream reads only what it
reads the way `json.loads` would: anything else it meets (malformed JSON, a byte-order mark, an
escaped surrogate, numbers beyond 64 bits, deep nesting, `entries` twice or not a list, an
entry that is not valid, days out of order) and the export is read whole instead, as
before, which gives the same entries or the same error as ever.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO, Any

from journal.core.exchange.importers._shared import Piece
from journal.core.exchange.importers.folded import ReadWhole, open_stream_folded
from journal.core.exchange.importers.source import Source

#: Nesting kept well below where `json.loads` gives up (its recursion limit).
MAX_DEPTH = 200
#: `\uD800`-`\uDFFF` escaped: ijson and `json.loads` read a lone one differently.
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
_OPEN = frozenset(("start_map", "start_array"))
_CLOSE = frozenset(("end_map", "end_array"))

Opener = Callable[[], AbstractContextManager[IO[bytes]]]


def open_stream(fmt: str, path: Path, documents: list[tuple[str, Opener]],
                make_piece: Callable[[Any, int, str], Piece], whole: Callable[[], Source],
                progress: Callable[[int], None] | None = None) -> Source:
    """The export whose JSON `documents` these are (member name, how to open it), each
    entry made a piece by `make_piece(item, index, where)`, checked and folded once for its
    survey, read again in order as it is written; `whole()` where the stream cannot
    stand for the whole read. `progress(n)`: n more bytes read (the first read only)."""
    told = [progress]
    item_days: list[int] = []  # each entry's day (its index in the survey), in order
    counts: list[int] = []  # each document's number of entries

    def pieces() -> Iterator[Piece]:  # the first read: every entry, its day noted
        tell, told[0] = told[0], None  # only the first read is shown
        day, last = -1, None
        for member, opener in documents:
            counted = [0]
            for _, piece in _document_pieces(path, member, opener, make_piece, tell, counted):
                if piece.when.date() != last:
                    day, last = day + 1, piece.when.date()
                item_days.append(day)
                yield piece
            counts.append(counted[0])

    def days(wanted: Callable[[int], bool]) -> Iterator[tuple[int, list[Piece]]]:
        """The wanted days read again; the other entries are parsed, not built."""
        day, group, base = -1, [], 0
        for (member, opener), count in zip(documents, counts, strict=True):
            counted = [0]
            for local, piece in _document_pieces(
                    path, member, opener, make_piece, None, counted,
                    skip=lambda i, b=base: b + i >= len(item_days)
                    or not wanted(item_days[b + i])):
                if item_days[base + local] != day and group:
                    yield day, group
                    group = []
                day = item_days[base + local]
                group.append(piece)
            if counted[0] != count:
                raise ReadWhole  # entries added or removed since the first read
            base += count
        if group:
            yield day, group

    return open_stream_folded(fmt, pieces, str(path), whole, days=days)


def file_opener(path: Path) -> Opener:
    return lambda: path.open("rb")


def member_opener(path: Path, name: str) -> Opener:
    def opener() -> AbstractContextManager[IO[bytes]]:
        try:
            archive = zipfile.ZipFile(path)
            return _Member(archive, archive.open(name))
        except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError,
                ValueError, IndexError, KeyError, zlib.error):
            raise ReadWhole from None
    return opener


class _Member(AbstractContextManager):
    """A zip member open for reading, with its archive: both closed together."""

    def __init__(self, archive: zipfile.ZipFile, handle: IO[bytes]) -> None:
        self._archive, self._handle = archive, handle

    def __enter__(self) -> IO[bytes]:
        return self._handle

    def __exit__(self, *exc: object) -> None:
        self._handle.close()
        self._archive.close()


class _Watched:
    """The document's bytes as the parser reads them: told to `progress`, and watched for
    what ijson reads otherwise than `json.loads` (an escaped surrogate)."""

    def __init__(self, handle: IO[bytes], progress: Callable[[int], None] | None) -> None:
        self._handle, self._progress, self._tail = handle, progress, b""

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._handle.read(size)
        except (OSError, zipfile.BadZipFile, EOFError, RuntimeError, ValueError,
                zlib.error):
            raise ReadWhole from None
        if _SURROGATE.search(self._tail + data):
            raise ReadWhole
        self._tail = data[-5:]
        if self._progress is not None and data:
            self._progress(len(data))
        return data


def _document_pieces(path: Path, member: str, opener: Opener,
                     make_piece: Callable[[Any, int, str], Piece],
                     progress: Callable[[int], None] | None, counted: list[int],
                     skip: Callable[[int], bool] | None = None) -> Iterator[tuple[int, Piece]]:
    """(index, piece) of each entry of one document that `skip` does not skip; `counted[0]`
    is the number of entries read, skipped ones included."""
    import ijson

    where = (f"{path}, zip member {member}" if member and not path.is_dir()
             else str(path / member) if member else str(path))
    try:
        with opener() as handle:
            events = ijson.basic_parse(_Watched(handle, progress), use_float=True)
            for index, item in _items(events, skip, counted):
                yield index, make_piece(item, index, f"{where}, entry {index}")
    except (ijson.JSONError, ValueError, OSError) as exc:
        raise ReadWhole from exc


def _items(events: Iterator[tuple[str, Any]], skip: Callable[[int], bool] | None,
           counted: list[int]) -> Iterator[tuple[int, Any]]:
    """The objects of the top-level object's one `entries` list, as `json.loads` would give
    them, with their index (those `skip` accepts parsed past, not built); ReadWhole at
    anything else (a scalar entry is left to the whole read too)."""
    import ijson

    stack: list[str] = []
    key: str | None = None
    seen = 0
    in_entries = False
    builder: Any = None
    skipping = False
    for event, value in events:
        depth = len(stack)
        if builder is not None or skipping:
            if not skipping:
                builder.event(event, value)
            if event in _OPEN:
                stack.append(event)
                if len(stack) > MAX_DEPTH:
                    raise ReadWhole
            elif event in _CLOSE:
                stack.pop()
                if len(stack) == 2:
                    if not skipping:
                        yield counted[0] - 1, builder.value
                    builder, skipping = None, False
            continue
        if event == "map_key":
            if depth == 1:
                key = value
                seen += value == "entries"
            continue
        if event in _OPEN:
            if depth >= MAX_DEPTH or (depth == 0 and event != "start_map"):
                raise ReadWhole
            if depth == 1 and key == "entries":
                if event != "start_array" or seen != 1:
                    raise ReadWhole
                in_entries = True
            elif depth == 2 and in_entries:
                counted[0] += 1
                if skip is not None and skip(counted[0] - 1):
                    skipping = True
                else:
                    builder = ijson.ObjectBuilder()
                    builder.event(event, value)
            stack.append(event)
            continue
        if event in _CLOSE:
            stack.pop()
            if len(stack) == 1:
                in_entries = False
            continue
        if depth == 0 or (depth == 1 and key == "entries") or (depth == 2 and in_entries):
            raise ReadWhole  # not an object, `entries` not a list, an entry not an object
    if seen != 1:
        raise ReadWhole
