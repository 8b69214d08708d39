"""An entry's revisions: content-addressed, each naming the revisions it replaces.

A revision is one day's whole entry (as its exchange dictionary, without `updated_at`,
which is local bookkeeping) or a tombstone (`None`: the day was deleted), plus the ids of
its parents and, since issue 18's labels, its *author*: the name of the machine that wrote
it, when it was saved there and the machine's random id (`[name, time, machine]`, sealed
with the rest; a conflict mark says which machine wrote which side, and the id tells two
machines of one name apart; revisions from before the id have `[name, time]`). Its id
is a hash of all of them, so a day's revisions form a graph whose *heads* (revisions no
other revision replaces) are the concurrent versions to merge. A revision without an
author (written before) hashes as it always did: `[day, parents, entry]`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from journal.core.model.entries import Entry

Content = dict[str, Any] | None


def content_of(entry: Entry) -> dict[str, Any]:
    data = entry.to_dict()
    data.pop("updated_at", None)
    return data


def canonical(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _string(text: str) -> bytes:
    """canonical(text), without the encoder for what it would copy as it is (a day, an
    id: printable ASCII with no quote or backslash)."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return b'"' + text.encode() + b'"'
    return canonical(text)


#: The longest machine name a revision carries (a longer one is cut: it shows in a mark).
NAME_MAX = 40
#: The longest machine id a revision carries (ours are 16 hex digits).
ID_MAX = 64
Author = tuple[str, ...]
"""Who wrote a revision: the machine's name, when the revision was saved (ISO 8601) and,
since revisions tell machines apart by more than their names, the machine's id (its random
id in the folder): `(name, time)` or `(name, time, machine)`."""


def _identity(day: str, parents: tuple[str, ...], content: Content,
              by: Author | None = None) -> tuple[str, bytes]:
    """A revision's id and the bytes it hashes (`canonical([day, parents, content])`, with
    `[name, time]` after them when the revision has an author)."""
    raw = canonical([day, sorted(parents), content] + ([list(by)] if by else []))
    return hashlib.sha256(raw).hexdigest()[:32], raw


class NewerFormat(ValueError):
    """A revision in a shape only a newer version of journal writes: its author longer
    than `[name, time, machine]`, or fields this version does not know hashed into its id.
    Not damage (the record around it is authenticated): this machine needs an update, and
    reads the record again once it has one."""


#: The fields of a revision in a record, as this version writes them.
FIELDS = frozenset({"id", "day", "parents", "entry", "by"})


def _author(value: object) -> Author | None:
    """An author as a record or the sync state holds it (absent in older revisions)."""
    if value is None:
        return None
    if isinstance(value, list) and len(value) > 3 and all(isinstance(v, str) for v in value):
        raise NewerFormat("revision author from a newer version")
    if not (isinstance(value, list) and len(value) in (2, 3)
            and all(isinstance(v, str) for v in value) and len(value[0]) <= NAME_MAX * 4
            and (len(value) == 2 or 0 < len(value[2]) <= ID_MAX
                 and not value[2].strip("0123456789abcdef"))):
        raise ValueError("malformed revision author")
    return tuple(value)


