"""The data model: an end-of-day Entry and the Moments tagged in it.

Plain dataclasses with validation. `Entry.to_dict()` / `Entry.from_dict()` are the
one mapping between the model and JSON: the encrypted payload and the exchange format
(docs/format.md) both go through them.
"""

from __future__ import annotations

import dataclasses
import operator
import re
import sys
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from journal.core.errors import ValidationError
from journal.core.model.practice import Practice

KINDS = ("contagion", "concern")
CONTEXTS = ("work", "commute", "home", "elsewhere")
ACTIONS = ("approached", "helped", "withdrew", "avoided")
#: The optional safety check-in of an entry (domain.md §6, issue 17).
CHECK_INS = ("ok", "struggling", "not_safe")

#: Seed feeling vocabulary (domain.md §7): suggestions only, never classifiers.
CONCERN_FEELINGS = ("sympathetic", "moved", "compassionate", "tender", "warm", "softhearted")
DISTRESS_FEELINGS = (
    "alarmed", "grieved", "upset", "worried", "disturbed", "perturbed", "distressed", "troubled",
)
OTHER_FEELINGS = ("numb", "cynical", "helpless", "angry", "guilty", "relieved", "proud", "grateful")

_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_SPACE = re.compile(r"\s")
_SPACES = re.compile(r"\s+")
_MARKS = ("", "#", "@")
#: The canonical spelling of a UUID: always one uuid.UUID accepts, so it needs no parse.
_UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}"
                      r"-[0-9a-fA-F]{12}")
_LABEL_MAX = 80
_ENTRY_KEYS = {
    "id", "date", "written_at", "updated_at", "body", "sleep", "energy", "recovery",
    "good_things", "moments", "check_in",
}
_MOMENT_KEYS = {
    "id", "kind", "intensity", "context", "time", "tags", "people", "feelings", "action", "note",
    "practice",
}


def _shallow(obj: Any) -> Any:
    """A shallow copy of an Entry or Moment: its class called with its own fields, as
    `dataclasses.replace` does, 5x faster (an import copies every entry)."""
    return obj.__class__(*_FIELDS[obj.__class__](obj))


def new_id() -> str:
    return str(uuid.uuid4())


def normalise_label(value: str) -> str:
    """Tags, people and feeling words: trimmed, lower case, inner spaces as dashes.
    Interned: a journal repeats the same few hundred labels in every entry, so a bulk
    import holds each once instead of once per moment (issue 19, import memory).
    A label already in that form (every label read back from a vault or a sync record) is
    recognised without rewriting it: no whitespace, no leading mark, and lower() leaves
    it as it is (a sync of 10,000 entries reads 130,000 labels)."""
    if value[:1] not in _MARKS and _SPACE.search(value) is None and value.lower() == value:
        return sys.intern(value)
    return sys.intern(_SPACES.sub("-", value.strip().lstrip("#@").strip()).lower())


