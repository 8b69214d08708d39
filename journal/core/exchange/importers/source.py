"""What an import reads from: every entry of a source, validated once, then read again as
often as the writing needs, in parts.

A large JSON export is read as a stream (`export_stream.ExportStream`): what stays in memory
between the reads is the `Survey`, each entry's id and date. The other formats are read
whole (their days are folded from every piece of the source) and held (`HeldSource`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from types import TracebackType

from journal.core.model.entries import Entry


@dataclass
class Survey:
    """Each entry of a source, in source order: its id and its date (an entry without an id
    in the source has the one it was given when first read, every time it is read)."""

    ids: list[str] = field(default_factory=list)
    days: list[date] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


class Source:
    """A validated source of entries. `survey` is known once it is open; `entries(wanted)`
    reads again the entries at the positions `wanted` accepts, in source order, each as a
    new Entry the caller owns. `group` is how many entries one read should hand over at
    most for the writing to stay small (a held source has them all anyway)."""

    survey: Survey
    group: int = 1 << 62

    def entries(self, wanted: Callable[[int], bool]) -> Iterator[tuple[int, Entry]]:
        raise NotImplementedError

    def close(self) -> None:
        """Release the file (if any)."""

    def __enter__(self) -> Source:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


class HeldSource(Source):
    """Entries already read and validated, held in memory: each is handed over once (the
    source forgets it), as `plan(consume=True)` takes a list over. With `keep`, each is
    handed over as a copy, as often as asked, so the source can be planned again (the
    app plans once to show what an import would do, and again when it is confirmed)."""

    def __init__(self, entries: list[Entry], keep: bool = False) -> None:
        self._held: list[Entry | None] = list(entries)
        self._keep = keep
        self.survey = Survey([e.id for e in entries], [e.date for e in entries])

    def entries(self, wanted: Callable[[int], bool]) -> Iterator[tuple[int, Entry]]:
        for index, entry in enumerate(self._held):
            if entry is not None and wanted(index):
                if self._keep:
                    yield index, entry.copy()
                    continue
                self._held[index] = None
                yield index, entry
