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


def points(change: float) -> str:
    """A change of a share (0.06 for six percentage points) as its signed whole points, in
    words that fit: "-6 points", "+1 point", and never "+0 points": "less than 1 point"."""
    shown = f"{change * 100:+.0f}"
    if shown in ("+0", "-0"):
        return "less than 1 point"
    return f"{shown} {'point' if shown in ('+1', '-1') else 'points'}"
