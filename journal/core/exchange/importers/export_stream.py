"""Our JSON export read as a stream (ijson), for an import of any size: neither the file's
text nor its parsed objects are ever whole in memory, only one entry at a time.

`ExportStream.open(path)` reads the file once, validating it exactly as `format_v1.load`
does (the same errors, naming the entry and the field; duplicate keys, NaN and nesting
refused), and keeps each entry's id and date (`Survey`). `entries(wanted)` reads it again
for the entries at some positions; the file stays open between the reads, and a file
changed since the first read is refused rather than half-imported.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from journal.core.errors import ValidationError
from journal.core.exchange import format_v1 as exchange
from journal.core.exchange.importers.source import Source, Survey
from journal.core.model.entries import Entry

#: Nesting deeper than any export (an entry's extras included), and far below where the
#: streaming parser's bookkeeping (a path per level) would cost memory.
MAX_DEPTH = 200
#: How many entries one read hands over at most when the writing takes them in parts
#: (about 5 KB each in memory): a 50,000-entry export is read twice more, each time
#: keeping half of it; each read costs about a second at that size.
GROUP = 25_000
_BOM = b"\xef\xbb\xbf"
_ITEM = "entries.item"
_OPEN = frozenset(("start_map", "start_array"))
_CLOSE = frozenset(("end_map", "end_array"))


class ExportStream(Source):
    """An open export, validated; read it again with `entries`. Use as a context manager."""

    group = GROUP

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        self.path = path
        self._handle = handle
        self._stamp = _stamp(handle)
        self.survey = Survey()

    @classmethod
    def open(cls, path: Path, keep: bool = False,
             progress: Callable[[int], None] | None = None) -> tuple[ExportStream, list[Entry]]:
        """The export at `path`, validated; with `keep`, also every entry as read (one
        pass, for a caller that holds them anyway). `progress(n)`: n more bytes read."""
        path = Path(path)
        stream = cls(path, path.open("rb"))
        try:
            return stream, stream._survey(keep, progress)
        except BaseException:
            stream.close()
            raise

    def close(self) -> None:
        self._handle.close()

    # -- the first read: validate, keep ids and dates --------------------------------------
    def _survey(self, keep: bool, progress: Callable[[int], None] | None) -> list[Entry]:
        import ijson

        shape = _Shape()
        duplicates: list[str] = []

        class Unique(dict):
            """A JSON object that notes a key seen twice (raising inside the parser's
            callback would not reach us cleanly)."""

            __slots__ = ()

            def __setitem__(self, key: str, value: Any) -> None:
                if key in self:
                    duplicates.append(key)
                dict.__setitem__(self, key, value)

        ids: dict[str, str] = {}
        kept: list[Entry] = []
        problem: ValidationError | None = None
        built = ijson.sendable_list()
        builder = ijson.get_backend(ijson.backend).items_basecoro(built, _ITEM, map_type=Unique)
        handle = self._rewind()
        events = ijson.basic_parse(handle if progress is None else _Told(handle, progress),
                                   use_float=True)
        try:
            for index, raw in enumerate(shape.items(events, builder.send, built)):
                if problem is not None or duplicates or shape.problem:
                    continue  # only the first problem is told; the rest is read for syntax
                try:
                    entry = exchange.validated(index, raw, ids)
                except ValidationError as exc:
                    problem = exc
                    continue
                self.survey.ids.append(entry.id)
                self.survey.days.append(entry.date)
                if keep:
                    kept.append(entry)
        except _TooDeep:
            raise ValidationError(f"{self.path} is nested too deeply to be an export") from None
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise self._not_json(exc) from None
        if duplicates or shape.duplicates:
            key = (shape.duplicates or duplicates)[0]
            raise ValidationError(f"the key '{key[:40]}' appears twice in one object")
        try:
            shape.check()
            if problem is not None:
                raise problem
        except ValidationError as exc:  # name the file, as every importer's errors do
            raise ValidationError(f"{self.path}, {exc}") from None
        return kept

    def _not_json(self, exc: Exception) -> ValidationError:
        """The parser's complaint as one line, with the line and column json would give
        (read whole only now, to say where: an error, not an import)."""
        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            return ValidationError(f"{self.path} is not UTF-8 text")
        except OSError as err:
            return ValidationError(f"cannot read {self.path}: {err.strerror or err}")
        try:
            exchange.parse_text(text, source=str(self.path))
        except ValidationError as found:
            return found
        first = (str(exc).splitlines() or [type(exc).__name__])[0].strip(" .")
        return ValidationError(f"{self.path} is not valid JSON as this program reads it "
                               f"({first[:120]})")

    # -- reading again ---------------------------------------------------------------------
    def entries(self, wanted: Callable[[int], bool]) -> Iterator[tuple[int, Entry]]:
        import ijson

        ids, days = self.survey.ids, self.survey.days
        if _stamp(self._handle) != self._stamp:
            raise self._changed()
        try:
            for index, raw in enumerate(ijson.items(self._rewind(), _ITEM, use_float=True)):
                if index >= len(ids):
                    raise self._changed()
                if not wanted(index):
                    continue
                if isinstance(raw, dict) and not raw.get("id"):
                    raw["id"] = ids[index]  # the id it was given when first read
                try:
                    entry = Entry.from_dict(raw, where=exchange.where_of(index, raw))
                except ValidationError:  # it was valid when first read
                    raise self._changed() from None
                if entry.id != ids[index] or entry.date != days[index]:
                    raise self._changed()
                yield index, entry
        except (ijson.JSONError, UnicodeDecodeError):
            raise self._changed() from None

    def _changed(self) -> ValidationError:
        return ValidationError(f"{self.path} changed while it was being imported; "
                               "nothing was written")

    def _rewind(self) -> IO[bytes]:
        self._handle.seek(0)
        if self._handle.read(len(_BOM)) != _BOM:
            self._handle.seek(0)
        return self._handle


class _Told:
    """The file as the parser reads it, telling `progress` how many bytes each read took
    (only `read`: the parser then reads through it)."""

    def __init__(self, handle: IO[bytes], progress: Callable[[int], None]) -> None:
        self._handle = handle
        self._progress = progress

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        if data:
            self._progress(len(data))
        return data


def _stamp(handle: IO[bytes]) -> tuple[int, int, int]:
    status = os.fstat(handle.fileno())
    return status.st_size, status.st_mtime_ns, status.st_ino


class _TooDeep(Exception):
    pass


class _Shape:
    """What `ijson.items` does not check, watched on the way through: the top level (an
    object whose 'format', 'version' and 'entries' each appear once, 'entries' a list)
    and how deep anything nests. It reads the parser's events without their paths (the
    parser builds a path per level, so 100,000 levels would take gigabytes before any
    check could stop them) and marks only the first event of each entry with the path
    `items` looks for."""

    def __init__(self) -> None:
        self.first: dict[str, tuple[str, Any]] = {}  # top-level key -> its value's 1st event
        self.duplicates: list[str] = []
        self.is_object: bool | None = None

    @property
    def problem(self) -> bool:
        """Known already to be refused whatever the entries hold."""
        return self.is_object is False or bool(self.duplicates)

    def items(self, events: Iterator[tuple[str, Any]],
              send: Callable[[tuple[str, str, Any]], None], built: list[Any]) -> Iterator[Any]:
        """Each entry of the 'entries' list: every event is `send` on, with its path (only
        an entry's own first event is marked, which is all `items_basecoro` looks at), to
        ijson's builder, which puts each finished entry in `built`."""
        depth = 0
        key: str | None = None
        in_entries = False  # inside the top-level 'entries' list
        for kind, value in events:
            path = _ITEM if depth == 2 and in_entries else ""
            if key is not None:  # the first event of a top-level value
                self.first[key] = (kind, value)
                in_entries = key == "entries" and kind == "start_array"
                key = None
            if kind in _OPEN:
                depth += 1
                if depth > MAX_DEPTH:
                    raise _TooDeep
                if self.is_object is None:
                    self.is_object = kind == "start_map"
            elif kind in _CLOSE:
                depth -= 1
                path = ""
                if depth == 1:
                    in_entries = False
            elif depth == 1 and kind == "map_key":
                if value in self.first:
                    self.duplicates.append(value)
                key = value
            elif self.is_object is None:
                self.is_object = False
            send((path, kind, value))
            if built:
                yield from built
                del built[:]

    def check(self) -> None:
        if not self.is_object:
            raise ValidationError(exchange.NOT_OBJECT)
        fmt = self.first.get("format", ("", None))
        version = self.first.get("version", ("", None))
        exchange.check_head(fmt[1] if fmt[0] == "string" else None,
                            version[1] if version[0] == "number" else
                            True if version[0] == "boolean" else None)
        if self.first.get("entries", ("", None))[0] != "start_array":
            raise ValidationError("'entries' must be a list")
