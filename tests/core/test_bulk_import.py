"""A bulk import does each bucket's work once: the reason import is linear in its size.

In batches, every batch re-checked and re-MACed the manifest buckets it touched and
rewrote their index chunks, so 20,000 entries cost 9x as much as 5,000 (issue 19). The
figures are in the benchmark (docs/performance.md); this pins the shape of the work.
"""

from __future__ import annotations

import uuid
import weakref
from collections import Counter
from datetime import date

import pytest

from journal.core import demo
from journal.core.errors import ConflictError
from journal.core.exchange.importers import plan as planning
from journal.core.model.entries import Entry
from journal.core.store import crypto
from journal.core.store.bulk import bucket_of
from journal.core.store.index_store import IndexStore
from journal.core.store.manifest import Manifest


def test_an_import_rewrites_each_chunk_once_and_macs_each_bucket_twice(vault, monkeypatch):
    vault.put_many(demo.generate(40, start=date(1990, 1, 1)))  # a vault already in use
    stored: Counter[int] = Counter()
    maced: Counter[int] = Counter()
    real_store, real_state = IndexStore.store, Manifest._bucket_state

    def store(self, chunk):
        stored[chunk.bucket] += 1
        return real_store(self, chunk)

    def bucket_state(self, bucket, rows):
        maced[bucket] += 1
        return real_state(self, bucket, rows)

    monkeypatch.setattr(IndexStore, "store", store)
    monkeypatch.setattr(Manifest, "_bucket_state", bucket_state)
    incoming = demo.generate(1500)
    ticks: list[int] = []
    result = planning.plan(vault, incoming)
    assert planning.apply(vault, result, progress=ticks.append) == 1500
    assert sum(ticks) == 1500
    assert len(stored) > 200 and max(stored.values()) == 1  # each chunk written once
    assert max(maced.values()) == 2  # checked before the rows change, resealed after
    monkeypatch.undo()
    assert vault.count() == 1540
    listed = {(h.date, h.title) for h in vault.summaries()}
    assert listed == {(e.date, e.title) for e in vault.entries()}


def test_a_consuming_plan_holds_each_entry_once_not_a_copy_of_each(vault):
    """Issue 19 (import memory): `journal import` handed the plan its list and kept it, and
    the plan copied every entry, so a large import held every entry twice until commit."""
    vault.put_many(demo.generate(5, start=date(1990, 1, 1)))
    incoming = demo.generate(60)
    originals = tuple(incoming)  # (Entry has slots and no weak references)
    result = planning.plan(vault, incoming, consume=True)
    assert incoming == []  # the caller's list no longer holds them
    assert {id(e) for e in result.writes} == {id(e) for e in originals}  # the same objects
    assert planning.apply(vault, result) == 60
    assert vault.count() == 65


def test_a_plan_that_does_not_consume_leaves_the_callers_entries_alone(vault):
    incoming = demo.generate(10)
    for entry in incoming:
        entry.version = 7
    result = planning.plan(vault, incoming)
    assert len(incoming) == 10 and all(e.version == 7 for e in incoming)
    assert not {id(e) for e in result.writes} & {id(e) for e in incoming}


def test_labels_read_from_many_entries_are_held_once(vault):
    """Issue 19 (import memory): every moment held its own copy of each tag, person and
    feeling word; a journal repeats the same few, so they are interned when read."""
    def parsed(day: str) -> Entry:  # labels built at run time, as a JSON parser builds them
        moment = {"kind": "concern", "intensity": 3, "context": "work",
                  "tags": ["".join(["Bad", " ", "News"])], "people": ["".join(["mr", "-o"])]}
        return Entry.from_dict({"date": day, "body": "x", "moments": [moment]}, where=day)

    first, second = parsed("2026-01-01").moments[0], parsed("2026-01-02").moments[0]
    assert first.tags == ["bad-news"] and first.people == ["mr-o"]
    assert first.tags[0] is second.tags[0] and first.people[0] is second.people[0]


