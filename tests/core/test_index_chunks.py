"""The index's chunks and queries on their own (no vault): what goes in comes back, and
every filter agrees with filtering full entries."""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.model.entries import CONTEXTS, KINDS, Entry, Moment
from journal.core.model.query import Query, search
from journal.core.store import crypto
from journal.core.store.index import Chunk, Index, record_of

TAGS = ["grief", "handover", "yelling", "night-shift", "café", "a\nb"]
PEOPLE = ["sam", "ana", "mr-k"]


def _entry(rng: random.Random, day: date) -> Entry:
    def pick(pool):
        return rng.sample(pool, rng.randrange(3))

    return Entry(
        date=day,
        body=f"# Title {rng.random():.3f} \u202e\n" + " ".join(f"#{t}" for t in pick(TAGS[:5]))
        + " " + " ".join(f"@{p}" for p in pick(PEOPLE)),
        written_at=datetime(day.year, day.month, day.day, 21, 30) if rng.random() < 0.8
        else None,
        sleep=rng.choice([None, *range(11)]), energy=rng.choice([None, 3]),
        recovery=pick(["walk", "music", "friends"]), good_things=["x"] * rng.randrange(3),
        moments=[Moment(rng.choice(KINDS), rng.randrange(11), rng.choice(CONTEXTS),
                        time=rng.choice([None, "00:00", "13:05", "23:59"]), tags=pick(TAGS),
                        people=pick(PEOPLE), feelings=pick(["warm", "numb"]),
                        action=rng.choice([None, "approached", "withdrew"]),
                        note="a note")
                 for _ in range(rng.randrange(4))],
    )


def _entries(n: int, seed: int = 1) -> list[Entry]:
    rng = random.Random(seed)
    days = rng.sample(range(5000), n)
    return [_entry(rng, date(2010, 1, 1) + timedelta(days=d)) for d in days]


def _view(e: Entry) -> tuple:
    return (e.id, e.version, e.date, e.title, sorted(e.all_tags), sorted(e.all_people),
            e.sleep, e.energy, e.recovery, len(e.good_things), e.written_at,
            [(m.kind, m.intensity, m.context, m.time, m.tags, m.people, m.action, m.feelings)
             for m in e.moments])


def test_a_chunk_round_trips_through_its_sealed_form():
    entries = _entries(40)
    chunk = Chunk.from_records(7, [record_of(e) for e in entries], "stamp")
    key, vault_id = b"k" * 32, b"v" * 16
    opened = Chunk.open(key, vault_id, 7, chunk.seal(key, vault_id))
    assert opened.mac == "stamp" and len(opened) == 40
    newest_first = sorted(entries, key=lambda e: e.date, reverse=True)
    assert [_view(opened.entry(i)) for i in range(40)] == [_view(e) for e in newest_first]
    assert all(opened.entry(i).partial and opened.entry(i).body == "" for i in range(40))


def test_dates_are_packed_as_4_byte_little_endian_ints():
    from array import array

    from journal.core.store import index_chunk

    assert array(index_chunk._DAY_TYPE).itemsize == 4
    chunk = Chunk.from_records(0, [record_of(e) for e in _entries(3)], "")
    opened = Chunk.decode(0, chunk.encode())
    assert list(opened.days) == list(chunk.days) == sorted(chunk.days, reverse=True)


def test_a_sealed_chunk_is_bound_to_its_vault_and_bucket():
    chunk = Chunk.from_records(7, [record_of(e) for e in _entries(3)], "s")
    blob = chunk.seal(b"k" * 32, b"v" * 16)
    for vault_id, bucket in ((b"w" * 16, 7), (b"v" * 16, 8)):
        with pytest.raises(crypto.DecryptError):
            Chunk.open(b"k" * 32, vault_id, bucket, blob)


@pytest.mark.parametrize("plaintext", [b"", b"{}", b'{"v":1}\n[]', b'{"v":2,"mac":""}\n[]',
                                       b"[1,2]\n[]", b'{"v":1,"mac":"","id":[1]}\n[]'])
def test_malformed_chunks_are_refused(plaintext):
    with pytest.raises(crypto.DecryptError):
        Chunk.decode(0, plaintext)


def test_columns_of_different_lengths_are_refused():
    chunk = Chunk.from_records(0, [record_of(e) for e in _entries(3)], "")
    raw = chunk.encode().replace(b'"ver":[', b'"ver":[9,', 1)
    with pytest.raises(crypto.DecryptError):
        Chunk.decode(0, raw).columns()  # decoded when first needed, checked then
    lines = chunk.encode().split(b"\n")
    assert len(lines) == 6  # keys, core, line and shown columns, moments, fold: no words
    raw = b"\n".join([*lines[:4], b"[[]]", lines[5]])
    with pytest.raises(crypto.DecryptError):
        Chunk.decode(0, raw).moments()
    raw = b"\n".join([*lines[:2], b'{"title":["a"],"kinds":[[0,0]]}', *lines[3:]])
    with pytest.raises(crypto.DecryptError):
        Chunk.decode(0, raw).line(0)


