"""The bucketed integrity manifest (issue 8): a save re-MACs only the buckets it touched,
unlock still checks every bucket, and a tampered bucket is never laundered by a save.

The rows are edited behind the journal's back with plain sqlite3, as an attacker holding
the file would. Entry ids are chosen so that the rows fall in known buckets (a bucket is the
first byte of the raw uuid), including the first and the last bucket (0x00 and 0xff, the
edges of the range queries).
"""

from __future__ import annotations

import base64
import shutil
import sqlite3
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as chmac
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.core.clock import FixedClock
from journal.core.errors import IntegrityError
from journal.core.model.entries import Entry
from journal.core.store import crypto, schema
from journal.core.store.crypto import KdfParams
from journal.core.store.manifest import BUCKETED
from journal.core.store.vault import Vault, db_path
from tests.conftest import PASSPHRASE, open_vault

GOLDEN = Path(__file__).parent.parent / "data" / "golden-v1"
GOLDEN_PASSPHRASE = "golden vault: Ünïcödé café, 2026"
DAY0 = date(2020, 1, 1)
#: Buckets used below: 0x42 holds three entries, 0x00 and 0xff sit at the range edges.
FIRSTS = [0x00, 0x42, 0x42, 0x42, 0x43, 0x7F, 0x80, 0xFE, 0xFF, 0x10, 0x11, 0x12]


def raw_id(first: int, n: int) -> bytes:
    return bytes((first,)) + n.to_bytes(15, "big")


def sql(vault_dir: Path, statement: str, params: tuple = ()) -> list:
    conn = sqlite3.connect(db_path(vault_dir), isolation_level=None)
    try:
        return conn.execute(statement, params).fetchall()
    finally:
        conn.close()


def row(vault_dir: Path, raw: bytes) -> tuple:
    (found,) = sql(vault_dir, "SELECT uuid, version, day_key, ct, digest FROM entries "
                              "WHERE uuid=?", (raw,))
    return found


@pytest.fixture
def filled(vault) -> tuple[Path, list[bytes]]:
    """A closed vault of 12 entries spread over 10 buckets; returns (dir, raw ids)."""
    ids = [raw_id(first, n) for n, first in enumerate(FIRSTS)]
    for n, raw in enumerate(ids):
        vault.put(Entry(date=DAY0 + timedelta(days=n), body=f"entry {n}",
                        id=str(uuid.UUID(bytes=raw))))
    vault.close()
    return vault.directory, ids


def problems_of(vault_dir: Path) -> str:
    with open_vault(vault_dir, verify=False) as v:
        with pytest.raises(IntegrityError) as caught:
            v.verify_manifest()
        assert not v.check().ok
    with pytest.raises(IntegrityError):
        open_vault(vault_dir)  # the unlock refuses too
    return str(caught.value)


def recompute(v: Vault) -> list:
    """The manifest's buckets from scratch, computed here with the crypto function alone."""
    groups: dict[int, list] = {}
    for r in v._conn.execute("SELECT uuid, version, digest FROM entries"):
        groups.setdefault(r[0][0], []).append(r)
    out: list = [None] * 256
    for b, rows in groups.items():
        mac = crypto.manifest_bucket_mac(v.keyring.subkeys["manifest-mac"], v.header.vault_id,
                                         b, rows)
        out[b] = [base64.b64encode(mac).decode(), len(rows), sum(r[1] for r in rows)]
    return out


def seal_legacy(v: Vault) -> None:
    """Write the manifest as the previous version did: one HMAC over every row."""
    rows = v.manifest.rows()
    mac = crypto.manifest_mac(v.keyring.subkeys["manifest-mac"], v.header.vault_id, rows)
    info = {"mac": mac.hex(),
            "count": len(rows), "version_sum": sum(r[1] for r in rows),
            "saved_at": "2026-11-20T10:00:00"}
    with v._write():
        schema.put_meta(v._conn, "manifest", crypto.seal_json(
            v.keyring.subkeys["manifest-info"], info, crypto.MANIFEST_PREFIX + v.header.vault_id))


