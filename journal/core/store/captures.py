"""Quick capture without the passphrase: entries sealed to the vault's X25519 public key.

`SealedBox(dir).add(entry)` needs no passphrase: it reads the public key from the vault and
stores the sealed entry in the `sealed` table. Only the holder of the vault's private key
(wrapped under the data key) can read it; at the next unlock the Vault opens them
(`Captures`), folds each into the entry for its day (`fold_captures`) and saves, exactly
once, in one transaction (`Vault.merge_captures`).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from difflib import SequenceMatcher
from pathlib import Path

from journal.core.errors import IntegrityError, JournalError, ValidationError, VaultDamaged
from journal.core.model.entries import Entry
from journal.core.store import crypto
from journal.core.store.header import read_header
from journal.core.store.keyring import KeyRing
from journal.core.store.manifest import MERGED_CAPTURES, Manifest
from journal.core.store.records import row_name
from journal.core.store.schema import connect, db_path, meta, put_meta, storage_error

_MERGED_AAD = b"journal/v1/merged-captures|"
_MERGED_DAMAGED = ("the record of merged quick captures was removed, altered or rolled back "
                   "outside the journal; quick captures were not merged (run 'journal check')")


class SealedBox:
    """Quick capture into the vault at `directory`, no passphrase needed."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def add(self, entry: Entry) -> str:
        """Seal `entry` to the public key and store it. The key is read inside the write
        transaction, so a key rotation commits either before (the new key is used) or
        after (its own transaction merges this capture first): never sealed to a key that
        was just discarded (issue 13 item 7)."""
        header, ro = read_header(self.directory)
        ro.close()
        sealed_id = uuid.uuid4().bytes
        payload = json.dumps(entry.to_dict(), ensure_ascii=False).encode()
        conn = connect(db_path(self.directory))
        try:
            conn.execute("BEGIN IMMEDIATE")
            public = meta(conn, "seal_public")
            if public is None or len(public) != 32:
                raise VaultDamaged("this vault has no sealing key; unlock it once to add one")
            blob = crypto.seal_to_public(public, payload, header.vault_id + sealed_id)
            conn.execute("INSERT INTO sealed(uuid, ct) VALUES (?, ?)", (sealed_id, blob))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise storage_error(exc) from None
        finally:
            conn.close()  # an uncommitted transaction is rolled back
        return str(uuid.UUID(bytes=sealed_id))

    def pending(self) -> int:
        _, ro = read_header(self.directory)
        try:
            return int(ro.execute("SELECT count(*) FROM sealed").fetchone()[0])
        finally:
            ro.close()


@dataclass(frozen=True)
class Arrival:
    """Provenance of one merged quick capture (issue 13 item 3): it was sealed without the
    passphrase, so by anyone who could write the vault directory, not in an unlocked
    session. `arrived` is when it was merged; `claimed` the time it says it was written
    (chosen by whoever sealed it); `words` its first words. `reviewed`: the person kept
    it as their own (Captures screen, `journal captures --keep`); a record written before
    the flag existed reads as not reviewed."""

    day: date
    arrived: datetime
    words: str
    claimed: datetime | None = None
    body: str = ""  # the text it added (to take it out again)
    moments: tuple[str, ...] = ()  # the ids of the moments it brought
    discarded: bool = False
    reviewed: bool = False

    @property
    def to_review(self) -> bool:
        """Still to be marked as quick capture: neither kept nor discarded."""
        return not (self.discarded or self.reviewed)

    def to_json(self) -> dict:
        return {"day": self.day.isoformat(), "arrived": self.arrived.isoformat(),
                "words": self.words,
                "claimed": self.claimed.isoformat() if self.claimed else None,
                "body": self.body, "moments": list(self.moments),
                "discarded": self.discarded, "reviewed": self.reviewed}

    @classmethod
    def from_json(cls, data: object) -> Arrival | None:
        if not isinstance(data, dict):
            return None
        try:
            claimed = data.get("claimed")
            return cls(date.fromisoformat(data["day"]), datetime.fromisoformat(data["arrived"]),
                       str(data.get("words", "")),
                       datetime.fromisoformat(claimed) if isinstance(claimed, str) else None,
                       str(data.get("body", "")), tuple(map(str, data.get("moments", ()))),
                       data.get("discarded") is True, data.get("reviewed") is True)
        except (KeyError, TypeError, ValueError):
            return None


