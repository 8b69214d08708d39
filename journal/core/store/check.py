"""`journal check`: every record authenticated, the manifest, every index chunk (its fold
too) and word row the manifest vouches for against the records, every pending quick
capture, the sealing key and SQLite's own integrity check, each problem named (the vault
is not changed)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from journal.core.errors import IntegrityError, JournalError
from journal.core.store import crypto
from journal.core.store.bulk import paused_gc
from journal.core.store.captures import Captures
from journal.core.store.index_chunk import BUCKETS, record_of
from journal.core.store.index_store import IndexStore
from journal.core.store.keyring import KeyRing
from journal.core.store.manifest import Manifest
from journal.core.store.records import Records, row_name
from journal.core.store.word_chunk import WordChunk, words_of


@dataclass
class CheckReport:
    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_vault(conn: sqlite3.Connection, keys: KeyRing, records: Records,
                manifest: Manifest, indexes: IndexStore, captures: Captures) -> CheckReport:
    """Authenticate every record and the manifest; name each damaged record. Python's
    cyclic collector is paused meanwhile (`paused_gc`: every entry's summary and words are
    held until the index is compared, and each collection walked them all: a fifth of
    the check's time at 10,000 entries)."""
    with paused_gc():
        return _check(conn, keys, records, manifest, indexes, captures)


def _check(conn: sqlite3.Connection, keys: KeyRing, records: Records, manifest: Manifest,
           indexes: IndexStore, captures: Captures) -> CheckReport:
    problems: list[str] = []
    count = 0
    days: dict[date, str] = {}
    summaries: dict[int, dict[str, list[Any]]] = {}
    words: dict[int, dict[str, list[str]]] = {}
    for raw_uuid, version, ct, row_digest in records.rows():
        count += 1
        name = row_name(raw_uuid)
        try:
            entry = records.decrypt(raw_uuid, version, ct, row_digest)
        except crypto.DecryptError as exc:
            problems.append(f"entry {name} (version {version}): fails authentication "
                            f"({exc})")
            continue
        summaries.setdefault(raw_uuid[0], {})[entry.id] = record_of(entry)
        words.setdefault(raw_uuid[0], {})[entry.id] = words_of(entry)
        if entry.date in days:
            problems.append(f"entry {name}: a second entry for {entry.date}")
        days[entry.date] = name
        if records.day_key_of(raw_uuid) != keys.day_key(entry.date):
            problems.append(f"entry {name}: its day index was altered outside the journal")
    try:
        problems.extend(manifest.problems())
    except IntegrityError as exc:
        problems.append(str(exc))
    problems.extend(_index_problems(indexes, summaries, words))
    problems.extend(_capture_problems(captures))
    sealing = keys.sealing_key_problem()
    if sealing is not None:
        problems.append(sealing.replace(" (key restored)", ""))
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            problems.append(f"SQLite integrity check: {integrity}")
    except sqlite3.DatabaseError as exc:
        problems.append(f"SQLite integrity check: {exc}")
    return CheckReport(count, problems)


def _index_problems(indexes: IndexStore, summaries: dict[int, dict[str, list[Any]]],
                    words: dict[int, dict[str, list[str]]]) -> list[str]:
    """A chunk that matches the manifest is believed by every list, search and reflection:
    it must hold exactly the summaries of its bucket's records; and a word row that matches
    such a chunk is believed by every word search: its rows must hold exactly the words of
    the chunk's entries. (One that does not match, or is missing, is rebuilt from the
    records when read: no problem.)"""
    try:
        stamps = indexes.stamps()
    except JournalError:
        return []  # the manifest itself is damaged: reported above
    problems = []
    sealed_chunks, sealed_words = indexes.sealed()  # not a query per bucket
    for bucket in range(BUCKETS):
        blob = sealed_chunks.get(bucket)
        chunk = indexes.open_chunk(bucket, blob) if blob is not None else None
        if chunk is None or chunk.mac != stamps[bucket]:
            continue
        stored = {record[0]: record for record in chunk.records()}
        actual = summaries.get(bucket, {})
        if not chunk.fold_matches():
            problems.append(f"index chunk {bucket}: its folded moments do not match its rows "
                            "(reflection would count them wrong)")
        blob = sealed_words.get(bucket)
        word_row = indexes.open_word_chunk(bucket, blob) if blob is not None else None
        problems.extend(_word_problems(word_row, bucket, chunk.ids, chunk.mac,
                                       words.get(bucket, {})))
        if stored != actual:
            missing = len(actual.keys() - stored.keys())
            problems.append(
                f"index chunk {bucket} does not match its entries ({missing} missing from "
                "lists, search and reflection, "
                f"{len(stored.keys() - actual.keys())} unknown, "
                f"{sum(1 for i in stored.keys() & actual.keys() if stored[i] != actual[i])} "
                "stale)")
    return problems


def _word_problems(word_row: WordChunk | None, bucket: int, ids: list[str], mac: str,
                   actual: dict[str, list[str]]) -> list[str]:
    if word_row is None or word_row.mac != mac or len(word_row) != len(ids):
        return []
    try:
        stored = dict(zip(ids, word_row.row_words(), strict=True))
    except crypto.DecryptError as exc:
        return [f"the word row of index chunk {bucket} cannot be read ({exc})"]
    differ = sum(1 for i in stored.keys() | actual.keys() if stored.get(i) != actual.get(i))
    if not differ:
        return []
    return [f"the word row of index chunk {bucket} does not match its entries (the words of "
            f"{differ} entr{'y' if differ == 1 else 'ies'} differ: a word search would miss "
            "or wrongly find them)"]


def _capture_problems(captures: Captures) -> list[str]:
    """The record of merged captures must match the manifest; every pending capture must
    open with the vault's sealing key and must not be one merged before (a replay)."""
    try:
        done = captures.merged()
    except JournalError as exc:
        return [str(exc)]
    pending = captures.pending()
    if not pending:
        return []
    try:
        opened, problems = captures.open_all(pending)
    except JournalError as exc:
        return [f"{len(pending)} pending quick captures cannot be opened: {exc}"]
    return problems + [f"sealed entry {row_name(sealed_id)} was merged before: a replay of "
                       "an old quick capture (refused at the next unlock)"
                       for sealed_id, _ in opened if sealed_id in done]
