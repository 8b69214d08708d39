"""The day's check-in: sleep last night, energy, recovery activities, good things.

Sleep and energy take their digits in typing order (priority bindings, as the moment
form's), and a digit a full score cannot take moves on to the next field: "4 3" typed or
pasted is sleep 4 and energy 3, "1 0" is 10, and Tab still moves on as in any form. A key a
score cannot take is said, never dropped in silence (issue 14's rule)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, TextArea

from journal.core.model.entries import Entry
from journal.ui.widgets.choice import say_refused
from journal.ui.widgets.suggest import LastItemSuggester, split_labels

#: A score as typed: empty, or 0-10 without a leading zero.
SCORE = r"(10|[0-9])?"

#: Said when a score is given a key it cannot take.
SCORE_HINT = "Type 0-10 (1 then 0 for 10); Tab moves on."


class ScoreInput(Input):
    """A 0-10 score in one line (sleep, energy)."""

    #: Priority: read when the app reads the key, in typing order, so a digit queued
    #: behind the one that filled this score lands in the field focus moved on to.
    BINDINGS = [Binding(digit, f"score({digit!r})", show=False, priority=True)
                for digit in "0123456789"]

    def __init__(self, *, id: str, tooltip: str) -> None:
        super().__init__(id=id, restrict=SCORE, max_length=2, placeholder="–",
                         classes="scale", tooltip=tooltip)
        self.fresh = True
        """No digit typed here since it last had the focus: a digit replaces the score."""

    def action_score(self, digit: str) -> None:
        value = digit if self.fresh else self.value + digit
        if re.fullmatch(SCORE, value):
            self.value, self.fresh = value, False
            self.cursor_position = len(value)
            return
        self.screen.focus_next()  # full ("4" then "3"): the 3 is the next field's
        following = self.screen.focused
        if isinstance(following, ScoreInput):
            following.fresh = True
            following.action_score(digit)
            return
        raise SkipAction()  # not bound there: the app hands that field the digit as text

    def restricted(self) -> None:
        say_refused(self, SCORE_HINT)  # instead of the bell, which is often silent

    def on_blur(self) -> None:
        self.fresh = True


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
            yield ScoreInput(id="sleep", tooltip="Last night's sleep, 0-10")
            yield Label(" Energy ", classes="field-label")
            yield ScoreInput(id="energy", tooltip="Energy now, 0-10")
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
