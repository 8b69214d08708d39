"""Encrypted summaries: list/filter/reflect without decrypting every entry, never a way to
lose words, and always consistent with the entries they summarise."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date, timedelta

import pytest

from journal.core.errors import ValidationError
from journal.core.model.entries import Entry, Moment
from journal.core.model.query import Query, search
from journal.core.store.vault import db_path
from tests.conftest import open_vault
from tests.leakscan import scan
from tests.raw_sql import raw_sql


def _entries(n: int = 30) -> list[Entry]:
    out = []
    for i in range(n):
        kind = "contagion" if i % 3 == 0 else "concern"
        out.append(Entry(
            date=date(2026, 1, 1) + timedelta(days=i),
            body=f"# Day {i}\nSummary-canary-{i} with #tag{i % 4} and @person{i % 5}.",
            sleep=i % 11, recovery=["walk"] if i % 2 else [], good_things=["tea"],
            moments=[Moment(kind, i % 11, "home" if i % 2 else "work", tags=[f"t{i % 3}"],
                            people=["sam"], note=f"note-canary-{i}")],
        ))
    return out


def _same_view(full: Entry, part: Entry) -> None:
    assert (part.id, part.date, part.version, part.title) == (
        full.id, full.date, full.version, full.title)
    assert part.all_tags == full.all_tags and part.all_people == full.all_people
    assert (part.sleep, part.energy, part.recovery) == (full.sleep, full.energy, full.recovery)
    assert len(part.good_things) == len(full.good_things)
    assert [(m.kind, m.intensity, m.context, m.tags, m.people) for m in part.moments] == [
        (m.kind, m.intensity, m.context, m.tags, m.people) for m in full.moments]


def test_summaries_match_full_entries_after_reopen(vault, vault_dir):
    vault.put_many(_entries())
    vault.close()
    v = open_vault(vault_dir)
    parts = v.summaries()
    assert v._cache is None  # nothing was fully decrypted to list them
    full = {e.id: e for e in v.entries()}
    assert [p.date for p in parts] == sorted((p.date for p in parts), reverse=True)
    assert len(parts) == len(full) == 30
    for part in parts:
        assert part.partial and part.body == ""
        _same_view(full[part.id], part)
    v.close()


def test_filters_on_summaries_agree_with_full_entries(vault, vault_dir):
    vault.put_many(_entries())
    vault.close()
    v = open_vault(vault_dir)
    for raw in ("#tag1", "@person2", "kind:contagion", "context:home #t1", "since:2026-01-10"):
        q = Query.parse(raw)
        got = [e.id for e in search(v.summaries(), q)]
        assert got, raw
        assert got == [e.id for e in search(v.entries(), q)], raw
    v.close()


def test_partial_entries_cannot_be_saved(vault):
    vault.put_many(_entries(3))
    part = vault.summaries()[0]
    with pytest.raises(ValidationError):
        vault.put(part)
    assert vault.get(part.id).body.startswith("# Day")


def test_summaries_follow_own_and_other_writes(vault, vault_dir):
    vault.put_many(_entries(5))
    assert len(vault.summaries()) == 5
    first = vault.get_by_date(date(2026, 1, 1))
    first.body = "# Changed #fresh"
    vault.put(first)
    assert "fresh" in vault.summaries()[-1].all_tags  # own write seen
    other = open_vault(vault_dir)
    other.delete(first.id)
    other.close()
    assert len(vault.summaries()) == 4  # another connection's commit seen


def _chunks(vault_dir) -> list[tuple[int, bytes]]:
    conn = sqlite3.connect(db_path(vault_dir))
    try:
        return conn.execute("SELECT bucket, ct FROM index_chunks ORDER BY bucket").fetchall()
    finally:
        conn.close()


def _agrees_with_entries(v) -> None:
    parts = list(v.summaries())
    full = {e.id: e for e in v.get_many([p.id for p in parts])}
    assert len(parts) == len(full) == v.count()
    for part in parts:
        _same_view(full[part.id], part)


def test_missing_or_damaged_chunks_are_rebuilt(vault, vault_dir):
    vault.put_many(_entries(40))
    vault.close()
    (first, _), (second, _) = _chunks(vault_dir)[:2]
    raw_sql(vault_dir, "DELETE FROM index_chunks WHERE bucket=?", first)
    raw_sql(vault_dir, "UPDATE index_chunks SET ct = substr(ct, 1, 20) || zeroblob(30)"
         " WHERE bucket=?", second)
    v = open_vault(vault_dir)
    _agrees_with_entries(v)
    conn = sqlite3.connect(db_path(vault_dir))
    assert conn.execute("SELECT count(*) FROM index_chunks WHERE bucket=?",
                        (first,)).fetchone()[0] == 0  # a read does not write the vault...
    conn.close()
    v.put(Entry(date=date(2027, 1, 1), body="a save"))  # ...the next save stores them
    v.close()
    healed = dict(_chunks(vault_dir))
    assert first in healed and len(healed[second]) > 50  # rebuilt and stored again


def test_chunk_swapped_between_buckets_is_not_believed(vault, vault_dir):
    vault.put_many(_entries(40))
    vault.close()
    (a, ca), (b, cb) = _chunks(vault_dir)[:2]
    raw_sql(vault_dir, "UPDATE index_chunks SET ct=? WHERE bucket=?", cb, a)
    raw_sql(vault_dir, "UPDATE index_chunks SET ct=? WHERE bucket=?", ca, b)
    v = open_vault(vault_dir)
    _agrees_with_entries(v)  # rebuilt from the entries, not swapped
    v.close()


def test_an_older_chunk_put_back_is_not_believed(vault, vault_dir):
    """Rolling one chunk back (a deleted entry reappearing, an edit vanishing from the
    list) is noticed against the manifest and the chunk rebuilt."""
    saved = vault.put_many(_entries(40))
    old = dict(_chunks(vault_dir))
    victim = saved[7]
    vault.delete(victim.id)
    edited = vault.get(saved[8].id)
    edited.body = "# Edited after the copy #afterwards"
    vault.put(edited)
    vault.close()
    for bucket in {uuid.UUID(victim.id).bytes[0], uuid.UUID(edited.id).bytes[0]}:
        raw_sql(vault_dir, "UPDATE index_chunks SET ct=? WHERE bucket=?", old[bucket], bucket)
    v = open_vault(vault_dir)
    ids = [p.id for p in v.summaries()]
    assert victim.id not in ids and len(ids) == 39
    assert "afterwards" in next(p for p in v.summaries() if p.id == edited.id).all_tags
    _agrees_with_entries(v)
    v.close()


@pytest.mark.parametrize("old_format", [2, 3])
def test_chunks_of_an_older_format_are_rebuilt(vault, vault_dir, old_format):
    """A vault written before the word filter (chunk format 2: four parts) or before its
    own rows (format 3: five parts, no word rows; schema 4) is searched right (the chunks
    and word rows rebuilt in memory), and its chunks and word rows are stored again in the
    current format by the next save (a read never writes)."""
    import json

    from journal.core.store import crypto
    from journal.core.store.index_chunk import FORMAT, PAD_BLOCK, Chunk, chunk_aad

    vault.put_many(_entries(40))
    keys = vault.keyring.subkeys["summary-aead"], vault.keyring.vault_id
    for bucket, blob in _chunks(vault_dir):
        lines = Chunk.open(*keys, bucket, blob).encode().split(b"\n")
        head = json.loads(lines[0])
        head["v"] = old_format
        old = b"\n".join([json.dumps(head).encode(), *lines[1:old_format + 2]])
        raw_sql(vault_dir, "UPDATE index_chunks SET ct=? WHERE bucket=?",
             crypto.seal(keys[0], crypto.pad(old, PAD_BLOCK), chunk_aad(keys[1], bucket)),
             bucket)
    raw_sql(vault_dir, "DELETE FROM word_chunks")
    vault.close()
    v = open_vault(vault_dir)
    found = search(v.entries(), Query.parse("summary-canary-1"))
    v.refresh()
    assert len(found) == 11  # 1, 10-19
    assert [e.id for e in v.index().select(Query.parse("summary-canary-1"))] == [
        e.id for e in found]
    keys = v.keyring.subkeys["summary-aead"], v.keyring.vault_id
    v.put(Entry(date=date(2027, 1, 1), body="a save stores the rebuilt chunks"))
    v.close()
    for bucket, blob in _chunks(vault_dir):
        plaintext = crypto.unpad(crypto.open_sealed(keys[0], blob, chunk_aad(keys[1], bucket)))
        assert json.loads(plaintext.split(b"\n")[0])["v"] == FORMAT == 6
    conn = sqlite3.connect(db_path(vault_dir))
    try:
        words = conn.execute("SELECT bucket FROM word_chunks ORDER BY bucket").fetchall()
    finally:
        conn.close()
    assert [b for (b,) in words] == [b for b, _ in _chunks(vault_dir)]


def test_summaries_hold_no_plaintext_on_disk(vault, vault_dir):
    vault.put_many(_entries(10))
    vault.summaries()
    needles = [f"Summary-canary-{i}" for i in range(10)] + ["note-canary-3", "tag1", "person2"]
    needles += [n.lower() for n in needles]  # the word filter holds casefolded words
    report = scan([vault_dir], needles)
    assert report.hits == 0, report.describe()


def test_get_and_get_many_decrypt_single_rows(vault, vault_dir):
    saved = vault.put_many(_entries(4))
    vault.close()
    v = open_vault(vault_dir)
    assert v.get(saved[2].id).body == saved[2].body
    assert [e.id for e in v.get_many([saved[0].id, "not-a-uuid", saved[3].id])] == [
        saved[0].id, saved[3].id]
    assert v._cache is None
    v.close()


def test_rotation_reseals_summaries(vault, vault_dir):
    from tests.conftest import PASSPHRASE

    vault.put_many(_entries(4))
    vault.rotate_keys(PASSPHRASE, new_recovery=False)
    vault.close()
    v = open_vault(vault_dir)
    v._heal_index = None  # opened under the new key: nothing to rebuild
    parts = list(v.summaries())
    assert len(_chunks(vault_dir)) > 0 and len(parts) == 4
    assert all(p.partial for p in parts)
    _agrees_with_entries(v)  # versions moved on with the rotation, summaries kept
    v.close()


def test_own_writes_patch_the_cached_index_instead_of_reloading(vault, monkeypatch):
    from journal.core.store.index_store import IndexStore

    vault.put_many(_entries(5))
    vault.summaries()
    loads = []
    real = IndexStore.read
    monkeypatch.setattr(IndexStore, "read", lambda *a: loads.append(1) or real(*a))
    entry = vault.get_by_date(date(2026, 1, 2))
    entry.body = "# Patched #newtag"
    vault.put(entry)
    vault.delete(vault.get_by_date(date(2026, 1, 3)).id)
    parts = vault.summaries()
    assert loads == []  # patched in place, not reloaded
    assert len(parts) == 4 and date(2026, 1, 3) not in [p.date for p in parts]
    patched = next(p for p in parts if p.date == date(2026, 1, 2))
    assert patched.title == "Patched #newtag" and "newtag" in patched.all_tags and patched.partial
    assert [p.date for p in parts] == sorted((p.date for p in parts), reverse=True)


def test_saving_into_empty_buckets_reads_nothing_back(vault, monkeypatch):
    """An import into a new vault must not decrypt what it has just written."""
    from journal.core.store.index_store import IndexStore

    rebuilt = []
    real = IndexStore.pair_from_rows
    monkeypatch.setattr(IndexStore, "pair_from_rows",
                        lambda self, *a: rebuilt.append(a) or real(self, *a))
    vault.put_many(_entries(40))
    assert rebuilt == []
    _agrees_with_entries(vault)
