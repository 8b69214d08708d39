"""Small dialogs: a yes/no question and a one-line question (e.g. "go to date")."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

DIALOG_CSS = """
{name} {{
    align: center middle;
    & > Vertical {{
        width: 64; max-width: 100%; height: auto; border: round $primary;
        background: $surface; padding: 1 2;
    }}
    & .dialog-body {{ margin-bottom: 1; }}
    & .dialog-error {{ color: $error; height: auto; }}
    & Horizontal {{ height: auto; align-horizontal: right; }}
    & Button {{ margin-left: 1; }}
}}
"""


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses True (the 'yes' button, y) or False (the 'no' button, n, Esc)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmScreen")
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n,escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, title: str, body: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.title_text, self.body, self.yes, self.no = title, body, yes, no

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Static(self.body, classes="dialog-body")
            with Horizontal():
                yield Button(f"{self.no} (n)", id="no")
                yield Button(f"{self.yes} (y)", id="yes", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#yes").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class AskScreen(ModalScreen["str | None"]):
    """Asks for one line. `check(value)` returns an error message or None."""

    DEFAULT_CSS = DIALOG_CSS.format(name="AskScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(self, title: str, label: str, *, value: str = "", placeholder: str = "",
                 check: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        self.title_text, self.label, self.value = title, label, value
        self.placeholder, self.check = placeholder, check

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Static(self.label, markup=False)  # wraps: a Label cut the question off
            yield Input(self.value, placeholder=self.placeholder)
            yield Static("", classes="dialog-error")
            yield Static("[$text-muted]Enter to go · Esc to cancel[/]")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        error = self.check(event.value) if self.check else None
        if error:
            self.query_one(".dialog-error", Static).update(error)
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
