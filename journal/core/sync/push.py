"""The push: this vault's changes since the last one become revisions and this machine's
next records, in one transaction of sync.db (the *outbox*), before anything is copied to
the folder (journal.core.sync.publish does that)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from typing import TYPE_CHECKING, Any

from journal.core.model.entries import Entry
from journal.core.store import crypto
from journal.core.sync import record
from journal.core.sync.merge import resolve
from journal.core.sync.report import SyncReport
from journal.core.sync.revisions import Revision, ancestry, content_of
from journal.core.sync.state import SyncState

if TYPE_CHECKING:
    from journal.core.store.vault import Vault

Bulk = Callable[[int], AbstractContextManager[object]]
"""The collector paused for a step holding this many revisions or entries, if they are many
(journal.core.sync.session)."""


class _Records:
    """This machine's next records, written as a push makes its revisions: each new
    revision stored (and its day's new head), then sealed into a record of `per_record`;
    `extra` goes into the first record (which is written even empty)."""

    def __init__(self, push: Push, extra: dict[str, Any]) -> None:
        self.push, self.extra = push, extra
        state = push.state
        seen = state.seen(state.link.machine)
        self.seq = max(seen, default=0)
        self.prev = seen.get(self.seq)
        self.key = record.record_key(state.link.keys[state.link.epoch])
        self.waiting: list[Revision] = []
        self.sent = 0
        self.written = 0

    def add(self, revs: list[Revision]) -> None:
        state, per_record = self.push.state, self.push.per_record
        state.add_revs(revs)
        state.save_days([{"day": r.day, "heads": [r.id], "conflict": False} for r in revs])
        self.sent += len(revs)
        self.waiting += revs
        while len(self.waiting) >= per_record:
            self._write(self.waiting[:per_record])
            del self.waiting[:per_record]

    def finish(self) -> None:
        if self.waiting or (self.extra and not self.written):
            self._write(self.waiting)
            self.waiting = []

    def _write(self, revs: list[Revision]) -> None:
        push = self.push
        link = push.state.link
        self.seq += 1
        payload = {"seq": self.seq, "machine": link.machine,
                   "prev": self.prev.hex() if self.prev else "",
                   "time": push.vault.clock.now().isoformat(timespec="seconds"),
                   "name": push.name}
        if not self.written:
            payload.update(self.extra)
        raw = record.encode_with(payload, "revs", [r.record_json() for r in revs])
        data = record.seal_encoded(self.key, link.epoch, link.folder_id, link.machine,
                                   self.seq, raw)
        self.prev = crypto.digest(data)
        push.state.add_seen(link.machine, self.seq, self.prev)
        push.state.add_outbox(self.seq, data)
        push.created.add(self.seq)
        self.written += 1


def _based_on(revs: dict[str, Revision], tips: list[str]) -> Any:
    """The day as sync last wrote it here: the merge of `tips` alone (revisions that
    arrived since and are not yet applied do not count as this machine's change)."""
    closure: set[str] = set()
    for tip in tips:
        closure |= ancestry(revs, tip)
    return resolve({k: v for k, v in revs.items() if k in closure})[0]


class Push:
    """This machine's side of a sync: `name` goes into each revision and record it writes
    (who wrote a conflict's side); `created` gathers the records it wrote."""

    def __init__(self, vault: Vault, state: SyncState, name: str, *, per_record: int,
                 bulk: Bulk) -> None:
        self.vault, self.state, self.name = vault, state, name
        self.per_record, self.bulk = per_record, bulk
        self.created: set[int] = set()

    def run(self, report: SyncReport, extra: dict[str, Any] | None = None) -> None:
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
        with self.bulk(len(changed)), state.transaction():
            records = _Records(self, extra or {})  # this chain's head, read under the lock
            for start in range(0, len(changed), self.per_record):
                entries = self.vault.get_many(changed[start:start + self.per_record])
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
        report.sent += records.sent

    def _author(self, entry: Entry | None) -> tuple[str, str, str]:
        """Who writes a new revision: this machine's name, when the entry was saved here
        (its `updated_at`; for a deletion or an entry without one, now), and this machine's
        id (which tells it apart from another of the same name)."""
        saved = entry.updated_at if entry is not None and entry.updated_at else \
            self.vault.clock.now()
        return self.name, saved.isoformat(timespec="seconds"), self.state.link.machine
