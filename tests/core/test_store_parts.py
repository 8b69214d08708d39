"""Each part of the store on its own, with a fake neighbour instead of a whole Vault
(docs/architecture.md): Records, Manifest, IndexStore, Captures and the KeyRing need only
a connection and the few methods they call on their neighbours; Maintenance needs of the
Vault only its `Entries` interface."""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from datetime import date, datetime

import pytest

from journal.core.clock import FixedClock
from journal.core.errors import ConflictError, IntegrityError, VaultDamaged
from journal.core.model.entries import Entry
from journal.core.store import crypto, schema
from journal.core.store.captures import Captures, fold_captures
from journal.core.store.index_chunk import Chunk
from journal.core.store.index_store import IndexStore
from journal.core.store.keyring import KeyRing
from journal.core.store.manifest import Manifest
from journal.core.store.records import Records

DAY = date(2026, 11, 25)


class FakeKeys:
    """What Records, Manifest, IndexStore and Captures use of a KeyRing."""

    def __init__(self) -> None:
        dek = os.urandom(crypto.KEY_LEN)
        self.vault_id = os.urandom(16)
        self.subkeys = {p: crypto.subkey(dek, p) for p in (
            "entry-aead", "summary-aead", "manifest-mac", "manifest-info", "blind-index")}
        self.private, self.public = crypto.new_seal_keypair()
        self.current = True
        self.checked = 0

    def day_key(self, day: date) -> bytes:
        return day.isoformat().encode().ljust(16, b"-")

    def check_current(self) -> None:
        self.checked += 1
        if not self.current:
            raise ConflictError("keys changed")

    def seal_private_key(self) -> bytes:
        return self.private


@pytest.fixture
def conn():
    connection = sqlite3.connect(":memory:", isolation_level=None)
    schema.migrate(connection)
    yield connection
    connection.close()


def _entry(day: date, body: str, version: int = 1) -> Entry:
    entry = Entry(date=day, body=body)
    entry.version = version
    return entry


def test_records_seal_and_open_a_row_with_fake_keys(conn):
    keys = FakeKeys()
    records = Records(conn, keys)  # type: ignore[arg-type]
    entry = _entry(DAY, "# A row #sealed")
    records.store(entry)
    assert records.count() == 1 and records.version_of(uuid.UUID(entry.id).bytes) == 1
    assert records.read(entry.id).body == entry.body
    assert records.id_on(DAY) == uuid.UUID(entry.id).bytes
    ct = conn.execute("SELECT ct FROM entries").fetchone()[0]
    assert b"sealed" not in ct
    flipped = ct[:-1] + bytes([ct[-1] ^ 1])
    conn.execute("UPDATE entries SET ct=?, digest=?", (flipped, crypto.digest(flipped)))
    with pytest.raises(VaultDamaged):
        records.read(entry.id)
    assert keys.checked == 1  # damage is first told apart from keys changed elsewhere


def test_manifest_names_a_row_deleted_behind_its_back(conn):
    keys = FakeKeys()
    records = Records(conn, keys)  # type: ignore[arg-type]
    manifest = Manifest(conn, keys, FixedClock(datetime(2026, 11, 25, 21, 0)))  # type: ignore[arg-type]
    saved = [_entry(date(2026, 11, d), f"day {d}") for d in range(1, 6)]
    for entry in saved:
        records.store(entry)
    manifest.write()
    manifest.verify()
    assert manifest.info()["count"] == 5
    assert manifest.last_saved() == (datetime(2026, 11, 25, 21, 0), 5)
    records.remove(uuid.UUID(saved[2].id).bytes)
    with pytest.raises(IntegrityError, match="1 entry deleted outside the journal"):
        manifest.verify()
    with pytest.raises(IntegrityError):
        manifest.verify_buckets([uuid.UUID(saved[2].id).bytes])


class FakeManifest:
    def __init__(self, stamps: list[str]) -> None:
        self.stamps = stamps

    def bucket_stamps(self) -> list[str]:
        return self.stamps

    def info(self) -> dict:
        return {}  # a manifest from before the record of merged captures