# -- the format ---------------------------------------------------------------------------------
def test_bucket_mac_framing_is_frozen():
    """Computed here with cryptography's HMAC, independently of journal.core.store.crypto."""
    rows = [(b"\x07" + b"\2" * 15, 3, b"\3" * 32), (b"\x07" + b"\1" * 15, 1, b"\4" * 32)]
    mac = chmac.HMAC(b"\5" * 32, hashes.SHA256())
    mac.update(b"journal/v1/manifest-bucket|" + b"V" * 16 + b"\x07" + (2).to_bytes(8, "big")
               + b"\x07" + b"\1" * 15 + (1).to_bytes(8, "big") + b"\4" * 32
               + b"\x07" + b"\2" * 15 + (3).to_bytes(8, "big") + b"\3" * 32)
    expected = mac.finalize()
    assert crypto.manifest_bucket_mac(b"\5" * 32, b"V" * 16, 7, rows) == expected
    assert crypto.manifest_bucket_mac(b"\5" * 32, b"V" * 16, 7, rows[::-1]) == expected
    assert crypto.manifest_bucket_mac(b"\5" * 32, b"W" * 16, 7, rows) != expected  # vault
    assert crypto.manifest_bucket_mac(b"\5" * 32, b"V" * 16, 7, rows[:1]) != expected


@pytest.mark.parametrize("bad", [
    (b"\x07" * 17, 1, b"\0" * 32),   # a 17-byte id: the fixed-width framing would shift
    (b"\x07" * 16, 1, b"\0" * 31),
    (b"\x07" * 16, "1", b"\0" * 32),
    (b"\x07" * 16, 0, b"\0" * 32),
    ("\x07" * 16, 1, b"\0" * 32),
    (b"\x08" * 16, 1, b"\0" * 32),   # belongs to bucket 8, not 7
])
def test_bucket_mac_refuses_malformed_rows(bad):
    with pytest.raises(ValueError):
        crypto.manifest_bucket_mac(b"\5" * 32, b"V" * 16, 7, [bad])


_ROW = st.tuples(st.binary(min_size=16, max_size=16), st.integers(1, 2**63 - 1),
                 st.binary(min_size=32, max_size=32))


def _row_by_row_mac(bucket: int, rows: list[tuple[bytes, int, bytes]]) -> bytes:
    """The bucket MAC as the format defines it, a row at a time (no prepared body)."""
    mac = chmac.HMAC(b"\5" * 32, hashes.SHA256())
    mac.update(b"journal/v1/manifest-bucket|" + b"V" * 16 + bytes((bucket,))
               + len(rows).to_bytes(8, "big"))
    for u, v, d in sorted(rows):
        mac.update(u + v.to_bytes(8, "big") + d)
    return mac.finalize()


@settings(max_examples=60, deadline=None)
@given(st.lists(_ROW, max_size=40, unique_by=lambda row: row[0]))
def test_prepared_bodies_give_each_buckets_mac(rows):
    """The bodies prepared without a key (while an unlock derives it) MAC to exactly what
    the format says, bucket by bucket, in any order of rows."""
    bodies = crypto.manifest_bucket_bodies(rows[::-1])
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row[0][0], []).append(row)
    assert sorted(bodies) == sorted(grouped)
    for bucket, (count, total, body) in bodies.items():
        assert (count, total) == (len(grouped[bucket]), sum(r[1] for r in grouped[bucket]))
        assert crypto.manifest_body_mac(b"\5" * 32, b"V" * 16, bucket, count, body) == (
            _row_by_row_mac(bucket, grouped[bucket]))


@pytest.mark.parametrize("bad", [
    (b"\x07" * 17, 1, b"\0" * 32), (b"\x07" * 16, 1, b"\0" * 31), (b"\x07" * 16, "1", b"\0" * 32),
    (b"\x07" * 16, 0, b"\0" * 32), (b"\x07" * 16, 2**63, b"\0" * 32), ("\x07" * 16, 1, b"\0" * 32),
    (b"\x07" * 16, 1.0, b"\0" * 32), (b"\x07" * 16, 1, "\0" * 32), (b"\x07" * 16, 1),
    (b"", 1, b"\0" * 32), (b"\x07" * 16, None, b"\0" * 32),
])
def test_prepared_bodies_refuse_a_malformed_row_among_good_ones(bad):
    good = [(bytes((b,)) * 16, 1, b"\1" * 32) for b in (3, 7, 9)]
    with pytest.raises(ValueError):
        crypto.manifest_bucket_bodies([*good, bad])


def test_manifest_is_bucketed_and_matches_a_recomputation(filled):
    vault_dir, ids = filled
    with open_vault(vault_dir) as v:
        info = v.manifest_info()
        assert info["format"] == BUCKETED
        assert (info["count"], info["version_sum"]) == (12, 12)
        assert info["buckets"] == recompute(v)
        assert sum(item is not None for item in info["buckets"]) == len(set(FIRSTS))
        assert info["buckets"][0x42][1:] == [3, 3]
        stamps = v.bucket_stamps()
        assert stamps[0x42] == info["buckets"][0x42][0] and stamps[0x41] == ""


