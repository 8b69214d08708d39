"""One sync between a vault and its folder: push this machine's changes, read every other
machine's chain, merge, and write the merged days into the vault.

The order makes every step safe to interrupt: local changes become revisions and this
machine's next record in one sync.db transaction (the *outbox*) before the record is copied
to the folder; remote revisions are stored and their days marked *pending* in one
transaction before the vault is written; a day stops being pending only after its merged
entry is in the vault. Re-running after a crash redoes what was left, and nothing is
applied twice (revision ids are content hashes).
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.core.errors import (
    JournalError,
    NotLinked,
    StorageError,
    SyncRefused,
)
from journal.core.model.conflicts import clean_name
from journal.core.model.entries import Entry
from journal.core.store import crypto
from journal.core.store.bulk import paused_gc
from journal.core.sync import escrow, folder_keys, record
from journal.core.sync.chain import read_chain
from journal.core.sync.layout import Folder, read
from journal.core.sync.merge import resolve
from journal.core.sync.revisions import Revision, ancestry, content_of, heads
from journal.core.sync.state import Link, SyncState

if TYPE_CHECKING:
    from journal.core.store.vault import Vault

REVS_PER_RECORD = 500
#: A machine folds its records into one compaction file once it has written this many more.
COMPACT_EVERY = 64
#: From this many revisions or entries held at once, a sync pauses the collector (`_bulk`).
BULK = 1000

LINK_PURPOSE = "sync-link"


@dataclass
class SyncReport:
    machine: str = ""
    sent: int = 0
    received: int = 0
    days_changed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    restored: int = 0

    @property
    def in_step(self) -> bool:
        return not self.refused and not self.waiting

    def to_json(self) -> dict[str, Any]:
        return {"machine": self.machine, "sent": self.sent, "received": self.received,
                "days_changed": sorted(self.days_changed), "conflicts": sorted(self.conflicts),
                "refused": self.refused, "waiting": self.waiting, "restored": self.restored,
                "in_step": self.in_step}

    def refusal(self) -> SyncRefused | None:
        if not self.refused:
            return None
        many = len(self.refused)
        return SyncRefused(f"{many} problem{'s' if many != 1 else ''} in the sync folder: "
                           f"{self.refused[0]}", self.refused)


# -- keys -------------------------------------------------------------------------------------
def _keys_blob(keys: dict[int, bytes]) -> bytes:
    return json.dumps({str(e): k.hex() for e, k in sorted(keys.items())}).encode()


def _write_key_file(folder: Folder, link: Link, passphrase: str, vault: Vault) -> None:
    key_file = folder_keys.wrap(_keys_blob(link.keys), passphrase, link.folder_id,
                                link.machine, link.epoch, vault.header.kdf)
    folder.write(folder.key_path(link.machine), key_file.encode())


# -- linking ----------------------------------------------------------------------------------
def machine_name(link_: Link) -> str:
    """This machine's name: the one chosen at `sync init`, else the host name (read, never
    looked up on a network), one line, at most 40 characters."""
    return clean_name(link_.name or socket.gethostname()) or link_.machine


def is_linked(vault: Vault) -> bool:
    return SyncState.exists(vault.directory)


def link(vault: Vault, directory: Path, passphrase: str, *, allow_weak: bool = False,
         opened: tuple[str, dict[int, bytes]] | None = None, name: str | None = None) -> Link:
    """Link this vault to a sync folder: a new one, or one other machines already use.
    `name` is this machine's name for the others (the host name when not given)."""
    if is_linked(vault):
        conn = SyncState.connect(vault.directory)
        try:
            if SyncState.sealed_link(conn) is not None:
                raise JournalError("this vault is already linked to a sync folder "
                                   "('journal sync status' says which)")
        finally:
            conn.close()
    folder = Folder(Path(directory).expanduser().resolve())
    if opened is not None:
        folder_id, keys = opened
    elif folder.exists() and folder.key_files():
        folder_id, keys = folder_keys.open_any(folder, passphrase, allow_weak)
    else:
        folder.create()
        folder_id, keys = os.urandom(8).hex(), {1: os.urandom(crypto.KEY_LEN)}
    new = Link(os.urandom(8).hex(), str(folder.base), folder_id, max(keys), keys,
               clean_name(name or ""))
    _write_key_file(folder, new, passphrase, vault)
    conn = SyncState.connect(vault.directory)
    state = SyncState(conn, new)
    with state.transaction():
        state.save_link(vault.derived_key(LINK_PURPOSE))
        escrow.store(state, vault)
    conn.close()
    return new