def without_capture(entry: Entry, arrival: Arrival) -> Entry:
    """`entry` with the text and the moments `arrival` brought taken out again (a check-in,
    recovery or good things it filled in stay)."""
    kept = entry.copy()
    if arrival.body and arrival.body in kept.body:
        before, _, after = kept.body.partition(arrival.body)
        kept.body = "\n\n".join(p for p in (before.strip(), after.strip()) if p)
        kept.body += "\n" if kept.body else ""
    kept.moments = [m for m in kept.moments if m.id not in arrival.moments]
    return kept


def lines_still_captured(text: str, brought: str) -> set[int]:
    """The lines of `text` (0-based) that are still lines a capture brought (`brought`, its
    text as it came), by a line diff (difflib): a line the person edited or added is theirs,
    every other line of the capture is found wherever edits moved it. Blank lines are never
    counted. Of two equal lines the later is taken (a capture is added at the end of its
    day), so a line of the person's own that says, word for word, what a capture line said
    before it is not marked; an edited capture line can still leave its twin elsewhere
    marked."""
    theirs = brought.split("\n")[::-1]
    lines = text.split("\n")[::-1]  # reversed: of equal matches difflib takes the first
    matcher = SequenceMatcher(lambda line: not line.strip(), theirs, lines, autojunk=False)
    last = len(lines) - 1
    return {last - (j + k) for _, j, size in matcher.get_matching_blocks()
            for k in range(size) if lines[j + k].strip()}


def first_words(entry: Entry, count: int = 8) -> str:
    """How a capture is named to the person: its first words, or its first moment."""
    words = entry.body.split()
    if not words and entry.moments:
        moment = entry.moments[0]
        words = [moment.kind, *(f"#{t}" for t in moment.tags), *moment.note.split()]
    text = " ".join(words[:count])
    return text + (" …" if len(words) > count else "")


@dataclass
class MergeResult:
    merged: int = 0
    problems: list[str] = field(default_factory=list)
    arrivals: list[Arrival] = field(default_factory=list)
    checked_in: set[date] = field(default_factory=set)
    """The days a merged capture brought a safety check-in to (the rule is applied to them
    after the merge: journal.core.care.safety.support_after_merge)."""


def merge_into(target: Entry, extra: Entry) -> Entry:
    """Fold `extra` into `target` (same day): bodies joined, lists united, moments added."""
    merged = target.copy()
    if extra.body.strip():
        merged.body = (f"{merged.body.rstrip()}\n\n{extra.body.strip()}\n"
                       if merged.body.strip() else extra.body)
    for name in ("recovery", "good_things"):
        bucket = getattr(merged, name)
        bucket.extend(v for v in getattr(extra, name) if v not in bucket)
    known = {m.id for m in merged.moments}
    merged.moments.extend(m for m in extra.moments if m.id not in known)
    merged.sleep = merged.sleep if merged.sleep is not None else extra.sleep
    merged.energy = merged.energy if merged.energy is not None else extra.energy
    merged.check_in = merged.check_in or extra.check_in
    return merged


def open_sealed_entry(private: bytes, vault_id: bytes, sealed_id: bytes, blob: bytes) -> Entry:
    """Open one sealed record. Anyone holding the public key can seal, so the content is
    hostile until proven otherwise: every failure, from the AEAD to the model's validation,
    comes out as crypto.DecryptError and nothing else (fuzzed in the test suite)."""
    if not isinstance(sealed_id, bytes) or len(sealed_id) != 16:
        raise crypto.DecryptError("malformed sealed id")
    raw = crypto.open_from_public(private, blob, vault_id + sealed_id)
    data = crypto.parse_json(raw)
    try:
        entry = Entry.from_dict(data, where="sealed entry")
    except JournalError as exc:
        raise crypto.DecryptError(f"invalid entry: {exc}") from None
    entry.version = 0
    return entry


