"""The one vocabulary for a moment's kind, context and action, with their one-key
abbreviations: the app's moment form offers these keys and `journal add -m` accepts the
same letters, so `c` is contagion as a kind and commute as a context in both."""

from __future__ import annotations

from journal.core.model.entries import ACTIONS, CONTEXTS, KINDS

#: key -> word. A key names a kind in the kind field (or the first such word of `-m`),
#: and a context in the context field (or once the kind is known).
KIND_KEYS: dict[str, str] = {"c": "contagion", "k": "concern"}
CONTEXT_KEYS: dict[str, str] = {"w": "work", "c": "commute", "h": "home", "e": "elsewhere"}
ACTION_KEYS: dict[str, str] = {"a": "approached", "h": "helped", "w": "withdrew",
                               "v": "avoided"}

assert set(KIND_KEYS.values()) == set(KINDS)
assert set(CONTEXT_KEYS.values()) == set(CONTEXTS)
assert set(ACTION_KEYS.values()) == set(ACTIONS)


def expand(word: str, keys: dict[str, str], min_prefix: int = 1) -> str | None:
    """`word` as one of the words of `keys`: the word itself, its one-letter key, or an
    unambiguous prefix of at least `min_prefix` letters; None when it is none of them."""
    word = word.lower()
    words = tuple(keys.values())
    if word in words:
        return word
    if word in keys:
        return keys[word]
    if len(word) < max(min_prefix, 2):
        return None
    found = [w for w in words if w.startswith(word)]
    return found[0] if len(found) == 1 else None
