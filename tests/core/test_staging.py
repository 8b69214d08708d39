"""journal.core.store.staging: a new directory is built aside and appears whole, or not at
all; nothing that was there before is ever removed."""

from __future__ import annotations

import pytest

from journal.core.errors import VaultExists
from journal.core.store.staging import staged


def _built(place) -> None:
    place.mkdir()
    (place / "journal.db").write_bytes(b"made here")


def test_the_directory_appears_only_when_the_block_ends_well(tmp_path):
    target = tmp_path / "vault"
    with staged(target) as place:
        _built(place)
        assert place.parent == tmp_path and place.name.startswith(".vault.building-")
        assert not target.exists()
    assert (target / "journal.db").read_bytes() == b"made here"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vault"]


def test_a_failure_removes_only_what_was_made(tmp_path):
    target = tmp_path / "vault"
    (tmp_path / "neighbour.txt").write_text("mine")
    with pytest.raises(RuntimeError), staged(target) as place:
        _built(place)
        raise RuntimeError("injected")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neighbour.txt"]


def test_a_directory_that_is_not_empty_is_refused_and_untouched(tmp_path):
    target = tmp_path / "vault"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    with pytest.raises(VaultExists, match="not an empty directory"), staged(target):
        raise AssertionError("never reached")
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_something_written_to_the_target_meanwhile_wins_and_is_kept(tmp_path):
    target = tmp_path / "vault"
    target.mkdir()
    with pytest.raises(VaultExists, match="no longer empty"), staged(target) as place:
        _built(place)
        (target / "theirs.txt").write_text("written meanwhile")
    assert [p.name for p in target.iterdir()] == ["theirs.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vault"]
