"""Sealed capture: writing without the passphrase, merging once at unlock, hostile records."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import date

from journal.core.model.entries import Entry, Moment
from journal.core.store import crypto
from journal.core.store.captures import SealedBox, merge_into
from journal.core.store.vault import Vault, db_path, merge_sealed

DAY = date(2026, 11, 25)

PASSPHRASE = "correct horse battery staple"  # as in tests/conftest.py


def open_vault(directory, passphrase=PASSPHRASE, **kw) -> Vault:
    return Vault.open(directory, passphrase, allow_weak=True, **kw)


def raw_rows(vault_dir):
    conn = sqlite3.connect(db_path(vault_dir))
    try:
        return conn.execute("SELECT uuid, ct FROM sealed").fetchall()
    finally:
        conn.close()


def test_add_without_passphrase_then_merge_exactly_once(vault_dir, vault):
    vault.put(Entry(date=DAY, body="evening entry", recovery=["walk"]))
    vault.close()
    box = SealedBox(vault_dir)
    box.add(Entry(date=DAY, body="a thought on the bus", recovery=["walk", "music"],
                  moments=[Moment(kind="concern", intensity=4, context="commute")]))
    box.add(Entry(date=date(2026, 11, 26), body="next morning"))
    assert box.pending() == 2
    for _, blob in raw_rows(vault_dir):
        assert b"bus" not in blob and b"morning" not in blob
    with open_vault(vault_dir) as opened:
        result = merge_sealed(opened)
        assert (result.merged, result.problems) == (2, [])
        merged = opened.get_by_date(DAY)
        assert merged.body == "evening entry\n\na thought on the bus\n"
        assert merged.recovery == ["walk", "music"] and len(merged.moments) == 1
        assert opened.get_by_date(date(2026, 11, 26)).body == "next morning"
        assert merge_sealed(opened).merged == 0  # never twice
        assert opened.check().ok
    assert box.pending() == 0


def test_tampered_sealed_record_is_kept_and_reported(vault_dir, vault):
    vault.close()
    SealedBox(vault_dir).add(Entry(date=DAY, body="will be damaged"))
    (sealed_id, blob), = raw_rows(vault_dir)
    conn = sqlite3.connect(db_path(vault_dir))
    conn.execute("UPDATE sealed SET ct=? WHERE uuid=?",
                 (blob[:-1] + bytes([blob[-1] ^ 1]), sealed_id))
    conn.commit()
    conn.close()
    with open_vault(vault_dir) as opened:
        result = merge_sealed(opened)
        assert result.merged == 0 and len(result.problems) == 1
        assert str(uuid.UUID(bytes=sealed_id)) in result.problems[0]
        assert opened.count() == 0
    assert SealedBox(vault_dir).pending() == 1  # kept for inspection, not silently dropped


def test_moved_sealed_record_fails_its_binding(vault_dir, vault):
    vault.close()
    SealedBox(vault_dir).add(Entry(date=DAY, body="bound to its id"))
    (sealed_id, blob), = raw_rows(vault_dir)
    conn = sqlite3.connect(db_path(vault_dir))
    conn.execute("UPDATE sealed SET uuid=? WHERE uuid=?", (uuid.uuid4().bytes, sealed_id))
    conn.commit()
    conn.close()
    with open_vault(vault_dir) as opened:
        assert merge_sealed(opened).merged == 0


def test_hostile_but_validly_sealed_records_never_crash_the_merge(vault_dir, vault):
    """Anyone who can read the public key can seal; what they seal is not trusted."""
    kept = vault.put(Entry(date=date(2026, 1, 1), body="an older entry"))
    public = vault._meta("seal_public")
    vault_id = vault.header.vault_id
    vault.close()
    conn = sqlite3.connect(db_path(vault_dir))
    payloads = [b"[" * 50_000, b"not json", json.dumps([1, 2]).encode(),
                json.dumps({"date": "2026-02-30"}).encode(),
                json.dumps({"date": "2026-11-27", "moments": [{"kind": "x"}]}).encode(),
                # valid, but claims the id of an existing entry on another day
                json.dumps({"date": "2026-11-28", "id": kept.id, "body": "sneaky"}).encode()]
    for payload in payloads:
        sealed_id = uuid.uuid4().bytes
        conn.execute("INSERT INTO sealed(uuid, ct) VALUES (?, ?)",
                     (sealed_id, crypto.seal_to_public(public, payload, vault_id + sealed_id)))
    conn.commit()
    conn.close()
    with open_vault(vault_dir) as opened:
        result = merge_sealed(opened)
        assert result.merged == 1 and len(result.problems) == 5
        sneaky = opened.get_by_date(date(2026, 11, 28))
        assert sneaky.body == "sneaky" and sneaky.id != kept.id  # a fresh id, no takeover
        assert opened.get(kept.id).body == "an older entry"
        problems = opened.check().problems  # the five left pending are named, nothing else
        assert len(problems) == 5 and all("was tampered with" in p for p in problems)


def test_rotation_merges_pending_first_and_replaces_the_sealing_key(vault_dir, vault):
    old_public = vault._meta("seal_public")
    vault.close()
    SealedBox(vault_dir).add(Entry(date=DAY, body="pending at rotation"))
    with open_vault(vault_dir) as opened:
        opened.rotate_keys("correct horse battery staple")
        assert opened.get_by_date(DAY).body == "pending at rotation"
        assert opened._meta("seal_public") != old_public
    SealedBox(vault_dir).add(Entry(date=date(2026, 11, 26), body="sealed to the new key"))
    with open_vault(vault_dir) as opened:
        assert merge_sealed(opened).merged == 1


def test_merge_into_keeps_the_target_and_adds():
    target = Entry(date=DAY, body="", sleep=None, energy=3)
    extra = Entry(date=DAY, body="only text", sleep=5, energy=9)
    merged = merge_into(target, extra)
    assert (merged.body, merged.sleep, merged.energy) == ("only text", 5, 3)
    assert target.body == ""  # not mutated


def test_a_swapped_public_key_is_found_reported_and_restored(vault_dir, vault):
    """The one thing sealing cannot authenticate: the public key on disk. An attacker who can
    write the directory swaps it; the next unlock finds it, says so, and puts ours back."""
    ours = vault._meta("seal_public")
    vault.close()
    attacker_private, attacker_public = crypto.new_seal_keypair()
    conn = sqlite3.connect(db_path(vault_dir))
    conn.execute("UPDATE meta SET value=? WHERE key='seal_public'", (attacker_public,))
    conn.commit()
    conn.close()
    SealedBox(vault_dir).add(Entry(date=DAY, body="typed after the swap"))
    with open_vault(vault_dir) as opened:
        problems = opened.check().problems
        assert any("replaced outside the journal" in p for p in problems), problems
        result = merge_sealed(opened)
        assert any("key restored" in p for p in result.problems)
        assert result.merged == 0  # our key cannot open what went to theirs
        assert opened._meta("seal_public") == ours
        problems = opened.check().problems  # repaired: only the capture it cannot open
        assert len(problems) == 1 and "was tampered with or damaged" in problems[0]
    assert SealedBox(vault_dir).pending() == 1  # the unreadable capture is kept...
    (sealed_id, blob), = raw_rows(vault_dir)
    assert b"after the swap" in crypto.open_from_public(  # ...and was exposed: the reason
        attacker_private, blob, opened.header.vault_id + sealed_id)  # we report it
    SealedBox(vault_dir).add(Entry(date=date(2026, 11, 26), body="after the repair"))
    with open_vault(vault_dir) as opened:
        assert merge_sealed(opened).merged == 1