@dataclass(frozen=True)
class Revision:
    id: str
    day: str
    parents: tuple[str, ...]
    content: Content
    #: The bytes the id hashes, kept from `make`, so the sync state seals them as they are
    #: instead of encoding the whole entry again (`journal.core.sync.state`).
    encoded: bytes | None = field(default=None, compare=False, repr=False)
    #: The machine's name, the time it saved this revision and (in newer ones) the
    #: machine's id; None in older revisions.
    by: Author | None = None

    @classmethod
    def make(cls, day: str, parents: list[str] | tuple[str, ...], content: Content,
             by: Author | None = None) -> Revision:
        ordered = tuple(sorted(set(parents)))
        rid, raw = _identity(day, ordered, content, by)
        return cls(rid, day, ordered, content, raw, by)

    def canonical(self) -> bytes:
        """`canonical([day, parents, content(, by)])`: what the id is the hash of."""
        return self.encoded if self.encoded is not None else _identity(
            self.day, self.parents, self.content, self.by)[1]

    def bare(self) -> Revision:
        """The same revision without its encoded bytes (once they are stored: a first
        sync would otherwise hold 25 MB of them while it merges)."""
        return Revision(self.id, self.day, self.parents, self.content, by=self.by)

    def record_json(self) -> bytes:
        """`canonical(self.to_json())`, as a change record holds it, built around the
        entry's bytes in `canonical()` instead of encoding the entry again (the same
        encoder settings, so the same bytes: `raw` is `[day,parents,entry]`)."""
        raw = self.canonical()
        day = _string(self.day)
        parents = b"[" + b",".join(map(_string, self.parents)) + b"]"
        by = canonical(list(self.by)) if self.by else b""
        entry = raw[len(day) + len(parents) + 3:-1 - (len(by) + 1 if by else 0)]
        head = b'{"by":' + by + b',"day":' if by else b'{"day":'
        return b"".join((head, day, b',"entry":', entry, b',"id":', _string(self.id),
                         b',"parents":', parents, b"}"))

    @classmethod
    def from_canonical(cls, rev_id: str, raw: object) -> Revision:
        """A revision from its parsed canonical form (`[day, parents, content]`), as this
        machine's sync state keeps it (sealed, bound to `rev_id`)."""
        if not (isinstance(raw, list) and len(raw) in (3, 4) and isinstance(raw[0], str)
                and isinstance(raw[1], list)):
            raise ValueError("malformed revision")
        return cls(rev_id, raw[0], tuple(raw[1]), raw[2],
                   by=_author(raw[3]) if len(raw) == 4 else None)

    def to_json(self) -> dict[str, Any]:
        out = {"id": self.id, "day": self.day, "parents": list(self.parents),
               "entry": self.content}
        if self.by:
            out["by"] = list(self.by)
        return out

    @classmethod
    def from_json(cls, obj: Any) -> Revision:
        """A revision from an authenticated record; its id must match its content."""
        if not isinstance(obj, dict) or not isinstance(obj.get("day"), str) \
                or not isinstance(obj.get("parents"), list) \
                or not all(isinstance(p, str) for p in obj["parents"]) \
                or not (obj.get("entry") is None or isinstance(obj.get("entry"), dict)):
            raise ValueError("malformed revision")
        made = cls.make(obj["day"], obj["parents"], obj["entry"], _author(obj.get("by")))
        if made.id != obj.get("id"):
            if set(obj) - FIELDS:  # hashed with fields of a newer version
                raise NewerFormat("revision with fields from a newer version")
            raise ValueError("revision id does not match its content")
        if made.content is not None and not _well_formed(made.content, made.day):
            raise ValueError("malformed entry in a revision")
        return made  # the model validates the content when the day is written (session)


def _well_formed(content: dict[str, Any], day: str) -> bool:
    """Enough shape for the merge to run on (the model validates the rest when the merged
    day is written): a cheap check, as a first sync reads thousands of revisions."""
    moments = content.get("moments", [])
    return (content.get("date") == day and isinstance(content.get("body", ""), str)
            and isinstance(content.get("id"), str) and isinstance(moments, list)
            and all(isinstance(m, dict) and isinstance(m.get("id"), str) for m in moments)
            and all(isinstance(content.get(k, []), list) for k in ("recovery", "good_things")))


def heads(revs: dict[str, Revision]) -> list[str]:
    """Revisions no known revision replaces, sorted (a deterministic order)."""
    replaced = {p for r in revs.values() for p in r.parents}
    return sorted(r for r in revs if r not in replaced)


def ancestry(revs: dict[str, Revision], rev_id: str) -> set[str]:
    """The revision and every known ancestor of it."""
    seen: set[str] = set()
    todo = [rev_id]
    while todo:
        rid = todo.pop()
        if rid in seen:
            continue
        seen.add(rid)
        rev = revs.get(rid)
        if rev is not None:
            todo.extend(rev.parents)
    return seen
