"""How the program counts things in its sentences, the same in the core, the CLI and the app."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None, *, grouped: bool = False) -> str:
    """`count` and the word for it: "1 entry", "2 entries" (`many`, else `word` + "s");
    `grouped` writes thousands with commas ("12,000 entries")."""
    shown = f"{count:,}" if grouped else str(count)
    return f"{shown} {word if count == 1 else (many or word + 's')}"


def counted(count: int, word: str, many: str | None = None) -> str:
    """`plural`, with "no" for none: "no heavy days", "1 heavy day", "3 heavy days"."""
    return f"no {many or word + 's'}" if count == 0 else plural(count, word, many)
