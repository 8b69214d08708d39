"""T1-T5: any change to an entry record, the set of records, the header or a key wrap is
rejected, and nothing unauthenticated is ever returned (security.md §6)."""

from __future__ import annotations

import random
import sqlite3
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest

from journal.core.errors import IntegrityError, VaultDamaged, WrongPassphrase
from journal.core.model.entries import Entry
from journal.core.store import crypto
from journal.core.store.crypto import DecryptError, KdfParams
from journal.core.store.vault import WRONG, Header, Vault, db_path

PASS = "tamper test passphrase"
TINY_KDF = KdfParams(memory_kib=64, iterations=1, lanes=1)  # tests only


def figure(text: str) -> None:
    print(f"\nFIGURE {text}", file=sys.stderr)


def flip(blob: bytes, bit: int) -> bytes:
    out = bytearray(blob)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def sql(vault_dir: Path, statement: str, params: tuple = ()) -> list:
    """Edit a closed vault behind the journal's back, as an attacker with the file would."""
    conn = sqlite3.connect(db_path(vault_dir), isolation_level=None)
    try:
        return conn.execute(statement, params).fetchall()
    finally:
        conn.close()


def rows(vault_dir: Path) -> dict[bytes, tuple]:
    return {r[0]: r for r in sql(vault_dir, "SELECT uuid, version, day_key, ct, digest "
                                            "FROM entries")}


@pytest.fixture
def tiny(tmp_path):
    """A closed vault with three entries; returns (dir, {date: entry})."""
    vault_dir = tmp_path / "vault"
    vault, _ = Vault.create(vault_dir, PASS, kdf=TINY_KDF)
    with vault:
        saved = {d: vault.put(Entry(date=d, body=f"entry of {d} " + "z" * 300))
                 for d in (date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3))}
    return vault_dir, saved


def open_tiny(vault_dir: Path, **kw) -> Vault:
    return Vault.open(vault_dir, PASS, allow_weak=True, **kw)


# -- T1 / T2 ----------------------------------------------------------------------------------
def _record(vault: Vault):
    entry = vault.put(Entry(date=date(2026, 11, 20), body="x" * 1990))  # a ~2 KB record
    raw_uuid = uuid.UUID(entry.id).bytes
    version, ct, row_digest = vault._conn.execute(
        "SELECT version, ct, digest FROM entries WHERE uuid=?", (raw_uuid,)).fetchone()
    assert vault.records.decrypt(raw_uuid, version, ct, row_digest).body == entry.body  # control
    return raw_uuid, version, ct


def test_t1_every_bit_flip_of_an_entry_record_is_rejected(vault):
    raw_uuid, version, ct = _record(vault)
    rejected = 0
    for bit in range(len(ct) * 8):
        bad = flip(ct, bit)
        # The attacker recomputes the plain digest too: only the AEAD tag stands in the way.
        with pytest.raises(DecryptError):
            vault.records.decrypt(raw_uuid, version, bad, crypto.digest(bad))
        rejected += 1
    figure(f"T1 record={len(ct)}B bit_flips={len(ct) * 8} rejected={rejected}")
    assert rejected == len(ct) * 8 >= 16_000


def test_t1_bit_flips_through_the_whole_stack_are_named(tiny):
    vault_dir, saved = tiny
    target = uuid.UUID(saved[date(2026, 11, 2)].id).bytes
    _, version, _, ct, _ = rows(vault_dir)[target]
    rng = random.Random(1)
    for bit in rng.sample(range(len(ct) * 8), 12):
        bad = flip(ct, bit)
        sql(vault_dir, "UPDATE entries SET ct=?, digest=? WHERE uuid=?",
            (bad, crypto.digest(bad), target))
        with pytest.raises(IntegrityError):  # the manifest sees the new digest at unlock
            open_tiny(vault_dir)
        with open_tiny(vault_dir, verify=False) as vault:
            problems = vault.check().problems
            assert any(str(uuid.UUID(bytes=target)) in p and "authentication" in p
                       for p in problems), problems
            with pytest.raises(VaultDamaged):
                vault.entries()  # nothing unauthenticated is ever returned
        sql(vault_dir, "UPDATE entries SET ct=?, digest=? WHERE uuid=?",
            (ct, crypto.digest(ct), target))
    open_tiny(vault_dir).close()  # restored: opens again (the control)


