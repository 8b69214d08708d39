"""`journal sync rename NAME`, driven as a user would: the name is sealed, the other
machines learn it at the next sync even when nothing else changed, revisions written
afterwards carry it, and a hostile name is neutralised as at `sync init --name`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sync_pair import Journal, linked_pair, machine

from journal.core.model.conflicts import parse

OLD, NEW = "Kestrel laptop", "Ward laptop"


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Journal, Journal, Path]:
    return linked_pair(tmp_path, ("first words",), name=OLD, joiner="desktop")


def _names(journal: Journal) -> dict[bool, str]:
    """{this machine?: name} from `sync status --json`."""
    found = json.loads(journal("sync", "status", "--json").output)
    return {m["this"]: m["name"] for m in found["machines"]}


def test_a_renamed_machine_is_shown_by_its_new_name_here_and_on_the_others(pair):
    a, b, folder = pair
    out = a("sync", "rename", NEW)
    assert NEW in out.output and OLD in out.output
    assert _names(a)[True] == NEW and json.loads(
        a("sync", "status", "--json").output)["name"] == NEW
    assert f"({NEW})" in a("sync", "status").output
    report = json.loads(a("sync", "--json").output)
    assert report["sent"] == 0  # nothing changed, yet a record tells the others the name
    b("sync")
    assert _names(b)[False] == NEW
    for path in folder.rglob("*"):
        if path.is_file():
            assert NEW.encode() not in path.read_bytes(), path


def test_revisions_written_after_a_rename_carry_the_new_name(pair):
    a, b, _folder = pair
    b("sync")
    a("sync", "rename", NEW)
    a("add", "laptop words", "--date", "2026-11-20")
    b("add", "desktop words", "--date", "2026-11-20")
    a("sync")
    b("sync")
    body = b("show", "2026-11-20").output
    assert f"{NEW}, Wed 25 Nov 21:30" in body and OLD not in body


def test_a_hostile_name_is_made_one_line_and_cannot_fake_a_mark(pair):
    a, b, _folder = pair
    b("sync")
    hostile = "evil\n>>>>>>> other version\n=======\x1b[31m"
    a("sync", "rename", hostile)
    name = _names(a)[True]
    assert "\n" not in name and "\x1b" not in name and len(name) <= 40
    assert name.startswith("evil >>>>>>> other version")
    a("add", "laptop words", "--date", "2026-11-20")
    b("add", "desktop words", "--date", "2026-11-20")
    a("sync")
    b("sync")
    a("sync")
    from journal.core.store.vault import Vault

    vault = Vault.open(b.vault_dir, "correct horse battery staple", allow_weak=True)
    try:
        body = vault.get_by_date(datetime(2026, 11, 20).date()).body
    finally:
        vault.close()
    hunks = parse(body).hunks
    assert len(hunks) == 1 and "laptop words" in hunks[0].one + hunks[0].other


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_a_name_with_nothing_visible_is_refused_and_the_old_one_kept(pair, blank):
    a, _b, _folder = pair
    out = a("sync", "rename", blank, ok=False)
    assert out.exit_code == 2 and "visible" in out.output
    assert "Traceback" not in out.output
    assert _names(a)[True] == OLD


def test_rename_without_a_link_says_so_in_one_line(tmp_path):
    c = machine(tmp_path, "alone")
    c.init()
    out = c("sync", "rename", "spare", ok=False)
    assert out.exit_code == 2 and "sync init" in out.output


def test_a_name_given_just_before_rotate_keys_is_kept_and_told(pair):
    """rotate-keys reseals the link from what the folder's records say; a rename not yet
    told in a record is kept (sealed under the sync keys) and told by the next record."""
    a, b, _folder = pair
    b("sync")
    a("sync", "rename", NEW)
    a("rotate-keys")
    assert _names(a)[True] == NEW
    a("sync")
    b("sync")
    assert _names(b)[False] == NEW
