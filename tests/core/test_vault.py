"""Vault behaviour: versions and conflicts, one entry a day, recovery, passwd, rotation."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date

import pytest

from journal.core.errors import (
    ConflictError,
    IntegrityError,
    ValidationError,
    VaultExists,
    VaultNotFound,
    WrongPassphrase,
)
from journal.core.model.entries import Entry, Moment
from journal.core.store import crypto
from journal.core.store.vault import WRONG, Vault, db_path

DAY = date(2026, 11, 25)

PASSPHRASE = "correct horse battery staple"  # as in tests/conftest.py (the fixtures)


def open_vault(directory, passphrase=PASSPHRASE, **kw) -> Vault:
    return Vault.open(directory, passphrase, allow_weak=True, **kw)


def cts(vault: Vault) -> dict[bytes, bytes]:
    return dict(vault._conn.execute("SELECT uuid, ct FROM entries"))


def test_put_get_round_trip_and_versions(vault, clock):
    entry = Entry(date=DAY, body="first #tag @ana", sleep=4,
                  moments=[Moment(kind="concern", intensity=6, context="home", note="n")])
    saved = vault.put(entry)
    assert saved.version == 1 and entry.version == 0  # the argument is not mutated
    assert saved.written_at == saved.updated_at == clock.now()
    again = vault.get(saved.id)
    assert again == saved and again is not saved
    again.body = "changed in memory only"
    assert vault.get(saved.id).body == "first #tag @ana"  # copies out
    clock.advance(minutes=5)
    edited = vault.put(vault.get(saved.id))
    assert edited.version == 2 and edited.written_at == saved.written_at
    assert edited.updated_at == clock.now()
    assert vault.count() == 1 and vault.get_by_date(DAY).id == saved.id


def test_two_handles_never_lose_an_update(vault_dir, vault):
    saved = vault.put(Entry(date=DAY, body="v1"))
    other = open_vault(vault_dir)
    try:
        mine, theirs = vault.get(saved.id), other.get(saved.id)
        theirs.body = "written by the second handle"
        other.put(theirs)
        mine.body = "stale edit"
        with pytest.raises(ConflictError, match="changed elsewhere"):
            vault.put(mine)
        assert vault.get(saved.id).body == "written by the second handle"  # reloaded
        fresh = vault.get(saved.id)
        fresh.body = "merged by hand"
        assert vault.put(fresh).version == 3
        assert other.get_by_date(DAY).body == "merged by hand"
    finally:
        other.close()
    with open_vault(vault_dir) as check:
        assert check.check().ok


def test_a_new_entry_with_a_used_id_or_day_conflicts(vault):
    saved = vault.put(Entry(date=DAY, body="one"))
    with pytest.raises(ConflictError, match="already an entry"):
        vault.put(Entry(date=DAY, body="two"))
    with pytest.raises(ConflictError):
        vault.put(Entry(date=date(2026, 1, 1), body="reuses an id", id=saved.id))
    with pytest.raises(ConflictError):  # one batch, all or nothing
        vault.put_many([Entry(date=date(2026, 1, 2)), Entry(date=date(2026, 1, 2))])
    assert vault.count() == 1 and vault.get_by_date(date(2026, 1, 2)) is None


def test_moving_an_entry_to_another_day_frees_the_old_day(vault):
    saved = vault.put(Entry(date=DAY, body="x"))
    saved.date = date(2026, 11, 24)
    vault.put(saved)
    assert vault.get_by_date(DAY) is None
    assert vault.get_by_date(date(2026, 11, 24)).body == "x"
    vault.put(Entry(date=DAY, body="the day is free again"))


def test_partial_entries_are_refused(vault):
    entry = vault.put(Entry(date=DAY, body="full text"))
    entry.partial = True
    with pytest.raises(ValidationError):
        vault.put(entry)
    assert vault.get(entry.id).body == "full text"


def test_delete_and_check(vault):
    a = vault.put(Entry(date=DAY, body="a"))
    vault.put(Entry(date=date(2026, 11, 24), body="b"))
    assert vault.delete(a.id) is True and vault.delete(a.id) is False
    assert [e.body for e in vault.entries()] == ["b"]
    report = vault.check()
    assert report.ok and report.entries == 1
    vault.compact()
    assert vault.check().ok


def test_recovery_code_unlocks_and_a_wrong_one_does_not(vault_dir, fast_kdf):
    vault, code = Vault.create(vault_dir, PASSPHRASE, kdf=fast_kdf)
    vault.put(Entry(date=DAY, body="kept"))
    vault.close()
    assert code and len(code.replace("-", "")) == 52
    with Vault.open(vault_dir, recovery_code=code, allow_weak=True) as opened:
        assert opened.get_by_date(DAY).body == "kept"
    wrong = ("A" if code[0] != "A" else "B") + code[1:]
    with pytest.raises(WrongPassphrase, match="recovery code"):
        Vault.open(vault_dir, recovery_code=wrong, allow_weak=True)
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_dir, recovery_code="", allow_weak=True)


def test_no_recovery_code_when_declined(vault_dir, fast_kdf):
    vault, code = Vault.create(vault_dir, PASSPHRASE, kdf=fast_kdf, recovery=False)
    vault.close()
    assert code is None
    with pytest.raises(WrongPassphrase, match="no recovery code"):
        Vault.open(vault_dir, recovery_code="AAAA", allow_weak=True)


def test_change_passphrase_is_o1_and_leaves_every_record_untouched(vault_dir, fast_kdf):
    vault, code = Vault.create(vault_dir, PASSPHRASE, kdf=fast_kdf)
    for i in range(20):
        vault.put(Entry(date=date(2026, 10, i + 1), body=f"entry {i}"))
    before = cts(vault)
    old_wrap = vault._meta("dek_wrap")
    old_salt = vault.header.salt
    vault.change_passphrase("a brand new passphrase")
    assert cts(vault) == before  # not one ciphertext byte rewritten
    assert vault._meta("dek_wrap") != old_wrap and vault.header.salt != old_salt
    vault.close()
    with pytest.raises(WrongPassphrase) as caught:
        open_vault(vault_dir)
    assert str(caught.value) == WRONG
    with open_vault(vault_dir, "a brand new passphrase") as again:
        assert cts(again) == before and again.check().ok
    with Vault.open(vault_dir, recovery_code=code, allow_weak=True) as by_code:
        assert by_code.count() == 20  # the recovery wrap still holds the same data key
    with pytest.raises(ValidationError):
        open_vault(vault_dir, "a brand new passphrase").change_passphrase("")


def test_rotate_keys_re_encrypts_everything_under_a_new_data_key(vault_dir, fast_kdf):
    vault, old_code = Vault.create(vault_dir, PASSPHRASE, kdf=fast_kdf)
    for i in range(20):
        vault.put(Entry(date=date(2026, 10, i + 1), body=f"entry {i}"))
    before = cts(vault)
    versions = dict(vault._conn.execute("SELECT uuid, version FROM entries"))
    old_wrap = vault._meta("dek_wrap")
    old_keys = dict(vault.keyring.subkeys)
    texts = {e.id: e.body for e in vault.entries()}
    with pytest.raises(WrongPassphrase):
        vault.rotate_keys("not the passphrase")
    assert cts(vault) == before  # a refused rotation changed nothing
    new_code = vault.rotate_keys(PASSPHRASE)
    after = cts(vault)
    assert after.keys() == before.keys()
    assert all(after[k] != before[k] for k in before)  # every record changed
    assert {u: v for u, v in vault._conn.execute("SELECT uuid, version FROM entries")} == {
        u: v + 1 for u, v in versions.items()}
    # The old data key opens none of the new records.
    for raw_uuid, ct in after.items():
        with pytest.raises(crypto.DecryptError):
            crypto.open_json(old_keys["entry-aead"], ct, crypto.entry_aad(
                vault.header.vault_id, raw_uuid, versions[raw_uuid] + 1))
    # The old wrap (say, from a stolen backup) yields only the old key.
    kek = crypto.derive_kek(PASSPHRASE, vault.header.salt, vault.header.kdf)
    old_dek = crypto.open_sealed(kek, old_wrap, vault.header.encode())
    assert crypto.subkey(old_dek, "entry-aead") == old_keys["entry-aead"]
    assert crypto.subkey(old_dek, "entry-aead") != vault.keyring.subkeys["entry-aead"]
    vault.close()
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_dir, recovery_code=old_code, allow_weak=True)
    with Vault.open(vault_dir, recovery_code=new_code, allow_weak=True) as again:
        assert {e.id: e.body for e in again.entries()} == texts
        assert again.check().ok


def test_create_refuses_existing_and_non_empty_dirs(vault_dir, vault, fast_kdf, tmp_path):
    with pytest.raises(VaultExists):
        Vault.create(vault_dir, PASSPHRASE, kdf=fast_kdf)
    other = tmp_path / "busy"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(VaultExists):
        Vault.create(other, PASSPHRASE, kdf=fast_kdf)
    assert (other / "notes.txt").read_text() == "mine"
    with pytest.raises(ValidationError):
        Vault.create(tmp_path / "empty-pass", "", kdf=fast_kdf)
    with pytest.raises(ValidationError):
        Vault.create(tmp_path / "absurd", PASSPHRASE,
                     kdf=crypto.KdfParams(memory_kib=64, iterations=999, lanes=1))
    with pytest.raises(VaultNotFound):
        open_vault(tmp_path / "nowhere")


def test_only_ids_versions_digests_and_keys_are_in_clear(vault):
    vault.put(Entry(date=DAY, body="secret words"))
    tables = {r[0] for r in vault._conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables <= {"meta", "entries", "sealed", "index_chunks", "word_chunks"}
    columns = {r[1] for r in vault._conn.execute("PRAGMA table_info(entries)")}
    assert columns == {"uuid", "version", "day_key", "ct", "digest"}
    for table in ("index_chunks", "word_chunks"):
        columns = {r[1] for r in vault._conn.execute(f"PRAGMA table_info({table})")}
        assert columns == {"bucket", "ct"}  # the bucket: the first byte of ids, in clear
    assert {r[0] for r in vault._conn.execute("SELECT key FROM meta")} <= {
        "header", "dek_wrap", "recovery_wrap", "seal_public", "seal_private", "manifest",
        "recovery_kdf",  # the header's key settings, bound to the recovery wrap (issue 13.8)
        "merged_captures"}  # sealed ids of merged captures (issue 13 item 2)
    # WITHOUT ROWID: no hidden insertion order.
    for table in ("entries", "index_chunks", "word_chunks"):
        with pytest.raises(sqlite3.OperationalError):
            vault._conn.execute(f"SELECT rowid FROM {table}")
    raw_uuid = uuid.UUID(vault.get_by_date(DAY).id).bytes
    assert vault._conn.execute("SELECT length(uuid) FROM entries WHERE uuid=?",
                               (raw_uuid,)).fetchone()[0] == 16


def test_close_drops_keys_and_cache(vault_dir, vault):
    vault.put(Entry(date=DAY, body="x"))
    vault.entries()
    vault.close()
    assert vault.keyring.subkeys == {} and vault.keyring.dek == b"" and vault._cache is None
    vault.close()  # twice is fine
    assert sorted(p.name for p in vault_dir.iterdir()) == ["journal.db"]
    assert db_path(vault_dir).stat().st_size > 0


def test_a_rotation_elsewhere_stops_stale_writers_instead_of_mixing_keys(vault_dir, vault):
    saved = vault.put(Entry(date=DAY, body="before"))
    vault.entries()
    other = open_vault(vault_dir)
    try:
        other.rotate_keys(PASSPHRASE)
        stale = vault.get(saved.id)  # cache dropped (data_version), reload fails: keys moved
    except ConflictError:
        stale = None
    finally:
        other.close()
    assert stale is None
    with pytest.raises(ConflictError, match="keys were changed"):
        vault.put(Entry(date=date(2026, 1, 1), body="would be sealed under the old key"))
    with open_vault(vault_dir) as fresh:
        assert fresh.check().ok and [e.body for e in fresh.entries()] == ["before"]


def test_rotation_refuses_a_tampered_vault_instead_of_sealing_it_anew(vault_dir, vault):
    """Rotation re-MACs every row: it must check them first, or a row deleted or rolled
    back outside the journal would come out under a fresh, valid manifest."""
    vault.put_many([Entry(date=date(2026, 10, d), body=f"entry {d}") for d in range(1, 6)])
    vault.close()
    conn = sqlite3.connect(db_path(vault_dir))
    conn.execute("DELETE FROM entries WHERE uuid=(SELECT min(uuid) FROM entries)")
    conn.commit()
    conn.close()
    tampered = open_vault(vault_dir, verify=False)
    with pytest.raises(IntegrityError, match="deleted outside the journal"):
        tampered.rotate_keys(PASSPHRASE, new_recovery=False)
    tampered.close()
    with pytest.raises(IntegrityError):  # still reported, not laundered
        open_vault(vault_dir)


def test_rotation_keeps_an_entry_another_handle_just_wrote(vault_dir, vault):
    vault.put(Entry(date=DAY, body="mine"))
    vault.entries()  # a warm cache that is about to be stale
    with open_vault(vault_dir) as other:
        other.put(Entry(date=date(2026, 1, 1), body="theirs"))
    vault.rotate_keys(PASSPHRASE)
    assert sorted(e.body for e in vault.entries()) == ["mine", "theirs"]
    with open_vault(vault_dir) as fresh:
        assert fresh.check().ok and fresh.count() == 2


def test_rotation_after_a_passphrase_change_elsewhere_uses_the_stored_header(vault_dir,
                                                                              vault):
    vault.put(Entry(date=DAY, body="x"))
    with open_vault(vault_dir) as other:
        other.change_passphrase("changed elsewhere")
    with pytest.raises(WrongPassphrase):
        vault.rotate_keys(PASSPHRASE)  # the old passphrase no longer unwraps
    vault.rotate_keys("changed elsewhere")
    vault.close()
    with open_vault(vault_dir, "changed elsewhere") as fresh:
        assert fresh.check().ok and fresh.get_by_date(DAY).body == "x"