class FakeRecords:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries

    def bucket_rows(self, bucket: int) -> list[Entry]:
        return [e for e in self.entries if uuid.UUID(e.id).bytes[0] == bucket]

    def open_row(self, row: Entry) -> Entry:
        return row


def test_index_store_rebuilds_only_what_the_manifest_says_is_stale(conn):
    keys = FakeKeys()
    entries = [_entry(date(2026, 10, d), f"#tag{d}") for d in range(1, 9)]
    buckets = sorted({uuid.UUID(e.id).bytes[0] for e in entries})
    stamps = [""] * 256
    for b in buckets:
        stamps[b] = f"mac-{b}"
    store = IndexStore(conn, keys, FakeManifest(stamps), FakeRecords(entries))  # type: ignore[arg-type]
    chunks, stale = store.read()
    assert chunks == {} and stale == buckets  # nothing stored yet: every live bucket
    rebuilt = store.rebuild(stale)
    for chunk in rebuilt.values():
        store.store(chunk)
    chunks, stale = store.read()
    assert stale == [] and sorted(chunks) == buckets
    assert sorted(i for c in chunks.values() for i in c.ids) == sorted(e.id for e in entries)
    stamps[buckets[0]] = "moved on"  # the manifest changed: that chunk is no longer believed
    chunks, stale = store.read()
    assert stale == [buckets[0]] and buckets[0] not in chunks
    assert isinstance(store.read_chunk(buckets[0]), Chunk)


def test_captures_open_what_was_sealed_to_the_key_and_name_the_rest(conn):
    keys = FakeKeys()
    captures = Captures(conn, keys, FakeManifest([]))  # type: ignore[arg-type]
    good_id, bad_id = os.urandom(16), os.urandom(16)
    payload = json.dumps(Entry(date=DAY, body="on the bus").to_dict()).encode()
    good = crypto.seal_to_public(keys.public, payload, keys.vault_id + good_id)
    bad = crypto.seal_to_public(keys.public, payload, keys.vault_id + good_id)  # wrong id
    conn.executemany("INSERT INTO sealed(uuid, ct) VALUES (?, ?)",
                     [(good_id, good), (bad_id, bad)])
    opened, problems = captures.open_all(captures.pending())
    assert [(sid, e.body) for sid, e in opened] == [(good_id, "on the bus")]
    assert len(problems) == 1 and str(uuid.UUID(bytes=bad_id)) in problems[0]
    captures.discard([good_id])
    assert [row[0] for row in captures.pending()] == [bad_id]


def test_fold_captures_joins_a_day_and_never_keeps_a_chosen_id():
    stored = Entry(date=DAY, body="evening")
    chosen = Entry(date=DAY, body="morning")
    other = Entry(date=date(2026, 11, 26), body="next day", id=stored.id)
    merged = fold_captures([(b"1", chosen), (b"2", other)],
                           lambda day: stored if day == DAY else None)
    assert [e.body.strip() for e in merged] == ["evening\n\nmorning", "next day"]
    assert merged[1].id != stored.id  # the sealer picked an existing id: a fresh one instead


def test_keyring_notices_a_manifest_sealed_under_other_keys(conn):
    from journal.core.store.header import Header

    header = Header(os.urandom(16), crypto.KdfParams.fast_for_tests(), os.urandom(16))
    ring = KeyRing(conn, header, os.urandom(crypto.KEY_LEN))
    assert ring.keys_current()  # no manifest yet (a vault being created)
    other = KeyRing(conn, header, os.urandom(crypto.KEY_LEN))
    schema.put_meta(conn, "manifest", crypto.seal_json(
        other.subkeys["manifest-info"], {"format": 2}, crypto.MANIFEST_PREFIX + header.vault_id))
    assert other.keys_current() and not ring.keys_current()
    with pytest.raises(ConflictError):
        ring.check_current()
    ring.forget()
    assert ring.dek == b"" and ring.subkeys == {}


