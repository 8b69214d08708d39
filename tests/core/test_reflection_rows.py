"""reflect_rows: the compact rows the encrypted index hands over (DayRow, MomentRow), how
entries become rows, how rows on one date merge, and the ISO week labels counted on from
week to week. Whole results are pinned by test_reflection_golden.py."""

from __future__ import annotations

import importlib
import operator
import random
import uuid
from datetime import date, timedelta

import gen
import pytest

from journal.core.errors import ValidationError
from journal.core.model.entries import Entry, Moment
from journal.core.reflection import reflect, reflect_rows, rows_from_entries
from journal.core.store.index_chunk import Chunk

balance_module = importlib.import_module("journal.core.reflection.balance")
days_module = importlib.import_module("journal.core.reflection.days")


def _find(result, kind):
    return next(f for f in result["findings"] if f["kind"] == kind)


def test_rows_from_entries_holds_the_fields_in_order_with_minutes():
    moment = Moment(kind="contagion", intensity=8, context="home", time="21:45",
                    tags=["kids"], people=["sister"], feelings=["numb"], action="withdrew")
    untimed = Moment(kind="concern", intensity=3, context="work", time=None)
    entry = Entry(date=date(2026, 3, 2), body="x", sleep=4, recovery=["walk"],
                  good_things=["a", "b"], moments=[moment, untimed])
    [row] = rows_from_entries([entry])
    assert row[:5] == (date(2026, 3, 2), entry.id, 4, ["walk"], 2)
    assert list(row[5][0]) == ["contagion", 8, "home", 21 * 60 + 45, ["kids"], ["sister"],
                               "withdrew", ["numb"]]
    assert row[5][1][3] is None


def test_reflect_rows_reads_a_generator_and_gives_what_reflect_gives():
    entries = gen.noise(90, 3, p_action=0.4)
    kw = {"today": date(2026, 4, 10), "work_end": "17:30"}
    rows = rows_from_entries(entries)
    assert reflect_rows((row for row in rows), **kw) == reflect(entries, **kw)


def test_reflect_rows_checks_its_range_and_work_end_like_reflect():
    rows = rows_from_entries(gen.noise(10, 1))
    with pytest.raises(ValidationError):
        reflect_rows(rows, since=date(2026, 2, 1), until=date(2026, 1, 1))
    with pytest.raises(ValidationError):
        reflect_rows(rows, work_end="25:00")
    with pytest.raises(TypeError):
        reflect_rows(rows, None)   # the options are keyword-only


def test_two_rows_on_one_date_merge_and_the_first_id_is_kept():
    day = date(2026, 5, 4)
    first = (day, "id-first", None, ("walk",), 1,
             [("contagion", 9, "work", 600, ("a",), (), "withdrew", ())])
    second = (day, "id-second", 3, ("music", "walk"), 2,
              [("concern", 2, "home", 1200, ("a",), (), "helped", ("numb",))])
    later = (day + timedelta(days=1), "id-next", 6, (), 0, [])
    result = reflect_rows([later, first, second], today=day + timedelta(days=1))
    assert result["entries"] == 2 and result["moments"] == 2
    good = _find(result, "good_things")["stats"]
    assert good["good_things"] == 3 and good["helped_moments"] == 1
    withdrawal = _find(result, "withdrawal")
    assert withdrawal["stats"]["stepped_away"] == 1
    assert withdrawal["evidence"] == [{"date": day.isoformat(), "entry_id": "id-first"}]
    sleep = _find(result, "sleep_after_contagion")
    assert sleep["stats"]["n_high"] == 1   # the 9 at work makes the day heavy...
    assert sleep["stats"]["after_high"] == 6   # ...and the next night is rated 6
    # the other order keeps the other id
    swapped = reflect_rows([second, first, later], today=day + timedelta(days=1))
    assert _find(swapped, "withdrawal")["evidence"][0]["entry_id"] == "id-second"


def test_rows_outside_the_range_are_left_out_whatever_their_order():
    entries = gen.noise(60, 2)
    rows = rows_from_entries(entries)
    random.Random(5).shuffle(rows)
    since, until = entries[10].date, entries[40].date
    result = reflect_rows(rows, since=since, until=until)
    assert result["entries"] == 31
    assert result["range"] == {"from": since.isoformat(), "to": until.isoformat()}


def test_week_labels_counted_on_match_isocalendar_over_five_centuries():
    mondays = list(range(date(1900, 1, 1).toordinal(), date(2400, 1, 1).toordinal(), 7))
    rng = random.Random(8)
    for chosen in (mondays, sorted(rng.sample(mondays, 4000)), mondays[::53], []):
        expected = [f"{y}-W{w:02d}" for y, w, _ in
                    (date.fromordinal(m).isocalendar() for m in chosen)]
        assert balance_module._week_labels(chosen) == expected


