"""What engines and hostile folders leave in the folder, one case at a time: conflict
copies, temporary and partial files, authentic-but-malformed records, forks, lost records."""

from __future__ import annotations

from datetime import date

import pytest
from sync_sim import World

from journal.core.sync import record, session
from journal.core.sync.layout import Folder, is_temporary

DAY = date(2026, 3, 1)


@pytest.fixture
def world(tmp_path):
    w = World.make(tmp_path, 2)
    yield w
    w.close()


def _link(machine):
    state = session.open_state(machine.vault)
    try:
        return state.link
    finally:
        state.close()


def _first_record(world):
    a, b = world.machines
    a.write(DAY, "from a")
    a.sync()
    src = sorted((a.view / "journal-sync" / "records").rglob("00000001.jsr"))[0]
    return a, b, src


@pytest.mark.parametrize("name", [".syncthing.00000001.jsr.tmp", "~00000001.jsr",
                                  "00000001.jsr.part", ".journal-abc.tmp", "x.partial"])
def test_temporary_names_are_skipped(name):
    assert is_temporary(name)


def test_identical_conflict_copies_are_ignored_and_a_copy_alone_is_used(world):
    a, b, src = _first_record(world)
    target = b.view / src.relative_to(a.view)
    target.parent.mkdir(parents=True)
    data = src.read_bytes()
    (target.parent / "00000001 (desktop's conflicted copy 2026-03-01).jsr").write_bytes(data)
    report = b.sync()  # only the copy arrived: it is a candidate for place 1
    assert report.refused == [] and report.received == 1
    target.write_bytes(data)
    (target.parent / "00000001.sync-conflict-20260301-101010-ABCDEFG.jsr").write_bytes(data)
    assert b.sync().refused == []


