"""App-wide messages: the unlock screen tells the app a vault is open."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from journal.core.store.vault import Vault
from journal.ui.widgets.moment_form import Vocabulary


@dataclass
class Unlocked(Message):
    """A vault was opened (or created and its recovery code acknowledged)."""

    vault: Vault
    merged: int = 0
    """How many sealed quick notes were merged into entries."""
    problems: list[str] = field(default_factory=list)
    """Sealed notes that could not be merged (damaged); shown once to the user."""
    vocabulary: Vocabulary | None = None
    """Tags, people, feelings and recovery words used before (for completion)."""
    arrivals: list[str] = field(default_factory=list)
    """One line per merged quick note: its day and first words (issue 13 item 3)."""
    notices: list[str] = field(default_factory=list)
    """Things done at unlock worth a word (the index rebuilt and stored)."""
    support: bool = False
    """A merged sealed note's check-in completes the safety rule: show support at once."""


@dataclass
class EntrySaved(Message):
    """The write screen saved an entry (other screens may refresh)."""

    day: object
