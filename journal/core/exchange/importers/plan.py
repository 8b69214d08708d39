"""Plan an import into an open vault: what is new, what merges, what is already there.

The plan is computed in memory, without writing; `apply` then writes every change in ONE
transaction. Planning is idempotent: importing the same source twice adds nothing, because

* an entry whose id (or date) is already in the vault with the same content is skipped;
* merging skips moments already present (same id, or same content without the id) and
  body paragraphs already present, so merging twice changes nothing the second time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from journal.core.exchange import format_v1 as exchange
from journal.core.exchange.importers.source import Source
from journal.core.model.entries import Entry, Moment, new_id
from journal.core.store.bulk import bucket_of
from journal.core.store.captures import merge_into
from journal.core.store.index_chunk import BUCKETS
from journal.core.store.vault import Vault


@dataclass
class ImportPlan:
    total: int = 0
    new: list[Entry] = field(default_factory=list)
    merged: list[Entry] = field(default_factory=list)
    unchanged: int = 0
    #: One line per day where imported content meets an existing, different entry.
    conflicts: list[str] = field(default_factory=list)
    #: A plan of a `Source` (`plan_source`): the entries written as they are in it (new
    #: days, ids the vault does not know) stay there, marked here by position, and are
    #: read again as they are written. `new` holds only the others.
    source: Source | None = None
    fresh: bytearray = field(default_factory=bytearray)
    fresh_days: tuple[date, date] | None = None

    @property
    def writes(self) -> list[Entry]:
        """The entries to write that the plan holds (not those left in its source)."""
        return [*self.new, *self.merged]

    @property
    def new_count(self) -> int:
        return len(self.new) + self.fresh.count(1)

    @property
    def write_count(self) -> int:
        return self.new_count + len(self.merged)

    @property
    def date_range(self) -> tuple[date, date] | None:
        days = [e.date for e in self.writes]
        if self.fresh_days is not None:
            days.extend(self.fresh_days)
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


#: How many entries of a source that meet the vault (or each other) are planned at once:
#: a re-import of a large export holds this many, and their days' entries from the vault.
BATCH = 2_000


def _vault_days(vault: Vault) -> tuple[dict[date, str], set[str]]:
    """The vault's days (day -> entry id) and ids, from the index: nothing decrypted."""
    on_day: dict[date, str] = {}
    known: set[str] = set()
    for day, entry_id, *_rest in vault.index().day_rows():
        on_day[day] = entry_id
        known.add(entry_id)
    return on_day, known


class _Planner:
    """The planning loop, fed in batches (`take`): what it keeps between batches is the
    planned state of each day it changes, never an entry it only compared."""

    def __init__(self, vault: Vault, progress: Callable[[int], None] | None,
                 consume: bool) -> None:
        self.vault = vault
        self.progress = progress
        self.consume = consume
        self.on_day, self.known = _vault_days(vault)
        self.result = ImportPlan()
        self.pending: dict[date, Entry] = {}  # the planned state of each touched day
        self.status: dict[date, str] = {}  # "new" | "merged"

    def _existing(self, incoming: list[Entry]) -> tuple[dict[str, Entry], dict[date, Entry]]:
        """The vault's entries that share an id or a date with an incoming one, by id and
        by date: found in the index, and only those decrypted (an import into a large
        vault never reads every entry)."""
        wanted = {e.id for e in incoming if e.id in self.known}
        wanted.update(self.on_day[e.date] for e in incoming if e.date in self.on_day)
        found = self.vault.get_many(sorted(wanted))
        return {e.id: e for e in found}, {e.date: e for e in found}

    def take(self, owned: list[Entry]) -> None:
        """Plan these entries (emptying the list as it goes)."""
        by_id, by_date = self._existing(owned)
        result, pending, status = self.result, self.pending, self.status
        for index in range(len(owned)):
            entry, owned[index] = owned[index], None  # type: ignore[call-overload]
            result.total += 1
            if self.progress:
                self.progress(1)
            if not self.consume:
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
        owned.clear()

    def finish(self) -> ImportPlan:
        for day in sorted(self.pending):
            if self.status.get(day) == "new":
                self.result.new.append(self.pending[day])
            elif self.status.get(day) == "merged":
                self.result.merged.append(self.pending[day])
        return self.result


