"""One-key pickers: a choice (kind, context, action) and a 0-10 scale (intensity)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

#: Cells between two options of a KeyChoice.
GAP = 2

#: Kind is never shown by colour alone: a symbol and the word go with it.
KIND_SYMBOL = {"contagion": "◆", "concern": "○"}


def say_not_taken(widget: Widget, event: events.Key, hint: str) -> None:
    """A printable key the field cannot take is never dropped in silence (issue 14: nothing
    typed may be lost without a word): the field says which keys it takes."""
    if event.is_printable:
        say_refused(widget, hint)


def say_refused(widget: Widget, hint: str) -> None:
    """Say which keys a field takes, after it refused one."""
    widget.notify(hint, title="That key is not one of this field's", timeout=3, markup=False)


def kind_label(kind: str) -> str:
    """Markup for a kind: its colour variable, symbol and word, e.g. '◆ contagion'."""
    return f"[${kind}]{KIND_SYMBOL.get(kind, '?')} {kind}[/]"


class KeyChoice(Widget, can_focus=True):
    """Pick one of a few values with a single key; the choice moves focus on."""

    DEFAULT_CSS = """
    KeyChoice { height: 1; width: 1fr; }
    KeyChoice:focus { background: $boost; text-style: bold; }
    """

    value: reactive[str | None] = reactive(None)

    @dataclass
    class Chosen(Message):
        choice: KeyChoice
        value: str | None

    def __init__(self, options: list[tuple[str, str, str]], value: str | None = None, *,
                 advance: bool = True, id: str | None = None) -> None:
        """`options`: (key, value, markup label) triples."""
        super().__init__(id=id)
        self.options = options
        self.advance = advance
        self.set_reactive(KeyChoice.value, value)

    def _parts(self) -> list[str]:
        """Each option as markup: its key, the mark of the value chosen, its label."""
        parts = []
        for key, value, label in self.options:
            mark = "●" if value == self.value else " "
            style = "b reverse" if value == self.value else "$text-muted" if self.value else ""
            key_part = f"[{style}]" if style else ""
            end = "[/]" if style else ""
            parts.append(f"{key_part}{key}{end} {mark}{label}")
        return parts

    def _rows(self, width: int) -> list[list[int]]:
        """The options' indices, row by row: an option is never broken across rows (at 80
        columns the check-in's "not safe" was cut in two); a row is as many whole options,
        two cells apart, as fit in `width` (each option alone if none fit)."""
        rows: list[list[int]] = [[]]
        used = 0
        for index, (key, _value, label) in enumerate(self.options):
            size = len(key) + 2 + Content.from_markup(label).cell_length
            if rows[-1] and used + GAP + size > width:
                rows.append([])
                used = 0
            used += (GAP if rows[-1] else 0) + size
            rows[-1].append(index)
        return rows

    def _width(self) -> int:
        return self.content_size.width or 1 << 16

    def render(self) -> Content:
        parts = self._parts()
        return Content.from_markup("\n".join(
            (" " * GAP).join(parts[i] for i in row) for row in self._rows(self._width())))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._rows(width))

    def accepts(self, event: events.Key) -> bool:
        return event.character in {k for k, _, _ in self.options} or event.key in (
            "backspace", "delete")

    def choose(self, value: str | None) -> None:
        self.value = value
        self.post_message(self.Chosen(self, value))

    def on_key(self, event: events.Key) -> None:
        if self.handle(event):
            event.stop()
            event.prevent_default()
        else:
            say_not_taken(self, event, "Press " + ", ".join(
                f"{key} for {value}" for key, value, _ in self.options) + ".")

    def handle(self, event: events.Key) -> bool:
        """Act on a key now (MomentForm calls this from priority bindings, in typing
        order, so keys typed fast are not lost in a focus change). True if used."""
        keys = {key: value for key, value, _ in self.options}
        if event.character in keys:
            self.choose(keys[event.character])
            if self.advance:
                self.screen.focus_next()
            return True
        if event.key in ("backspace", "delete"):
            self.choose(None)
            return True
        return False

    def on_click(self, event: events.Click) -> None:
        # Clicking a label picks it: find which option's span the offset falls in.
        rows = self._rows(self._width())
        if not 0 <= event.y < len(rows):
            return
        x = 0
        for index in rows[event.y]:
            key, value, label = self.options[index]
            width = len(key) + 2 + Content.from_markup(label).cell_length
            if x <= event.x < x + width:
                self.choose(value)
                return
            x += width + GAP


class ScaleChoice(Widget, can_focus=True):
    """A 0-10 scale: type a digit (1 then 0 for 10), or use left/right/+/-."""

    DEFAULT_CSS = """
    ScaleChoice { height: 1; width: 1fr; }
    ScaleChoice:focus { background: $boost; text-style: bold; }
    """

    value: reactive[int | None] = reactive(None)

    def __init__(self, value: int | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(ScaleChoice.value, value)
        self._pending_one = False

    def render(self) -> Content:
        if self.value is None:
            return Content.from_markup("[$text-muted]type 0-9 (1 then 0 for 10)[/]")
        bar = "▮" * self.value + "▯" * (10 - self.value)
        return Content.from_markup(f"{bar} [b]{self.value}[/]/10")

    def on_key(self, event: events.Key) -> None:
        if self.handle(event):
            event.stop()
            event.prevent_default()
        else:
            say_not_taken(self, event, "Type 0-9 (1 then 0 for 10), or use left/right.")

    def handle(self, event: events.Key) -> bool:
        """Act on a key now; True if used (see KeyChoice.handle)."""
        char = event.character or ""
        handled = True
        if char.isdigit() and len(char) == 1:
            digit = int(char)
            if self._pending_one and digit == 0:
                self.value, self._pending_one = 10, False
                self.screen.focus_next()
            elif digit == 1:
                self.value, self._pending_one = 1, True  # wait: it may become 10
            else:
                self.value, self._pending_one = digit, False
                self.screen.focus_next()
        elif event.key in ("right", "plus") or char == "+":
            self.value = min(10, (self.value if self.value is not None else -1) + 1)
        elif event.key in ("left", "minus") or char == "-":
            self.value = max(0, (self.value if self.value is not None else 1) - 1)
        elif event.key in ("backspace", "delete"):
            self.value = None
        else:
            handled = False
        return handled

    @property
    def waiting_for_zero(self) -> bool:
        """A 1 was typed and a 0 would make it 10."""
        return self._pending_one

    def settle(self) -> None:
        """Keep the 1 typed last and move on: a key other than 0 came next."""
        if self._pending_one:
            self._pending_one = False
            self.screen.focus_next()

    def accepts(self, event: events.Key) -> bool:
        char = event.character or ""
        return (len(char) == 1 and char in "0123456789+-") or event.key in (
            "left", "right", "plus", "minus", "backspace", "delete")

    def on_blur(self) -> None:
        self._pending_one = False

    def on_click(self, event: events.Click) -> None:
        if 0 <= event.x <= 10:
            self.value = min(10, event.x)
