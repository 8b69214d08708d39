"""This machine's records into the folder: folded into one compaction file now and then,
and copied there (new ones, and any the folder lost), the files a compaction covers
removed. Only this machine's own files are ever written or removed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journal.core.sync import record
from journal.core.sync.layout import Folder, read
from journal.core.sync.report import SyncReport
from journal.core.sync.state import SyncState

if TYPE_CHECKING:
    from journal.core.store.vault import Vault


def compact(vault: Vault, state: SyncState, name: str, every: int) -> int | None:
    """Fold this machine's records 1..head into one compaction (the same revisions, one
    file), once `every` more records were written since the last one. Returns the head
    it folded up to, None when it was not time."""
    link = state.link
    me = link.machine
    seen = state.seen(me)
    head = max(seen, default=0)
    done, previous = state.compaction()
    if head - done < every:
        return None
    revs: list[Any] = []
    retire: list[Any] = []
    parts = [(record.compaction_place(done), previous)] if previous else []
    parts += [(seq, data) for seq, data in sorted(state.outbox().items()) if seq > done]
    for place, data in parts:
        epoch = record.epoch_of(data)
        payload = record.open_record(record.record_key(link.keys[epoch]), data,
                                     link.folder_id, me, place)
        revs += payload.get("revs", [])
        retire += payload.get("retire", [])
    place = record.compaction_place(head)
    payload = {"seq": place, "machine": me, "last": head, "revs": revs, "retire": retire,
               "digests": [seen[s].hex() for s in range(1, head + 1)],
               "time": vault.clock.now().isoformat(timespec="seconds"),
               "name": name}
    data = record.seal_record(record.record_key(link.keys[link.epoch]),
                              link.epoch, link.folder_id, me, place, payload)
    with state.transaction():
        state.set_compaction(head, data)
    return head


def publish(state: SyncState, folder: Folder, report: SyncReport, created: set[int],
            compacted: int | None = None) -> None:
    """Copy this machine's records to the folder: new ones, and any the folder lost (a
    file put back that this sync did not write, `created` nor `compacted`, counts as
    restored); then remove the files a compaction covers."""
    machine = state.link.machine
    outbox = state.outbox()
    files = folder.records(machine)
    done, packed = state.compaction()
    if packed is not None:
        path = folder.compaction_path(machine, done)
        if read(path) != packed:
            report.restored += done != compacted
            folder.write(path, packed)
        for last, paths in files.compactions.items():
            for stale in paths if last != done else []:
                folder.remove(stale)
        for seq in [s for s in files.seqs() if s <= done]:
            for stale in files.candidates(seq):
                folder.remove(stale)
    for seq, data in sorted(outbox.items()):
        path = folder.record_path(machine, seq)
        if seq in files.primary and read(path) == data:
            continue
        report.restored += seq not in created
        folder.write(path, data)
