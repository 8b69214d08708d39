"""The pull: every other machine's new records read from the folder (each chain opened
and verified before anything is stored), then each machine's accepted records stored in
one transaction of sync.db: their revisions, the days they touch marked *pending* (merged
into the vault later, journal.core.sync.apply), the chain's new links; the table of peers
(each one's head, last time and name, and which are retired) last, sealed once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journal.core.errors import JournalError
from journal.core.model.conflicts import clean_name
from journal.core.sync.chain import Chain, read_chain
from journal.core.sync.layout import Folder
from journal.core.sync.link_keys import learn_keys
from journal.core.sync.push import Bulk
from journal.core.sync.report import SyncReport
from journal.core.sync.revisions import NewerFormat, Revision
from journal.core.sync.state import SyncState

if TYPE_CHECKING:
    from journal.core.store.vault import Vault


@dataclass
class _Taken:
    """What one machine's accepted records bring, to store with them: the days they
    change, how many revisions are new, and the (seq, digest) links of its chain."""

    days: set[str] = field(default_factory=set)
    count: int = 0
    seen: list[tuple[int, bytes]] = field(default_factory=list)


class Pull:
    """The other machines' side of a sync. `arrived` keeps the revisions it stored, by id:
    merging their days reads them from there, not back from sync.db (a first sync would
    decrypt 10,000 of them again). The passphrase, if given, opens sync keys of an epoch
    another machine started."""

    def __init__(self, vault: Vault, state: SyncState, folder: Folder, report: SyncReport,
                 passphrase: str | None, allow_weak: bool, *, per_record: int,
                 bulk: Bulk) -> None:
        self.vault, self.state, self.folder, self.report = vault, state, folder, report
        self.passphrase, self.allow_weak = passphrase, allow_weak
        self.per_record, self.bulk = per_record, bulk
        self.arrived: dict[str, Revision] = {}
        #: The table of peers as this pull left it (each one's name, last time, ...).
        self.peers: dict[str, dict[str, Any]] = {}

    def run(self) -> None:
        """Every other machine's new records: each chain read (every record opened and
        verified) before anything is stored, then its accepted records stored in one
        transaction of sync.db: their revisions, the days they touch marked pending, the
        chain's new links; the peers' table last, sealed once."""
        self.peers = peers = self.state.peers()
        me = self.state.link.machine
        machines = [m for m in self.folder.machines() if m != me]
        with self.bulk(self.per_record * sum(map(self._unread, machines))):
            for machine in machines:
                self._pull_from(machine, peers)
        with self.state.transaction():
            self.state.save_peers(peers)

    def _unread(self, machine: str) -> int:
        """How many of the machine's record files (compactions too) are beyond the last
        record read from it: a first sync reads 20 for 10,000 entries, a sync most often
        none or one."""
        files = self.folder.records(machine)
        head = max(self.state.seen(machine), default=0)
        return sum(1 for s in files.seqs() if s > head) + sum(
            1 for last in files.compactions if last > head)

    def _pull_from(self, machine: str, peers: dict[str, dict[str, Any]]) -> None:
        """One machine's chain read, then its accepted records stored in one transaction."""
        chain = self._chain(machine)
        self.report.refused += chain.refused
        self.report.waiting += chain.waiting
        if not chain.accepted:
            return
        retired = peers.get(machine, {}).get("retired")
        taken = _Taken()
        with self.state.transaction():
            for seq, digest, payload in chain.accepted:
                if retired is not None and seq > retired:
                    self.report.refused.append(f"machine {machine}: record {seq} comes after "
                                               "it was retired ('sync forget'); refused")
                    break
                if not self._take(machine, seq, digest, payload, peers, taken):
                    break
            self.state.mark_pending_many(taken.days)
            for covered, covered_digest in taken.seen:
                self.state.add_seen(machine, covered, covered_digest)
        self.report.received += taken.count
        if taken.count:
            self.report.senders.append(machine)

    def _chain(self, machine: str) -> Chain:
        link = self.state.link
        seen = self.state.seen(machine)
        chain = read_chain(self.folder, link.folder_id, machine, seen, link.keys)
        if chain.missing_epoch is not None and learn_keys(
                self.state, self.vault, self.folder, self.passphrase, self.allow_weak):
            chain = read_chain(self.folder, link.folder_id, machine, seen, link.keys)
        if chain.missing_epoch is not None:
            chain.waiting.append(f"machine {machine}: its records use sync keys rotated on "
                                 "another machine; sync once with the passphrase used there")
        return chain

    def _take(self, machine: str, seq: int, digest: bytes, payload: dict[str, Any],
              peers: dict[str, dict[str, Any]], taken: _Taken) -> bool:
        """One accepted record's new revisions stored (sealed from the bytes their ids
        were checked against, then only the revision kept, in `arrived`); its days and
        links into `taken`, for `_pull_from` to store. False if it is refused."""
        try:
            revs = [Revision.from_json(r) for r in payload.get("revs", [])]
            retire = [(str(m), int(h)) for m, h in payload.get("retire", [])]
        except NewerFormat:
            self.report.refused.append(f"machine {machine}: record {seq} was written by a "
                                       "newer version of journal; update this one to read "
                                       "it (nothing is lost: it is read again then)")
            return False
        except (ValueError, TypeError, JournalError):
            self.report.refused.append(f"machine {machine}: record {seq} holds a malformed "
                                       "revision; refused")
            return False
        stored = self.state.known_revs([r.id for r in revs])
        new = {r.id: r for r in revs if r.id not in stored and r.id not in self.arrived}
        self.state.add_revs(new.values())
        self.arrived.update((rid, rev.bare()) for rid, rev in new.items())
        taken.days.update(rev.day for rev in new.values())
        taken.count += len(new)
        taken.seen += list(payload.get("_covers", {seq: digest}).items())
        peer = peers.setdefault(machine, {})
        peer.update(head=seq, time=str(payload.get("time", "")))
        if isinstance(payload.get("name"), str):
            peer["name"] = clean_name(payload["name"])
        for gone, head in retire:
            peers.setdefault(gone, {})["retired"] = head
        return True