def test_bucket_query_is_an_index_search():
    """The per-save cost depends on this: a range search of an index, not a table scan."""
    from journal.core.store.manifest import _LAST_RANGE, _RANGE

    conn = sqlite3.connect(":memory:")
    from journal.core.store import schema

    schema.migrate(conn, target=1)
    for statement, params in ((_RANGE, (b"\x10", b"\x11")), (_LAST_RANGE, (b"\xff",))):
        plan = " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + statement, params))
        assert plan.startswith("SEARCH entries USING ") and "INDEX" in plan, plan


# -- whole-vault check: every kind of tampering is named -----------------------------------------
def test_deleted_row(filled):
    vault_dir, ids = filled
    sql(vault_dir, "DELETE FROM entries WHERE uuid=?", (ids[5],))
    assert "1 entry deleted outside the journal (expected 12, found 11)" in problems_of(vault_dir)


def test_row_rolled_back_to_an_older_sealed_version(filled):
    vault_dir, ids = filled
    old = row(vault_dir, ids[8])  # bucket 0xff: the last range
    with open_vault(vault_dir) as v:
        entry = v.get(str(uuid.UUID(bytes=ids[8])))
        entry.body += " edited"
        v.put(entry)
    sql(vault_dir, "UPDATE entries SET version=?, ct=?, digest=? WHERE uuid=?",
        (old[1], old[3], old[4], ids[8]))
    assert "rolled back to an older version" in problems_of(vault_dir)


def test_row_duplicated_under_a_new_id(filled):
    vault_dir, ids = filled
    _, version, _, ct, digest = row(vault_dir, ids[1])
    sql(vault_dir, "INSERT INTO entries(uuid, version, day_key, ct, digest) VALUES (?,?,?,?,?)",
        (raw_id(0x99, 1), version, b"another day key", ct, digest))
    assert "1 entry added outside the journal (expected 12, found 13)" in problems_of(vault_dir)


def test_changed_digest(filled):
    vault_dir, ids = filled
    sql(vault_dir, "UPDATE entries SET digest=? WHERE uuid=?", (b"\0" * 32, ids[0]))
    assert "does not match the integrity manifest" in problems_of(vault_dir)


@pytest.mark.parametrize("damage", [
    ("UPDATE entries SET uuid=? WHERE uuid=?", lambda ids: (ids[4] + b"x", ids[4])),
    ("UPDATE entries SET uuid=? WHERE uuid=?", lambda ids: ("text id", ids[4])),
    ("UPDATE entries SET version='one' WHERE uuid=?", lambda ids: (ids[4],)),
    ("UPDATE entries SET version=1.5 WHERE uuid=?", lambda ids: (ids[4],)),
    ("UPDATE entries SET digest=? WHERE uuid=?", lambda ids: (b"\0" * 31, ids[4])),
])
def test_malformed_row(filled, damage):
    vault_dir, ids = filled
    statement, params = damage
    sql(vault_dir, statement, params(ids))
    assert "a row of the entries table was altered outside the journal" in problems_of(
        vault_dir)


def test_manifest_swapped_for_an_older_one(filled):
    vault_dir, ids = filled
    (older,) = sql(vault_dir, "SELECT value FROM meta WHERE key='manifest'")[0]
    with open_vault(vault_dir) as v:
        v.put(Entry(date=date(2026, 1, 1), body="one more", id=str(uuid.UUID(bytes=raw_id(
            0x42, 99)))))
    sql(vault_dir, "UPDATE meta SET value=? WHERE key='manifest'", (older,))
    assert "1 entry added outside the journal (expected 12, found 13)" in problems_of(vault_dir)


def test_manifest_of_unknown_format_is_refused(filled):
    vault_dir, _ = filled
    with open_vault(vault_dir) as v:
        with v._write():
            schema.put_meta(v._conn, "manifest", crypto.seal_json(
                v.keyring.subkeys["manifest-info"], {"format": 99, "count": 12},
                crypto.MANIFEST_PREFIX + v.header.vault_id))
    with pytest.raises(IntegrityError, match="format this program does not know"):
        open_vault(vault_dir)