def test_the_index_gives_back_each_entry_as_it_was_summarised():
    for entry in _entries(20, seed=4):
        assert _view(Index.from_entries([entry]).select()[0]) == _view(entry)


QUERY_PARTS = ["#grief", "#café", "@sam", "@ana", "kind:contagion", "kind:concern",
               "context:home", "context:work", "since:2015-01-01", "until:2020-06-30",
               "#nothing-like-this"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(QUERY_PARTS), max_size=3), st.integers(0, 3))
def test_select_agrees_with_filtering_full_entries(parts, seed):
    entries = _entries(150, seed)
    index = Index.from_entries(entries)
    query = Query.parse(" ".join(parts))
    hits = index.select(query)
    expected = search(entries, query)
    assert [e.id for e in hits] == [e.id for e in expected]
    assert hits.ids() == [e.id for e in expected]
    assert hits.dates() == [e.date for e in expected]
    assert len(hits) == len(expected)


def test_hits_build_entries_only_for_the_rows_read(monkeypatch):
    index = Index.from_entries(_entries(300))
    built = []
    real = Chunk.entry
    monkeypatch.setattr(Chunk, "entry", lambda self, i: built.append(i) or real(self, i))
    hits = index.select()
    assert len(hits) == 300 and built == []
    first = hits[:5]
    assert len(first) == 5 and len(built) == 5
    assert [e.date for e in first] == sorted(hits.dates(), reverse=True)[:5]


def test_counts_rows_and_prefixes():
    entries = _entries(200, seed=9)
    index = Index.from_entries(entries)
    tags, people = index.label_counts()
    assert tags == Counter(t for e in entries for t in e.all_tags)
    assert people == Counter(p for e in entries for p in e.all_people)
    rows = sorted(index.day_rows())
    assert [(r[0], r[1], r[2], list(r[3]), r[4]) for r in rows] == sorted(
        (e.date, e.id, e.sleep, e.recovery, len(e.good_things)) for e in entries)
    one = entries[17].id
    assert index.ids_starting(one[:8]) == [one]
    assert len(index.ids_starting("")) == 200
    assert index.select().dates() == sorted((e.date for e in entries), reverse=True)
    assert index.recovery_labels() == {r for e in entries for r in e.recovery}
    assert index.feeling_labels() == {f for e in entries for m in e.moments for f in m.feelings}
    reopened = Index({b: Chunk.decode(b, c.encode()) for b, c in index.chunks.items()})
    assert reopened.recovery_labels() == index.recovery_labels()
    assert reopened.feeling_labels() == index.feeling_labels()
    assert all(c._parts == [None] * 5 for c in reopened.chunks.values())


class _RacingRaws(list):
    """A chunk's raw parts, on which another thread finishes decoding exactly between this
    thread's look at the decoded part and its look at the raw one (the race's window)."""

    def __init__(self, chunk: Chunk) -> None:
        super().__init__(chunk._raws)
        self.chunk = chunk

    def __getitem__(self, n):
        raw = super().__getitem__(n)
        if raw is not None and self.chunk._parts[n] is None:
            self.chunk._parts[n] = json.loads(bytes(raw))  # the other thread's result
            super().__setitem__(n, None)
            return None
        return raw


def test_a_chunk_decoded_by_another_thread_meanwhile_is_not_decoded_from_nothing():
    """The UI draws rows while a worker reflects: both may decode one chunk at once."""
    raw = Chunk.from_records(0, [record_of(e) for e in _entries(30)], "").encode()
    plain = Chunk.decode(0, raw)
    racing = Chunk.decode(0, raw)
    racing._raws = _RacingRaws(racing)
    assert racing.columns() == plain.columns()
    assert racing.moments() == plain.moments()


def test_a_word_search_finds_words_in_one_row_several_and_many():
    entries = [Entry(date=date(2026, 1, 1) + timedelta(days=i),
                     body=f"common {'rare' if i == 7 else ''} {'few' if i % 9 == 0 else ''}")
               for i in range(40)]
    index = Index.from_entries(entries)
    for word, expected in (("rare", 1), ("few", 5), ("common", 40), ("mon", 40), ("zz", 0)):
        assert len(index.select(Query(text=[word]))) == expected, word


def test_a_chunks_fold_is_the_fold_of_its_moments_and_comes_back_the_same():
    """Issue 19, target 4: the sixth part is `fold_moments` of the rows' moments, in the
    chunk's row order, and reads back as it was written."""
    from journal.core.model.moment_fold import fold_moments
    from journal.core.store.index_chunk import _fold_document

    chunk = Chunk.from_records(0, [record_of(e) for e in _entries(40, seed=5)], "")
    assert _fold_document(chunk.folded()) == _fold_document(fold_moments(chunk.moments()))
    again = Chunk.decode(0, chunk.encode())
    assert _fold_document(again.folded()) == _fold_document(chunk.folded())
    assert again.fold_matches()
    assert again.folded().sets == chunk.folded().sets


