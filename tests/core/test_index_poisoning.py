"""Issue 13 item 4: the index cannot be poisoned. A chunk stamped current is built only from
rows verified against the manifest; `check` compares every believed chunk with the rows
and opens every pending capture; reading never rewrites the vault file."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from datetime import date

import pytest

from journal.core.errors import IntegrityError
from journal.core.model.entries import Entry
from journal.core.store import crypto
from journal.core.store.index_chunk import Chunk, record_of
from journal.core.store.vault import db_path
from tests.conftest import open_vault
from tests.raw_sql import raw_sql


def _entries(n: int) -> list[Entry]:
    return [Entry(date=date(2026, 3, 1 + i % 28).replace(month=1 + i // 28),
                  body=f"# Day {i} #tag{i % 3}") for i in range(n)]


def test_a_row_and_its_chunk_deleted_in_a_session_cannot_hide_the_entry(vault, vault_dir):
    saved = vault.put_many(_entries(30))
    victim = saved[11]
    raw = uuid.UUID(victim.id).bytes
    vault.close()
    session = open_vault(vault_dir)  # unlock verified every bucket
    row = raw_sql(vault_dir, "SELECT uuid, version, day_key, ct, digest FROM entries WHERE uuid=?",
               raw)[0]
    raw_sql(vault_dir, "DELETE FROM entries WHERE uuid=?", raw)
    raw_sql(vault_dir, "DELETE FROM index_chunks WHERE bucket=?", raw[0])
    with pytest.raises(IntegrityError, match="deleted outside the journal"):
        session.summaries()  # never rebuilt from rows the manifest does not vouch for
    session.close()
    raw_sql(vault_dir, "INSERT INTO entries(uuid, version, day_key, ct, digest) "
         "VALUES (?, ?, ?, ?, ?)", *row)
    with open_vault(vault_dir) as again:
        assert victim.id in {p.id for p in again.summaries()}
        assert again.check().ok


def test_check_names_a_chunk_that_the_manifest_vouches_for_but_misses_an_entry(vault):
    saved = vault.put_many(_entries(30))
    victim = saved[5]
    bucket = uuid.UUID(victim.id).bytes[0]
    assert vault.check().ok  # control
    others = [record_of(e) for e in saved
              if uuid.UUID(e.id).bytes[0] == bucket and e.id != victim.id]
    stamp = vault.bucket_stamps()[bucket]
    with vault.transaction():  # a chunk as the old rebuild could leave it behind
        vault.indexes.store(Chunk.from_records(bucket, others, stamp))
    report = vault.check()
    assert not report.ok
    assert any(f"index chunk {bucket} does not match" in p and "1 missing" in p
               for p in report.problems), report.problems
    assert victim.id not in {p.id for p in vault.summaries()}  # what the problem means
    vault.drop_index()  # the repair (journal check --rebuild-index)
    assert vault.check().ok
    assert victim.id in {p.id for p in vault.summaries()}


def test_check_opens_every_pending_capture(vault, vault_dir):
    vault.put(Entry(date=date(2026, 11, 20), body="stored"))
    assert vault.check().ok
    sealed_id = os.urandom(16)
    public = vault._meta("seal_public")
    payload = json.dumps(Entry(date=date(2026, 11, 21), body="x").to_dict()).encode()
    blob = crypto.seal_to_public(public, payload, vault.header.vault_id + os.urandom(16))
    raw_sql(vault_dir, "INSERT INTO sealed(uuid, ct) VALUES (?, ?)", sealed_id, blob)
    report = vault.check()
    assert any(str(uuid.UUID(bytes=sealed_id)) in p and "tampered" in p
               for p in report.problems), report.problems


def test_reading_the_index_never_rewrites_the_vault_file(vault, vault_dir):
    saved = vault.put_many(_entries(30))
    vault.close()
    raw_sql(vault_dir, "DELETE FROM index_chunks")  # a vault from before the index, say
    raw_sql(vault_dir, "VACUUM")
    before = hashlib.sha256(db_path(vault_dir).read_bytes()).hexdigest()
    with open_vault(vault_dir) as reader:
        assert len(reader.summaries()) == 30
    assert hashlib.sha256(db_path(vault_dir).read_bytes()).hexdigest() == before
    with open_vault(vault_dir) as writer:  # the next save stores the rebuilt chunks
        writer.summaries()
        entry = writer.get(saved[0].id)
        entry.body += "\nmore"
        writer.put(entry)
    stored = {b for (b,) in raw_sql(vault_dir, "SELECT bucket FROM index_chunks")}
    assert stored == {uuid.UUID(e.id).bytes[0] for e in saved}
    with open_vault(vault_dir) as again:
        again._heal_index = None  # every chunk is current: nothing to rebuild
        assert len(again.summaries()) == 30


def _moment_entries(n: int) -> list[Entry]:
    from journal.core.model.entries import Moment

    return [Entry(date=date(2026, 1, 1 + i % 28).replace(month=1 + i // 28), body=f"Day {i}",
                  moments=[Moment(kind="contagion", intensity=7, context="work", time="10:00",
                                  tags=["ward"], people=["client-a"]),
                           Moment(kind="contagion", intensity=5, context="home", time="20:00",
                                  tags=["ward"])])
            for i in range(n)]


def test_a_damaged_fold_is_never_believed(vault, vault_dir):
    """Issue 19, target 4: a chunk's fold is sealed with it, so a byte changed anywhere in
    it fails the chunk's authentication: the chunk is rebuilt from the entries verified
    against the manifest, and reflection counts what the entries hold."""
    from journal.core.reflection import reflect_rows

    saved = vault.put_many(_moment_entries(60))
    index = vault.index()
    before = reflect_rows(index.day_rows(), today=date(2026, 3, 1))
    assert before["moments"] == 120
    bucket = uuid.UUID(saved[0].id).bytes[0]
    vault.close()
    (blob,) = raw_sql(vault_dir, "SELECT ct FROM index_chunks WHERE bucket=?", bucket)[0]
    damaged = bytearray(blob)
    damaged[-40] ^= 1   # near the end of the plaintext: the fold, the last part
    raw_sql(vault_dir, "UPDATE index_chunks SET ct=? WHERE bucket=?", bytes(damaged), bucket)
    with open_vault(vault_dir) as again:
        index = again.index()
        assert again.indexes.pending() > 0   # rebuilt from the entries, not believed
        assert reflect_rows(index.day_rows(), today=date(2026, 3, 1)) == before


def test_check_names_a_fold_that_does_not_match_its_moments(vault):
    """A fold sealed with the key but not the fold of the chunk's moments (only someone
    holding the key could write one) is named by `journal check`, and the repair rebuilds
    it."""
    from journal.core.model.moment_fold import fold_moments
    from journal.core.reflection import reflect_rows

    saved = vault.put_many(_moment_entries(60))
    assert vault.check().ok   # control
    bucket = uuid.UUID(saved[0].id).bytes[0]
    chunk = vault.index().chunks[bucket]
    forged = Chunk.decode(bucket, chunk.encode())
    folded = fold_moments(chunk.moments())
    folded.counts[1] = [0] * len(chunk)   # no contagion at all
    forged._parts[4], forged._raws[4] = folded, None
    with vault.transaction():
        vault.indexes.store(forged)
    report = vault.check()
    assert any(f"index chunk {bucket}: its folded moments do not match" in p
               for p in report.problems), report.problems
    vault.drop_index()
    assert vault.check().ok
    assert reflect_rows(vault.index().day_rows())["moments"] == 120
