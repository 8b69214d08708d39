"""How much work one sync does, counted rather than timed (issue 18 item 5: a first sync of a
large journal). Each count is a structural property whose loss would make a first sync grow
with its size again: every record in the folder opened and verified exactly once, nothing
the sync just stored read back and decrypted, and sync.db committed a fixed number of times
however many records arrive."""

from __future__ import annotations

from collections import Counter

import pytest
from sync_sim import World

from journal.core.demo import generate
from journal.core.model.entries import Entry
from journal.core.sync import record, session
from journal.core.sync.state import SyncState

ENTRIES = 40
PER_RECORD = 8  # 40 entries: five records, so per-record work shows as a multiple of five


@pytest.fixture
def world(tmp_path, monkeypatch):
    monkeypatch.setattr(session, "REVS_PER_RECORD", PER_RECORD)
    w = World.make(tmp_path, 2)
    a = w.machines[0]
    a.vault.put_many(generate(ENTRIES, seed=3, body_bytes=300))
    assert a.sync().sent == ENTRIES
    w.deliver_all()
    yield w
    w.close()


def _count(monkeypatch, owner, name):  # noqa: ANN001, ANN202 - a Counter of calls
    calls: Counter = Counter()
    real = getattr(owner, name)

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls[name] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def _records_in_folder(machine) -> int:  # noqa: ANN001
    return len(list((machine.view / "journal-sync" / "records").rglob("*.jsr")))


def test_a_first_sync_opens_every_record_once_and_reads_back_nothing_it_stored(world,
                                                                               monkeypatch):
    b = world.machines[1]
    records = _records_in_folder(b)
    assert records == ENTRIES // PER_RECORD
    opened = _count(monkeypatch, record, "open_record")
    state_opened = _count(monkeypatch, SyncState, "_open")
    built = _count(monkeypatch, Entry, "from_dict")
    report = b.sync()
    assert report.received == ENTRIES and report.in_step, report
    assert opened["open_record"] == records  # each one authenticated, none twice
    assert built["from_dict"] == ENTRIES  # each day's entry built once, from its revision
    # The revisions and pending days this sync stored are merged from memory: sync.db's
    # sealed rows are not decrypted again (before: two decryptions per day received).
    assert state_opened["_open"] == 0
    assert len(b.vault.entries()) == ENTRIES


def test_sync_db_commits_a_fixed_number_of_times_however_many_records_arrive(world,
                                                                              monkeypatch):
    b = world.machines[1]
    commits = _count(monkeypatch, SyncState, "transaction")
    report = b.sync()
    assert report.received == ENTRIES
    # One transaction stores everything the other machine's chain brought (its records'
    # revisions, the days they touch, its new links), one the peers' table, one the merged
    # days; before, one per record came on top (five here, 20 for 10,000 entries).
    assert commits["transaction"] == 3


def test_an_incremental_sync_reads_back_only_the_changed_days_history(world, monkeypatch):
    """After the first sync, one changed day: its older revision is read from sync.db (the
    merge needs the day's whole history), the new one is not."""
    a, b = world.machines
    b.sync()
    entry = a.vault.entries()[ENTRIES // 2]
    entry.body += "\nOne more line.\n"
    a.vault.put(entry)
    a.sync()
    world.deliver_all()
    opened = _count(monkeypatch, record, "open_record")
    revision_reads = Counter()
    real = SyncState._revision

    def counted(self, rev_id, blob):  # noqa: ANN001, ANN202
        revision_reads[rev_id] += 1
        return real(self, rev_id, blob)

    monkeypatch.setattr(SyncState, "_revision", counted)
    report = b.sync()
    assert report.received == 1 and report.days_changed == [entry.date.isoformat()]
    assert opened["open_record"] == 1
    assert sum(revision_reads.values()) == 1 and max(revision_reads.values()) == 1
    assert "One more line." in b.vault.get_by_date(entry.date).body


def test_a_first_push_reads_the_vault_a_record_at_a_time(tmp_path, monkeypatch):
    """A first push of a large journal never holds every entry and revision at once: the
    vault is read a record's worth at a time, and each record is written as it fills."""
    from journal.core.store.vault import Vault

    monkeypatch.setattr(session, "REVS_PER_RECORD", PER_RECORD)
    w = World.make(tmp_path, 2)
    try:
        a, b = w.machines
        a.vault.put_many(generate(ENTRIES, seed=4, body_bytes=300))
        asked: list[int] = []
        real = Vault.get_many

        def counted(self, entry_ids):  # noqa: ANN001, ANN202
            ids = list(entry_ids)
            asked.append(len(ids))
            return real(self, ids)

        monkeypatch.setattr(Vault, "get_many", counted)
        assert a.sync().sent == ENTRIES
        assert asked == [PER_RECORD] * (ENTRIES // PER_RECORD)
        assert _records_in_folder(a) == ENTRIES // PER_RECORD
        w.deliver_all()
        assert b.sync().received == ENTRIES and b.export() == a.export()
    finally:
        w.close()


def test_the_collector_is_paused_for_a_large_sync_only(world, monkeypatch):
    """Pausing the collector (and freezing what survives) pays for a first sync holding
    thousands of revisions; a sync of one changed day runs as usual."""
    import contextlib

    monkeypatch.setattr(session, "BULK", 2 * PER_RECORD)  # 40 days is "large" here
    pauses: list[str] = []

    @contextlib.contextmanager
    def counted():  # noqa: ANN202
        pauses.append("pause")
        yield

    monkeypatch.setattr(session, "paused_gc", counted)
    a, b = world.machines
    b.sync()
    assert len(pauses) == 2  # reading the chain, merging its days
    entry = a.vault.entries()[0]
    entry.body += "\nagain\n"
    a.vault.put(entry)
    pauses.clear()
    a.sync()
    world.deliver_all()
    assert b.sync().received == 1
    assert pauses == []
