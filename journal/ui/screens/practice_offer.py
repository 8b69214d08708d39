"""The one-line offer of a practice after a heavy contagion moment is saved (issue 17):
its key starts the practice, any other key carries on. Never pushed: the line says so."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

from journal.core.practice_script import OFFER, OFFER_KEY


class PracticeOffer(ModalScreen[bool]):
    """Dismisses True for the offer key, False for any other key (which then acts as if
    the offer had not been there) or a click."""

    DEFAULT_CSS = """
    PracticeOffer { align: center bottom; background: $background 0%; }
    PracticeOffer > #practice-offer {
        width: 100%; height: auto; padding: 0 1; margin-bottom: 1;
        background: $panel; color: $foreground;
    }
    """

    answered = False
    """Set by the first key. Keys typed fast behind it (a paste) reach this screen before
    it has gone: they are kept in order and handed back to the app with the first one."""

    def compose(self) -> ComposeResult:
        yield Static(OFFER, id="practice-offer", markup=False)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if self.answered:
            self._carried.append(event)
            return
        self.answered = True
        if event.character == OFFER_KEY:
            self.dismiss(True)
            return
        self._carried = [event]
        self.call_later(self._carry_on)  # after the keys already queued behind this one

    def _carry_on(self) -> None:
        """Carry on: each key does what it would have done without the offer, in order."""
        self.dismiss(False)
        for event in self._carried:
            self.app.post_message(events.Key(event.key, event.character))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        if not self.answered:
            self.answered = True
            self.dismiss(False)
