"""F1: every key of the app, in one table (docs/usage.md shows the same table)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

#: (where, key, what it does). The single source for the help screen and docs/usage.md.
KEYS: tuple[tuple[str, str, str], ...] = (
    ("everywhere", "F1 / ctrl+p", "this help / commands: go to date, theme..."),
    ("everywhere", "F2 F3 F4", "write today's entry, browse, reflect"),
    ("everywhere", "F5 / F9 / ctrl+r", "settings / crisis lines / quick captures"),
    ("everywhere", "ctrl+l / ctrl+q", "lock now / quit (both save first)"),
    ("write", "ctrl+s", "save now (typing saves by itself)"),
    ("write", "ctrl+n / ctrl+t", "add a moment / go to the moments"),
    ("write", "ctrl+e", "write it in your own editor ($EDITOR)"),
    ("write", "ctrl+g, F8", "prompts on/off, next (shift+F8: back)"),
    ("write", "tab / shift+tab", "editor, check-in, moments"),
    ("check-in", "o s n", "ok, struggling, not safe (⌫ clears)"),
    ("heavy moment", "p / other key", "start the practice / carry on"),
    ("practice", "enter s esc 1-5", "next, skip, stop; 1-5: a calm timer"),
    ("moments", "enter / x, n", "edit / remove (asks first), add"),
    ("moment form", "c / k", "kind: ◆ contagion / ○ concern"),
    ("moment form", "0-9, 1 0", "intensity (1 0 is 10; ← → adjust)"),
    ("moment form", "w c h e", "context: work/commute/home/elsewhere"),
    ("moment form", "a h w v", "action: approached/helped/withdrew/avoided"),
    ("moment form", "enter esc tab →", "save / cancel / next / take suggestion"),
    ("unlock", "enter / ctrl+r", "unlock (or create) / forgot the passphrase"),
)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > Vertical {
            width: 90; max-width: 100%; height: auto; max-height: 100%;
            border: round $primary;
            background: $surface; padding: 0 1;
        }
        & DataTable { height: auto; max-height: 1fr; }
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
