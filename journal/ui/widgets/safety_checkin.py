"""The optional safety check-in of an entry: ok / struggling / not safe, one key each
(journal.core.care.safety holds the words and the rule that shows support)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, Static

from journal.core.care.safety import CHECK_IN_NOTE
from journal.ui.widgets.choice import KeyChoice

OPTIONS = [("o", "ok", "ok"), ("s", "struggling", "struggling"), ("n", "not_safe", "not safe")]

#: Under the choice when it is not "ok": support is one key away whatever the rule says (the
#: footer has no room for F9 at 80 columns).
SUPPORT_HINT = "F9: support and crisis lines"


class SafetyCheckIn(Vertical):
    """Posts `SafetyCheckIn.Changed` when the user picks (or clears, backspace) a value."""

    DEFAULT_CSS = """
    SafetyCheckIn { height: auto; }
    SafetyCheckIn #safety-choice { height: auto; }
    SafetyCheckIn #safety-hint { color: $text-muted; display: none; }
    SafetyCheckIn #safety-hint.-shown { display: block; }
    """

    @dataclass
    class Changed(Message):
        value: str | None

    def compose(self) -> ComposeResult:
        yield Label("[b]Safety check-in[/] [$text-muted](optional)[/]", classes="panel-title")
        choice = KeyChoice(OPTIONS, advance=False, id="safety-choice")
        choice.tooltip = CHECK_IN_NOTE
        yield choice
        yield Static(SUPPORT_HINT, id="safety-hint", markup=False)  # wraps; a Label is cut

    @property
    def value(self) -> str | None:
        return self.query_one(KeyChoice).value

    def load(self, value: str | None) -> None:
        self.query_one(KeyChoice).set_reactive(KeyChoice.value, value)
        self.query_one(KeyChoice).refresh()
        self._hint(value)

    def _hint(self, value: str | None) -> None:
        self.query_one("#safety-hint").set_class(value in ("struggling", "not_safe"), "-shown")

    @on(KeyChoice.Chosen)
    def _chosen(self, event: KeyChoice.Chosen) -> None:
        event.stop()
        self._hint(event.value)
        self.post_message(self.Changed(event.value))
