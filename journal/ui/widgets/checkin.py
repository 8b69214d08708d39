"""The day's check-in: sleep last night, energy, recovery activities, good things."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, TextArea

from journal.core.model.entries import Entry
from journal.ui.widgets.suggest import LastItemSuggester, split_labels

#: Offered for "recovery" until the user's own labels take over (REQ dimensions, domain §3a).
SEED_RECOVERY = ("walk", "reading", "music", "cooking", "friends", "exercise", "nap", "garden",
                 "bath", "games", "family", "nothing-at-all")


class CheckIn(Vertical):
    """Posts `CheckIn.Changed` when the user edits any field (not when loading)."""

    DEFAULT_CSS = """
    CheckIn { height: auto; }
    CheckIn Horizontal { height: 1; }
    CheckIn Input { border: none; height: 1; padding: 0 1; }
    CheckIn .scale { width: 5; }
    CheckIn TextArea { height: 4; border: none; padding: 0 1; }
    """

    class Changed(Message):
        """A check-in field was edited."""

    def compose(self) -> ComposeResult:
        yield Label("[b]Check-in[/]", classes="panel-title")
        with Horizontal():
            yield Label("Sleep ", classes="field-label")
            yield Input(id="sleep", type="integer", restrict=r"(10|[0-9])?", max_length=2,
                        placeholder="–", classes="scale", tooltip="Last night's sleep, 0-10")
            yield Label(" Energy ", classes="field-label")
            yield Input(id="energy", type="integer", restrict=r"(10|[0-9])?", max_length=2,
                        placeholder="–", classes="scale", tooltip="Energy now, 0-10")
            yield Label(" /10", classes="field-label")
        yield Label("Recovery tonight", classes="field-label")
        yield Input(id="recovery", placeholder="e.g. walk, music",
                    tooltip="What you will do to rest: comma-separated")
        yield Label("Good things, one a line", classes="field-label")
        yield TextArea(id="good", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")

    def load(self, entry: Entry, recovery_words: Iterable[str] = ()) -> None:
        with self.prevent(Input.Changed, TextArea.Changed):
            self.query_one("#sleep", Input).value = "" if entry.sleep is None else str(entry.sleep)
            self.query_one("#energy", Input).value = (
                "" if entry.energy is None else str(entry.energy))
            recovery = self.query_one("#recovery", Input)
            recovery.value = ", ".join(entry.recovery)
            recovery.suggester = LastItemSuggester([*recovery_words, *SEED_RECOVERY])
            self.query_one("#good", TextArea).load_text("\n".join(entry.good_things))

    def apply(self, entry: Entry) -> None:
        """Copy the fields into `entry` (sleep/energy outside 0-10 are left empty)."""
        entry.sleep = _scale(self.query_one("#sleep", Input).value)
        entry.energy = _scale(self.query_one("#energy", Input).value)
        entry.recovery = split_labels(self.query_one("#recovery", Input).value)
        good = self.query_one("#good", TextArea).text
        entry.good_things = [line.strip() for line in good.splitlines() if line.strip()]

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _edited(self, event: Message) -> None:
        event.stop()
        self.post_message(self.Changed())


def _scale(value: str) -> int | None:
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 <= number <= 10 else None
