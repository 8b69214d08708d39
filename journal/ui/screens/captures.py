"""ctrl+r: the quick captures merged into this vault, to read, keep or discard (issue 13 item 3).

A quick capture ('journal add --sealed') needs no passphrase, so anyone who can write the
vault folder can send one, backdated, into any day. This screen lists each merged capture
that is not yet reviewed (its day, when it arrived, the time it claims, its first words),
shows its text, and lets the person keep it (marked reviewed in the sealed record, so off
the list and no longer marked in its day, in this and every later session) or discard it
(its text and moments taken out of its day again, after a confirm that names it). The same
core calls as `journal captures`: `Vault.arrivals()`, `Vault.keep_capture(n)` and
`Vault.discard_capture(n)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from journal.core.errors import JournalError
from journal.core.store.captures import Arrival
from journal.core.textsafe import for_markup, one_line, terminal_safe
from journal.ui.screens.confirm import ConfirmScreen
from journal.ui.vault_access import vault_in_use

if TYPE_CHECKING:
    from journal.ui.app import JournalApp

INTRO = ("Sent without the passphrase: anyone who can write the journal's folder can send "
         "one, into any day, with any time. Keep what is yours; discard the rest.")


def arrival_row(arrival: Arrival) -> str:
    """One list line (fits 76 columns with short words): day, arrival, claim, words."""
    claimed = f"  says {arrival.claimed:%m-%d %H:%M}" if arrival.claimed else ""
    return (f"{arrival.day.isoformat()}  arrived {arrival.arrived:%m-%d %H:%M}{claimed}  "
            f"\u201c{one_line(arrival.words)}\u201d")


class CapturesScreen(ModalScreen[None]):
    """The merged quick captures still to review. k keeps, d discards, Esc closes."""

    DEFAULT_CSS = """
    CapturesScreen { align: center middle; }
    CapturesScreen > #captures-box {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: round $warning; background: $surface; padding: 0 1;
    }
    CapturesScreen #captures-intro { color: $text-muted; height: auto; }
    CapturesScreen #captures-list { height: auto; max-height: 8; margin: 1 0 0 0; }
    CapturesScreen #captures-text { height: auto; max-height: 8; border: round $primary; }
    CapturesScreen #captures-hint { color: $text-muted; height: 1; }
    """
    BINDINGS = [
        Binding("k", "keep", "Keep", id="captures.keep",
                tooltip="It is yours: reviewed, off the list for good"),
        Binding("d", "discard", "Discard", id="captures.discard",
                tooltip="Take its text and moments out of its day (asks first)"),
        Binding("escape,q", "close", "Close", id="captures.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[int, Arrival]] = []
        """(number as Vault.discard_capture counts it, arrival) for each row shown."""

    @property
    def journal(self) -> JournalApp:
        return cast("JournalApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="captures-box") as box:
            box.border_title = "Quick captures"
            yield Static(INTRO, id="captures-intro", markup=False)
            yield OptionList(id="captures-list")
            with VerticalScroll(id="captures-text", can_focus=False):
                yield Static("", id="captures-body", markup=False)
            yield Static("↑↓ read · k keep (it is mine) · d discard · esc close",
                         id="captures-hint", markup=False)

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    def reload(self) -> None:
        """Read the record again and list what is neither discarded nor kept."""
        try:
            with vault_in_use(self.journal) as vault:
                every = vault.arrivals() if vault is not None else []
        except JournalError as exc:
            self.notify(str(exc), title="Quick captures", severity="error", markup=False)
            every = []
        self.shown = sorted(((n, a) for n, a in enumerate(every, 1) if a.to_review),
                            key=lambda shown: (shown[1].day, shown[1].arrived, shown[0]))
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(Content(arrival_row(a)), id=str(n))
                             for n, a in self.shown])
        if self.shown:
            options.highlighted = 0
        self._show_text()

    def current(self) -> tuple[int, Arrival] | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    @on(OptionList.OptionHighlighted)
    def _show_text(self) -> None:
        chosen = self.current()
        body = self.query_one("#captures-body", Static)
        if chosen is None:
            body.update("Nothing left to review." if not self.shown else "")
            return
        _, arrival = chosen
        claimed = (f"; it says it was written {arrival.claimed:%Y-%m-%d %H:%M}"
                   if arrival.claimed else "")
        moments = (f"; it brought {len(arrival.moments)} moment"
                   f"{'s' if len(arrival.moments) != 1 else ''}" if arrival.moments else "")
        text = arrival.body.strip() or arrival.words
        body.update(Content(f"Into {arrival.day:%A %d %B %Y}, arrived "
                            f"{arrival.arrived:%Y-%m-%d %H:%M}{claimed}{moments}.\n\n"
                            f"{terminal_safe(text)}"))

    def action_keep(self) -> None:
        """It is the person's own: reviewed for good, and its day no longer marked."""
        chosen = self.current()
        if chosen is None:
            return
        number, arrival = chosen
        if not self._change(lambda vault: vault.keep_capture(number), "Not kept"):
            return
        write = self.journal.write_screen
        if write is not None and write.is_mounted and write.day == arrival.day:
            write.recount_captures()
        self.reload()

    def action_discard(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        number, arrival = chosen

        def decided(yes: bool | None) -> None:
            if yes:
                self.discard(number, arrival)

        self.app.push_screen(ConfirmScreen(
            "Discard this quick capture?",
            f"Take \u201c{for_markup(one_line(arrival.words))}\u201d out of "
            f"{arrival.day:%A %d %B %Y}? Its text and moments leave that day's entry "
            "(the record keeps that it arrived).", yes="Discard", no="Keep it"), decided)

    def discard(self, number: int, arrival: Arrival) -> None:
        """Save what the write screen holds, take the capture out, show the day again."""
        write = self.journal.write_screen
        if write is not None and write.is_mounted and not write.flush():
            return  # the save failed and said so; nothing is taken out of an unsaved day
        if not self._change(lambda vault: vault.discard_capture(number), "Not discarded"):
            return
        self.notify(f"Discarded the quick capture from {arrival.day.isoformat()}.")
        if write is not None and write.is_mounted and write.day == arrival.day:
            write.call_later(write.show_day, arrival.day)
        self.reload()

    def _change(self, change: Callable[[Any], object], refused: str) -> bool:
        """Make `change` to the vault (keep or discard one capture); False, said under the
        title `refused`, when the vault refuses it, and False when the vault is locked."""
        try:
            with vault_in_use(self.journal) as vault:
                if vault is None:
                    return False
                change(vault)
        except JournalError as exc:
            self.notify(str(exc), title=refused, severity="error", markup=False)
            return False
        return True

    def action_close(self) -> None:
        self.dismiss(None)