def test_t2_every_truncation_and_extension_is_rejected(vault):
    raw_uuid, version, ct = _record(vault)
    for length in range(len(ct)):
        short = ct[:length]
        with pytest.raises(DecryptError):
            vault.records.decrypt(raw_uuid, version, short, crypto.digest(short))
    appended = 0
    for extra in (1, 16, 32):
        for filler in (b"\0" * extra, bytes(random.Random(extra).randrange(256)
                                            for _ in range(extra))):
            longer = ct + filler
            with pytest.raises(DecryptError):
                vault.records.decrypt(raw_uuid, version, longer, crypto.digest(longer))
            appended += 1
    figure(f"T2 truncations={len(ct)} rejected={len(ct)} appends={appended} "
           f"rejected={appended}")


# -- T3 ---------------------------------------------------------------------------------------
def test_t3_ciphertext_is_bound_to_its_entry_id_version_and_vault(vault, tmp_path):
    a = vault.put(Entry(date=date(2026, 11, 1), body="A"))
    b = vault.put(Entry(date=date(2026, 11, 2), body="B"))
    row = {r[0]: r for r in vault._conn.execute("SELECT uuid, version, ct FROM entries")}
    ua, ub = uuid.UUID(a.id).bytes, uuid.UUID(b.id).bytes
    ct_a = row[ua][2]
    cases = 0
    with pytest.raises(DecryptError):  # A's ciphertext under B's uuid
        vault.records.decrypt(ub, row[ub][1], ct_a, crypto.digest(ct_a))
    cases += 1
    for wrong_version in (row[ua][1] + 1, row[ua][1] - 1):  # right uuid, wrong version
        with pytest.raises(DecryptError):
            vault.records.decrypt(ua, wrong_version, ct_a, crypto.digest(ct_a))
    cases += 1
    # The same uuid and version in another vault with the same passphrase.
    other, _ = Vault.create(tmp_path / "other", "correct horse battery staple",
                            kdf=KdfParams.fast_for_tests())
    with other:
        twin = other.put(Entry(date=a.date, body="A from elsewhere", id=a.id))
        assert twin.version == row[ua][1]
        ct_twin = other._conn.execute("SELECT ct FROM entries").fetchone()[0]
        with pytest.raises(DecryptError):
            vault.records.decrypt(ua, twin.version, ct_twin, crypto.digest(ct_twin))
    cases += 1
    # Isolate the vault-id binding from the key: same key, only the vault id differs.
    key = vault.keyring.subkeys["entry-aead"]
    sealed = crypto.seal_json(key, {"x": 1}, crypto.entry_aad(b"\1" * 16, ua, 1))
    assert crypto.open_json(key, sealed, crypto.entry_aad(b"\1" * 16, ua, 1)) == {"x": 1}
    with pytest.raises(DecryptError):
        crypto.open_json(key, sealed, crypto.entry_aad(b"\2" * 16, ua, 1))
    figure(f"T3 aad_swaps={cases} rejected={cases}")


def test_t3_swapped_rows_are_caught_at_unlock_and_named(tiny):
    vault_dir, saved = tiny
    ua, ub = (uuid.UUID(saved[d].id).bytes for d in (date(2026, 11, 1), date(2026, 11, 2)))
    r = rows(vault_dir)
    sql(vault_dir, "UPDATE entries SET ct=?, digest=? WHERE uuid=?", (r[ub][3], r[ub][4], ua))
    sql(vault_dir, "UPDATE entries SET ct=?, digest=? WHERE uuid=?", (r[ua][3], r[ua][4], ub))
    with pytest.raises(IntegrityError):
        open_tiny(vault_dir)
    with open_tiny(vault_dir, verify=False) as vault:
        problems = " | ".join(vault.check().problems)
    for raw in (ua, ub):
        assert str(uuid.UUID(bytes=raw)) in problems


# -- T4 ---------------------------------------------------------------------------------------
def _t4_case(vault_dir: Path, expect: str) -> str:
    with pytest.raises(IntegrityError) as caught:
        open_tiny(vault_dir)
    with open_tiny(vault_dir, verify=False) as vault:
        report = vault.check()
    text = " | ".join(report.problems)
    assert expect in text, text
    assert str(caught.value)  # one line for the user
    return text


@pytest.fixture
def edited(tiny):
    """A vault where the 2 Nov entry was edited once: returns (dir, uuid, old row)."""
    vault_dir, saved = tiny
    target = uuid.UUID(saved[date(2026, 11, 2)].id).bytes
    old = rows(vault_dir)[target]
    with open_tiny(vault_dir) as vault:
        entry = vault.get(saved[date(2026, 11, 2)].id)
        entry.body = "a newer, edited text"
        vault.put(entry)
    return vault_dir, target, old