def open_state(vault: Vault, passphrase: str | None = None, *,
               allow_weak: bool = False) -> SyncState:
    if not is_linked(vault):
        raise NotLinked("this vault is not linked to a sync folder; run 'journal sync init "
                        "DIR' first")
    conn = SyncState.connect(vault.directory)
    try:
        blob = SyncState.sealed_link(conn)
        if blob is None:
            raise NotLinked("this vault is not linked to a sync folder; run 'journal sync "
                            "init DIR' first")
        try:
            return SyncState(conn, SyncState.open_link(blob, vault.derived_key(LINK_PURPOSE)))
        except crypto.DecryptError:
            pass
        # The vault's keys were rotated since: the folder gives the sync keys back.
        machine = SyncState.machine_of(conn)
        if passphrase is None or machine is None:
            raise NotLinked("this vault's keys changed since it was linked; sync once with "
                            "the passphrase ('journal sync')")
        folder_path = _folder_of_key_file(conn)
        folder = Folder(Path(folder_path))
        folder_id, keys = folder_keys.open_any(folder, passphrase, allow_weak)
        state = SyncState(conn, Link(machine, folder_path, folder_id, max(keys), keys,
                                     _name_of(conn, machine, folder_id, keys)))
        with state.transaction():
            state.save_link(vault.derived_key(LINK_PURPOSE))
            escrow.store(state, vault)  # the data key changed (rotate-keys)
        return state
    except BaseException:
        conn.close()
        raise


def _name_of(conn: sqlite3.Connection, machine: str, folder_id: str,
             keys: dict[int, bytes]) -> str:
    """This machine's name as its last record (or its compaction, once that replaced the
    records) says it: the sealed link that held it no longer opens once the vault's keys
    changed, and the sync keys still open the record. "" when there is none (the host
    name then)."""
    row = conn.execute("SELECT seq, data FROM outbox ORDER BY seq DESC LIMIT 1").fetchone()
    packed = conn.execute("SELECT value FROM meta WHERE key='compaction'").fetchone()
    place: int | str
    if row is not None:
        place, data = int(row[0]), bytes(row[1])
    elif packed is not None:
        place = record.compaction_place(int.from_bytes(packed[0][:8], "big"))
        data = bytes(packed[0][8:])
    else:
        return ""
    try:
        key = keys[record.epoch_of(data)]
        payload = record.open_record(record.record_key(key), data, folder_id, machine, place)
    except (KeyError, record.Incomplete, record.Refused):
        return ""
    name = payload.get("name")
    return name if isinstance(name, str) else ""


