"""Issue 13 item 2: an old quick capture put back is refused and reported, never merged
again. Every merged capture is remembered in a sealed record whose digest the manifest
seals, so the record cannot be removed or rolled back on its own either."""

from __future__ import annotations

from datetime import date

from journal.core.model.entries import Entry
from journal.core.store.captures import SealedBox
from journal.core.store.vault import merge_sealed
from tests.conftest import PASSPHRASE, open_vault
from tests.raw_sql import raw_sql

DAY = date(2026, 11, 24)


def _captured(vault_dir, body: str, day: date = DAY) -> tuple[bytes, bytes]:
    SealedBox(vault_dir).add(Entry(date=day, body=body))
    return raw_sql(vault_dir, "SELECT uuid, ct FROM sealed")[-1]


def _put_back(vault_dir, row: tuple[bytes, bytes]) -> None:
    raw_sql(vault_dir, "INSERT INTO sealed(uuid, ct) VALUES (?, ?)", *row)


def test_a_replayed_capture_is_refused_and_a_deleted_entry_stays_deleted(vault, vault_dir):
    vault.close()
    row = _captured(vault_dir, "jotted on the bus")
    with open_vault(vault_dir) as first:
        assert merge_sealed(first).merged == 1
        first.delete(first.get_by_date(DAY).id)
    _put_back(vault_dir, row)
    with open_vault(vault_dir) as second:
        assert not second.check().ok  # pending, and named as a replay
        result = merge_sealed(second)
        assert result.merged == 0
        assert any("replay" in p and "refused" in p for p in result.problems), result.problems
        assert second.get_by_date(DAY) is None  # the deleted entry did not come back
        assert second.check().ok  # removed from the pending captures
    assert SealedBox(vault_dir).pending() == 0


def test_a_replay_never_repeats_text(vault, vault_dir):
    vault.put(Entry(date=DAY, body="evening"))
    vault.close()
    row = _captured(vault_dir, "morning")
    with open_vault(vault_dir) as first:
        merge_sealed(first)
    _put_back(vault_dir, row)
    with open_vault(vault_dir) as second:
        merge_sealed(second)
        assert second.get_by_date(DAY).body.count("morning") == 1


def test_the_record_of_merged_captures_cannot_be_rolled_back_alone(vault, vault_dir):
    vault.close()
    _captured(vault_dir, "first")
    with open_vault(vault_dir) as first:
        merge_sealed(first)
    old_record = raw_sql(vault_dir, "SELECT value FROM meta WHERE key='merged_captures'")[0][0]
    row = _captured(vault_dir, "second", date(2026, 11, 25))
    with open_vault(vault_dir) as second:
        assert merge_sealed(second).merged == 1
    raw_sql(vault_dir, "UPDATE meta SET value=? WHERE key='merged_captures'", old_record)
    _put_back(vault_dir, row)
    with open_vault(vault_dir) as third:
        result = merge_sealed(third)
        assert result.merged == 0
        assert any("rolled back" in p for p in result.problems), result.problems
        assert third.get_by_date(date(2026, 11, 25)).body.count("second") == 1
        assert any("merged quick captures" in p for p in third.check().problems)
    raw_sql(vault_dir, "DELETE FROM meta WHERE key='merged_captures'")
    with open_vault(vault_dir) as fourth:
        assert merge_sealed(fourth).merged == 0  # removed: refused the same way


def test_rotation_keeps_the_record(vault, vault_dir):
    vault.close()
    row = _captured(vault_dir, "before the rotation")
    with open_vault(vault_dir) as first:
        merge_sealed(first)
        first.rotate_keys(PASSPHRASE, new_recovery=False)
    _put_back(vault_dir, row)  # sealed to the old key: it no longer even opens
    with open_vault(vault_dir) as second:
        assert merge_sealed(second).merged == 0
    raw_sql(vault_dir, "DELETE FROM sealed")
    row = _captured(vault_dir, "after the rotation")
    with open_vault(vault_dir) as third:
        assert merge_sealed(third).merged == 1
    _put_back(vault_dir, row)
    with open_vault(vault_dir) as fourth:
        result = merge_sealed(fourth)
        assert result.merged == 0 and any("replay" in p for p in result.problems)
        assert fourth.check().ok
