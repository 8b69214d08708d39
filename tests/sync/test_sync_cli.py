"""`journal sync …` and `journal init --from-sync` driven as a user would, two machines
sharing one folder (no engine in between: the folder is the same directory)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from leakscan import scan  # noqa: E402
from sync_pair import Journal, linked_pair, machine  # noqa: E402

SECRET_A = "CLIENT-KESTREL-0042 froze at the desk"
SECRET_B = "Supervision with Ana about the Marlow family"
NAME_A = "Kestrel laptop"


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Journal, Journal, Path]:
    return linked_pair(tmp_path, (SECRET_A, "-m", "contagion 7 work"), name=NAME_A)


def test_an_entry_written_on_one_machine_appears_on_the_other(pair):
    a, b, folder = pair
    assert SECRET_A in b("show", "2026-11-20").output
    b("add", SECRET_B, "--date", "2026-11-21")
    out = b("sync", "--json")
    assert json.loads(out.output)["sent"] == 1
    report = json.loads(a("sync", "--json").output)
    assert report["received"] == 1 and report["in_step"]
    assert SECRET_B in a("show", "2026-11-21").output
    status = a("sync", "status", "--json").output
    assert len(json.loads(status)["machines"]) == 2


def test_concurrent_edits_of_one_day_keep_both_texts(pair):
    a, b, _folder = pair
    a("add", "laptop words", "--date", "2026-11-20")
    b("add", "desktop words", "--date", "2026-11-20")
    a("sync")
    out = b("sync")
    assert "conflict: 2026-11-20" in out.output
    a("sync")
    for each in (a, b):
        shown = each("show", "2026-11-20").output
        assert "laptop words" in shown and "desktop words" in shown
    exports = [m("export", "--format", "json").output for m in (a, b)]
    assert exports[0] == exports[1]


def test_a_conflict_says_which_machine_wrote_which_side_and_the_folder_never_sees_a_name(pair):
    import socket

    from journal.core.model.conflicts import clean_name

    a, b, folder = pair
    a("add", "laptop words", "--date", "2026-11-20")
    b("add", "desktop words", "--date", "2026-11-20")
    a("sync")
    b("sync")
    a("sync")
    host = clean_name(socket.gethostname())
    shown = [m("show", "2026-11-20").output for m in (a, b)]
    for out in shown:  # each side saved at the machines' clock: Wed 25 Nov 2026 21:30
        assert f"{NAME_A}, Wed 25 Nov 21:30" in out and f"{host}, Wed 25 Nov 21:30" in out
    assert [m("export", "--format", "json").output for m in (a, b)][0] == \
        b("export", "--format", "json").output
    names = {m["name"] for m in json.loads(a("sync", "status", "--json").output)["machines"]}
    assert names == {NAME_A, host}
    assert f"({host})" in a("sync", "status").output
    assert f"({NAME_A})" in b("sync", "status").output
    for path in folder.rglob("*"):
        if path.is_file():
            assert NAME_A.encode() not in path.read_bytes(), path


def test_a_tampered_record_is_refused_with_one_line_and_exit_5(pair):
    a, b, folder = pair
    b("add", SECRET_B, "--date", "2026-11-21")
    b("sync")
    record = sorted((folder / "journal-sync" / "records").rglob("00000001.jsr"))
    theirs = [p for p in record if SECRET_A not in p.name and p.parent.name
              != json.loads(a("sync", "status", "--json").output)["machine"]]
    data = bytearray(theirs[0].read_bytes())
    data[40] ^= 1
    theirs[0].write_bytes(bytes(data))
    out = a("sync", ok=False)
    assert out.exit_code == 5
    assert "refused" in out.output and theirs[0].parent.name in out.output
    assert "Traceback" not in out.output
    assert SECRET_B not in a("list").output


def test_the_sync_folder_holds_no_plaintext(pair):
    a, b, folder = pair
    b("add", SECRET_B, "--date", "2026-11-21")
    b("sync")
    a("sync")
    needles = [SECRET_A, SECRET_B, "KESTREL", "Marlow", "2026-11-20", "2026-11-21"]
    report = scan([folder, a.vault_dir / "sync.db", b.vault_dir / "sync.db"], needles)
    assert report.found == {}, report.describe()
    # the negative control: the scanner does find what is there
    (folder / "control.txt").write_text(SECRET_A)
    assert scan([folder], [SECRET_A]).found


def test_forget_retires_a_machine_and_rotates_the_sync_keys(pair):
    a, b, _folder = pair
    b("sync")
    machine_b = json.loads(b("sync", "status", "--json").output)["machine"]
    out = a("sync", "forget", machine_b)
    assert "epoch 2" in out.output
    a("add", "after forget", "--date", "2026-11-22")
    a("sync")
    status = json.loads(a("sync", "status", "--json").output)
    assert any(m["machine"] == machine_b and m["retired"] for m in status["machines"])
    assert a("sync", "forget", "0123456789abcdef", ok=False).exit_code != 0


def test_sync_without_a_link_says_so_in_one_line(tmp_path):
    journal = machine(tmp_path, "alone")
    journal.init()
    out = journal("sync", ok=False)
    assert out.exit_code == 2 and "sync init" in out.output


def test_a_new_passphrase_lets_a_new_machine_join_and_rotation_keeps_the_link(pair, tmp_path):
    a, _b, folder = pair
    new = tmp_path / "new.txt"
    new.write_text("a brand new passphrase for the journal\n")
    new.chmod(0o600)  # passphrase files must be private (issue 13)
    old = tmp_path / "old.txt"
    old.write_text("correct horse battery staple\n")
    old.chmod(0o600)  # passphrase files must be private (issue 13)
    out = a("passwd", "--passphrase-file", str(old), "--new-passphrase-file", str(new))
    assert "sync folder" in out.output
    c = machine(tmp_path, "third")
    c("init", "--from-sync", str(folder), "--passphrase-file", str(new))
    assert SECRET_A in c("show", "2026-11-20", "--passphrase-file", str(new)).output
    # a new data key on one machine: the next sync finds its sync keys again
    a("rotate-keys", "--passphrase-file", str(new))
    a("add", "after rotation", "--date", "2026-11-23", "--passphrase-file", str(new))
    report = json.loads(a("sync", "--json", "--passphrase-file", str(new)).output)
    assert report["sent"] == 1 and report["in_step"]
    c("sync", "--passphrase-file", str(new))
    assert "after rotation" in c("show", "2026-11-23", "--passphrase-file", str(new)).output


def test_joining_with_a_wrong_passphrase_creates_nothing(pair, tmp_path):
    _a, _b, folder = pair
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n")
    wrong.chmod(0o600)  # passphrase files must be private (issue 13)
    c = machine(tmp_path, "intruder")
    out = c("init", "--from-sync", str(folder), "--passphrase-file", str(wrong), ok=False)
    assert out.exit_code == 4 and "passphrase" in out.output
    assert not c.vault_dir.exists()


def test_a_passphrase_changed_on_one_machine_opens_the_others(pair, tmp_path):
    a, b, _folder = pair
    new = tmp_path / "new.txt"
    new.write_text("changed on the laptop tonight\n")
    new.chmod(0o600)  # passphrase files must be private (issue 13)
    old = tmp_path / "old.txt"
    old.write_text("correct horse battery staple\n")
    old.chmod(0o600)  # passphrase files must be private (issue 13)
    a("passwd", "--passphrase-file", str(old), "--new-passphrase-file", str(new))
    out = b("list", "--passphrase-file", str(new))  # b never heard of it
    assert "changed on another machine" in out.stderr and "2026-11-20" in out.output
    assert b("list", "--passphrase-file", str(new)).stderr == ""  # now b's own passphrase
    assert b("list", "--passphrase-file", str(old), ok=False).exit_code == 4


def test_rotate_keys_starts_new_sync_keys_the_others_take_up(pair):
    a, b, _folder = pair
    out = a("rotate-keys")
    assert "epoch 2" in out.output
    a("add", "sealed under epoch 2", "--date", "2026-11-24")
    a("sync")
    b("sync")
    assert "sealed under epoch 2" in b("show", "2026-11-24").output
    assert json.loads(b("sync", "status", "--json").output)["epoch"] == 2
    assert json.loads(a("sync", "status", "--json").output)["name"] == NAME_A  # kept


def test_a_missing_folder_is_one_line_and_exit_7(pair):
    a, _b, folder = pair
    folder.rename(folder.with_name("Unmounted"))
    out = a("sync", ok=False)
    assert out.exit_code == 7 and "not there" in out.output
    assert "Traceback" not in out.output and len(out.stderr.strip().splitlines()) == 1


def test_a_second_machine_names_itself_when_it_joins(tmp_path: Path):
    """`init --from-sync --name`: the core took a name, the command line did not pass one,
    so a joining machine was always its host name."""
    a, b, _folder = linked_pair(tmp_path, (SECRET_A,), name=NAME_A, joiner="Ward desktop")
    b("add", SECRET_B, "--date", "2026-11-21")
    b("sync")
    a("sync")
    names = {m["name"] for m in json.loads(a("sync", "status", "--json").output)["machines"]}
    assert names == {NAME_A, "Ward desktop"}


def test_a_name_without_a_sync_folder_is_refused_before_anything_is_made(tmp_path: Path):
    c = machine(tmp_path, "spare")
    out = c("init", "--name", "spare", ok=False)
    assert out.exit_code != 0 and "--from-sync" in out.output
    assert not any((tmp_path / "spare").rglob("*.db"))


def test_bad_input_to_sync_commands_is_status_2_and_says_what_is_wrong(pair, tmp_path):
    """A machine that is not there, this machine, a second link and a folder that does not
    exist are the user's input: status 2 as every bad input (they ended with 1), and a
    folder that does not exist is said to be missing, not to be no sync folder."""
    a, _b, folder = pair
    for args in (("sync", "forget", "0123456789abcdef"), ("sync", "forget", NAME_A),
                 ("sync", "init", str(folder))):
        out = a(*args, ok=False)
        assert out.exit_code == 2, (args, out.output)
        assert len(out.stderr.strip().splitlines()) == 1
    c = machine(tmp_path, "third")
    out = c("init", "--from-sync", str(tmp_path / "Sync" / "nowhere"), ok=False)
    assert out.exit_code == 2 and "does not exist" in out.stderr
    assert not c.vault_dir.exists()