class Captures:
    """The pending sealed captures of an unlocked vault, opened with its sealing key, and
    the record of every capture ever merged (sealed, its digest in the manifest), so an
    old capture put back is refused as a replay."""

    def __init__(self, conn: sqlite3.Connection, keys: KeyRing, manifest: Manifest) -> None:
        self._conn = conn
        self._keys = keys
        self._manifest = manifest

    def _record(self) -> dict:
        """The record of merged captures: {"ids": [hex sealed id, ...], "arrivals": [...]};
        IntegrityError if it does not match the digest the manifest sealed."""
        blob = meta(self._conn, MERGED_CAPTURES)
        expected = self._manifest.info().get("captures")
        if blob is None and expected is None:
            return {"ids": [], "arrivals": []}  # nothing merged since the record existed
        if blob is None or expected != hashlib.sha256(blob).hexdigest():
            raise IntegrityError(_MERGED_DAMAGED)
        try:
            record = crypto.open_json(self._keys.subkeys["manifest-info"], blob,
                                      _MERGED_AAD + self._keys.vault_id)
        except crypto.DecryptError:
            raise IntegrityError(_MERGED_DAMAGED) from None
        if not isinstance(record, dict) or not isinstance(record.get("ids"), list) or (
                not isinstance(record.get("arrivals"), list)):
            raise IntegrityError(_MERGED_DAMAGED)
        return record

    def merged(self) -> set[bytes]:
        """The sealed ids of every capture merged so far."""
        try:
            return {bytes.fromhex(i) for i in self._record()["ids"]}
        except (TypeError, ValueError):
            raise IntegrityError(_MERGED_DAMAGED) from None

    def arrivals(self, day: date | None = None) -> list[Arrival]:
        """What quick capture brought in, oldest first (for one day, or all)."""
        found = [Arrival.from_json(a) for a in self._record()["arrivals"]]
        return [a for a in found if a is not None and (day is None or a.day == day)]

    def numbered(self, number: int) -> tuple[list[Arrival], Arrival]:
        """Every arrival, and the `number`-th (1 = the oldest, as `arrivals()` lists them);
        ValidationError for a number that names none."""
        every = self.arrivals()
        if not 1 <= number <= len(every):
            raise ValidationError(f"there is no quick capture number {number} "
                                  f"({len(every)} merged)")
        return every, every[number - 1]

    def write_merged(self, sealed_ids: set[bytes], arrivals: list[Arrival]) -> None:
        """Inside the owner's write transaction, before the manifest is resealed (which
        binds this record): every id merged so far and every arrival, in full."""
        record = {"ids": sorted(i.hex() for i in sealed_ids),
                  "arrivals": [a.to_json() for a in arrivals]}
        put_meta(self._conn, MERGED_CAPTURES, crypto.seal_json(
            self._keys.subkeys["manifest-info"], record, _MERGED_AAD + self._keys.vault_id))

    def pending(self) -> list[tuple[bytes, bytes]]:
        """Every pending (sealed id, blob); either may be damaged."""
        return self._conn.execute("SELECT uuid, ct FROM sealed").fetchall()

    def open_all(self, rows: list[tuple[bytes, bytes]]) -> tuple[list[tuple[bytes, Entry]],
                                                                 list[str]]:
        """Each capture opened, in order, and a problem named for each that is not (kept
        in the table for inspection)."""
        try:
            private = self._keys.seal_private_key()
        except crypto.DecryptError:
            raise VaultDamaged("the vault's sealing key is damaged; sealed entries were not "
                               "merged") from None
        opened: list[tuple[bytes, Entry]] = []
        problems: list[str] = []
        for sealed_id, blob in rows:
            try:
                opened.append((sealed_id, open_sealed_entry(private, self._keys.vault_id,
                                                            sealed_id, blob)))
            except crypto.DecryptError as exc:
                problems.append(f"sealed entry {row_name(sealed_id)} was tampered with or "
                                f"damaged and was not merged ({exc})")
        return opened, problems

    def discard(self, sealed_ids: list[bytes]) -> None:
        """Inside the owner's write transaction (after their entries were saved)."""
        self._conn.executemany("DELETE FROM sealed WHERE uuid=?", [(d,) for d in sealed_ids])


def fold_captures(opened: list[tuple[bytes, Entry]],
                  entry_on: Callable[[date], Entry | None]) -> list[Entry]:
    """The entries to save for these captures: each folded into the entry of its day
    (`entry_on` gives the stored one), or a new entry with a fresh id."""
    by_day: dict[date, Entry] = {}
    for _, extra in opened:
        base = by_day.get(extra.date) or entry_on(extra.date)
        if base is None:
            # Always a fresh id: whoever sealed it chose the old one, and it must never
            # collide with (and so block or overwrite) an entry already in the vault.
            extra.id = str(uuid.uuid4())
            extra.version = 0
            by_day[extra.date] = extra
        else:
            by_day[extra.date] = merge_into(base, extra)
    return list(by_day.values())