def _carried_columns(*columns: list[int]) -> str:
    """A fold's carried labels as packed columns (2 bytes each), as a chunk writes them."""
    import base64
    from array import array

    packed = array("H", [n for column in columns for n in column])
    if sys.byteorder != "little":
        packed.byteswap()
    return base64.b64encode(packed).decode("ascii")


@pytest.mark.parametrize("change", [
    {"w": 3}, {"counts": "AAAA"}, {"sets": [[1]]}, {"sets": "x"}, {"sets": [[999]]},
    {"sets": [["ward"]]}, {"labels": [1]}, {"labels": []},
    {"carried": [[0, [[1, 2]]]]}, {"carried": "%%%"}, {"cw": 3}, {"shown": [1]},
    {"carried": _carried_columns([0], [0], [1], [0])},   # five columns, not four
    {"carried": _carried_columns([999], [0], [1], [0], [60])},   # no such row
    {"carried": _carried_columns([0], [0], [2], [0], [60])},     # contagion 0 or 1
    {"carried": _carried_columns([0], [0], [1], [9], [60])},     # no such label
    {"carried": _carried_columns([0], [0], [1], [0], [9999])},   # after NEVER
    {"ct": [[1, "work", {"a": "1"}]]},
    {"kt": []}, {"home": {"a": None}}, {"rules": None, "counts": None},
    {"wb": []}, {"wb": {"a": 5}}, {"wb": {"a": "zz"}}, {"wb": {"a": "-1"}}, {"wb": {"a": "0"}},
    {"wb": {"a": format(1 << 12, "x")}}])
def test_a_malformed_fold_is_refused(change):
    import json

    chunk = Chunk.from_records(0, [record_of(e) for e in _entries(12, seed=3)], "")
    lines = chunk.encode().split(b"\n")
    fold = json.loads(lines[5])
    if change.get("rules", 1) is None:
        change = {"counts": "%%%"}   # not base64
    fold.update({"cw": 2, "shown": ["#ward"]} if "carried" in change else {})
    fold.update(change)
    raw = b"\n".join([*lines[:5], json.dumps(fold).encode()])
    with pytest.raises(crypto.DecryptError):
        Chunk.decode(0, raw).folded()
    assert not Chunk.decode(0, raw).fold_matches()


def test_a_folds_work_labels_are_the_rows_whose_work_noted_them():
    """Chunk format 6: each label of a day's work moments keeps the rows that noted it as
    one mask (bit i: row i), and reads back as the same numbers."""
    from journal.core.model.moment_fold import fold_moments

    def moment(context, tags, people=()):
        return ["contagion", 5, context, None, list(tags), list(people), None, []]

    days = [[moment("work", ["ward"], ["ms-a"])], [moment("home", ["ward"])],
            [moment("work", ["ward"]), moment("work", ["night"])], []]
    assert fold_moments(days).work_bits == {"ward": 0b101, "ms-a": 0b1, "night": 0b100}
    chunk = Chunk.from_records(0, [record_of(e) for e in _entries(40, seed=5)], "")
    folded = chunk.folded()
    moments = chunk.moments()
    for label, mask in folded.work_bits.items():
        noted = [i for i, day in enumerate(moments) if any(
            m[2] == "work" and label in (*m[4], *m[5]) for m in day)]
        assert mask == sum(1 << i for i in noted), label
    assert folded.work_bits   # the seed has work moments with labels
    assert Chunk.decode(0, chunk.encode()).folded().work_bits == folded.work_bits


def test_a_folds_carried_labels_read_back_as_columns():
    """The control of the malformed carried columns above: the same document with one
    well-formed item reads back as it."""
    chunk = Chunk.from_records(0, [record_of(e) for e in _entries(12, seed=3)], "")
    lines = chunk.encode().split(b"\n")
    fold = json.loads(lines[5])
    fold.update({"cw": 2, "shown": ["#ward"], "carried": _carried_columns([3], [0], [1], [0],
                                                                          [60])})
    carried = Chunk.decode(0, b"\n".join([*lines[:5], json.dumps(fold).encode()])).folded(
        ).carried
    assert carried.columns() == ([3], [0], [1], ["#ward"], [60])


def test_a_fold_made_under_other_rules_is_folded_again():
    """A threshold changed since the chunk was written (moment_fold.RULES): its counts are
    not read; the moments are folded again."""
    import json

    from journal.core.store.index_chunk import _fold_document

    chunk = Chunk.from_records(0, [record_of(e) for e in _entries(12, seed=3)], "")
    lines = chunk.encode().split(b"\n")
    fold = json.loads(lines[5])
    fold["rules"] = "0|an older rule"
    fold["counts"] = ""   # would be refused if it were read
    raw = b"\n".join([*lines[:5], json.dumps(fold).encode()])
    assert _fold_document(Chunk.decode(0, raw).folded()) == _fold_document(chunk.folded())


def test_fold_widths_are_the_sizes_they_claim():
    from array import array

    from journal.core.store.index_chunk import _WIDTHS

    assert {w: array(t).itemsize for w, t in _WIDTHS.items()} == {1: 1, 2: 2, 4: 4}
