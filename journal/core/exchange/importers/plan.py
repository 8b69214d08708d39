"""Plan an import into an open vault: what is new, what merges, what is already there.

The plan is computed in memory, without writing; `apply` then writes every change in ONE
transaction. Planning is idempotent: importing the same source twice adds nothing, because

* an entry whose id (or date) is already in the vault with the same content is skipped;
* merging skips moments already present (same id, or same content without the id) and
  body paragraphs already present, so merging twice changes nothing the second time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from journal.core.exchange import format_v1 as exchange
from journal.core.model.entries import Entry, Moment, new_id
from journal.core.store.captures import merge_into
from journal.core.store.vault import Vault


@dataclass
class ImportPlan:
    total: int = 0
    new: list[Entry] = field(default_factory=list)
    merged: list[Entry] = field(default_factory=list)
    unchanged: int = 0
    #: One line per day where imported content meets an existing, different entry.
    conflicts: list[str] = field(default_factory=list)

    @property
    def writes(self) -> list[Entry]:
        return [*self.new, *self.merged]

    @property
    def date_range(self) -> tuple[date, date] | None:
        days = [e.date for e in self.writes]
        return (min(days), max(days)) if days else None


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]


def _norm(text: str) -> str:
    return " ".join(text.split())


def _moment_key(moment: Moment) -> tuple:
    data = exchange.moment_dict(moment)
    data.pop("id")
    return tuple(sorted((k, repr(v)) for k, v in data.items()))


def merge_idempotent(target: Entry, extra: Entry) -> Entry:
    """`merge_into`, minus whatever of `extra` is already in `target`."""
    present = {_norm(p) for p in _paragraphs(target.body)}
    present_body = _norm(target.body)
    fresh = [p for p in _paragraphs(extra.body)
             if _norm(p) not in present and _norm(p) not in present_body]
    trimmed = extra.copy()
    trimmed.body = "\n\n".join(fresh)
    ids = {m.id for m in target.moments}
    keys = {_moment_key(m) for m in target.moments}
    trimmed.moments = [m for m in extra.moments
                       if m.id not in ids and _moment_key(m) not in keys]
    merged = merge_into(target, trimmed)
    for key, value in extra.extra.items():
        merged.extra.setdefault(key, value)
    return merged


def _same(a: Entry, b: Entry) -> bool:
    da, db = exchange.entry_dict(a), exchange.entry_dict(b)
    if b.written_at is None:
        da.pop("written_at")
        db.pop("written_at")
    return da == db


def _existing(vault: Vault, incoming: list[Entry]) -> tuple[dict[str, Entry], dict[date, Entry]]:
    """The vault's entries that share an id or a date with an incoming one, by id and by
    date: found in the index, and only those decrypted (an import into a large vault
    never reads every entry)."""
    on_day: dict[date, str] = {}
    known: set[str] = set()
    for day, entry_id, *_rest in vault.index().day_rows():
        on_day[day] = entry_id
        known.add(entry_id)
    wanted = {e.id for e in incoming if e.id in known}
    wanted.update(on_day[e.date] for e in incoming if e.date in on_day)
    found = vault.get_many(sorted(wanted))
    return {e.id: e for e in found}, {e.date: e for e in found}


def plan(vault: Vault, incoming: Iterable[Entry],
         progress: Callable[[int], None] | None = None, *, consume: bool = False) -> ImportPlan:
    """`consume` (with a list): the plan takes the entries themselves instead of copies and
    empties the list as it goes, so a large import holds each entry once, not twice (the
    caller's list, then the plan's copies)."""
    owned = incoming if consume and isinstance(incoming, list) else list(incoming)
    by_id, by_date = _existing(vault, owned)
    result = ImportPlan()
    pending: dict[date, Entry] = {}  # the planned state of each touched day
    status: dict[date, str] = {}  # "new" | "merged"
    for index in range(len(owned)):
        entry, owned[index] = owned[index], None  # type: ignore[call-overload]
        result.total += 1
        if progress:
            progress(1)
        if not consume:
            entry = entry.copy()
        entry.version = 0
        holder = by_id.get(entry.id)
        if holder is not None and holder.date != entry.date:
            result.conflicts.append(
                f"{entry.date}: its id is already used by the entry for {holder.date}; "
                "imported under a new id")
            entry.id = new_id()
        base = pending.get(entry.date) or by_date.get(entry.date)
        if base is None:
            pending[entry.date] = entry
            status[entry.date] = "new"
            continue
        if _same(base, entry):
            if entry.date not in status:
                result.unchanged += 1
            continue
        merged = merge_idempotent(base, entry)
        if _same(base, merged):
            if entry.date not in status:
                result.unchanged += 1
            continue
        pending[entry.date] = merged
        if entry.date not in status:
            status[entry.date] = "merged"
            result.conflicts.append(f"{entry.date}: merged into the existing entry")
    for day in sorted(pending):
        if status.get(day) == "new":
            result.new.append(pending[day])
        elif status.get(day) == "merged":
            result.merged.append(pending[day])
    if consume:
        owned.clear()
    return result


def apply(vault: Vault, import_plan: ImportPlan,
          progress: Callable[[int], None] | None = None) -> int:
    """Write the plan in one transaction (all or nothing), in one `put_many` so that each
    manifest bucket and index chunk is rewritten once. Returns entries written."""
    writes = import_plan.writes
    with vault.transaction():
        vault.put_many(writes, progress=progress)
    return len(writes)
