"""A source folded by day from pieces in order (jrnl's text): validated once, keeping each
day's id and date; read again by making the pieces of the days asked for again, so an
import holds the source's text and the entries of one read, never every entry at once.

It takes a source whose days come in ascending order with each day's pieces together, as
jrnl writes its journal; then every day folds from its own pieces alone, with the id and
body `fold_days` gives it reading the source whole. A source in any other order is folded
whole and held (`HeldSource`), as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from itertools import pairwise

from journal.core.exchange.importers._shared import Piece, fold_days
from journal.core.exchange.importers.export_stream import GROUP
from journal.core.exchange.importers.source import HeldSource, Source, Survey
from journal.core.model.entries import Entry

#: Characters of source text read between two calls of `progress` (about 64 KB).
_TELL_EVERY = 1 << 16


class FoldedSource(Source):
    """`make(i)` makes the source's `i`-th piece again (from text held in memory); `runs`
    are each day's pieces, as index ranges, in the survey's order."""

    group = GROUP

    def __init__(self, fmt: str, make: Callable[[int], Piece], runs: list[range],
                 survey: Survey) -> None:
        self._fmt, self._make, self._runs, self.survey = fmt, make, runs, survey

    def entries(self, wanted: Callable[[int], bool]) -> Iterator[tuple[int, Entry]]:
        for index, run in enumerate(self._runs):
            if wanted(index):
                [entry] = fold_days(self._fmt, [self._make(i) for i in run])
                yield index, entry


def open_folded(fmt: str, whens: Sequence[datetime], make: Callable[[int], Piece], *,
                again: bool = False,
                progress: Callable[[int], None] | None = None) -> Source:
    """The source of `len(whens)` pieces (each one's local time; `make(i)` makes the i-th),
    already checked, folded once for its survey; folded again as it is written when its
    days are in order, else folded whole and held (with `again`, as copies: it can be
    planned twice). `progress(n)`: about n more characters of source text read."""
    runs = _runs(whens)
    if any(whens[a.start].date() >= whens[b.start].date() for a, b in pairwise(runs)):
        return HeldSource(fold_days(fmt, [make(i) for i in range(len(whens))]), keep=again)
    survey, told = Survey(), 0
    for run in runs:
        day_pieces = [make(i) for i in run]
        [entry] = fold_days(fmt, day_pieces)
        survey.ids.append(entry.id)
        survey.days.append(entry.date)
        if progress is not None:
            told += sum(len(p.source_key) for p in day_pieces)
            if told >= _TELL_EVERY:
                progress(told)
                told = 0
    if progress is not None and told:
        progress(told)
    return FoldedSource(fmt, make, runs, survey)


def _runs(whens: Sequence[datetime]) -> list[range]:
    """The index ranges of pieces on one day, in order."""
    runs: list[range] = []
    first = 0
    for index in range(1, len(whens) + 1):
        if index == len(whens) or whens[index].date() != whens[first].date():
            runs.append(range(first, index))
            first = index
    return runs