# -- per-bucket verification before a write ----------------------------------------------------
def test_verify_buckets_checks_only_the_buckets_it_is_given(filled):
    vault_dir, ids = filled
    sql(vault_dir, "DELETE FROM entries WHERE uuid=?", (ids[2],))  # bucket 0x42
    with open_vault(vault_dir, verify=False) as v:
        v.manifest.verify_buckets([ids[0], ids[8], raw_id(0x43, 7)])  # untouched buckets: no error
        v.manifest.verify_buckets([])
        with pytest.raises(IntegrityError, match="1 entry deleted outside the journal"):
            v.manifest.verify_buckets([ids[1]])  # another row of the tampered bucket
        with pytest.raises(IntegrityError, match="nothing was saved"):
            v.manifest.verify_buckets([raw_id(0x42, 500)])  # a new id that lands in it


@pytest.mark.parametrize("index", [0, 8])  # bucket 0x00 and 0xff: the edges of the ranges
def test_verify_buckets_sees_rollback_and_insert_at_the_range_edges(filled, index):
    vault_dir, ids = filled
    old = row(vault_dir, ids[index])
    with open_vault(vault_dir) as v:
        entry = v.get(str(uuid.UUID(bytes=ids[index])))
        entry.body += " edited"
        v.put(entry)
    sql(vault_dir, "UPDATE entries SET version=?, ct=?, digest=? WHERE uuid=?",
        (old[1], old[3], old[4], ids[index]))
    with open_vault(vault_dir, verify=False) as v:
        with pytest.raises(IntegrityError, match="rolled back"):
            v.manifest.verify_buckets([ids[index]])
        v.manifest.verify_buckets([ids[1]])
    sql(vault_dir, "DELETE FROM entries WHERE uuid=?", (ids[index],))
    sql(vault_dir, "INSERT INTO entries(uuid, version, day_key, ct, digest) VALUES (?,?,?,?,?)",
        (raw_id(ids[index][0], 777), 2, old[2], old[3], old[4]))  # moved within its bucket
    with open_vault(vault_dir, verify=False) as v:
        with pytest.raises(IntegrityError, match="does not match"):
            v.manifest.verify_buckets([ids[index]])


def test_a_save_in_another_bucket_does_not_launder_a_tampered_one(filled):
    """_write_manifest(changed) carries the other buckets over as sealed: the deletion in
    bucket 0x42 is still reported after a save that touched only bucket 0x10."""
    vault_dir, ids = filled
    sql(vault_dir, "DELETE FROM entries WHERE uuid=?", (ids[3],))
    with open_vault(vault_dir, verify=False) as v:
        entry = v.get(str(uuid.UUID(bytes=ids[9])))
        entry.body += " edited"
        with v._write():
            v.manifest.verify_buckets([ids[9]])
            v.records.store(Entry.from_dict({**entry.to_dict(), "body": entry.body}))
            v._conn.execute("UPDATE entries SET version=2 WHERE uuid=?", (ids[9],))
            v.manifest.write([ids[9]])
        assert v.manifest_info()["buckets"][0x10][1:] == [1, 2]
    assert "1 entry deleted outside the journal (expected 12, found 11)" in problems_of(
        vault_dir)


def test_write_manifest_with_changed_refuses_a_missing_manifest(filled):
    vault_dir, ids = filled
    with open_vault(vault_dir) as v:
        v._conn.execute("BEGIN IMMEDIATE")
        v._conn.execute("DELETE FROM meta WHERE key='manifest'")
        with pytest.raises(IntegrityError, match="missing or damaged"):
            v.manifest.write([ids[0]])
        with pytest.raises(IntegrityError, match="missing or damaged"):
            v.manifest.verify_buckets([ids[0]])
        v._conn.execute("ROLLBACK")


def test_put_and_delete_in_a_tampered_bucket_are_refused_elsewhere_allowed(filled):
    """Through the vault's own put/delete: a save never re-MACs a tampered bucket."""
    vault_dir, ids = filled
    sql(vault_dir, "DELETE FROM entries WHERE uuid=?", (ids[2],))  # bucket 0x42
    with open_vault(vault_dir, verify=False) as v:
        with pytest.raises(IntegrityError, match="nothing was saved"):
            v.put(Entry(date=date(2026, 1, 1), body="x",
                        id=str(uuid.UUID(bytes=raw_id(0x42, 1234)))))
        with pytest.raises(IntegrityError, match="deleted"):
            v.delete(str(uuid.UUID(bytes=ids[1])))
        v.put(Entry(date=date(2026, 1, 2), body="y", id=str(uuid.UUID(bytes=raw_id(0x43, 9)))))
        v.delete(str(uuid.UUID(bytes=ids[0])))
    assert "1 entry deleted outside the journal (expected 12, found 11)" in problems_of(
        vault_dir)


