"""Completion for comma-separated label fields (tags, people, feeling words)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.suggester import Suggester


class LastItemSuggester(Suggester):
    """Suggests a completion of the last comma-separated item from known words.

    Textual's SuggestFromList completes the whole value; a label field holds several
    items, so only the one being typed is completed.
    """

    def __init__(self, words: Iterable[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.words = sorted(dict.fromkeys(w for w in words if w))

    async def get_suggestion(self, value: str) -> str | None:
        head, sep, last = value.rpartition(",")
        stem = last.lstrip().lstrip("#@").lower()
        if not stem:
            return None
        already = {p.strip().lstrip("#@").lower() for p in head.split(",")} if sep else set()
        for word in self.words:
            if word.startswith(stem) and word != stem and word not in already:
                return value + word[len(stem):]
        return None


def split_labels(value: str) -> list[str]:
    """'#death, Sam ,, warm' -> ['death', 'sam', 'warm'] (normalised like the model does)."""
    from journal.core.model.entries import normalise_label

    out: list[str] = []
    for part in value.split(","):
        label = normalise_label(part)
        if label and label not in out:
            out.append(label)
    return out