def test_t4_deleted_row_is_detected(tiny):
    vault_dir, saved = tiny
    sql(vault_dir, "DELETE FROM entries WHERE uuid=?", (uuid.UUID(saved[date(2026, 11, 1)].id)
                                                       .bytes,))
    _t4_case(vault_dir, "1 entry deleted outside the journal")


def test_t4_row_rolled_back_with_its_digest_is_detected(edited):
    vault_dir, target, old = edited
    sql(vault_dir, "UPDATE entries SET version=?, ct=?, digest=? WHERE uuid=?",
        (old[1], old[3], old[4], target))
    # The old row is perfectly valid on its own: only the manifest knows it is stale.
    text = _t4_case(vault_dir, "rolled back")
    assert "authentication" not in text


def test_t4_row_rolled_back_without_its_digest_is_detected(edited):
    vault_dir, target, old = edited
    sql(vault_dir, "UPDATE entries SET version=?, ct=? WHERE uuid=?", (old[1], old[3], target))
    text = _t4_case(vault_dir, "rolled back")
    assert "digest mismatch" in text


def test_t4_ciphertext_rolled_back_under_the_new_version_is_detected(edited):
    vault_dir, target, old = edited
    sql(vault_dir, "UPDATE entries SET ct=?, digest=? WHERE uuid=?", (old[3], old[4], target))
    _t4_case(vault_dir, "fails authentication")


def test_t4_row_duplicated_under_a_new_uuid_is_detected(tiny):
    vault_dir, saved = tiny
    src = rows(vault_dir)[uuid.UUID(saved[date(2026, 11, 3)].id).bytes]
    sql(vault_dir, "INSERT INTO entries(uuid, version, day_key, ct, digest) VALUES (?,?,?,?,?)",
        (uuid.uuid4().bytes, src[1], b"\0" * 16, src[3], src[4]))
    _t4_case(vault_dir, "1 entry added outside the journal")


def test_t4_manifest_removed_or_rolled_back_is_detected(tiny):
    vault_dir, saved = tiny
    old_manifest = sql(vault_dir, "SELECT value FROM meta WHERE key='manifest'")[0][0]
    with open_tiny(vault_dir) as vault:
        vault.put(Entry(date=date(2026, 11, 9), body="one more"))
    sql(vault_dir, "UPDATE meta SET value=? WHERE key='manifest'", (old_manifest,))
    _t4_case(vault_dir, "1 entry added outside the journal")
    sql(vault_dir, "DELETE FROM meta WHERE key='manifest'")
    with pytest.raises(IntegrityError, match="manifest is missing or damaged"):
        open_tiny(vault_dir)


def test_t4_day_index_tamper_is_detected(tiny):
    vault_dir, saved = tiny
    r = rows(vault_dir)
    ua, ub = (uuid.UUID(saved[d].id).bytes for d in (date(2026, 11, 1), date(2026, 11, 2)))
    sql(vault_dir, "UPDATE entries SET day_key=? WHERE uuid=?", (b"tmp", ua))
    sql(vault_dir, "UPDATE entries SET day_key=? WHERE uuid=?", (r[ua][2], ub))
    sql(vault_dir, "UPDATE entries SET day_key=? WHERE uuid=?", (r[ub][2], ua))
    with open_tiny(vault_dir) as vault:  # the index is not secret data: unlock still works
        with pytest.raises(VaultDamaged, match="day index"):
            vault.get_by_date(date(2026, 11, 1))  # never the wrong day's entry
        problems = vault.check().problems
    assert sum("day index" in p for p in problems) == 2, problems


# -- T5 ---------------------------------------------------------------------------------------
def _header(vault_dir: Path) -> Header:
    return Header.decode(sql(vault_dir, "SELECT value FROM meta WHERE key='header'")[0][0])