def test_evidence_dates_made_a_month_at_a_time_match_isoformat():
    """The evidence items' dates are made a month at a time when the days are dense; they
    must be `date.isoformat()` exactly: leap years (1900 is not one, 2000 is), the first and
    last representable dates, years before 1000, gaps and sparse days."""
    rng = random.Random(3)
    spans = [(date(1899, 12, 20), date(2101, 1, 10)), (date(1, 1, 1), date(3, 2, 1)),
             (date(9997, 11, 1), date.max), (date(999, 2, 27), date(1000, 3, 2))]
    cases = [[]]
    for first, last in spans:
        every = list(range(first.toordinal(), last.toordinal() + 1))
        cases += [every, sorted(rng.sample(every, len(every) * 3 // 4)),
                  sorted(rng.sample(every, min(len(every), 50)))]   # sparse: one by one
    for ordinals in cases:
        expected = [date.fromordinal(o).isoformat() for o in ordinals]
        assert days_module._iso_dates(ordinals) == expected


def test_evidence_ids_copied_side_by_side_are_the_same_texts_in_order():
    """The evidence items' ids are copied next to one another (one join, one split): equal
    texts in the same order, new objects; ids a split would cut (a NUL) or that are not all
    strings are kept as they are."""
    ids = [str(uuid.UUID(int=random.Random(5).getrandbits(128))) for _ in range(50)]
    ids += ["", "é ✓", "a\nb", ids[0]]
    copied = days_module._side_by_side(ids)
    assert copied == ids and copied is not ids
    assert not any(map(operator.is_, copied[:50], ids[:50]))   # made anew, in order
    for kept in (["a\0b", "c"], ["a", 1], []):
        assert days_module._side_by_side(kept) is kept


@pytest.mark.parametrize("until", [None, date(2027, 3, 1)])
def test_a_future_since_never_gives_a_range_that_ends_before_it_starts(until):
    # issue 12: "Reflection 2027-01-01 to 2026-12-04"; the CLI refuses it, the core clamps
    rows = rows_from_entries(gen.noise(40, 3))
    today = max(r[0] for r in rows)
    result = reflect_rows(rows, since=date(2027, 1, 1), until=until, today=today)
    start = date.fromisoformat(result["range"]["from"])
    end = date.fromisoformat(result["range"]["to"])
    assert start == date(2027, 1, 1) and end >= start
    assert result["entries"] == 0


# -- a chunk at a time (issue 19, target 4) ----------------------------------------------------
class _Moments(list):
    """A row's decoded moments that count how many of them are alive."""

    alive = 0

    def __init__(self, moments):
        super().__init__(moments)
        _Moments.alive += 1

    def __del__(self):
        _Moments.alive -= 1


class _ChunkedRows:
    """A counting stand-in for the index's day rows (`Index.day_rows()`): iterated, or a chunk
    at a time, each chunk's moments decoded afresh; notes how many moments of earlier chunks
    are still alive each time it decodes a chunk."""

    def __init__(self, rows, size):
        self.batches = [rows[i:i + size] for i in range(0, len(rows), size)]
        self.alive_before_chunk = []

    def chunks(self):
        for batch in self.batches:
            self.alive_before_chunk.append(_Moments.alive)
            yield [(*row[:5], _Moments(row[5])) for row in batch]

    def repeated(self):
        return set()

    def __iter__(self):
        return (row for chunk in self.chunks() for row in chunk)


def test_reflecting_chunk_by_chunk_holds_one_chunks_moments_at_a_time():
    entries = gen.noise(400, 6)
    gen.plant_trigger(entries, 6, n=30)   # a tag stands out: its moments are read again
    rows = rows_from_entries(entries)
    random.Random(6).shuffle(rows)   # chunks hold any dates, as the index's do
    chunked = _ChunkedRows(rows, 25)
    kw = {"today": entries[-1].date, "work_end": "17:00"}
    result = reflect_rows(chunked, **kw)
    assert result == reflect_rows(rows, **kw) == reflect(entries, **kw)
    assert gen.find(result, "triggers")["stats"]["standing_out"]
    assert max(chunked.alive_before_chunk) == 0   # no earlier chunk's moments kept
    assert len(chunked.alive_before_chunk) == 2 * len(chunked.batches)   # two passes
    assert _Moments.alive == 0


def test_reflecting_over_the_index_leaves_its_chunks_without_decoded_moments():
    from journal.core.store.index import Index

    entries = gen.noise(300, 7)
    index = Index.from_entries(entries)
    kw = {"today": entries[-1].date}
    index = Index({b: Chunk.decode(b, c.encode()) for b, c in index.chunks.items()})
    assert reflect_rows(index.day_rows(), **kw) == reflect(entries, **kw)
    for chunk in index.chunks.values():   # nothing kept: each read decodes afresh
        assert chunk.moments(keep=False) is not chunk.moments(keep=False)
    assert sorted(index.day_rows()) == sorted(
        (r[0], r[1], r[2], list(r[3]), r[4], [list(m) for m in r[5]])
        for r in rows_from_entries(entries))
