"""A newest-first run of entries and the lookups the screens need, proportional to what
is asked for.

The entries are usually a `journal.core.store.index.Hits` (an Entry is built only when read);
a plain list works too. Dates are kept as one list (one entry per day), so finding a day,
a month's entries or an entry's position is a bisection, never a pass that builds every
Entry. Pure data: a worker may build one (the first `dates` pass is the only O(n) work).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from datetime import date
from typing import overload

from journal.core.model.entries import Entry
from journal.core.store.index import LazySequence


def _dates_of(entries: Sequence[Entry]) -> list[date]:
    dates = getattr(entries, "dates", None)
    return dates() if callable(dates) else [e.date for e in entries]


def _ids_of(entries: Sequence[Entry]) -> list[str]:
    ids = getattr(entries, "ids", None)
    return ids() if callable(ids) else [e.id for e in entries]


class EntryView(Sequence[Entry]):
    """Entries newest first with their dates: by position, by day, by month, by id."""

    def __init__(self, entries: Sequence[Entry] = (), dates: list[date] | None = None) -> None:
        self.entries = entries
        self.dates = _dates_of(entries) if dates is None else dates
        """Every entry's date, newest first (as `entries`)."""
        if len(self.dates) != len(entries):
            raise ValueError("one date per entry")
        self._keys = [-d.toordinal() for d in self.dates]  # ascending, for bisect
        self._positions: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.entries)

    @overload
    def __getitem__(self, item: int) -> Entry: ...

    @overload
    def __getitem__(self, item: slice) -> list[Entry]: ...

    def __getitem__(self, item: int | slice) -> Entry | list[Entry]:
        if isinstance(item, slice):
            return list(self.entries[item])
        return self.entries[item]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def ids(self) -> list[str]:
        return _ids_of(self.entries)

    def position_of_day(self, day: date) -> int | None:
        """Where the entry of `day` is, or None if there is none here."""
        i = bisect_left(self._keys, -day.toordinal())
        return i if i < len(self._keys) and self._keys[i] == -day.toordinal() else None

    def on(self, day: date) -> Entry | None:
        i = self.position_of_day(day)
        return None if i is None else self.entries[i]

    def between(self, first: date, last: date) -> range:
        """Positions of the entries dated first..last (inclusive), newest first."""
        return range(bisect_left(self._keys, -last.toordinal()),
                     bisect_right(self._keys, -first.toordinal()))

    def position_of_id(self, entry_id: str) -> int | None:
        if self._positions is None:
            self._positions = {i: n for n, i in enumerate(self.ids())}
        return self._positions.get(entry_id)

    def get(self, entry_id: str) -> Entry | None:
        i = self.position_of_id(entry_id)
        return None if i is None else self.entries[i]

    def pick(self, positions: Sequence[int]) -> EntryView:
        """The entries at these positions (newest first, as here), still built when read."""
        return EntryView(LazySequence(list(positions), self.entries.__getitem__),
                         [self.dates[i] for i in positions])
