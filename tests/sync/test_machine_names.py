"""Machines told apart as a person would (journal.core.sync.machines): in `journal sync
status`, two machines of one name read "this laptop" and "the other laptop", more of them
when each last synced, and the status suggests `journal sync rename`; driven through the
command line, three machines and one folder."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sync_pair import Journal, Prompts, linked_pair

from journal.core.clock import FixedClock
from journal.core.sync.machines import Machine, in_mark, shared_names, shown

A, B, C = "3f9c2a7d10b4e6f1", "a1b2c3d4e5f60718", "0123456789abcdef"


@pytest.fixture
def namesakes(tmp_path: Path) -> tuple[Journal, Journal, Path]:
    a, b, folder = linked_pair(tmp_path, ("first words",), name="laptop", joiner="laptop")
    b("add", "desk words", "--date", "2026-11-21")
    b("sync")
    a("sync")
    return a, b, folder


def _status(journal: Journal) -> dict:
    return json.loads(journal("sync", "status", "--json").output)


def test_two_machines_of_one_name_read_this_and_the_other_and_rename_is_suggested(namesakes):
    a, b, _folder = namesakes
    found = _status(a)
    assert {m["this"]: m["shown"] for m in found["machines"]} == {
        True: "this laptop", False: "the other laptop"}
    assert found["shared_names"] == ["laptop"]
    out = a("sync", "status").output
    assert "(this laptop)" in out and "(the other laptop)" in out
    assert "2 machines are called laptop: 'journal sync rename NAME'" in out
    assert "last wrote Wed 25 Nov 21:30" in out  # as marks say a time, not ISO 8601
    b("sync", "rename", "ward desktop")
    b("sync")
    a("sync")
    out = a("sync", "status").output
    assert "(laptop)" in out and "(ward desktop)" in out and "sync rename" not in out


def test_more_namesakes_are_told_apart_by_when_each_last_synced(namesakes, tmp_path):
    a, b, folder = namesakes
    (tmp_path / "ward").mkdir()
    c = Journal(tmp_path / "ward", FixedClock(datetime(2026, 11, 27, 8, 5)), Prompts())
    c("init", "--from-sync", str(folder), "--name", "laptop")
    c("add", "ward words", "--date", "2026-11-27")
    c("sync")
    a("sync")
    found = _status(a)
    words = {m["machine"]: m["shown"] for m in found["machines"]}
    ids = {"b": _status(b)["machine"], "c": _status(c)["machine"]}
    assert words[ids["b"]] == "laptop (last synced 25 Nov)"
    assert words[ids["c"]] == "laptop (last synced 27 Nov)"
    assert words[found["machine"]] == "this laptop"
    assert "3 machines are called laptop" in a("sync", "status").output


def test_a_name_no_other_machine_has_is_shown_alone():
    machines = [Machine(A, "laptop", True), Machine(B, "desktop", False, "2026-12-04T07:15")]
    assert shown(machines) == {A: "laptop", B: "desktop"}
    assert shared_names(machines) == []


def test_namesakes_that_last_synced_at_the_same_minute_fall_back_to_their_ids():
    machines = [Machine(A, "laptop", False, "2026-12-04T07:15"),
                Machine(B, "laptop", False, "2026-12-04T07:15"), Machine(C, "desk", True)]
    assert shown(machines)[A] == "laptop #3f9c" and shown(machines)[B] == "laptop #a1b2"
    machines[1] = Machine(B, "laptop", False, "2026-12-04T09:00")
    assert shown(machines)[A] == "laptop (last synced 4 Dec 07:15)"


def test_a_retired_namesake_is_no_reason_to_rename():
    machines = [Machine(A, "laptop", True), Machine(B, "laptop", False, retired=True)]
    assert shared_names(machines) == []


def test_a_mark_is_read_as_the_machine_it_names():
    machines = [Machine(A, "laptop", True), Machine(B, "laptop", False, "2026-12-04T07:15"),
                Machine(C, "desk", False)]
    assert in_mark("laptop #a1b2, Fri 4 Dec 07:15", machines) == "the other laptop"
    assert in_mark("laptop #3f9c + desk", machines) == "this laptop + desk"
    assert in_mark("desk, Fri 4 Dec 07:15", machines) == "desk"
    assert in_mark("stranger, Fri 4 Dec 07:15", machines) == "stranger"
    assert in_mark("laptop, Fri 4 Dec 07:15", machines) == "laptop"  # before ids: which?
    assert in_mark("", machines) == ""
    renamed = [Machine(A, "laptop", True), Machine(B, "ward laptop", False)]
    assert in_mark("laptop #a1b2, Fri 4 Dec 07:15", renamed) == "ward laptop"


def test_a_machine_named_like_a_tag_is_never_read_as_the_machine_of_that_id():
    """Another machine calling itself "laptop #3f9c" cannot make the view name its side
    after this machine (whose id starts 3f9c)."""
    spoof = [Machine(A, "laptop", True), Machine(B, "laptop #3f9c", False)]
    assert in_mark("laptop #3f9c, Fri 4 Dec 07:15", spoof) == "laptop #3f9c"
    assert in_mark("laptop, Fri 4 Dec 07:15", spoof) == "laptop"


def test_a_sync_says_who_the_changes_came_from_and_names_a_machine_it_refuses(tmp_path):
    a, b, folder = linked_pair(tmp_path, ("first words",), name="laptop", joiner="desktop")
    b("add", "desk words", "--date", "2026-11-21")
    b("sync")
    assert "received 1 change from desktop;" in a("sync").output
    assert json.loads(a("sync", "--json").output)["from"] == []
    b("add", "more desk words", "--date", "2026-11-22")
    b("sync")
    machine = _status(b)["machine"]
    record = folder / "journal-sync" / "records" / machine / "00000002.jsr"
    data = bytearray(record.read_bytes())
    data[40] ^= 1
    record.write_bytes(bytes(data))
    out = a("sync", ok=False)
    assert out.exit_code == 5
    assert f"refused: machine {machine} (desktop): record 2" in out.output


def test_a_machine_to_retire_is_named_as_status_shows_it(tmp_path):
    """`sync forget laptop` said "no machine laptop uses this sync folder" though one
    did: a machine is named by its id, the start of it, or its name."""
    a, b, folder = linked_pair(tmp_path, ("first words",), name="laptop", joiner="old desk")
    b("add", "desk words", "--date", "2026-11-21")
    b("sync")
    a("sync")
    out = a("sync", "forget", "laptop", ok=False)
    assert out.exit_code == 2 and "this is the machine you are on" in out.stderr
    out = a("sync", "forget", "old desk")
    assert "retired" in out.output
    machine_b = _status(b)["machine"]
    assert {m["machine"]: m["retired"] for m in _status(a)["machines"]}[machine_b]


def test_two_other_machines_of_one_name_need_the_id(namesakes, tmp_path):
    a, b, folder = namesakes
    (tmp_path / "ward").mkdir()
    c = Journal(tmp_path / "ward", FixedClock(datetime(2026, 11, 27, 8, 5)), Prompts())
    c("init", "--from-sync", str(folder), "--name", "laptop")
    c("add", "ward words", "--date", "2026-11-27")
    c("sync")
    a("sync", "rename", "desk")
    a("sync")
    out = a("sync", "forget", "laptop", ok=False)
    assert out.exit_code == 2 and "2 machines are called laptop (" in out.stderr
    machine_c = _status(c)["machine"]
    assert "retired" in a("sync", "forget", machine_c[:6]).output
    assert {m["machine"]: m["retired"] for m in _status(a)["machines"]}[machine_c]


@pytest.mark.parametrize("future", ["author", "field"])
def test_a_record_from_a_newer_version_says_so_instead_of_malformed(tmp_path, monkeypatch,
                                                                    future):
    """Item 4: a version from before machine ids said "record 4 holds a malformed
    revision" of a record only a newer version could write. This one says a newer version
    wrote it, and leaves it unread, to read once updated."""
    from journal.core.sync import revisions
    from journal.core.sync.revisions import Revision, canonical

    a, b, folder = linked_pair(tmp_path, ("first words",), name="laptop", joiner="desk")
    real = Revision.record_json

    def newer(rev: Revision) -> bytes:  # what a newer writer might seal
        data = rev.to_json()
        if future == "author":
            data["by"] = [*data["by"], "more"]
            hashed = [rev.day, sorted(rev.parents), rev.content, data["by"]]
        else:
            data["mood"] = "new"
            hashed = [rev.day, sorted(rev.parents), rev.content, data["by"], "new"]
        data["id"] = revisions.hashlib.sha256(canonical(hashed)).hexdigest()[:32]
        return canonical(data)

    monkeypatch.setattr(Revision, "record_json", newer)
    a("add", "newer words", "--date", "2026-11-22")
    a("sync")
    monkeypatch.setattr(Revision, "record_json", real)
    out = b("sync", ok=False)
    assert out.exit_code == 5
    assert "was written by a newer version of journal; update this one to read it" in \
        out.output and "malformed" not in out.output
    mine = _status(a)["machine"]
    assert {m["machine"]: m["unread"] for m in _status(b)["machines"]}[mine] == 1


def test_a_machine_that_joined_and_wrote_nothing_yet_is_listed(tmp_path):
    """A desktop made with `init --from-sync` that has written nothing was missing from
    the laptop's `sync status` (its name comes with its first record)."""
    a, b, _folder = linked_pair(tmp_path, ("first words",), name="laptop", joiner="desk")
    a("sync")
    machine_b = _status(b)["machine"]
    assert machine_b in {m["machine"] for m in _status(a)["machines"]}
    line = next(x for x in a("sync", "status").output.splitlines() if machine_b in x)
    assert line.endswith("nothing written yet")


def test_a_conflict_says_on_which_machines_the_day_was_changed(namesakes):
    a, b, _folder = namesakes
    a("add", "laptop words", "--date", "2026-11-20")
    b("add", "other laptop words", "--date", "2026-11-20")
    a("sync")
    out = b("sync").output
    assert "conflict: 2026-11-20 was changed on this machine and the other laptop while " \
           "apart" in out
    assert json.loads(b("sync", "--json").output)["conflicts"] == []  # said once
