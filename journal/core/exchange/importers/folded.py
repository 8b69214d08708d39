"""A source folded by day from pieces in order (jrnl's text, Day One's JSON): validated
once, keeping each day's id and date; read again by making the pieces of the days asked for
again (from text held in memory, `FoldedSource`; or by reading the file again in order,
`StreamFoldedSource`), so an import holds at most the source's text and the entries of one
read, never every entry at once.

It takes a source whose days come in ascending order with each day's pieces together, as
jrnl writes its journal; then every day folds from its own pieces alone, with the id and
body `fold_days` gives it reading the source whole. A source in any other order is folded
whole and held (`HeldSource`), as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from itertools import pairwise

from journal.core.errors import ValidationError
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


class ReadWhole(Exception):
    """Raised by a stream of pieces that meets something it does not read the way reading
    the source whole would (the caller then reads it whole, which decides what it means)."""


#: `days(wanted)`: the pieces of each day whose index `wanted` accepts, as (index, pieces).
Days = Callable[[Callable[[int], bool]], Iterator[tuple[int, list[Piece]]]]


class StreamFoldedSource(Source):
    """A source whose pieces are read again from the file as it is written: `days(wanted)`
    reads the days asked for (in order: a JSON file parsed as a stream reads every piece
    again; a folder of one file a day, only the wanted files). A day whose id differs from
    the survey's means the source changed since: refused, before that day is handed over."""

    group = GROUP

    def __init__(self, fmt: str, days: Days, survey: Survey, name: str) -> None:
        self._fmt, self._days, self.survey, self._name = fmt, days, survey, name

    def entries(self, wanted: Callable[[int], bool]) -> Iterator[tuple[int, Entry]]:
        try:
            for index, day_pieces in self._days(wanted):
                folded = fold_days(self._fmt, day_pieces)
                if index >= len(self.survey) or len(folded) != 1 or \
                        folded[0].id != self.survey.ids[index]:
                    raise self._changed()
                yield index, folded[0]
        except (ReadWhole, ValidationError):
            raise self._changed() from None

    def _changed(self) -> ValidationError:
        return ValidationError(f"{self._name} changed while it was being imported; nothing "
                               "more was read from it (import it again)")


def open_stream_folded(fmt: str, pieces: Callable[[], Iterator[Piece]], name: str,
                       whole: Callable[[], Source], days: Days | None = None) -> Source:
    """The source of the pieces `pieces()` reads in order, checked and folded once for its
    survey; read again as it is written (`days`, by default `pieces()` again, grouped)
    when its days come in order, each day's pieces together. Otherwise, or when the
    stream meets anything unusual (`ReadWhole`) or a problem (a ValidationError),
    `whole()`: the source read whole, as before, which gives the same entries or the same
    error as ever."""
    survey = Survey()
    previous: date | None = None
    try:
        for day_pieces in _days(pieces()):
            day = day_pieces[0].when.date()
            if previous is not None and day <= previous:
                return whole()
            [entry] = fold_days(fmt, day_pieces)
            survey.ids.append(entry.id)
            survey.days.append(entry.date)
            previous = day
    except (ReadWhole, ValidationError):
        return whole()
    return StreamFoldedSource(fmt, days or _again(pieces, len(survey)), survey, name)


def _again(pieces: Callable[[], Iterator[Piece]], count: int) -> Days:
    """Every piece read again in order, grouped by day, the wanted days handed over."""
    def days(wanted: Callable[[int], bool]) -> Iterator[tuple[int, list[Piece]]]:
        seen = 0
        for index, day_pieces in enumerate(_days(pieces())):
            seen = index + 1
            if wanted(index):
                yield index, day_pieces
        if seen != count:
            raise ReadWhole
    return days


def _days(pieces: Iterator[Piece]) -> Iterator[list[Piece]]:
    """Consecutive pieces of one calendar day, in order."""
    day_pieces: list[Piece] = []
    for piece in pieces:
        if day_pieces and piece.when.date() != day_pieces[0].when.date():
            yield day_pieces
            day_pieces = []
        day_pieces.append(piece)
    if day_pieces:
        yield day_pieces