@dataclass(slots=True)
class Moment:
    kind: str
    intensity: int
    context: str
    time: str | None = None
    tags: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    feelings: list[str] = field(default_factory=list)
    action: str | None = None
    note: str = ""
    id: str = field(default_factory=new_id)
    extra: dict[str, Any] = field(default_factory=dict)
    practice: Practice | None = None
    """The practice taken after this moment (issue 17), if any."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id, "kind": self.kind, "intensity": self.intensity,
            "context": self.context, "time": self.time, "tags": list(self.tags),
            "people": list(self.people), "feelings": list(self.feelings),
            "action": self.action, "note": self.note,
        }
        if self.extra:  # unknown keys first, as they always came (the same JSON, byte for byte)
            data = {**self.extra, **data}
        if self.practice is not None:  # absent, not null, so older exports stay the same
            data["practice"] = self.practice.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: Any, where: str = "moment") -> Moment:
        if not isinstance(data, dict):
            raise ValidationError("must be an object", where=where)
        kind = _choice(data.get("kind"), KINDS, where, "kind")
        intensity = _scale(data.get("intensity"), where, "intensity", required=True)
        context = _choice(data.get("context"), CONTEXTS, where, "context")
        time = data.get("time")
        if time is not None and (not isinstance(time, str) or not _TIME_RE.match(time)):
            raise ValidationError("must be HH:MM (00:00-23:59) or null", where=where, field="time")
        action = data.get("action")
        if action is not None:
            action = _choice(action, ACTIONS, where, "action")
        note = data.get("note", "") or ""
        if not isinstance(note, str):
            raise ValidationError("must be text", where=where, field="note")
        moment_id = data.get("id") or new_id()
        _check_uuid(moment_id, where)
        practice = data.get("practice")
        return cls(
            kind=kind, intensity=intensity, context=context, time=time,
            tags=_labels(data.get("tags"), where, "tags"),
            people=_labels(data.get("people"), where, "people"),
            feelings=_labels(data.get("feelings"), where, "feelings"),
            action=action, note=note, id=moment_id,
            extra={} if data.keys() <= _MOMENT_KEYS else
            {k: v for k, v in data.items() if k not in _MOMENT_KEYS},
            practice=None if practice is None else Practice.from_dict(practice, where),
        )


@dataclass(slots=True)
class Entry:
    """One calendar day's end-of-day entry. `version` is storage bookkeeping (0 = unsaved)."""

    date: date
    body: str = ""
    written_at: datetime | None = None
    updated_at: datetime | None = None
    sleep: int | None = None
    energy: int | None = None
    recovery: list[str] = field(default_factory=list)
    good_things: list[str] = field(default_factory=list)
    moments: list[Moment] = field(default_factory=list)
    id: str = field(default_factory=new_id)
    version: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    check_in: str | None = None
    """The optional safety check-in: one of CHECK_INS, or None (issue 17)."""
    #: Built from an encrypted summary (journal.core.summaries): no body or notes. The vault
    #: refuses to save a partial entry, so it can never overwrite the words it came from.
    partial: bool = field(default=False, compare=False, repr=False)
    mentions: tuple[list[str], list[str]] | None = field(default=None, compare=False, repr=False)
    summary_title: str | None = field(default=None, compare=False, repr=False)
    body_length: int | None = field(default=None, compare=False, repr=False)

    # -- derived -------------------------------------------------------------------------
    def _mentions(self) -> tuple[list[str], list[str]]:
        if self.mentions is not None:
            return self.mentions
        from journal.core.model.markup import extract_mentions

        return extract_mentions(self.body)

    @property
    def body_tags(self) -> list[str]:
        return self._mentions()[0]

    @property
    def body_people(self) -> list[str]:
        return self._mentions()[1]

    @property
    def all_tags(self) -> set[str]:
        tags = set(self.body_tags)
        for moment in self.moments:
            tags.update(moment.tags)
        return tags

    @property
    def all_people(self) -> set[str]:
        people = set(self.body_people)
        for moment in self.moments:
            people.update(moment.people)
        return people

    @property
    def title(self) -> str:
        """The first non-empty line of the body, without Markdown heading marks."""
        if self.summary_title is not None:
            return self.summary_title
        for line in self.body.splitlines():
            line = line.strip().lstrip("#").strip()
            if line:
                return line
        return ""

    def copy(self) -> Entry:
        """A copy whose lists, moments and extras can be edited without touching this one
        (a moment's own lists are shared)."""
        entry: Entry = _shallow(self)
        entry.recovery = list(self.recovery)
        entry.good_things = list(self.good_things)
        entry.moments = [_shallow(m) for m in self.moments]
        entry.extra = dict(self.extra)
        return entry

    # -- mapping -------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "date": self.date.isoformat(),
            "written_at": _fmt_dt(self.written_at),
            "updated_at": _fmt_dt(self.updated_at),
            "body": self.body,
            "sleep": self.sleep,
            "energy": self.energy,
            "recovery": list(self.recovery),
            "good_things": list(self.good_things),
            "moments": [m.to_dict() for m in self.moments],
        }
        if self.extra:  # unknown keys first, as they always came (the same JSON, byte for byte)
            data = {**self.extra, **data}
        if self.check_in is not None:  # absent, not null, so older exports stay the same
            data["check_in"] = self.check_in
        return data

    @classmethod
    def from_dict(cls, data: Any, where: str = "entry") -> Entry:
        if not isinstance(data, dict):
            raise ValidationError("must be an object", where=where)
        raw_date = data.get("date")
        if not isinstance(raw_date, str):
            raise ValidationError("is required as YYYY-MM-DD", where=where, field="date")
        try:
            day = date.fromisoformat(raw_date)
        except ValueError:
            raise ValidationError(
                f"{raw_date[:20]!r} is not a real date (YYYY-MM-DD)", where=where, field="date"
            ) from None
        where = f"{where} ({day.isoformat()})" if "(" not in where else where
        body = data.get("body", "")
        if not isinstance(body, str):
            raise ValidationError("must be text", where=where, field="body")
        entry_id = data.get("id") or new_id()
        _check_uuid(entry_id, where)
        moments_raw = data.get("moments", []) or []
        if not isinstance(moments_raw, list):
            raise ValidationError("must be a list", where=where, field="moments")
        check_in = data.get("check_in")
        if check_in is not None:
            check_in = _choice(check_in, CHECK_INS, where, "check_in")
        good = data.get("good_things", []) or []
        if not isinstance(good, list) or not all(isinstance(g, str) for g in good):
            raise ValidationError("must be a list of text", where=where, field="good_things")
        return cls(
            date=day,
            body=body,
            written_at=_parse_dt(data.get("written_at"), where, "written_at"),
            updated_at=_parse_dt(data.get("updated_at"), where, "updated_at"),
            sleep=_scale(data.get("sleep"), where, "sleep"),
            energy=_scale(data.get("energy"), where, "energy"),
            recovery=_labels(data.get("recovery"), where, "recovery"),
            good_things=list(good),
            moments=[
                Moment.from_dict(m, where=f"{where} moment {i}") for i, m in enumerate(moments_raw)
            ],
            id=entry_id,
            extra={} if data.keys() <= _ENTRY_KEYS else
            {k: v for k, v in data.items() if k not in _ENTRY_KEYS},
            check_in=check_in,
        )


