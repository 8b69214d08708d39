"""One sync between a vault and its folder, and the link that makes it possible: linking a
vault (or joining a folder other machines use), opening the sealed link, one sync, a new key
epoch, retiring a machine, the status.

A sync composes its steps, each in a module of its own: the push (journal.core.sync.push:
local changes become revisions and this machine's next record, in one sync.db transaction,
the *outbox*, before the record is copied), the compaction and the copy to the folder
(`publish`), the pull (`pull`: remote revisions stored and their days marked *pending* in
one transaction before the vault is written) and the merge into the vault (`apply`: a day
stops being pending only after its merged entry is in the vault). So every step is safe to
interrupt: re-running after a crash redoes what was left, and nothing is applied twice
(revision ids are content hashes).
"""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.core.errors import JournalError, NotLinked, StorageError, ValidationError
from journal.core.model.conflicts import clean_name
from journal.core.store import crypto
from journal.core.store.bulk import paused_gc
from journal.core.sync import escrow, folder_keys, record
from journal.core.sync.apply import apply
from journal.core.sync.layout import Folder
from journal.core.sync.link_keys import LINK_PURPOSE, reseal, write_key_file
from journal.core.sync.machines import Machine, known, matching, shared_names, shown
from journal.core.sync.publish import compact, publish
from journal.core.sync.pull import Pull
from journal.core.sync.push import Push
from journal.core.sync.report import SyncReport
from journal.core.sync.state import Link, SyncState

if TYPE_CHECKING:
    from journal.core.store.vault import Vault

__all__ = ["SyncReport", "forget", "is_linked", "join", "link", "machine_name", "machines_of",
           "new_epoch", "open_folder", "open_state", "rename", "rewrap", "status", "sync",
           "tries_key", "unlock_with_new_passphrase"]

#: Revisions per change record.
REVS_PER_RECORD = 500
#: A machine folds its records into one compaction file once it has written this many more.
COMPACT_EVERY = 64
#: From this many revisions or entries held at once, a sync pauses the collector (`_bulk`).
BULK = 1000


# -- linking ----------------------------------------------------------------------------------
def machine_name(link_: Link) -> str:
    """This machine's name: the one chosen at `sync init`, else the host name (read, never
    looked up on a network), one line, at most 40 characters."""
    return clean_name(link_.name or socket.gethostname()) or link_.machine


def is_linked(vault: Vault) -> bool:
    return SyncState.exists(vault.directory)