def plan(vault: Vault, incoming: Iterable[Entry],
         progress: Callable[[int], None] | None = None, *, consume: bool = False) -> ImportPlan:
    """`consume` (with a list): the plan takes the entries themselves instead of copies and
    empties the list as it goes, so a large import holds each entry once, not twice (the
    caller's list, then the plan's copies)."""
    owned = incoming if consume and isinstance(incoming, list) else list(incoming)
    planner = _Planner(vault, progress, consume)
    planner.take(owned)
    return planner.finish()


def plan_source(vault: Vault, source: Source,
                progress: Callable[[int], None] | None = None) -> ImportPlan:
    """`plan` for a validated source, from its ids and dates: an entry whose day is new to
    the vault and to the rest of the source, and whose id the vault does not know, is
    written as it is, so it is left in the source (`fresh`) and read again only when
    written. Only the others (days that merge, ids already used) are read and planned as
    `plan` does, `BATCH` at a time (a re-import holds a batch, not the file)."""
    survey = source.survey
    planner = _Planner(vault, progress, consume=True)
    per_day = Counter(survey.days)
    fresh = bytearray(per_day[day] == 1 and day not in planner.on_day
                      and entry_id not in planner.known
                      for entry_id, day in zip(survey.ids, survey.days, strict=True))
    if fresh.count(1) < len(fresh):
        batch: list[Entry] = []
        for _, entry in source.entries(lambda i: not fresh[i]):
            batch.append(entry)
            if len(batch) >= BATCH:
                planner.take(batch)
        planner.take(batch)
    result = planner.finish()
    days = [day for day, is_fresh in zip(survey.days, fresh, strict=True) if is_fresh]
    result.total = len(survey)
    result.source, result.fresh = source, fresh
    result.fresh_days = (min(days), max(days)) if days else None
    if progress and days:
        progress(len(days))
    return result


def apply(vault: Vault, import_plan: ImportPlan,
          progress: Callable[[int], None] | None = None) -> int:
    """Write the plan in one transaction (all or nothing), in one `put_many` so that each
    manifest bucket and index chunk is rewritten once. Returns entries written. A plan of
    a source streams: its entries are read again in parts, a range of buckets at a time,
    and handed to `put_many` one bucket at a time (`_in_buckets`)."""
    if import_plan.source is None:
        writes = import_plan.writes
        with vault.transaction():
            vault.put_many(writes, progress=progress)
        return len(writes)
    with vault.transaction():
        vault.put_many(_in_buckets(import_plan), progress=progress)
    return import_plan.write_count


def _in_buckets(import_plan: ImportPlan) -> Iterator[Entry]:
    """Every write of a source's plan, grouped by manifest bucket in ascending order, for
    a streamed `put_many`. The source is read once per range of buckets holding at most
    `source.group` of its fresh entries, so at most that many are held at once (a list
    source has them all anyway: one range)."""
    source = import_plan.source
    assert source is not None
    fresh = import_plan.fresh
    bucket = bytes(bucket_of(entry_id) for entry_id in source.survey.ids)
    held: dict[int, list[Entry]] = {}
    for entry in import_plan.writes:
        held.setdefault(bucket_of(entry.id), []).append(entry)
    per_bucket = Counter(b for b, is_fresh in zip(bucket, fresh, strict=True) if is_fresh)
    low = 0
    while low < BUCKETS:
        high, count = low, 0
        while high < BUCKETS and (high == low or count + per_bucket[high] <= source.group):
            count += per_bucket[high]
            high += 1
        lo, hi = low, high
        got: dict[int, list[Entry]] = {}
        if count:
            for index, entry in source.entries(
                    lambda i, lo=lo, hi=hi: fresh[i] and lo <= bucket[i] < hi):
                got.setdefault(bucket[index], []).append(entry)
        for b in range(lo, hi):
            group = got.pop(b, []) + held.pop(b, [])
            while group:
                yield group.pop()
        low = high