def test_t5_header_tamper_gives_the_wrong_passphrase_error(tiny):
    vault_dir, _ = tiny
    original = _header(vault_dir)
    k = original.kdf
    variants = {
        "kdf memory": Header(original.vault_id, KdfParams(k.memory_kib * 2, k.iterations,
                                                          k.lanes), original.salt),
        "kdf iterations": Header(original.vault_id, KdfParams(k.memory_kib, k.iterations + 1,
                                                              k.lanes), original.salt),
        "kdf lanes": Header(original.vault_id, KdfParams(k.memory_kib * 2, k.iterations, 2),
                            original.salt),
        "salt": Header(original.vault_id, k, flip(original.salt, 5)),
        "vault id": Header(flip(original.vault_id, 77), k, original.salt),
    }
    for name, header in variants.items():
        sql(vault_dir, "UPDATE meta SET value=? WHERE key='header'", (header.encode(),))
        with pytest.raises(WrongPassphrase) as caught:
            open_tiny(vault_dir)
        assert str(caught.value) == WRONG, name
    sql(vault_dir, "UPDATE meta SET value=? WHERE key='header'", (original.encode(),))
    with pytest.raises(WrongPassphrase) as caught:  # the same words for a wrong passphrase
        Vault.open(vault_dir, PASS + "!", allow_weak=True)
    assert str(caught.value) == WRONG
    open_tiny(vault_dir).close()
    figure(f"T5 header_fields_tampered={len(variants)} rejected={len(variants)}")