def link(vault: Vault, directory: Path, passphrase: str, *, allow_weak: bool = False,
         opened: tuple[str, dict[int, bytes]] | None = None, name: str | None = None,
         machine: str | None = None) -> Link:
    """Link this vault to a sync folder: a new one, or one other machines already use.
    `name` is this machine's name for the others (the host name when not given);
    `machine` its id (a new random one when not given)."""
    if is_linked(vault):
        conn = SyncState.connect(vault.directory)
        try:
            if SyncState.sealed_link(conn) is not None:
                raise ValidationError("this vault is already linked to a sync folder "
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
    new = Link(machine or _new_machine_id(), str(folder.base), folder_id, max(keys), keys,
               clean_name(name or ""))
    write_key_file(folder, new, passphrase, vault)
    state = SyncState(SyncState.connect(vault.directory), new)
    try:
        reseal(state, vault)
    finally:
        state.close()
    return new


def _new_machine_id() -> str:
    return os.urandom(8).hex()


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
        state.link.name = state.renamed() or state.link.name  # renamed, not yet told
        reseal(state, vault)  # the data key changed (rotate-keys): the escrow too
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
        return _run(vault, state, passphrase, allow_weak)
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


def _push(vault: Vault, state: SyncState, report: SyncReport,
          extra: dict[str, Any] | None = None) -> Push:
    """This sync's push, this machine's name in everything it writes; after a rename, its
    first record is written even when nothing changed, to tell the others the name."""
    push = Push(vault, state, machine_name(state.link), per_record=REVS_PER_RECORD,
                bulk=_bulk)
    renamed = state.renamed() is not None
    push.run(report, {**(extra or {}), "renamed": True} if renamed else extra)
    if renamed:  # (interrupted before this: one more record with the same name, harmless)
        with state.transaction():
            state.clear_renamed()
    return push


def _run(vault: Vault, state: SyncState, passphrase: str | None,
         allow_weak: bool) -> SyncReport:
    """Push, compact, publish, pull, then merge the pending days into the vault."""
    folder = Folder(Path(state.link.folder))
    report = SyncReport(machine=state.link.machine)
    if not folder.root.is_dir():
        raise StorageError(f"the sync folder {folder.base} is not there (not "
                           "mounted, or moved?)")
    if escrow.stale(state):
        with state.transaction():
            escrow.store(state, vault)
    push = _push(vault, state, report)
    compacted = compact(vault, state, push.name, COMPACT_EVERY)
    publish(state, folder, report, push.created, compacted)
    pull = Pull(vault, state, folder, report, passphrase, allow_weak,
                per_record=REVS_PER_RECORD, bulk=_bulk)
    pull.run()
    apply(vault, state, state.pending(), pull.arrived, report, _bulk)
    report.name_machines(shown(known(state.link.machine, machine_name(state.link),
                                     pull.peers)))  # (not read back from sync.db)
    return report


def _sync_folder(directory: Path) -> Folder:
    """The sync folder at `directory`; NotLinked, saying which, when there is none."""
    folder = Folder(Path(directory).expanduser().resolve())
    if not Path(directory).expanduser().exists():
        raise NotLinked(f"{directory} does not exist: give the sync folder another machine "
                        "made ('journal sync init DIR' there)")
    if not folder.exists():
        raise NotLinked(f"{directory} is not a journal sync folder (no journal-sync/keys)")
    return folder


def tries_key(directory: Path) -> bytes:
    """What wrong passphrases at the sync folder `directory` count under before any vault
    exists (`journal init --from-sync`): folder_keys.tries_key. NotLinked when it is not
    a sync folder, before anyone is asked for a passphrase."""
    folder = _sync_folder(directory)
    return folder_keys.tries_key(folder)


def open_folder(directory: Path, passphrase: str, *,
                allow_weak: bool = False) -> tuple[str, dict[int, bytes]]:
    """The folder id and its sync keys, opened with `passphrase` (one try at the folder's
    key files, WrongPassphrase when it opens none), before anything is made: what
    `join` then takes as `opened`."""
    folder = _sync_folder(directory)
    return folder_keys.open_any(folder, passphrase, allow_weak)


def join(directory: Path, vault_dir: Path, passphrase: str, *, kdf: crypto.KdfParams | None,
         clock: Any = None, allow_weak: bool = False, name: str | None = None,
         opened: tuple[str, dict[int, bytes]] | None = None) -> tuple[int, str | None,
                                                                      SyncReport]:
    """A new vault at `vault_dir` on this machine, filled from a sync folder other
    machines write (`name`: this machine's, the host name when not given; `opened`: the
    folder's keys from `open_folder`, else opened here): its entry count, its recovery
    code and the first sync's report.

    All or nothing: the vault is created, linked and synced in a sibling directory and
    renamed onto `vault_dir` only when all of it worked (journal.core.store.staging), so
    a failure, or the program killed, leaves no vault behind; the key file this machine
    wrote in the folder is removed again on a failure (only this join wrote under its new
    machine id, and a first sync of an empty vault publishes no record)."""
    from journal.core.store.staging import staged
    from journal.core.store.vault import Vault

    folder = Folder(Path(directory).expanduser().resolve())
    if opened is None:
        opened = open_folder(folder.base, passphrase, allow_weak=allow_weak)
    machine = _new_machine_id()
    try:
        with staged(Path(vault_dir)) as place:
            vault, code = Vault.create(place, passphrase, kdf=kdf, clock=clock)
            try:
                link(vault, folder.base, passphrase, allow_weak=allow_weak, opened=opened,
                     name=name, machine=machine)
                report = sync(vault, passphrase, allow_weak=allow_weak)
                count = vault.count()
            finally:
                vault.close()
    except BaseException:
        folder.remove(folder.key_path(machine))
        raise
    return count, code, report


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


def rename(vault: Vault, name: str, passphrase: str | None = None, *,
           allow_weak: bool = False) -> tuple[str, str]:
    """Give this machine a new name for the others: kept in the sealed link (what `sync
    status` shows and every revision written from now on carries), and told to the other
    machines by this machine's next record, written at its next sync even if nothing
    changed. The name is untrusted text made one line as at `sync init --name`; one with
    nothing visible left is refused. Returns (old name, new name). Revisions written
    before keep the old name (they are sealed and hashed with it)."""
    cleaned = clean_name(name)
    if not cleaned:
        raise ValidationError("a machine's name needs at least one visible character")
    state = open_state(vault, passphrase, allow_weak=allow_weak)
    try:
        old = machine_name(state.link)
        state.link.name = cleaned
        with state.transaction():
            state.save_link(vault.derived_key(LINK_PURPOSE))
            state.mark_renamed(cleaned)
        return old, cleaned
    finally:
        state.close()


def rewrap(vault: Vault, passphrase: str) -> bool:
    """After a passphrase change: this machine's key file in the folder under the new one
    (so a new machine can join with it). False when the vault is not linked."""
    if not is_linked(vault):
        return False
    state = open_state(vault)
    try:
        write_key_file(Folder(Path(state.link.folder)), state.link, passphrase, vault)
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
        folder = Folder(Path(state.link.folder))
        extra: dict[str, Any] = {}
        if retire is not None:
            retire = _retiring(state, retire, set(peers) | set(folder.machines()) | {
                p.name[:16] for p in folder.key_files()})
            head = int(peers.get(retire, {}).get("head", 0))
            extra["retire"] = [[retire, head]]
            peers.setdefault(retire, {})["retired"] = head
        link_ = state.link
        link_.epoch = max(link_.keys) + 1
        link_.keys[link_.epoch] = os.urandom(crypto.KEY_LEN)
        reseal(state, vault)
        write_key_file(folder, link_, passphrase, vault)
        push = _push(vault, state, SyncReport(), extra or {"epoch": link_.epoch})
        publish(state, folder, SyncReport(), push.created)
        with state.transaction():
            state.save_peers(peers)
        return link_.epoch
    finally:
        state.close()


def _retiring(state: SyncState, said: str, others: set[str]) -> str:
    """The id of the machine `said` names (its id, the start of it, or its name), to
    retire; a clear error when it names none, several, or this machine."""
    found = matching(machines_of(state, others), said)
    if not found:
        raise ValidationError(f"no machine {said} uses this sync folder ('journal sync status' "
                           "lists them)")
    if len(found) > 1:
        raise ValidationError(f"{len(found)} machines are called {clean_name(said)} ("
                           f"{', '.join(m.id for m in found)}): give the id of the one to "
                           "retire ('journal sync status' lists them)")
    if found[0].this:
        raise ValidationError("this is the machine you are on; retire it from another one")
    return found[0].id


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
        joined = {p.name[:16] for p in folder.key_files()}  # (some have written nothing yet)
        everyone = machines_of(state, {*folder.machines(), *joined})
        words = shown(everyone)
        for machine in sorted({*folder.machines(), *peers, *joined}):
            seen = max(state.seen(machine), default=0)
            unread = sum(1 for s in folder.records(machine).primary if s > seen)
            info = peers.get(machine, {})
            own = machine == state.link.machine
            name = machine_name(state.link) if own else str(info.get("name") or "")
            machines.append({"machine": machine, "name": name, "shown": words[machine],
                             "this": own, "records": seen,
                             "last_wrote": info.get("time") if not own else None,
                             "unread": 0 if own else unread,
                             "retired": info.get("retired") is not None})
        return {"machine": state.link.machine, "name": machine_name(state.link),
                "folder": state.link.folder,
                "epoch": state.link.epoch, "pending_out": pending_out,
                "pending_in": state.pending_count(), "machines": machines,
                "shared_names": shared_names(everyone)}
    finally:
        state.close()


def machines_of(state: SyncState, others: Iterable[str] = ()) -> list[Machine]:
    """Every machine this sync state knows (and `others`, ids with records in the folder),
    to tell apart as a person would (journal.core.sync.machines)."""
    return known(state.link.machine, machine_name(state.link), state.peers(), others)
