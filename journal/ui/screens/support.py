"""Support resources: crisis lines and where to find help (domain.md §8), one key away.

Shown as a modal over whatever the user was doing; Escape (or the button) closes it.
The app never contacts anyone: the text says so plainly.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown, Static

from journal.core.care.support import NO_ONE_WATCHES, SUPPORT_TEXT

__all__ = ["NO_ONE_WATCHES", "SUPPORT_TEXT", "SupportScreen"]


class SupportScreen(ModalScreen[None]):
    """Crisis lines and support resources. Escape or Enter closes."""

    DEFAULT_CSS = """
    SupportScreen { align: center middle; }
    SupportScreen > #support-box {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    SupportScreen #support-text { height: auto; max-height: 70vh; }
    SupportScreen #support-text > Markdown { margin: 0; }
    SupportScreen #support-text MarkdownH2 { margin: 0 0 1 0; }
    SupportScreen #support-note { text-style: bold; padding: 0 1; }
    SupportScreen #support-close-row { height: 3; }
    SupportScreen #support-hint { width: 1fr; color: $text-muted; padding: 1 0 0 0; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="support.close", tooltip="Back to where you were"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="support-box"):
            with VerticalScroll(id="support-text", can_focus=False):
                yield Markdown(SUPPORT_TEXT, open_links=False)
            yield Static(NO_ONE_WATCHES, id="support-note")
            with Horizontal(id="support-close-row"):
                yield Static("Escape closes this screen.", id="support-hint")
                yield Button("Close", id="support-close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#support-close", Button).focus()

    @on(Button.Pressed, "#support-close")
    def _close_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
