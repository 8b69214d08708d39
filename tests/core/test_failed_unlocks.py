"""The count of wrong passphrases in a row per vault, kept in the state directory so the
app and the CLI wait the same growing time (journal.core.store.failed_unlocks)."""

from __future__ import annotations

import stat
from datetime import datetime, timedelta

import pytest

from journal.core.errors import StorageError, WrongPassphrase
from journal.core.store.failed_unlocks import FailedUnlocks, Pause, wait_after

VAULT = bytes(range(16))
OTHER = bytes(16)
T0 = datetime(2026, 11, 25, 21, 30)


def fail(record: FailedUnlocks, times: int, at: datetime = T0, vault: bytes = VAULT) -> None:
    for _ in range(times):
        with pytest.raises(WrongPassphrase), record.one_try(vault, lambda: at):
            raise WrongPassphrase("wrong passphrase")


def test_the_wait_grows_after_two_free_tries_up_to_a_minute():
    assert [wait_after(n) for n in range(0, 10)] == [0, 0, 0, 2, 4, 8, 16, 32, 60, 60]


def test_the_wait_counts_from_the_last_wrong_passphrase(tmp_path):
    record = FailedUnlocks(tmp_path / "state" / "failed-unlocks.json")
    fail(record, 2)
    assert record.pause(VAULT, T0) == Pause(2, 0)
    fail(record, 2)
    assert record.pause(VAULT, T0) == Pause(4, 4)
    assert record.pause(VAULT, T0 + timedelta(seconds=1.5)) == Pause(4, 3)
    assert record.pause(VAULT, T0 + timedelta(seconds=4)) == Pause(4, 0)
    # a wall clock set back an hour does not make the wait longer than it is
    assert record.pause(VAULT, T0 - timedelta(hours=1)) == Pause(4, 4)
    assert record.pause(OTHER, T0) == Pause(0, 0)  # per vault id


def test_a_second_program_reads_the_same_count(tmp_path):
    path = tmp_path / "failed-unlocks.json"
    fail(FailedUnlocks(path), 3)
    assert FailedUnlocks(path).pause(VAULT, T0) == Pause(3, 2)


def test_a_success_clears_the_count(tmp_path):
    record = FailedUnlocks(tmp_path / "failed-unlocks.json")
    fail(record, 5)
    fail(record, 1, vault=OTHER)
    with record.one_try(VAULT, lambda: T0):
        assert record.failures(VAULT) == 6  # counted while it runs
    assert record.failures(VAULT) == 0 and record.failures(OTHER) == 1


def test_a_try_cut_short_still_counts_and_another_error_does_not(tmp_path):
    record = FailedUnlocks(tmp_path / "failed-unlocks.json")
    fail(record, 3)
    with pytest.raises(KeyboardInterrupt), record.one_try(VAULT, lambda: T0):
        raise KeyboardInterrupt  # the program stopped during the key derivation
    assert record.failures(VAULT) == 4
    with pytest.raises(StorageError), record.one_try(VAULT, lambda: T0):
        raise StorageError("disk full")  # says nothing about the passphrase
    assert record.failures(VAULT) == 4


def test_the_file_is_private_and_holds_no_content(tmp_path):
    path = tmp_path / "new" / "state" / "failed-unlocks.json"
    fail(FailedUnlocks(path), 1)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700
    assert set(path.read_text().split('"')) >= {VAULT.hex(), "failures", "at"}
    assert not list(path.parent.glob(".*.tmp"))


def test_a_damaged_file_reads_as_no_failures(tmp_path):
    path = tmp_path / "failed-unlocks.json"
    for junk in ("", "[1, 2]", "{\"" + VAULT.hex() + "\": {\"failures\": \"x\"}}", "\x00"):
        path.write_text(junk)
        assert FailedUnlocks(path).pause(VAULT, T0) == Pause(0, 0)
    fail(FailedUnlocks(path), 1)
    assert FailedUnlocks(path).failures(VAULT) == 1
