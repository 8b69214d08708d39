"""Filtering and full-text search over decrypted entries, in memory (no index on disk).

A query string reads like `#grief @sam kind:contagion context:home since:2026-01-01
until:2026-03-31 night shift`: tags, people, kind, context and dates filter; the remaining
words must all appear (case-insensitive) in the body, notes, good things or recovery.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from journal.core.errors import ValidationError
from journal.core.model.entries import CONTEXTS, KINDS, Entry, normalise_label
from journal.core.model.vocabulary import CONTEXT_KEYS, KIND_KEYS, expand


@dataclass
class Query:
    text: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)
    since: date | None = None
    until: date | None = None

    @property
    def empty(self) -> bool:
        return not (self.text or self.tags or self.people or self.kinds or self.contexts
                    or self.since or self.until)

    @classmethod
    def parse(cls, raw: str, today: date | None = None) -> Query:
        """`since:`/`until:` take YYYY-MM-DD, or with `today` given any day
        journal.core.model.dates reads (`since:last-friday`, `since:"3 days ago"`)."""
        query = cls()
        try:
            words = shlex.split(raw)
        except ValueError:
            words = raw.split()
        for word in words:
            key, _, value = word.partition(":")
            if word.startswith("#") and len(word) > 1:
                query.tags.append(normalise_label(word))
            elif word.startswith("@") and len(word) > 1:
                query.people.append(normalise_label(word))
            elif value and key in ("kind", "context", "since", "until", "from", "to"):
                query._set(key, value, today)
            else:
                query.text.append(word.casefold())
        return query

    def _set(self, key: str, value: str, today: date | None = None) -> None:
        if key == "kind":  # the words, or the app's keys (kind:c, context:h)
            kind = expand(value, KIND_KEYS, 4)
            if kind is None:
                raise ValidationError(f"kind must be one of {', '.join(KINDS)}")
            self.kinds.append(kind)
        elif key == "context":
            context = expand(value, CONTEXT_KEYS)
            if context is None:
                raise ValidationError(f"context must be one of {', '.join(CONTEXTS)}")
            self.contexts.append(context)
        else:
            day = _day(key, value, today)
            if key in ("since", "from"):
                self.since = day
            else:
                self.until = day

    def matches(self, entry: Entry) -> bool:
        if self.since and entry.date < self.since:
            return False
        if self.until and entry.date > self.until:
            return False
        if self.tags and not set(self.tags) <= entry.all_tags:
            return False
        if self.people and not set(self.people) <= entry.all_people:
            return False
        if (self.kinds or self.contexts) and not any(
            (not self.kinds or m.kind in self.kinds)
            and (not self.contexts or m.context in self.contexts)
            for m in entry.moments
        ):
            return False
        if self.text:
            haystack = searchable_text(entry)
            return all(word in haystack for word in self.text)
        return True


def _day(key: str, value: str, today: date | None) -> date:
    if today is not None:
        from journal.core.model.dates import parse_date

        try:
            return parse_date(value, today)
        except ValidationError as exc:
            raise ValidationError(f"{key}: {exc}") from None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{key}: '{value}' is not a date (YYYY-MM-DD)") from None


def searchable_text(entry: Entry) -> str:
    parts = [entry.body, *entry.good_things, *entry.recovery]
    for moment in entry.moments:
        parts.append(moment.note)
        parts.extend(moment.tags)
        parts.extend(moment.people)
        parts.extend(moment.feelings)
    return "\n".join(parts).casefold()


def search(entries: Iterable[Entry], query: Query) -> list[Entry]:
    """Matching entries, newest first."""
    return sorted((e for e in entries if query.matches(e)), key=lambda e: e.date, reverse=True)


def needs_full_text(query: Query) -> bool:
    """Whether the index's answer to `query` is only a set of candidates: the word filter
    of its chunks is exact for words without white space, so only a word holding some (a
    quoted phrase) must still be looked for in the full entries."""
    return any(not word or any(c.isspace() for c in word) for word in query.text)


def search_vault(vault: Any, query: Query) -> Sequence[Entry]:
    """Matches newest first, from the vault's encrypted index: its filters answer tags,
    people, kinds, contexts, dates and words (each chunk's sealed word filter is exact for
    a word without white space), as partial entries built only when read (load full ones
    with `vault.get_many`). Only a word holding white space (a quoted phrase) needs the
    full entries: the index's candidates are decrypted in batches, only those whose text
    can match are parsed, and full entries are returned."""
    hits = vault.index().select(query)
    if not needs_full_text(query):
        return hits
    return [e for e in vault.entries_containing(hits.ids(), query.text) if query.matches(e)]