def test_a_partial_file_waits_and_is_taken_when_complete(world):
    a, b, src = _first_record(world)
    target = b.view / src.relative_to(a.view)
    target.parent.mkdir(parents=True)
    data = src.read_bytes()
    target.write_bytes(data[: len(data) // 3])
    report = b.sync()
    assert report.refused == [] and any("being copied" in w for w in report.waiting)
    target.write_bytes(data)
    assert b.sync().received == 1


def test_a_gap_holds_later_records_without_refusing(world):
    a, b = world.machines
    for n in range(3):
        a.write(DAY, f"line {n}")
        a.sync()
    mine = _link(a).machine
    for seq in (1, 3):
        rel = f"journal-sync/records/{mine}/{seq:08d}.jsr"
        (b.view / rel).parent.mkdir(parents=True, exist_ok=True)
        (b.view / rel).write_bytes((a.view / rel).read_bytes())
    report = b.sync()
    assert report.received == 1 and any("record 2 is missing" in w for w in report.waiting)
    world.deliver_all()
    report = b.sync()
    assert report.in_step and report.received == 2


def test_an_authentic_but_malformed_record_is_refused_not_a_crash(world):
    a, b = world.machines
    link = _link(a)
    key = record.record_key(link.keys[link.epoch])
    bad = record.seal_record(key, link.epoch, link.folder_id, link.machine, 1,
                             {"seq": 1, "machine": link.machine, "prev": "", "revs": 5})
    Folder(a.view).write(Folder(a.view).record_path(link.machine, 1), bad)
    world.deliver_all()
    # deliver_all copies what a wrote under its own name: the crafted record too
    report = b.sync()
    assert any("malformed" in line for line in report.refused), report


def test_a_fork_two_authentic_records_for_one_place_is_refused(world):
    a, b, src = _first_record(world)
    link = _link(a)
    key = record.record_key(link.keys[link.epoch])
    other = record.seal_record(key, link.epoch, link.folder_id, link.machine, 1,
                               {"seq": 1, "machine": link.machine, "prev": "", "revs": []})
    target = b.view / src.relative_to(a.view)
    target.parent.mkdir(parents=True)
    target.write_bytes(src.read_bytes())
    (target.parent / "00000001.sync-conflict-20260301-101010-ABCDEFG.jsr").write_bytes(other)
    report = b.sync()
    assert any("fork" in line for line in report.refused), report


def test_a_machine_puts_back_its_own_records_the_folder_lost(world):
    a, _b, src = _first_record(world)
    src.unlink()
    report = a.sync()
    assert report.restored == 1 and src.exists()


def test_a_deletion_propagates_and_an_edit_beats_a_concurrent_deletion(world):
    a, b = world.machines
    a.write(DAY, "shared")
    a.sync()
    world.deliver_all()
    b.sync()
    a.vault.delete(a.vault.get_by_date(DAY).id)
    a.sync()
    world.deliver_all()
    b.sync()
    assert b.vault.get_by_date(DAY) is None
    a.write(DAY, "again")
    a.sync()
    world.deliver_all()
    b.sync()
    b.vault.delete(b.vault.get_by_date(DAY).id)  # b deletes while a edits
    a.write(DAY, "edited meanwhile")
    a.sync()
    b.sync()
    world.deliver_all()
    a.sync()
    b.sync()
    assert "edited meanwhile" in b.vault.get_by_date(DAY).body
    assert a.export() == b.export()


def test_compaction_folds_old_records_and_every_machine_still_agrees(world, tmp_path,
                                                                      monkeypatch):
    monkeypatch.setattr(session, "COMPACT_EVERY", 3)
    a, b = world.machines
    for n in range(5):
        a.write(date(2026, 3, 1 + n), f"day {n}")
        a.sync()
        if n == 1:
            world.deliver_all()
            b.sync()  # b has read records 1-2 one by one
    mine = a.view / "journal-sync" / "records" / _link(a).machine
    names = sorted(p.name for p in mine.iterdir())
    assert names == ["00000001-00000003.jsc", "00000004.jsr", "00000005.jsr"]
    world.deliver_all()
    report = b.sync()  # records 1-2 are gone but covered: no "deleted" report
    assert report.in_step and report.received == 3, report
    # a machine joining now reads the compaction, then the records after it
    from sync_sim import PASSPHRASE, Machine

    from journal.core.store.crypto import KdfParams
    from journal.core.store.vault import Vault

    count, _code, joined = session.join(a.view, tmp_path / "late", PASSPHRASE,
                                        kdf=KdfParams.fast_for_tests(), allow_weak=True)
    vault = Vault.open(tmp_path / "late", PASSPHRASE, allow_weak=True)
    late = Machine("late", vault, a.view)
    try:
        assert joined.in_step and joined.received == 5 and count == vault.count(), joined
        assert late.export() == a.export()
    finally:
        vault.close()
    assert a.export() == b.export()


def test_a_tampered_compaction_is_refused(world, monkeypatch):
    monkeypatch.setattr(session, "COMPACT_EVERY", 2)
    a, b = world.machines
    for n in range(3):
        a.write(date(2026, 3, 1 + n), f"day {n}")
        a.sync()
    world.deliver_all()
    packed = next((b.view / "journal-sync" / "records").rglob("*.jsc"))
    data = bytearray(packed.read_bytes())
    data[-5] ^= 1
    packed.write_bytes(bytes(data))
    report = b.sync()
    assert any("compaction" in line and "refused" in line for line in report.refused)


def test_a_folder_of_costly_key_files_is_refused_without_deriving(tmp_path, monkeypatch):
    """A hostile folder cannot make us spend a derivation per file, or a huge one."""
    from journal.core.errors import NotLinked
    from journal.core.store import crypto
    from journal.core.store.kdf import KdfParams
    from journal.core.sync.folder_keys import KeyFile

    folder = Folder(tmp_path)
    folder.create()
    for n in range(40):
        costly = KeyFile("f" * 16, f"{n:016x}", 1, KdfParams(4 * 1024 * 1024, 20, 4),
                         b"\0" * 16, b"\0" * 60)
        folder.write(folder.key_path(f"{n:016x}"), costly.encode())
    derived: list[object] = []
    monkeypatch.setattr(crypto, "derive_kek", lambda *args: derived.append(args))
    with pytest.raises(NotLinked):
        session.join(tmp_path, tmp_path / "vault", "pw", kdf=None, allow_weak=True)
    assert derived == []  # not one of 40 derivations of 4 GiB
    assert not (tmp_path / "vault").exists()


@pytest.mark.parametrize("crashing", [0, 1])
def test_a_sync_interrupted_after_writing_the_vault_is_finished_by_the_next(world, monkeypatch,
                                                                            crashing):
    """The merged day is in the vault but sync.db did not commit (a crash): the next sync
    must neither delete the day nor lose a text, even when the merge changed its id."""
    from journal.core.sync.state import SyncState

    a, b = world.machines
    a.write(DAY, "laptop text")
    b.write(DAY, "desktop text")  # two new entries for one day: two ids, one survives
    a.sync()
    b.sync()
    world.deliver_all()
    real = SyncState.clear_pending_many

    def crash(self, days):  # noqa: ANN001
        raise RuntimeError("power cut")

    monkeypatch.setattr(SyncState, "clear_pending_many", crash)
    with pytest.raises(RuntimeError):
        world.machines[crashing].sync()
    monkeypatch.setattr(SyncState, "clear_pending_many", real)
    for _ in range(2):
        for machine in world.machines:
            machine.sync()
        world.deliver_all()
    for machine in world.machines:
        body = machine.vault.get_by_date(DAY).body
        assert "laptop text" in body and "desktop text" in body
    assert a.export() == b.export()


def test_an_entry_moved_to_another_date_leaves_its_old_day_on_every_machine(world):
    a, b = world.machines
    a.write(DAY, "written on the wrong day")
    a.sync()
    world.deliver_all()
    b.sync()
    entry = a.vault.get_by_date(DAY)
    entry.date = date(2026, 3, 4)
    a.vault.put(entry)
    a.sync()
    world.deliver_all()
    b.sync()
    assert b.vault.get_by_date(DAY) is None
    assert "wrong day" in b.vault.get_by_date(date(2026, 3, 4)).body
    assert a.export() == b.export()
