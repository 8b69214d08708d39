"""Issue 19, target 4 (chunk format 6): a reflection over the index's stored folds (each
chunk's work labels as masks of rows, what came home as packed columns, read back from the
chunk's encoded form) gives exactly what a reflection over the entries themselves gives,
at any work end, with labels that belong at home, untimed work and moments after
midnight; the whole journal (every chunk's fold taken whole) and a range (chunks folded
from their moments) alike."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.model.entries import Entry, Moment
from journal.core.reflection import reflect, reflect_rows
from journal.core.store.index import Chunk, ChunkRows, Index

START = date(2024, 1, 1)
LABELS = ["ward", "handover", "mum", "ms-a"]   # "mum": often at home only
TIMES = [None, None, "01:30", "08:00", "12:00", "18:00", "20:30"]   # the work ends too

moments = st.builds(
    Moment, kind=st.sampled_from(["contagion", "concern"]), intensity=st.integers(0, 10),
    context=st.sampled_from(["work", "work", "home", "commute"]),
    time=st.sampled_from(TIMES), tags=st.lists(st.sampled_from(LABELS), max_size=2,
                                               unique=True),
    people=st.lists(st.sampled_from(LABELS), max_size=1),
    action=st.sampled_from([None, "withdrew", "helped"]))
days = st.lists(st.tuples(st.integers(0, 120), st.lists(moments, max_size=4)),
                min_size=1, max_size=60, unique_by=lambda d: d[0])


def _stored(index: Index) -> Index:
    """The index as a vault reads it back: every chunk encoded and decoded."""
    return Index({bucket: Chunk.decode(bucket, chunk.encode())
                  for bucket, chunk in index.chunks.items()})


@settings(max_examples=60, deadline=None)
@given(days, st.sampled_from(["00:00", "08:00", "18:00", "20:30"]))
def test_the_stored_folds_reflect_as_the_entries_do(found_days, work_end):
    entries = [Entry(date=START + timedelta(days=d), body="", moments=ms)
               for d, ms in found_days]
    index = _stored(Index.from_entries(entries))
    whole = reflect_rows(index.day_rows(), work_end=work_end, today=START)
    assert whole == reflect(entries, work_end=work_end, today=START)
    since, until = START + timedelta(days=30), START + timedelta(days=90)
    assert (reflect_rows(index.day_rows(), since=since, until=until, work_end=work_end,
                         today=START)
            == reflect(entries, since=since, until=until, work_end=work_end, today=START))


def test_the_whole_journal_reads_only_the_stored_folds(monkeypatch):
    """The control of the test above: over the whole journal no chunk folds its moments
    again (so it compares the stored folds, not the moments folded twice)."""
    entries = [Entry(date=START + timedelta(days=i), body="", moments=[
        Moment(kind="contagion", intensity=7, context="work", time="09:00", tags=["ward"]),
        Moment(kind="contagion", intensity=5, context="home", time="20:00", tags=["ward"])])
        for i in range(40)]
    index = _stored(Index.from_entries(entries))

    def no_rows(self):
        raise AssertionError("a chunk's moments were folded again")

    monkeypatch.setattr(ChunkRows, "rows", no_rows)
    result = reflect_rows(index.day_rows(), today=START)
    spill = next(f for f in result["findings"] if f["kind"] == "spillover")
    assert spill["stats"]["days"] == 40
    assert result == reflect(entries, today=START)


def test_an_untimed_work_label_comes_home_from_the_work_end_on():
    """What came home keeps, per label, the latest work end at which it did (its bound):
    a label noted at work only without a time comes home with an off-work moment at or
    after the work end, so exactly at it too; a label noted at work at a time comes home
    with any later moment, whatever the work end; from the stored folds as from the
    entries."""
    def day(i: int, at_home: str, work_time: str | None) -> Entry:
        return Entry(date=START + timedelta(days=i), body="", moments=[
            Moment(kind="contagion", intensity=6, context="work", time=work_time,
                   tags=["ward"]),
            Moment(kind="contagion", intensity=5, context="home", time=at_home,
                   tags=["ward"])])

    entries = [day(i, "18:00", None) for i in range(10)]
    entries += [day(i, "12:00", "09:00") for i in range(10, 15)]
    index = _stored(Index.from_entries(entries))
    for work_end, came_home in (("17:59", 15), ("18:00", 15), ("18:01", 5)):
        for result in (reflect(entries, work_end=work_end, today=START),
                       reflect_rows(index.day_rows(), work_end=work_end, today=START)):
            spill = next(f for f in result["findings"] if f["kind"] == "spillover")
            assert spill["stats"]["days"] == came_home, work_end
