"""The pending days merged into the vault: each day's revisions resolved (the three-way
merge, journal.core.sync.merge), the merged entry written in one vault transaction with
any entry it replaces, and only then the day's new heads kept and the day no longer
pending. A day written here since the push is left for the next sync to take first."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from journal.core.errors import JournalError
from journal.core.model.entries import Entry
from journal.core.sync.merge import resolve
from journal.core.sync.push import Bulk
from journal.core.sync.report import SyncReport
from journal.core.sync.revisions import Revision, content_of, heads
from journal.core.sync.state import SyncState

if TYPE_CHECKING:
    from journal.core.store.vault import Vault


def apply(vault: Vault, state: SyncState, days: list[str], arrived: dict[str, Revision],
          report: SyncReport, bulk: Bulk) -> None:
    """Merge `days` into the vault (`arrived`: revisions this sync stored, read from there
    rather than decrypted back from sync.db)."""
    if not days:
        return
    with bulk(len(days)):
        _merge_days(vault, state, days, arrived, report)


def _merge_days(vault: Vault, state: SyncState, days: list[str], arrived: dict[str, Revision],
                report: SyncReport) -> None:
    known = state.applied()
    applied = {dkey: entry_id for entry_id, (dkey, _v) in known.items()}
    versions = vault.versions()
    all_revs = state.revs_of_days(sorted(days), arrived)
    puts: list[Entry] = []
    deletes: list[str] = []
    results: list[tuple[str, list[str], bool, Entry | None]] = []
    for day in sorted(days):
        revs = all_revs[day]
        content, conflict = resolve(revs)
        local = _local(vault, day, applied.get(state.day_key(day)), versions)
        if local is not None and known.get(local.id, (b"", -1))[1] != local.version:
            continue  # written here since this sync pushed: the next sync takes it first
        try:
            entry = Entry.from_dict(content) if content is not None else None
        except JournalError as exc:
            report.refused.append(f"the merged entry for {day} is not valid ({exc}); "
                                  "left as it was here")
            continue
        results.append((day, heads(revs), conflict, entry if entry else None))
        if entry is None:
            if local is not None:
                deletes.append(local.id)
                report.days_changed.append(day)
            continue
        if local is not None and content_of(local) == content:
            results[-1] = (day, heads(revs), conflict, local)
            continue
        if local is not None and local.id == entry.id:
            entry.version = local.version
        elif local is not None:
            deletes.append(local.id)
        puts.append(entry)
        report.days_changed.append(day)
    saved: dict[str, Entry] = {}
    if puts or deletes:
        with vault.transaction():  # a day whose id changes: both or neither
            for entry_id in deletes:
                vault.delete(entry_id)
            saved = {e.id: e for e in vault.put_many(puts)}
    with state.transaction():
        state.save_days([{"day": d, "heads": h, "conflict": c} for d, h, c, _e in results])
        for day, _h, _c, entry in results:
            if entry is None:
                state.clear_applied(day)
        state.set_applied_many([(saved.get(e.id, e).id, day, saved.get(e.id, e).version)
                                for day, _h, _c, e in results if e is not None])
        report.conflicts += [day for day, _h, conflict, _e in results if conflict]
        report.conflict_machines.update(
            (day, _machines(all_revs[day], tips)) for day, tips, conflict, _e in results
            if conflict)
        state.clear_pending_many([day for day, _h, _c, _e in results])


def _machines(revs: dict[str, Revision], tips: list[str]) -> list[str]:
    """The ids of the machines whose versions a conflicted day merges (its heads' authors,
    those that carry one), each once, in the heads' order."""
    return list(dict.fromkeys(revs[t].by[2] for t in tips
                              if revs[t].by is not None and len(revs[t].by) >= 3))


def _local(vault: Vault, day: str, applied_id: str | None,
           versions: dict[str, int]) -> Entry | None:
    """This vault's entry for the day, if any (no lookup at all in an empty vault)."""
    if not versions:
        return None
    if applied_id in versions:
        return vault.get(applied_id)
    return vault.get_by_date(date.fromisoformat(day))