# -- validation helpers ----------------------------------------------------------------------
def _choice(value: Any, allowed: tuple[str, ...], where: str, name: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        shown = repr(value)[:30]
        raise ValidationError(
            f"{shown} is not one of {', '.join(allowed)}", where=where, field=name
        )
    return value


def _scale(value: Any, where: str, name: str, *, required: bool = False) -> int | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValidationError(
            f"must be a whole number from 0 to 10{'' if required else ' or null'}",
            where=where, field=name,
        )
    return value


def _labels(value: Any, where: str, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError("must be a list of text labels", where=where, field=name)
    out: list[str] = []
    for raw in value:
        label = normalise_label(raw)
        if not label:
            raise ValidationError("labels must not be empty", where=where, field=name)
        if len(label) > _LABEL_MAX:
            raise ValidationError(f"labels are at most {_LABEL_MAX} characters", where=where,
                                  field=name)
        if label not in out:
            out.append(label)
    return out


def _check_uuid(value: Any, where: str) -> None:
    if type(value) is str and _UUID_RE.fullmatch(value):
        return
    try:
        uuid.UUID(str(value))
    except ValueError:
        raise ValidationError(f"{str(value)[:40]!r} is not a UUID", where=where,
                              field="id") from None


def _fmt_dt(value: datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() if value else None


def _parse_dt(value: Any, where: str, name: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError("must be YYYY-MM-DDTHH:MM:SS", where=where, field=name)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            f"{value[:30]!r} is not a date-time (YYYY-MM-DDTHH:MM:SS)", where=where, field=name
        ) from None
    return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed


#: Each model class's fields, in the order its __init__ takes them (for `_shallow`).
_FIELDS = {cls: operator.attrgetter(*(f.name for f in dataclasses.fields(cls)))
           for cls in (Entry, Moment)}
