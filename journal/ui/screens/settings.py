"""Settings: auto-lock, guided prompts, theme (previewed live), end of the working day.

Saved with `journal.settings.save` to the plaintext settings file; it holds no content.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, Switch

from journal import settings as settings_mod
from journal.core.errors import ValidationError

if TYPE_CHECKING:
    from journal.ui.app import JournalApp


class SettingsScreen(ModalScreen[bool]):
    """Dismisses True when saved. Esc restores the theme that was active before."""

    DEFAULT_CSS = """
    SettingsScreen {
        align: center middle;
        & > Vertical {
            width: 72; max-width: 100%; height: auto; max-height: 100%;
            border: round $primary; background: $surface; padding: 0 2;
        }
        & Grid { grid-size: 2; grid-columns: 24 1fr; grid-rows: auto; height: auto;
                 grid-gutter: 0 1; }
        & #practice-row { align-horizontal: left; }
        & #practice_offer_from { width: 10; margin-left: 2; }
        & Label { color: $text-muted; padding-top: 1; }
        & #settings-error { color: $error; height: auto; }
        & .settings-note { color: $text-muted; height: auto; }
        & Horizontal { height: auto; align-horizontal: right; }
        & Button { margin-left: 1; }
    }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="settings.cancel"),
        Binding("ctrl+s", "save", "Save", id="settings.save", priority=True),
    ]

    @property
    def journal(self) -> JournalApp:
        return cast("JournalApp", self.app)

    def compose(self) -> ComposeResult:
        current = self.journal.settings
        self.original_theme = self.app.theme
        themes = sorted(self.app.available_themes)
        with Vertical() as box:
            box.border_title = "Settings"
            with Grid():
                yield Label("Lock after idle minutes")
                yield Input(str(current.autolock_minutes), id="autolock", type="integer",
                            restrict=r"\d{0,4}", placeholder="0 = never")
                yield Label("Guided prompts")
                yield Switch(current.guided_prompts, id="guided")
                yield Label("Theme (previews live)")
                yield Select([(name, name) for name in themes], value=self.app.theme,
                             allow_blank=False, id="theme")
                yield Label("Work ends at")
                yield Input(current.work_end, id="work_end", restrict=r"[0-9:]{0,5}",
                            placeholder="HH:MM")
                yield Label("Practice offer, from")
                with Horizontal(id="practice-row"):
                    yield Switch(current.practice_offer, id="practice_offer",
                                 tooltip="Offer a short practice after saving a contagion "
                                         "moment of at least this intensity")
                    yield Input(str(current.practice_offer_from), id="practice_offer_from",
                                type="integer", restrict=r"\d{0,2}", placeholder="0-10")
            yield Static("", id="settings-error")
            yield Static(f"[$text-muted]Saved to {self.journal.paths.settings_file} "
                         "(no journal content is stored there).[/]", classes="settings-note")
            with Horizontal():
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#autolock").focus()

    @on(Select.Changed, "#theme")
    def _preview(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value in self.app.available_themes:
            self.journal.preview_theme(event.value)

    def collect(self) -> settings_mod.Settings:
        raw_minutes = self.query_one("#autolock", Input).value.strip()
        if not raw_minutes.isdigit():
            raise ValidationError("auto-lock: a whole number of minutes (0 = never)")
        work_end = self.query_one("#work_end", Input).value.strip()
        if re.fullmatch(r"\d:\d\d", work_end):
            work_end = "0" + work_end
        raw_from = self.query_one("#practice_offer_from", Input).value.strip()
        if not raw_from.isdigit():
            raise ValidationError("practice offered from: a whole number 0-10")
        new = replace(self.journal.settings, autolock_minutes=int(raw_minutes),
                      guided_prompts=self.query_one("#guided", Switch).value,
                      theme=str(self.query_one("#theme", Select).value), work_end=work_end,
                      practice_offer=self.query_one("#practice_offer", Switch).value,
                      practice_offer_from=int(raw_from))
        try:
            return new.validated()
        except ValidationError as exc:
            names = {"autolock_minutes": "auto-lock minutes", "work_end": "work ends at",
                     "practice_offer_from": "practice offered from"}
            raise ValidationError(f"{names.get(exc.field, exc.field)}: "
                                  f"{str(exc).split(': ')[-1]}") from None

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        try:
            new = self.collect()
        except ValidationError as exc:
            self.query_one("#settings-error", Static).update(str(exc))
            return
        if self.journal.apply_settings(new):
            self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.journal.preview_theme(self.original_theme)
        self.dismiss(False)