def _folder_of_key_file(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key='folder'").fetchone()
    if row is None:
        raise NotLinked("the sync state does not say which folder; run 'journal sync init' "
                        "again")
    return str(row[0].decode())


# -- one sync ---------------------------------------------------------------------------------
def sync(vault: Vault, passphrase: str | None = None, *, allow_weak: bool = False) -> SyncReport:
    state = open_state(vault, passphrase, allow_weak=allow_weak)
    try:
        return _Sync(vault, state, passphrase, allow_weak).run()
    except sqlite3.Error as exc:
        raise StorageError(f"the sync state could not be written: {exc}") from None
    finally:
        state.close()


def _bulk(items: int) -> AbstractContextManager[object]:
    """The collector paused while a sync holds this many revisions or entries at once, if
    they are many (a first sync: 10,000 of each; without the pause the collector walks
    them again and again, a fifth of its time). A sync of a few changes runs as usual:
    pausing also freezes whatever survives it (store.bulk), not worth it for a few."""
    return paused_gc() if items >= BULK else nullcontext()


class _Records:
    """This machine's next records, written as a push makes its revisions: each new
    revision stored (and its day's new head), then sealed into a record of
    REVS_PER_RECORD; `extra` goes into the first record (which is written even empty)."""

    def __init__(self, run: _Sync, extra: dict[str, Any]) -> None:
        self.run, self.extra = run, extra
        seen = run.state.seen(run.link.machine)
        self.seq = max(seen, default=0)
        self.prev = seen.get(self.seq)
        self.key = record.record_key(run.link.keys[run.link.epoch])
        self.waiting: list[Revision] = []
        self.sent = 0
        self.written = 0

    def add(self, revs: list[Revision]) -> None:
        state = self.run.state
        state.add_revs(revs)
        state.save_days([{"day": r.day, "heads": [r.id], "conflict": False} for r in revs])
        self.sent += len(revs)
        self.waiting += revs
        while len(self.waiting) >= REVS_PER_RECORD:
            self._write(self.waiting[:REVS_PER_RECORD])
            del self.waiting[:REVS_PER_RECORD]

    def finish(self) -> None:
        if self.waiting or (self.extra and not self.written):
            self._write(self.waiting)
            self.waiting = []

    def _write(self, revs: list[Revision]) -> None:
        run = self.run
        link = run.link
        self.seq += 1
        payload = {"seq": self.seq, "machine": link.machine,
                   "prev": self.prev.hex() if self.prev else "",
                   "time": run.vault.clock.now().isoformat(timespec="seconds"),
                   "name": run.name}
        if not self.written:
            payload.update(self.extra)
        raw = record.encode_with(payload, "revs", [r.record_json() for r in revs])
        data = record.seal_encoded(self.key, link.epoch, link.folder_id, link.machine,
                                   self.seq, raw)
        self.prev = crypto.digest(data)
        run.state.add_seen(link.machine, self.seq, self.prev)
        run.state.add_outbox(self.seq, data)
        run.created.add(self.seq)
        self.written += 1


@dataclass
class _Taken:
    """What one machine's accepted records bring, to store with them: the days they
    change, how many revisions are new, and the (seq, digest) links of its chain."""

    days: set[str] = field(default_factory=set)
    count: int = 0
    seen: list[tuple[int, bytes]] = field(default_factory=list)


def _based_on(revs: dict[str, Revision], tips: list[str]) -> Any:
    """The day as sync last wrote it here: the merge of `tips` alone (revisions that
    arrived since and are not yet applied do not count as this machine's change)."""
    closure: set[str] = set()
    for tip in tips:
        closure |= ancestry(revs, tip)
    return resolve({k: v for k, v in revs.items() if k in closure})[0]


class _Sync:
    def __init__(self, vault: Vault, state: SyncState, passphrase: str | None,
                 allow_weak: bool) -> None:
        self.vault, self.state = vault, state
        self.passphrase, self.allow_weak = passphrase, allow_weak
        self.link = state.link
        self.folder = Folder(Path(self.link.folder))
        self.report = SyncReport(machine=self.link.machine)
        #: This machine's name, in each revision it writes (who wrote a conflict's side).
        self.name = machine_name(self.link)
        self.created: set[int] = set()
        #: The revisions this sync stored, by id: merging their days reads them from here,
        #: not back from sync.db (a first sync would decrypt 10,000 of them again).
        self.arrived: dict[str, Revision] = {}

    def run(self) -> SyncReport:
        if not self.folder.root.is_dir():
            raise StorageError(f"the sync folder {self.folder.base} is not there (not "
                               "mounted, or moved?)")
        if escrow.stale(self.state):
            with self.state.transaction():
                escrow.store(self.state, self.vault)
        self._push()
        self._compact()
        self._publish()
        self._pull()
        self._apply(self.state.pending())
        return self.report

    # -- this machine's changes -----------------------------------------------------------
    def _push(self, extra: dict[str, Any] | None = None) -> None:
        """This vault's changes since the last push become revisions and this machine's
        next records, in one transaction of sync.db, a few hundred entries at a time (a
        first push of 10,000 entries never holds them all)."""
        state = self.state
        versions = self.vault.versions()
        applied = state.applied()
        changed = [i for i, v in versions.items() if applied.get(i, (b"", -1))[1] != v]
        gone = [(i, dkey) for i, (dkey, _v) in applied.items() if i not in versions]
        if not changed and not gone and not extra:
            return
        marks: list[tuple[str, str, int]] = []
        cleared: list[str] = []
        with _bulk(len(changed)), state.transaction():
            records = _Records(self, extra or {})  # this chain's head, read under the lock
            for start in range(0, len(changed), REVS_PER_RECORD):
                entries = self.vault.get_many(changed[start:start + REVS_PER_RECORD])
                known_heads = state.heads_of_days([e.date.isoformat() for e in entries])
                new: list[Revision] = []
                for entry in entries:
                    day = entry.date.isoformat()
                    tips = known_heads[day]
                    content = content_of(entry)
                    current = _based_on(state.revs_of(day), tips) if tips else None
                    if current != content:
                        new.append(Revision.make(day, tips, content, self._author(entry)))
                    marks.append((entry.id, day, entry.version))
                    moved_from = applied.get(entry.id, (None, 0))[0]
                    if moved_from is not None and moved_from != state.day_key(day):
                        gone.append((entry.id, moved_from))  # its date changed: old day gone
                records.add(new)
            deleted: list[Revision] = []
            for _entry_id, dkey in gone:
                day = state.day_of_key(dkey)
                if day is None:
                    continue
                tips = state.day(day)["heads"]
                replaced = self.vault.get_by_date(date.fromisoformat(day)) is not None
                if tips and not replaced and resolve(state.revs_of(day))[0] is not None:
                    deleted.append(Revision.make(day, tips, None, self._author(None)))
                cleared.append(day)  # (a day whose id sync changed, interrupted: not deleted)
            records.add(deleted)
            for day in cleared:
                state.clear_applied(day)
            state.set_applied_many(marks)
            records.finish()
        self.report.sent += records.sent

    def _author(self, entry: Entry | None) -> tuple[str, str]:
        """Who writes a new revision: this machine's name, and when the entry was saved
        here (its `updated_at`; for a deletion or an entry without one, now)."""
        saved = entry.updated_at if entry is not None and entry.updated_at else \
            self.vault.clock.now()
        return self.name, saved.isoformat(timespec="seconds")

    def _compact(self) -> None:
        """Fold this machine's records 1..head into one compaction (the same revisions,
        one file), once COMPACT_EVERY more records were written since the last one."""
        state, me = self.state, self.link.machine
        seen = state.seen(me)
        head = max(seen, default=0)
        done, previous = state.compaction()
        if head - done < COMPACT_EVERY:
            return
        revs: list[Any] = []
        retire: list[Any] = []
        parts = [(record.compaction_place(done), previous)] if previous else []
        parts += [(seq, data) for seq, data in sorted(state.outbox().items()) if seq > done]
        for place, data in parts:
            epoch = record.epoch_of(data)
            payload = record.open_record(record.record_key(self.link.keys[epoch]), data,
                                         self.link.folder_id, me, place)
            revs += payload.get("revs", [])
            retire += payload.get("retire", [])
        place = record.compaction_place(head)
        payload = {"seq": place, "machine": me, "last": head, "revs": revs, "retire": retire,
                   "digests": [seen[s].hex() for s in range(1, head + 1)],
                   "time": self.vault.clock.now().isoformat(timespec="seconds"),
                   "name": self.name}
        data = record.seal_record(record.record_key(self.link.keys[self.link.epoch]),
                                  self.link.epoch, self.link.folder_id, me, place, payload)
        with state.transaction():
            state.set_compaction(head, data)
        self.created.add(-head)

    def _publish(self) -> None:
        """Copy this machine's records to the folder: new ones, and any the folder lost;
        then remove the files a compaction covers."""
        outbox = self.state.outbox()
        files = self.folder.records(self.link.machine)
        done, packed = self.state.compaction()
        if packed is not None:
            path = self.folder.compaction_path(self.link.machine, done)
            if read(path) != packed:
                self.report.restored += -done not in self.created
                self.folder.write(path, packed)
            for last, paths in files.compactions.items():
                for stale in paths if last != done else []:
                    self.folder.remove(stale)
            for seq in [s for s in files.seqs() if s <= done]:
                for stale in files.candidates(seq):
                    self.folder.remove(stale)
        for seq, data in sorted(outbox.items()):
            path = self.folder.record_path(self.link.machine, seq)
            if seq in files.primary and read(path) == data:
                continue
            self.report.restored += seq not in self.created
            self.folder.write(path, data)

    # -- other machines -------------------------------------------------------------------
    def _pull(self) -> None:
        """Every other machine's new records: each chain read (every record opened and
        verified) before anything is stored, then its accepted records stored in one
        transaction of sync.db: their revisions, the days they touch marked pending, the
        chain's new links; the peers' table last, sealed once."""
        peers = self.state.peers()
        machines = [m for m in self.folder.machines() if m != self.link.machine]
        with _bulk(REVS_PER_RECORD * sum(map(self._unread, machines))):
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

    def _chain(self, machine: str):  # noqa: ANN202 - a chain.Chain
        seen = self.state.seen(machine)
        chain = read_chain(self.folder, self.link.folder_id, machine, seen, self.link.keys)
        if chain.missing_epoch is not None and self._learn_keys():
            chain = read_chain(self.folder, self.link.folder_id, machine, seen, self.link.keys)
        if chain.missing_epoch is not None:
            chain.waiting.append(f"machine {machine}: its records use sync keys rotated on "
                                 "another machine; sync once with the passphrase used there")
        return chain

    def _learn_keys(self) -> bool:
        if self.passphrase is None:
            return False
        try:
            _fid, keys = folder_keys.open_any(self.folder, self.passphrase, self.allow_weak,
                                           self.link.folder_id)
        except JournalError:
            return False
        if not set(keys) - set(self.link.keys):
            return False
        self.link.keys.update(keys)
        self.link.epoch = max(self.link.keys)
        with self.state.transaction():
            self.state.save_link(self.vault.derived_key(LINK_PURPOSE))
            escrow.store(self.state, self.vault)
        _write_key_file(self.folder, self.link, self.passphrase, self.vault)
        return True

    def _take(self, machine: str, seq: int, digest: bytes, payload: dict[str, Any],
              peers: dict[str, dict[str, Any]], taken: _Taken) -> bool:
        """One accepted record's new revisions stored (sealed from the bytes their ids
        were checked against, then only the revision kept, in `arrived`); its days and
        links into `taken`, for `_pull` to store. False if it is refused."""
        try:
            revs = [Revision.from_json(r) for r in payload.get("revs", [])]
            retire = [(str(m), int(h)) for m, h in payload.get("retire", [])]
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

    # -- merged days into the vault -------------------------------------------------------
    def _apply(self, days: list[str]) -> None:
        if not days:
            return
        with _bulk(len(days)):
            self._merge_days(days)

    def _merge_days(self, days: list[str]) -> None:
        state = self.state
        known = state.applied()
        applied = {dkey: entry_id for entry_id, (dkey, _v) in known.items()}
        versions = self.vault.versions()
        all_revs = state.revs_of_days(sorted(days), self.arrived)
        puts: list[Entry] = []
        deletes: list[str] = []
        results: list[tuple[str, list[str], bool, Entry | None]] = []
        for day in sorted(days):
            revs = all_revs[day]
            content, conflict = resolve(revs)
            local = self._local(day, applied.get(state.day_key(day)), versions)
            if local is not None and known.get(local.id, (b"", -1))[1] != local.version:
                continue  # written here since this sync pushed: the next sync takes it first
            try:
                entry = Entry.from_dict(content) if content is not None else None
            except JournalError as exc:
                self.report.refused.append(f"the merged entry for {day} is not valid ({exc}); "
                                           "left as it was here")
                continue
            results.append((day, heads(revs), conflict, entry if entry else None))
            if entry is None:
                if local is not None:
                    deletes.append(local.id)
                    self.report.days_changed.append(day)
                continue
            if local is not None and content_of(local) == content:
                results[-1] = (day, heads(revs), conflict, local)
                continue
            if local is not None and local.id == entry.id:
                entry.version = local.version
            elif local is not None:
                deletes.append(local.id)
            puts.append(entry)
            self.report.days_changed.append(day)
        saved: dict[str, Entry] = {}
        if puts or deletes:
            with self.vault.transaction():  # a day whose id changes: both or neither
                for entry_id in deletes:
                    self.vault.delete(entry_id)
                saved = {e.id: e for e in self.vault.put_many(puts)}
        with state.transaction():
            state.save_days([{"day": d, "heads": h, "conflict": c} for d, h, c, _e in results])
            for day, _h, _c, entry in results:
                if entry is None:
                    state.clear_applied(day)
            state.set_applied_many([(saved.get(e.id, e).id, day, saved.get(e.id, e).version)
                                    for day, _h, _c, e in results if e is not None])
            self.report.conflicts += [day for day, _h, conflict, _e in results if conflict]
            state.clear_pending_many([day for day, _h, _c, _e in results])

    def _local(self, day: str, applied_id: str | None,
               versions: dict[str, int]) -> Entry | None:
        """This vault's entry for the day, if any (no lookup at all in an empty vault)."""
        if not versions:
            return None
        if applied_id in versions:
            return self.vault.get(applied_id)
        return self.vault.get_by_date(date.fromisoformat(day))

def join(directory: Path, vault_dir: Path, passphrase: str, *, kdf: crypto.KdfParams | None,
         clock: Any = None, allow_weak: bool = False,
         name: str | None = None) -> tuple[Vault, str | None, SyncReport]:
    """A new vault on this machine, filled from a sync folder other machines write (`name`:
    this machine's, the host name when not given)."""
    from journal.core.store.vault import Vault

    folder = Folder(Path(directory).expanduser().resolve())
    if not folder.exists():
        raise NotLinked(f"{directory} is not a journal sync folder (no journal-sync/keys)")
    opened = folder_keys.open_any(folder, passphrase, allow_weak)  # before creating anything
    vault, code = Vault.create(vault_dir, passphrase, kdf=kdf, clock=clock)
    try:
        link(vault, folder.base, passphrase, allow_weak=allow_weak, opened=opened, name=name)
        report = sync(vault, passphrase, allow_weak=allow_weak)
    except BaseException:
        vault.close()
        raise
    return vault, code, report


def unlock_with_new_passphrase(directory: Path, passphrase: str, *, allow_weak: bool = False,
                               clock: Any = None) -> Vault | None:
    """The vault, when `passphrase` was set on another machine of its sync folder: opened
    with its escrowed data key (journal.core.sync.escrow) and re-wrapped under the new
    passphrase, here and in this machine's key file. None when that does not apply."""
    from journal.core.store.vault import Vault

    dek = escrow.data_key(Path(directory), passphrase, allow_weak)
    if dek is None:
        return None
    try:
        vault = Vault.open(directory, data_key=dek, allow_weak=allow_weak, clock=clock)
    except JournalError:
        return None
    try:
        vault.change_passphrase(passphrase)
        rewrap(vault, passphrase)
    except BaseException:
        vault.close()
        raise
    return vault


def rewrap(vault: Vault, passphrase: str) -> bool:
    """After a passphrase change: this machine's key file in the folder under the new one
    (so a new machine can join with it). False when the vault is not linked."""
    if not is_linked(vault):
        return False
    state = open_state(vault)
    try:
        _write_key_file(Folder(Path(state.link.folder)), state.link, passphrase, vault)
    finally:
        state.close()
    return True


def forget(vault: Vault, machine: str, passphrase: str, *, allow_weak: bool = False) -> int:
    """Retire a machine: its records after the last one seen are refused everywhere, and a
    new sync key (a new epoch, wrapped under the passphrase) seals what is written from now
    on. Returns the new epoch."""
    return new_epoch(vault, passphrase, allow_weak=allow_weak, retire=machine)


def new_epoch(vault: Vault, passphrase: str, *, allow_weak: bool = False,
              retire: str | None = None) -> int:
    """A new random sync key for everything written from now on (after `rotate-keys`, or
    retiring a machine), wrapped under the passphrase in this machine's key file; the other
    machines take it up at their next sync with the passphrase. Returns the new epoch."""
    state = open_state(vault, passphrase, allow_weak=allow_weak)
    try:
        peers = state.peers()
        run = _Sync(vault, state, passphrase, allow_weak)
        extra: dict[str, Any] = {}
        if retire is not None:
            if retire == state.link.machine:
                raise JournalError("this is the machine you are on; retire it from another one")
            known = set(peers) | set(run.folder.machines()) | {
                p.name[:16] for p in run.folder.key_files()}
            if retire not in known:
                raise JournalError(f"no machine {retire} uses this sync folder "
                                   "('journal sync status' lists them)")
            head = int(peers.get(retire, {}).get("head", 0))
            extra["retire"] = [[retire, head]]
            peers.setdefault(retire, {})["retired"] = head
        link_ = state.link
        link_.epoch = max(link_.keys) + 1
        link_.keys[link_.epoch] = os.urandom(crypto.KEY_LEN)
        with state.transaction():
            state.save_link(vault.derived_key(LINK_PURPOSE))
            escrow.store(state, vault)
        _write_key_file(run.folder, link_, passphrase, vault)
        run._push(extra=extra or {"epoch": link_.epoch})
        run._publish()
        with state.transaction():
            state.save_peers(peers)
        return link_.epoch
    finally:
        state.close()


def status(vault: Vault) -> dict[str, Any]:
    """The machines seen, when each last wrote, and what is waiting (no key derivation)."""
    state = open_state(vault)
    try:
        folder = Folder(Path(state.link.folder))
        peers = state.peers()
        versions = vault.versions()
        applied = state.applied()
        pending_out = sum(1 for i, v in versions.items() if applied.get(i, (b"", -1))[1] != v)
        pending_out += sum(1 for i in applied if i not in versions)
        machines = []
        for machine in sorted(set(folder.machines()) | set(peers)):
            seen = max(state.seen(machine), default=0)
            unread = sum(1 for s in folder.records(machine).primary if s > seen)
            info = peers.get(machine, {})
            own = machine == state.link.machine
            name = machine_name(state.link) if own else str(info.get("name") or "")
            machines.append({"machine": machine, "name": name, "this": own, "records": seen,
                             "last_wrote": info.get("time") if not own else None,
                             "unread": 0 if own else unread,
                             "retired": info.get("retired") is not None})
        return {"machine": state.link.machine, "name": machine_name(state.link),
                "folder": state.link.folder,
                "epoch": state.link.epoch, "pending_out": pending_out,
                "pending_in": state.pending_count(), "machines": machines}
    finally:
        state.close()