class _Probe(list):
    """A JSON value (an empty list) that can be weakly referenced: put into an entry's
    extras, it lives exactly as long as that entry or a copy of it."""


def test_a_streamed_put_many_holds_one_buckets_entries_at_a_time(vault):
    """Issue 19 (import memory): put_many held every Entry (and a saved copy of each) until
    commit. Fed a generator in bucket order, it holds one bucket's worth at a time."""
    vault.put_many(demo.generate(30, start=date(1990, 1, 1)))
    incoming = sorted(demo.generate(1500, seed=2, body_bytes=100, moments=1),
                      key=lambda e: uuid.UUID(e.id).bytes)
    sizes = Counter(bucket_of(e.id) for e in incoming)
    ids = [e.id for e in incoming]
    alive = Counter[str]()  # probes made, and probes freed (weakref.finalize)
    most = 0
    ticks: list[int] = []

    def entries():
        nonlocal most
        while incoming:
            entry = incoming.pop(0)
            entry.extra["probe"] = probe = _Probe()
            weakref.finalize(probe, alive.update, ["freed"])
            alive["made"] += 1
            most = max(most, alive["made"] - alive["freed"])
            del probe
            yield entry

    assert vault.put_many(entries(), progress=ticks.append) == []
    assert sum(ticks) == 1500 and vault.count() == 1530
    assert most <= max(sizes.values()) + 1  # one bucket, and the first of the next
    assert alive["made"] == alive["freed"] == 1500
    saved = vault.get_many(ids[:50])
    assert [e.id for e in saved] == ids[:50] and all(e.version == 1 for e in saved)
    listed = {(h.date, h.title) for h in vault.summaries()}
    assert listed == {(e.date, e.title) for e in vault.entries()}


def test_a_streamed_put_many_out_of_bucket_order_saves_nothing(vault):
    incoming = sorted(demo.generate(40), key=lambda e: uuid.UUID(e.id).bytes, reverse=True)
    with pytest.raises(ValueError, match="grouped by bucket"):
        vault.put_many(iter(incoming))
    assert vault.count() == 0


def test_a_streamed_put_many_refuses_a_bad_row_and_keeps_the_vault_whole(vault):
    vault.put_many(demo.generate(10, start=date(1990, 1, 1)))
    incoming = sorted(demo.generate(300, seed=2), key=lambda e: uuid.UUID(e.id).bytes)
    incoming[-1].date = incoming[0].date  # two entries for one day: the last one is refused
    with pytest.raises(ConflictError):
        vault.put_many(iter(incoming))
    assert vault.count() == 10 and len(vault.summaries()) == 10


def test_put_many_of_a_list_returns_the_saved_copies_in_the_order_given(vault):
    incoming = demo.generate(40, seed=8)
    saved = vault.put_many(incoming)
    assert [e.id for e in saved] == [e.id for e in incoming]
    assert all(e.version == 1 for e in saved) and all(e.version == 0 for e in incoming)


def test_a_bulk_save_opens_the_sealed_manifest_once_not_per_bucket(vault, monkeypatch):
    """The streamed put_many checked and resealed the manifest bucket by bucket, opening
    and decoding the whole sealed manifest twice per bucket (769 opens for 10,000 entries,
    a tenth of a first sync's time). What it sealed itself is not opened again."""
    vault.put_many(demo.generate(40, seed=1, start=date(1990, 1, 1)))
    opened: list[bytes] = []
    real_open = crypto.open_json

    def open_json(key, blob, aad):
        if aad.startswith(crypto.MANIFEST_PREFIX):
            opened.append(blob)
        return real_open(key, blob, aad)

    monkeypatch.setattr(crypto, "open_json", open_json)
    vault.put_many(demo.generate(600))
    assert len(opened) <= 1
    monkeypatch.undo()
    vault.verify_manifest()
    assert vault.count() == 640
