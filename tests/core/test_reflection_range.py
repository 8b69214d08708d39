"""Issue 19: a date-range reflection over the encrypted index (the app's four weeks, `journal
reflect --since/--until`) decodes the moments of only the chunks that hold a day of the
range, each once, the triggers' second read (`Days.tag_moments`) included; and gives
exactly what reflecting over just the range's entries gives, whether the rows in range are
kept for that second read or (a wide range) read again."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.model.entries import Entry, Moment
from journal.core.model.practice import Practice
from journal.core.reflection import days as days_module
from journal.core.reflection import reflect, reflect_rows
from journal.core.reflection.days import Days
from journal.core.store.crypto import DecryptError
from journal.core.store.index import Chunk, Index

START = date(2024, 1, 1)
LABELS = ["ward", "handover", "mum", "ms-a"]

moments = st.builds(
    Moment, kind=st.sampled_from(["contagion", "concern", "contagion"]),
    intensity=st.integers(0, 10), context=st.sampled_from(["work", "home"]),
    time=st.sampled_from([None, "09:00", "20:30"]),
    tags=st.lists(st.sampled_from(LABELS), max_size=2),   # a tag may repeat in a moment
    people=st.lists(st.sampled_from(LABELS), max_size=1),
    practice=st.one_of(st.none(), st.builds(
        Practice, minutes=st.integers(1, 10), before=st.one_of(st.none(), st.integers(0, 10)),
        after=st.one_of(st.none(), st.integers(0, 10)))))
found_days = st.lists(st.tuples(st.integers(0, 90), st.lists(moments, max_size=4)),
                      min_size=1, max_size=60, unique_by=lambda d: d[0])
offsets = st.one_of(st.none(), st.integers(-5, 95))


def _stored(index: Index) -> Index:
    """The index as a vault reads it back: every chunk encoded and decoded."""
    return Index({bucket: Chunk.decode(bucket, chunk.encode())
                  for bucket, chunk in index.chunks.items()})


def _day(offset: int | None) -> date | None:
    return None if offset is None else START + timedelta(days=offset)


@settings(max_examples=80, deadline=None)
@given(found_days, offsets, offsets, st.sampled_from([0, 3, 2048]))
def test_a_range_reflects_as_just_the_range_s_entries_do(found, low, high, kept):
    since, until = _day(low), _day(high)
    if since and until and since > until:
        since, until = until, since
    entries = [Entry(date=START + timedelta(days=d), body="", moments=ms) for d, ms in found]
    inside = [e for e in entries
              if (since is None or e.date >= since) and (until is None or e.date <= until)]
    index = _stored(Index.from_entries(entries))
    # rows kept, or read again past _KEPT (create: the test also runs where it is not)
    with patch.object(days_module, "_KEPT", kept, create=True):
        result = reflect_rows(index.day_rows(), since=since, until=until, today=START,
                              practices=index.practice_rows(since, until))
    assert result == reflect(inside, since=since, until=until, today=START)
    assert result == reflect(entries, since=since, until=until, today=START)


def _journal() -> list[Entry]:
    """400 days, a tag ("ward") always contagion at work, another ("team") always concern
    there: the triggers test "ward", so they read its moments a second time; a practice
    every third day."""
    rng = random.Random(19)
    return [Entry(date=START + timedelta(days=i), body="", moments=[
        Moment(kind="contagion", intensity=rng.randint(3, 9), context="work", time="10:00",
               tags=["ward"]),
        Moment(kind="concern", intensity=rng.randint(3, 9), context="work", time="11:00",
               tags=["team"]),
        Moment(kind="concern", intensity=4, context="home", time="20:00", tags=["mum"],
               practice=Practice(5, (), 6, 4) if i % 3 == 0 else None)])
        for i in range(400)]


def _reflect_counting(index: Index, since: date, until: date, kept: int
                      ) -> tuple[dict, Counter[int], list[int], set[int]]:
    """The reflection, how many times each chunk's moments were decoded, the number of
    tags each `Days.tag_moments` call was asked for, and the chunks whose core columns
    (practices among them) were read."""
    decoded: Counter[int] = Counter()
    cored: set[int] = set()
    asked: list[int] = []
    moments_of, tag_moments, core = Chunk.moments, Days.tag_moments, Chunk.core
    head_of = Chunk.moments_head

    def heading(self: Chunk, rows: int) -> list:
        before = decoded[self.bucket]
        head = head_of(self, rows)
        if decoded[self.bucket] == before:   # its head decoded alone, not the whole part
            decoded[self.bucket] += 1
        return head

    def counting(self: Chunk, keep: bool = True) -> list:
        decoded[self.bucket] += 1
        return moments_of(self, keep)

    def coring(self: Chunk) -> dict:
        cored.add(self.bucket)
        return core(self)

    def asking(self: Days, tags):
        asked.append(len(tags))
        return tag_moments(self, tags)

    with (patch.object(Chunk, "moments", counting), patch.object(Days, "tag_moments", asking),
          patch.object(Chunk, "core", coring), patch.object(Chunk, "moments_head", heading),
          patch.object(days_module, "_KEPT", kept, create=True)):
        result = reflect_rows(index.day_rows(), since=since, until=until, today=until,
                              practices=index.practice_rows(since, until))
    return result, decoded, asked, cored


def test_four_weeks_decode_only_their_chunks_moments_once_each():
    entries = _journal()
    index = _stored(Index.from_entries(entries))
    since, until = START + timedelta(days=300), START + timedelta(days=327)
    holding = {b for b, c in index.chunks.items()
               if any(since.toordinal() <= d <= until.toordinal() for d in c.days)}
    assert 0 < len(holding) < len(index.chunks) // 4   # the control: most chunks are not
    result, decoded, asked, cored = _reflect_counting(index, since, until, 2048)
    assert asked and asked[0] >= 1   # the triggers read a tag's moments again
    assert decoded == Counter(dict.fromkeys(holding, 1))
    assert cored == holding   # the practices of these chunks only
    assert result == reflect([e for e in entries if since <= e.date <= until],
                             since=since, until=until, today=until)
    assert any(f["kind"] == "practice" for f in result["findings"])


def test_a_range_past_what_is_kept_reads_only_its_chunks_again():
    entries = _journal()
    index = _stored(Index.from_entries(entries))
    since, until = START + timedelta(days=300), START + timedelta(days=327)
    holding = {b for b, c in index.chunks.items()
               if any(since.toordinal() <= d <= until.toordinal() for d in c.days)}
    # a chunk whose every row is in range is taken as it folded itself: decoded once
    whole = {b for b in holding
             if all(since.toordinal() <= d <= until.toordinal() for d in index.chunks[b].days)}
    assert len(whole) < len(holding)
    result, decoded, asked, _ = _reflect_counting(index, since, until, 3)
    assert asked and asked[0] >= 1
    assert decoded == Counter({b: 1 if b in whole else 2 for b in holding})
    assert result == _reflect_counting(index, since, until, 2048)[0]


def test_a_range_before_the_first_entry_decodes_no_moment():
    index = _stored(Index.from_entries(_journal()))
    result, decoded, _, cored = _reflect_counting(index, date(2020, 1, 1), date(2023, 12, 31),
                                                  2048)
    assert not decoded and not cored
    assert result["entries"] == 0


def test_a_range_ending_on_the_last_entry_decodes_only_the_newest_rows_moments():
    """A chunk's rows are newest first: a range that ends on the last entry needs only the
    first few rows of each chunk, and the whole moments part is decoded only of a chunk
    whose every row is in range (the triggers' second read) or more than half of them
    (one call for the part costs less then)."""
    entries = _journal()
    index = _stored(Index.from_entries(entries))
    since, until = START + timedelta(days=372), START + timedelta(days=399)
    moments_of = Chunk.moments
    low, high = since.toordinal(), until.toordinal()
    def head(chunk: Chunk) -> int:
        return sum(low <= day <= high for day in chunk.days)

    assert any(0 < 2 * head(c) <= len(c) for c in index.chunks.values())   # the control

    def whole_part(self: Chunk, keep: bool = True) -> list:
        if 2 * head(self) <= len(self):
            raise AssertionError(f"chunk {self.bucket}'s whole moments part was decoded")
        return moments_of(self, keep)

    with patch.object(Chunk, "moments", whole_part):
        result = reflect_rows(index.day_rows(), since=since, until=until, today=until,
                              practices=index.practice_rows(since, until))
    assert result == reflect([e for e in entries if since <= e.date <= until],
                             since=since, until=until, today=until)
    assert result["entries"] == 28
    for chunk in index.chunks.values():   # and the head is the part's first rows
        whole = moments_of(chunk, keep=False)
        assert [chunk.moments_head(n) for n in range(len(chunk) + 1)] == [
            whole[:n] for n in range(len(chunk) + 1)]


def test_a_moments_part_the_head_cannot_read_is_decoded_whole_or_refused():
    entries = _journal()
    chunk = max(Index.from_entries(entries).chunks.values(), key=len)
    parts = chunk.encode().split(b"\n")
    whole = Chunk.decode(chunk.bucket, chunk.encode()).moments()
    spaced = parts.copy()
    spaced[4] = spaced[4].replace(b"],[", b"], [")   # valid JSON, not as written
    reopened = Chunk.decode(chunk.bucket, b"\n".join(spaced))
    assert reopened.moments_head(2) == whole[:2]
    broken = parts.copy()
    broken[4] = b"[7," + broken[4][1:-9]   # a row that is no list, and cut short
    with pytest.raises(DecryptError):
        Chunk.decode(chunk.bucket, b"\n".join(broken)).moments_head(len(whole) - 1)
    garbled = parts.copy()   # a byte that is no UTF-8, inside the first row's kind
    quote = garbled[4].index(b'"') + 1
    garbled[4] = garbled[4][:quote] + b"\xff" + garbled[4][quote:]
    with pytest.raises(DecryptError):
        Chunk.decode(chunk.bucket, b"\n".join(garbled)).moments_head(1)
