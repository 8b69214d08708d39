"""A machine's chain when a file is sealed under a key epoch this machine does not hold yet
(the sync keys were rotated on another machine): a compaction under such a key is passed
over (an older compaction or the records themselves may still serve), a record under such
a key ends the chain at its place (nothing after it can be linked until the key is
learnt). Both say which epoch is missing, so the session can try to learn it. Built by
hand in a folder: no vault, no session."""

from __future__ import annotations

import os

import pytest

from journal.core.store import crypto
from journal.core.sync import record
from journal.core.sync.chain import read_chain
from journal.core.sync.layout import Folder

FOLDER_ID = "folder-under-test"
MACHINE = "0123456789abcdef"
KEYS = {1: os.urandom(32), 2: os.urandom(32)}


class Chained:
    """One machine's files, written as its session would: records linked by digest,
    compactions listing the digests of the records they fold."""

    def __init__(self, folder: Folder) -> None:
        self.folder = folder
        self.sealed: dict[int, bytes] = {}

    def record(self, seq: int, epoch: int) -> bytes:
        prev = self.sealed[seq - 1] if seq > 1 else None
        payload = {"seq": seq, "machine": MACHINE,
                   "prev": crypto.digest(prev).hex() if prev else "", "revs": []}
        data = record.seal_record(record.record_key(KEYS[epoch]), epoch, FOLDER_ID,
                                  MACHINE, seq, payload)
        self.sealed[seq] = data
        self.folder.write(self.folder.record_path(MACHINE, seq), data)
        return data

    def compaction(self, last: int, epoch: int) -> None:
        place = record.compaction_place(last)
        payload = {"seq": place, "machine": MACHINE, "revs": [],
                   "digests": [crypto.digest(self.sealed[s]).hex()
                               for s in range(1, last + 1)]}
        data = record.seal_record(record.record_key(KEYS[epoch]), epoch, FOLDER_ID,
                                  MACHINE, place, payload)
        self.folder.write(self.folder.compaction_path(MACHINE, last), data)

    def drop(self, *seqs: int) -> None:
        for seq in seqs:
            self.folder.record_path(MACHINE, seq).unlink()

    def read(self, *epochs: int):  # noqa: ANN201 - a chain.Chain
        return read_chain(self.folder, FOLDER_ID, MACHINE, {},
                          {e: KEYS[e] for e in epochs})


@pytest.fixture
def chained(tmp_path) -> Chained:
    folder = Folder(tmp_path)
    folder.base.mkdir(exist_ok=True)
    folder.create()
    return Chained(folder)


def _seqs(chain) -> list[int]:  # noqa: ANN001
    return [seq for seq, _digest, _payload in chain.accepted]


def test_a_record_under_a_key_we_lack_ends_the_chain_at_its_place(chained):
    for seq, epoch in [(1, 1), (2, 1), (3, 2), (4, 1)]:
        chained.record(seq, epoch)
    chain = chained.read(1)
    # record 4 is authentic under a key we hold, but it cannot be linked past record 3
    assert _seqs(chain) == [1, 2]
    assert chain.missing_epoch == 2
    assert chain.refused == [] and chain.waiting == []
    learnt = chained.read(1, 2)
    assert _seqs(learnt) == [1, 2, 3, 4] and learnt.missing_epoch is None


def test_a_record_under_a_key_we_lack_ends_the_chain_even_with_a_copy_we_can_open(chained):
    """The place's own file comes first; once it names a key we lack, a conflict copy that
    opens is not taken in its stead."""
    for seq in (1, 2):
        chained.record(seq, 1)
    other = chained.record(3, 1)
    chained.record(3, 2)  # replaces the primary file: the epoch-1 one is left as a copy
    copy = chained.folder.record_path(MACHINE, 3).with_name(
        "00000003.sync-conflict-20260301-101010-ABCDEFG.jsr")
    copy.write_bytes(other)
    chain = chained.read(1)
    assert _seqs(chain) == [1, 2] and chain.missing_epoch == 2 and chain.refused == []


def test_a_compaction_under_a_key_we_lack_is_passed_over_for_the_records(chained):
    for seq in range(1, 6):
        chained.record(seq, 1)
    chained.compaction(3, 2)
    chain = chained.read(1)
    assert _seqs(chain) == [1, 2, 3, 4, 5]  # each record read on its own
    assert chain.missing_epoch == 2
    assert chain.refused == [] and chain.waiting == []
    learnt = chained.read(1, 2)
    assert _seqs(learnt) == [3, 4, 5] and learnt.missing_epoch is None  # 1-3 as one


def test_a_compaction_under_a_key_we_lack_is_passed_over_for_an_older_one(chained):
    for seq in range(1, 5):
        chained.record(seq, 1)
    chained.compaction(2, 1)
    chained.compaction(3, 2)
    chained.drop(1, 2)  # folded away by the machine that wrote them
    chain = chained.read(1)
    assert _seqs(chain) == [2, 3, 4]  # the compaction of 1-2, then records 3 and 4
    assert chain.accepted[0][1] == crypto.digest(chained.sealed[2])
    assert chain.missing_epoch == 2
    assert chain.refused == [] and chain.waiting == []