class RecordingEntries:
    """The `Entries` interface of a real vault, and nothing more of it: each call is
    recorded, anything else `Maintenance` might reach for is an AttributeError."""

    __slots__ = ("_vault", "calls")

    def __init__(self, vault) -> None:  # noqa: ANN001
        self._vault = vault
        self.calls: list[str] = []

    def _call(self, name: str, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        self.calls.append(name)
        return getattr(self._vault, name)(*args, **kwargs)

    def transaction(self):  # noqa: ANN201
        return self._call("transaction")

    def get_by_date(self, day):  # noqa: ANN001, ANN201
        return self._call("get_by_date", day)

    def put(self, entry):  # noqa: ANN001, ANN201
        return self._call("put", entry)

    def put_many(self, entries, progress=None):  # noqa: ANN001, ANN201
        return self._call("put_many", entries, progress)

    def delete(self, entry_id):  # noqa: ANN001, ANN201
        return self._call("delete", entry_id)

    def index(self):  # noqa: ANN201
        return self._call("index")

    def refresh(self) -> None:
        self._call("refresh")

    def reload(self):  # noqa: ANN201
        return self._call("reload")


def test_maintenance_changes_entries_only_through_the_vaults_saves(tmp_path):
    """Merging, discarding and rotating keys on the parts of a real vault, with only the
    narrow `Entries` interface of the vault itself: every entry it changes goes through
    the vault's saves, and what it leaves opens and checks clean."""
    from journal.core.store.captures import SealedBox
    from journal.core.store.maintenance import Maintenance
    from journal.core.store.vault import Vault

    clock = FixedClock(datetime(2026, 11, 25, 21, 30))
    vault, _code = Vault.create(tmp_path / "v", "a passphrase", clock=clock,
                                kdf=crypto.KdfParams.fast_for_tests())
    try:
        vault.put(_entry(DAY, "# Tonight", version=0))
        SealedBox(tmp_path / "v").add(_entry(DAY, "from the phone", version=0))
        SealedBox(tmp_path / "v").add(_entry(date(2026, 11, 24), "alone", version=0))
        entries = RecordingEntries(vault)
        work = Maintenance(vault._conn, vault.keyring, vault.records, vault.manifest,
                           vault.indexes, vault.captures, clock, entries)
        result = work.merge_captures()
        assert result.merged == 2 and result.problems == []
        assert entries.calls == ["get_by_date", "get_by_date", "transaction", "put_many"]
        assert "from the phone" in vault.get_by_date(DAY).body
        entries.calls.clear()
        alone = next(n for n, a in enumerate(vault.arrivals(), 1) if a.day != DAY)
        work.discard_capture(alone)  # the one alone on its day: its entry goes
        assert entries.calls == ["transaction", "get_by_date", "delete"]
        assert vault.get_by_date(date(2026, 11, 24)) is None
        entries.calls.clear()
        versions = vault.versions()
        assert work.rotate_keys("a passphrase", new_recovery=False) is None
        assert entries.calls == ["transaction", "refresh", "index", "reload"]
        assert vault.versions() == {i: v + 1 for i, v in versions.items()}
    finally:
        vault.close()
    with Vault.open(tmp_path / "v", "a passphrase", allow_weak=True) as reopened:
        assert reopened.check().ok
        assert [e.body for e in reopened.entries()] == ["# Tonight\n\nfrom the phone\n"]


def test_after_rotation_the_cache_holds_the_entries_as_sealed_again(vault):
    """No row is decrypted again after a rotation: the cache holds the entries at their
    new versions, and saving one of them is not a conflict."""
    saved = vault.put(_entry(DAY, "before the rotation", version=0))
    vault.rotate_keys("correct horse battery staple", new_recovery=False)
    assert vault._cache is not None and vault._cache[saved.id].version == saved.version + 1
    again = vault.get(saved.id)
    again.body = "after the rotation"
    assert vault.put(again).version == saved.version + 2