def test_t5_every_bit_of_the_wrapped_data_key_is_rejected(tiny):
    vault_dir, _ = tiny
    wrap = sql(vault_dir, "SELECT value FROM meta WHERE key='dek_wrap'")[0][0]
    assert len(wrap) == 60
    conn = sqlite3.connect(db_path(vault_dir), isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    try:
        for bit in range(len(wrap) * 8):
            conn.execute("UPDATE meta SET value=? WHERE key='dek_wrap'", (flip(wrap, bit),))
            with pytest.raises(WrongPassphrase) as caught:
                open_tiny(vault_dir)
            assert str(caught.value) == WRONG
        conn.execute("UPDATE meta SET value=? WHERE key='dek_wrap'", (wrap,))
    finally:
        conn.close()
    open_tiny(vault_dir).close()
    figure(f"T5 wrapped_dek_bits={len(wrap) * 8} rejected={len(wrap) * 8}")


def test_t5_every_bit_of_the_recovery_wrap_is_rejected(tmp_path):
    vault, code = Vault.create(tmp_path / "v", PASS, kdf=TINY_KDF)
    vault.close()
    vault_dir = tmp_path / "v"
    wrap = sql(vault_dir, "SELECT value FROM meta WHERE key='recovery_wrap'")[0][0]
    conn = sqlite3.connect(db_path(vault_dir), isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    try:
        for bit in range(len(wrap) * 8):
            conn.execute("UPDATE meta SET value=? WHERE key='recovery_wrap'",
                         (flip(wrap, bit),))
            with pytest.raises(WrongPassphrase):
                Vault.open(vault_dir, recovery_code=code, allow_weak=True)
        conn.execute("UPDATE meta SET value=? WHERE key='recovery_wrap'", (wrap,))
    finally:
        conn.close()
    Vault.open(vault_dir, recovery_code=code, allow_weak=True).close()
    figure(f"T5 recovery_wrap_bits={len(wrap) * 8} rejected={len(wrap) * 8}")


def test_t5_weak_and_absurd_kdf_headers_are_refused(tiny):
    vault_dir, _ = tiny
    original = _header(vault_dir)
    with pytest.raises(VaultDamaged, match="below the safe minimum"):
        Vault.open(vault_dir, PASS)  # no allow_weak: a downgraded header is refused
    for absurd in ('{"iterations":1,"lanes":1,"memory_kib":8589934592}',
                   '{"iterations":1000,"lanes":1,"memory_kib":64}',
                   '{"iterations":1,"lanes":64,"memory_kib":65536}',
                   '{"iterations":1,"lanes":1,"memory_kib":1e400}',
                   '{"iterations":true,"lanes":1,"memory_kib":64}'):
        raw = original.encode().decode()
        start = raw.index('"kdf":') + 6
        end = raw.index("}", start) + 1
        sql(vault_dir, "UPDATE meta SET value=? WHERE key='header'",
            ((raw[:start] + absurd + raw[end:]).encode(),))
        with pytest.raises(VaultDamaged):
            open_tiny(vault_dir)
    sql(vault_dir, "UPDATE meta SET value=? WHERE key='header'", (original.encode(),))
    open_tiny(vault_dir).close()


@pytest.mark.parametrize("memory_kib,iterations,lanes", [
    (2 * 1024 * 1024, 3, 4),      # 2 GiB: was accepted (the old ceiling was 4 GiB)
    (1024 * 1024, 20, 16),        # 1 GiB x 20 passes x 16 lanes: minutes of work
    (512 * 1024, 12, 4),          # 6 GiB x passes in all
    (64 * 1024, 3, 17),           # more lanes than any vault of ours
])
def test_kdf_ceilings_refuse_a_stalling_header_before_deriving(tiny, monkeypatch,
                                                                memory_kib, iterations, lanes):
    """Issue 13, item 9: a hostile header asking for gigabytes or minutes of Argon2id is
    refused with a clear error before any derivation starts, by the core and the CLI."""
    from click.testing import CliRunner

    from journal.cli import cli
    from journal.cli.runtime import Runtime
    from journal.core.store import kdf

    vault_dir, _ = tiny
    original = _header(vault_dir)
    hostile = Header(original.vault_id, KdfParams(memory_kib, iterations, lanes), original.salt)
    sql(vault_dir, "UPDATE meta SET value=? WHERE key='header'", (hostile.encode(),))
    real, asked = kdf.argon2id(), []

    def watched(**params):
        asked.append(params["memory_cost"])
        if params["memory_cost"] > 64 * 1024:
            raise AssertionError(f"started deriving with {params}")
        return real(**params)

    monkeypatch.setattr(kdf, "argon2id", lambda: watched)
    with pytest.raises(VaultDamaged, match="above the ceiling") as caught:
        open_tiny(vault_dir)
    assert f"{iterations} passes x {lanes} lanes" in str(caught.value)
    result = CliRunner().invoke(cli, ["list"], obj=Runtime(
        allow_weak=True, env={"JOURNAL_VAULT": str(vault_dir), "JOURNAL_PASSPHRASE": PASS,
                              "JOURNAL_CONFIG_DIR": str(vault_dir.parent / "config")}))
    assert result.exit_code == 5, result.output
    assert result.stderr.startswith("journal: error: the vault header asks for a key "
                                    "derivation of ") and result.stderr.count("\n") == 1
    assert "refusing to derive" in result.stderr
    assert all(memory <= 64 * 1024 for memory in asked)  # only the self-test's tiny vector
    sql(vault_dir, "UPDATE meta SET value=? WHERE key='header'", (original.encode(),))
    open_tiny(vault_dir).close()


def test_kdf_ceilings_accept_everything_calibration_can_choose():
    """The ceiling sits above the most calibration ever picks (128 MiB x 20 passes)."""
    assert KdfParams(128 * 1024, 20, 4).out_of_range() is None
    assert KdfParams.floor().out_of_range() is None
    assert KdfParams(1024 * 1024, 4, 16).out_of_range() is None


def test_t5_non_canonical_header_is_refused(tiny):
    vault_dir, _ = tiny
    raw = _header(vault_dir).encode()
    for variant in (raw + b" ", b" " + raw, raw.replace(b",", b", ", 1),
                    raw.replace(b'"format"', b'"format" ', 1)):
        sql(vault_dir, "UPDATE meta SET value=? WHERE key='header'", (variant,))
        with pytest.raises(VaultDamaged):
            open_tiny(vault_dir)


def test_t1_every_bit_flip_of_the_manifest_and_of_a_sealed_capture_is_rejected(vault):
    from journal.core.store.captures import open_sealed_entry

    vault.put(Entry(date=date(2026, 11, 1), body="x"))
    blob = vault._meta("manifest")
    aad = crypto.MANIFEST_PREFIX + vault.header.vault_id
    assert crypto.open_json(vault.keyring.subkeys["manifest-info"], blob, aad)["count"] == 1
    for bit in range(len(blob) * 8):
        with pytest.raises(DecryptError):
            crypto.open_json(vault.keyring.subkeys["manifest-info"], flip(blob, bit), aad)
    sealed_id = uuid.uuid4().bytes
    capture = crypto.seal_to_public(vault._meta("seal_public"),
                                    b'{"date": "2026-11-02", "body": "quick"}',
                                    vault.header.vault_id + sealed_id)
    private = vault.seal_private_key()
    assert open_sealed_entry(private, vault.header.vault_id, sealed_id, capture).body == "quick"
    for bit in range(len(capture) * 8):
        with pytest.raises(DecryptError):
            open_sealed_entry(private, vault.header.vault_id, sealed_id, flip(capture, bit))
    figure(f"T1 manifest_bits={len(blob) * 8} sealed_capture_bits={len(capture) * 8} "
           "all rejected")