# -- legacy manifests (the previous version's single MAC) ---------------------------------------
def test_legacy_manifest_verifies_is_checked_whole_and_is_upgraded(filled):
    vault_dir, ids = filled
    with open_vault(vault_dir) as v:
        seal_legacy(v)
        assert v.bucket_stamps() is None
    with open_vault(vault_dir) as v:  # verifies at unlock
        assert "buckets" not in v.manifest_info()
        with v._write():
            v.manifest.verify_buckets([ids[0]])
            v.manifest.write([ids[0]])  # the next save writes the new format, all buckets
        info = v.manifest_info()
        assert info["format"] == BUCKETED and info["buckets"] == recompute(v)
        assert info["count"] == 12
    open_vault(vault_dir).close()


def test_legacy_manifest_tamper_is_caught_by_any_bucket_check(filled):
    vault_dir, ids = filled
    with open_vault(vault_dir) as v:
        seal_legacy(v)
    sql(vault_dir, "DELETE FROM entries WHERE uuid=?", (ids[2],))
    assert "1 entry deleted outside the journal (expected 12, found 11)" in problems_of(
        vault_dir)
    with open_vault(vault_dir, verify=False) as v:
        with pytest.raises(IntegrityError, match="deleted"):  # a bucket far from the damage
            v.manifest.verify_buckets([ids[8]])
        with pytest.raises(IntegrityError, match="deleted"):
            v.manifest.verify_buckets([])


def test_legacy_manifest_is_upgraded_by_write_manifest_none(filled):
    vault_dir, _ = filled
    with open_vault(vault_dir) as v:
        seal_legacy(v)
        with v._write():
            v.manifest.write(None)
        assert v.manifest_info()["buckets"] == recompute(v)


def test_golden_vault_legacy_manifest_is_upgraded_on_its_next_save(tmp_path):
    target = tmp_path / "golden"
    shutil.copytree(GOLDEN, target)
    target.chmod(0o700)
    clock = FixedClock(datetime(2026, 11, 27, 8, 0))
    with Vault.open(target, GOLDEN_PASSPHRASE, allow_weak=True, clock=clock) as v:
        assert "mac" in v.manifest_info() and v.bucket_stamps() is None
        raw = uuid.UUID("6f1b7a52-0c1e-4d0a-9a51-3d5f2f0f6a01").bytes
        with v._write():
            v.manifest.verify_buckets([raw])
            v.manifest.write([raw])
        info = v.manifest_info()
        assert info["format"] == BUCKETED and info["buckets"] == recompute(v)
        assert (info["count"], info["version_sum"]) == (2, 3)
        assert v.last_saved() == (datetime(2026, 11, 27, 8, 0), 2)
    with Vault.open(target, GOLDEN_PASSPHRASE, allow_weak=True) as v:
        assert v.check().ok


# -- property: incremental updates equal a recomputation from scratch ----------------------------
_ops = st.lists(st.tuples(st.sampled_from(["put", "put", "delete"]),
                          st.sampled_from([0x00, 0x01, 0x42, 0xFE, 0xFF]),
                          st.integers(0, 3)), min_size=1, max_size=12)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=_ops)
def test_incremental_manifest_equals_a_recomputation(tmp_path_factory, ops):
    vault_dir = tmp_path_factory.mktemp("prop") / "vault"
    v, _ = Vault.create(vault_dir, PASSPHRASE, kdf=KdfParams.fast_for_tests(),
                        clock=FixedClock(datetime(2026, 11, 25, 21, 30)), recovery=False)
    days: dict[bytes, date] = {}
    with v:
        for step, (op, first, n) in enumerate(ops):
            raw = raw_id(first, n)
            current = v.get(str(uuid.UUID(bytes=raw)))
            with v._write():
                v.manifest.verify_buckets([raw])
                if op == "put":
                    day = days.setdefault(raw, DAY0 + timedelta(days=len(days)))
                    entry = current or Entry(date=day, id=str(uuid.UUID(bytes=raw)))
                    entry.body = f"step {step}"
                    entry.version = (current.version if current else 0) + 1
                    v.records.store(entry)
                else:
                    v._conn.execute("DELETE FROM entries WHERE uuid=?", (raw,))
                v.manifest.write([raw])
            v._cache = None
            info = v.manifest_info()
            assert info["buckets"] == recompute(v)
            rows = v.manifest.rows()
            assert (info["count"], info["version_sum"]) == (len(rows), sum(r[1] for r in rows))
            v.verify_manifest()
