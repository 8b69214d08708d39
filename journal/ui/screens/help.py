"""F1: every key of the app, in one table (docs/usage.md shows the same table)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

#: (where, key, what it does). The single source for the help screen and docs/usage.md.
KEYS: tuple[tuple[str, str, str], ...] = (
    ("everywhere", "F1", "this help"),
    ("everywhere", "ctrl+p", "commands: go to date, theme, ..."),
    ("everywhere", "F2", "write: today's entry"),
    ("everywhere", "F3", "browse past entries"),
    ("everywhere", "F4", "reflect: patterns in your entries"),
    ("everywhere", "F5", "settings: auto-lock, prompts, theme"),
    ("everywhere", "F9", "support: crisis lines, resources"),
    ("everywhere", "ctrl+l", "lock now (saves first)"),
    ("everywhere", "ctrl+q", "save and quit"),
    ("write", "ctrl+s", "save now (typing saves by itself)"),
    ("write", "ctrl+n", "add a moment"),
    ("write", "ctrl+t", "go to the moments list"),
    ("write", "ctrl+g", "guided prompts on/off"),
    ("write", "F8 / shift+F8", "next / previous prompt (skip any)"),
    ("write", "tab / shift+tab", "editor, check-in, moments"),
    ("write, safety check-in", "o s n", "ok, struggling, not safe (backspace clears)"),
    ("after a heavy moment", "p / any other key", "start the practice / carry on"),
    ("practice", "enter / s / esc", "next / skip this step / stop (keeps what was taken)"),
    ("practice, first page", "1-5", "a calm timer of that many minutes (any key ends it)"),
    ("moments list", "enter", "edit the highlighted moment"),
    ("moments list", "n / a", "add a moment"),
    ("moments list", "x / delete", "remove the moment (asks first)"),
    ("moment form", "c / k", "kind: ◆ contagion / ○ concern"),
    ("moment form", "0-9, 1 0", "intensity (1 0 is 10; ← → adjust)"),
    ("moment form", "w c h e", "context: work, commute, home, elsewhere"),
    ("moment form", "a h w v", "action: approached, helped, withdrew, avoided"),
    ("moment form", "→", "accept the suggested word"),
    ("moment form", "enter / esc", "save / cancel"),
    ("unlock", "enter", "unlock (or create the journal)"),
)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > Vertical {
            width: 90; max-width: 100%; height: 90%; border: round $primary;
            background: $surface; padding: 0 1;
        }
        & DataTable { height: 1fr; }
        & .help-note { color: $text-muted; height: auto; }
    }
    """
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Keys"
            box.border_subtitle = "Esc closes"
            yield DataTable(cursor_type="row", zebra_stripes=True)
            yield Static("The mouse works too: click fields, moments, buttons and the footer. "
                         "Nothing you write leaves this computer, and no one monitors it.",
                         classes="help-note")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Where", "Key", "Does")
        for where, key, what in KEYS:
            table.add_row(where, key, what)
        table.focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
