"""Issue 19: each index chunk's word filter is a sealed row of its own (`word_chunks`), read
only by a word search: it round-trips, it is bound to its vault and bucket and apart from
the chunks, a damaged, stale or missing one is rebuilt from verified rows (never believed),
`journal check` names one that does not hold its entries' words, and nothing but a word
search decrypts one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.model.entries import Entry, Moment
from journal.core.model.query import Query, search, search_vault
from journal.core.store import crypto
from journal.core.store.index_chunk import Chunk
from journal.core.store.word_chunk import WordChunk
from tests.raw_sql import raw_sql

WORD = st.text(alphabet="aßé.İi\u0307x\u00e9z", min_size=1, max_size=4)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sets(WORD, max_size=6), max_size=300), st.lists(WORD, min_size=1,
                                                                    max_size=3))
def test_a_word_row_round_trips_and_finds_exactly_the_rows_holding_a_piece(rows, pieces):
    """Up to 300 rows: one-byte and two-byte row numbers, row lists and bit masks."""
    sorted_rows = [sorted(r) for r in rows]
    built = WordChunk.from_rows(3, sorted_rows, "stamp")
    key, vault_id = b"k" * 32, b"v" * 16
    opened = WordChunk.open(key, vault_id, 3, built.seal(key, vault_id))
    assert (opened.mac, len(opened)) == ("stamp", len(rows))
    assert opened.row_words() == sorted_rows
    assert opened.words() == sorted(set().union(*rows)) if rows else opened.words() == []
    expected = sum(1 << i for i, row in enumerate(rows)
                   if all(any(p in w for w in row) for p in pieces))
    assert opened.rows_with_words(pieces) == expected
    assert opened.restamped("other").row_words() == sorted_rows
    assert opened.restamped("other").mac == "other"


def test_a_word_row_is_bound_to_its_vault_and_bucket_and_is_not_a_chunk():
    words = WordChunk.from_rows(7, [["grief"], ["tea"]], "s")
    blob = words.seal(b"k" * 32, b"v" * 16)
    for vault_id, bucket in ((b"w" * 16, 7), (b"v" * 16, 8)):
        with pytest.raises(crypto.DecryptError):
            WordChunk.open(b"k" * 32, vault_id, bucket, blob)
    with pytest.raises(crypto.DecryptError):  # another purpose in the AAD
        Chunk.open(b"k" * 32, b"v" * 16, 7, blob)
    chunk = Chunk.from_records(7, [], "s").seal(b"k" * 32, b"v" * 16)
    with pytest.raises(crypto.DecryptError):
        WordChunk.open(b"k" * 32, b"v" * 16, 7, chunk)


def _good() -> bytes:
    return WordChunk.from_rows(0, [["a", "b"], ["b"], ["c"]], "m").encode()


@pytest.mark.parametrize("plaintext", [
    b"", b"{}", b'{"v":1}\n', b'{"v":2,"mac":"","n":0,"k":0,"wb":0,"ow":2}\n\x00\x00',
    b'{"v":1,"mac":"","n":0,"k":1,"wb":0,"ow":2}\n\x00\x00',
    b'{"v":1,"mac":"","n":0,"k":0,"wb":0,"ow":3}\n\x00\x00\x00',
    b'{"v":1,"mac":"","n":1,"k":1,"wb":2,"ow":2}\na\n\x00\x00\x05\x00\x01',
    _good()[:-1], _good() + b"\x00", _good().replace(b'"k":3', b'"k":2'),
])
def test_malformed_word_rows_are_refused(plaintext):
    with pytest.raises(crypto.DecryptError):
        WordChunk.decode(0, plaintext)


def test_a_words_part_that_disagrees_with_its_count_is_refused_when_read():
    raw = _good()
    fewer = WordChunk.decode(0, raw.replace(b"\na\nb\nc\n", b"\na\nbbc\n"))
    with pytest.raises(crypto.DecryptError):
        fewer.row_words()
    more = WordChunk.decode(0, raw.replace(b"\na\nb\nc\n", b"\n\n\n\n\nc\n"))
    with pytest.raises(crypto.DecryptError):
        more.rows_with_words(["c"])


def test_a_posting_beyond_the_rows_is_refused():
    raw = _good()
    bad = WordChunk.decode(0, raw[:-1] + b"\x09")  # the last row number: row 9 of 3
    with pytest.raises(crypto.DecryptError):
        bad.rows_with_words(["c"])


# -- in a vault ----------------------------------------------------------------------------
def _entries(n: int) -> list[Entry]:
    return [Entry(date=date(2025, 1, 1) + timedelta(days=i),
                  body=f"Day {i}\n\nplain words {'rare' if i % 7 == 0 else 'common'} w{i}",
                  moments=[Moment("concern", 3, "work", note=f"note{i % 3}")])
            for i in range(n)]


def _found(vault, raw: str) -> list[str]:
    vault.refresh()
    vault.indexes.forget()
    return [e.id for e in search_vault(vault, Query.parse(raw))]


def _expected(vault, raw: str) -> list[str]:
    return [e.id for e in search(vault.entries(), Query.parse(raw))]


QUERIES = ["rare", "common", "note1", "w1", "day", "rare note0"]


def test_a_save_keeps_every_word_row_beside_its_chunk(vault, vault_dir):
    vault.put_many(_entries(60))
    chunks = {b for (b,) in raw_sql(vault_dir, "SELECT bucket FROM index_chunks")}
    assert {b for (b,) in raw_sql(vault_dir, "SELECT bucket FROM word_chunks")} == chunks
    one = vault.get_by_date(date(2025, 1, 8))
    one.body += " newword"
    vault.put(one)
    assert _found(vault, "newword") == [one.id]
    for raw in QUERIES:
        assert _found(vault, raw) == _expected(vault, raw), raw
    assert vault.check().ok


@pytest.mark.parametrize("harm", ["damaged", "missing", "stale", "swapped"])
def test_a_damaged_stale_or_missing_word_row_is_rebuilt_never_believed(vault, vault_dir, harm):
    entries = _entries(60)
    vault.put_many(entries)
    rare = entries[7]
    bucket = crypto.manifest_bucket(bytes.fromhex(rare.id.replace("-", "")))
    old = dict(raw_sql(vault_dir, "SELECT bucket, ct FROM word_chunks"))
    saved = vault.get(rare.id)
    saved.body = saved.body.replace("rare", "changed")  # the bucket moves on
    vault.put(saved)
    other = next(b for b in old if b != bucket)
    if harm == "damaged":
        raw_sql(vault_dir, "UPDATE word_chunks SET ct = substr(ct, 1, 20) || zeroblob(40)"
             " WHERE bucket=?", bucket)
    elif harm == "missing":
        raw_sql(vault_dir, "DELETE FROM word_chunks WHERE bucket=?", bucket)
    elif harm == "stale":  # the row from before the save put back: it still says "rare"
        raw_sql(vault_dir, "UPDATE word_chunks SET ct=? WHERE bucket=?", old[bucket], bucket)
    else:  # another bucket's row moved here
        raw_sql(vault_dir, "UPDATE word_chunks SET ct=? WHERE bucket=?", old[other], bucket)
    for raw in ("rare", "changed", *QUERIES):
        assert _found(vault, raw) == _expected(vault, raw), (harm, raw)
    assert rare.id not in _found(vault, "rare") and _found(vault, "changed") == [rare.id]
    assert vault.indexes.pending() > 0  # rebuilt in memory, stored only on request
    assert vault.store_healed_index() > 0
    assert vault.check().ok


def test_check_names_a_word_row_that_does_not_hold_its_entries_words(vault, vault_dir):
    """A word row stamped current but holding other words (a bug, or one poisoned by an
    earlier version) would make a search miss entries: check must say so."""
    vault.put_many(_entries(30))
    bucket, = raw_sql(vault_dir, "SELECT bucket FROM word_chunks LIMIT 1")[0]
    good = vault.indexes.read_word_chunk(bucket)
    rows = good.row_words()
    rows[0] = ["forged"]
    forged = WordChunk.from_rows(bucket, rows, good.mac)
    with vault.transaction():
        vault.indexes.store_words(forged)
    report = vault.check()
    assert any(f"word row of index chunk {bucket} does not match" in p and "1 entry" in p
               for p in report.problems), report.problems
    vault.drop_index()  # the repair `check --rebuild-index` runs
    vault.index().word_chunks()
    vault.store_healed_index()
    assert vault.check().ok


def test_check_reads_the_chunks_and_the_word_rows_with_one_query_a_table(vault):
    """`journal check` read each bucket's chunk and word row with a query of its own (up
    to 512); what it compares is the same (the test above, test_index_poisoning.py)."""
    vault.put_many(_entries(60))
    seen: list[str] = []
    vault._conn.set_trace_callback(seen.append)
    try:
        assert vault.check().ok
    finally:
        vault._conn.set_trace_callback(None)
    assert sum("FROM index_chunks" in s for s in seen) == 1, seen
    assert sum("FROM word_chunks" in s for s in seen) == 1, seen


def test_only_a_word_search_decrypts_a_word_row(vault, monkeypatch):
    vault.put_many(_entries(40))
    opened = []
    real = WordChunk.open.__func__
    monkeypatch.setattr(WordChunk, "open", classmethod(
        lambda cls, *a: opened.append(a[2]) or real(cls, *a)))
    vault.indexes.forget()
    index = vault.index()
    list(index.select().lines())
    index.select(Query.parse("#nothing kind:concern since:2025-01-10"))
    list(index.day_rows())
    assert opened == []
    assert len(index.select(Query.parse("rare"))) == 6
    assert sorted(opened) == sorted(index.chunks)
    index.select(Query.parse("common"))  # loaded once, then kept
    assert len(opened) == len(index.chunks)


def test_key_rotation_reseals_the_word_rows_under_the_new_keys(vault, vault_dir,
                                                               monkeypatch):
    from tests.conftest import PASSPHRASE, open_vault

    vault.put_many(_entries(30))
    before = {raw: _found(vault, raw) for raw in QUERIES}
    vault.rotate_keys(PASSPHRASE, new_recovery=False)
    vault.close()
    reopened = open_vault(vault_dir)
    try:
        from journal.core.store.index_store import IndexStore

        monkeypatch.setattr(IndexStore, "rebuild_words", None)  # nothing to rebuild
        assert {raw: _found(reopened, raw) for raw in QUERIES} == before
        assert reopened.check().ok
    finally:
        reopened.close()


def test_a_streamed_save_holds_no_word_rows_of_the_buckets_it_wrote(vault, monkeypatch):
    """An import streams bucket by bucket (Vault.put_many of an iterator): the word rows
    it writes must not pile up in memory until the end (29 MB at 50,000 entries of real
    prose)."""
    from journal.core.store.bulk import bucket_of
    from journal.core.store.index_store import IndexStore

    held = []
    real = IndexStore.update

    def spy(self, *args):
        changed = real(self, *args)
        held.append(len(self._changed_words))
        return changed

    monkeypatch.setattr(IndexStore, "update", spy)
    incoming = sorted(_entries(80), key=lambda e: (bucket_of(e.id), e.id))
    vault.put_many(iter(incoming))
    assert len(held) > 10 and set(held) == {0}
    assert _found(vault, "rare") == _expected(vault, "rare")
