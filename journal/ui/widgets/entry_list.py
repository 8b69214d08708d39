"""The list of entries, newest first: one line per day, virtualised by OptionList.

Rows are built once per refresh (`prepare_rows`, pure: a thread worker may build them);
filtering only swaps which of those prebuilt rows are shown (`show`), so a keystroke never
re-renders 7,300 rows. Each row is one line (`OneLine`), so OptionList need not lay out
50,000 rows to learn their heights before the first paint.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events
from textual.content import Content, Span
from textual.message import Message
from textual.visual import Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from journal.core.models import Entry

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.strip import Strip
    from textual.style import Style
    from textual.visual import RenderOptions

CONTAGION_SYMBOL = "◆"
CONCERN_SYMBOL = "○"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def balance_counts(entry: Entry) -> tuple[int, int]:
    """(contagion moments, concern moments) of one entry."""
    contagion = sum(1 for m in entry.moments if m.kind == "contagion")
    return contagion, len(entry.moments) - contagion


def balance_marker(entry: Entry) -> str:
    """'◆2 ○1': the moment counts by symbol, readable without colour."""
    contagion, concern = balance_counts(entry)
    parts = []
    if contagion:
        parts.append(f"{CONTAGION_SYMBOL}{contagion}")
    if concern:
        parts.append(f"{CONCERN_SYMBOL}{concern}")
    return " ".join(parts)


class OneLine(Content):
    """Content that is always one line high (the list neither wraps nor grows rows):
    answering `get_height` without laying the text out saves seconds at 50,000 rows."""

    __slots__ = ()

    def get_height(self, rules: object, width: int) -> int:
        return 1


def entry_row(entry: Entry, width: int = 7) -> Content:
    """One list line: date, weekday, balance marker and title.

    Styles name theme variables ($contagion, ...): they are resolved when drawn, so the
    rows follow a theme change without being rebuilt. Built from spans directly (not
    Content.assemble): 50,000 rows must take a fraction of a second.
    """
    contagion, concern = balance_counts(entry)
    day = entry.date
    head = f"{day.isoformat()} {WEEKDAYS[day.weekday()]}  "
    spans = [Span(0, 10, "bold"), Span(11, 14, "$text-muted")]
    marker = ""
    if contagion:
        marker = f"{CONTAGION_SYMBOL}{contagion}"
        spans.append(Span(len(head), len(head) + len(marker), "$contagion"))
    if concern:
        if marker:
            marker += " "
        start = len(head) + len(marker)
        marker += f"{CONCERN_SYMBOL}{concern}"
        spans.append(Span(start, len(head) + len(marker), "$concern"))
    text = head + marker + " " * max(1, width - len(marker))
    title = entry.title
    if not title:
        spans.append(Span(len(text), len(text) + 9, "$text-muted italic"))
    return OneLine(text + (title or "(no text)"), spans)


class LazyRow(Visual):
    """An entry's row, built the first time it is drawn: OptionList draws only the rows
    on screen, so 50,000 entries cost 50,000 small objects, not 50,000 Contents."""

    __slots__ = ("entry", "_content")

    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        self._content: Content | None = None

    @property
    def content(self) -> Content:
        if self._content is None:
            self._content = entry_row(self.entry)
        return self._content

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        return self.content.render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1


@dataclass
class _Row:
    entry: Entry
    option: Option


def prepare_rows(entries: Sequence[Entry]) -> list[_Row]:
    """The list's rows for `entries` (newest first). Pure data: safe in a thread."""
    return [_Row(entry, Option(LazyRow(entry), id=entry.id)) for entry in entries]


def click_option(option_list: OptionList, event: events.Click) -> None:
    """A click on an option list's row: the first click highlights it (so a preview can
    follow), a click on the highlighted row or a double click selects it (opens)."""
    event.prevent_default()
    clicked = event.style.meta.get("option")
    if clicked is None:
        return
    if clicked == option_list.highlighted or event.chain > 1:
        option_list.highlighted = clicked
        option_list.action_select()
    else:
        option_list.highlighted = clicked


class EntryList(OptionList):
    """Entries newest first. Click or move to preview; Enter or a second click opens."""

    DEFAULT_CSS = """
    EntryList { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    class EntryHighlighted(Message):
        """The highlighted entry changed (None when the list is empty)."""

        def __init__(self, entry_list: EntryList, entry: Entry | None) -> None:
            super().__init__()
            self.entry_list = entry_list
            self.entry = entry

        @property
        def control(self) -> EntryList:
            return self.entry_list

    class EntryChosen(Message):
        """The user asked to open this entry (Enter, or clicking the highlighted row)."""

        def __init__(self, entry_list: EntryList, entry: Entry) -> None:
            super().__init__()
            self.entry_list = entry_list
            self.entry = entry

        @property
        def control(self) -> EntryList:
            return self.entry_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[_Row] = []
        self._shown: list[int] = []
        self._by_id: dict[str, int] = {}

    # -- data ------------------------------------------------------------------------------
    def set_entries(self, entries: Sequence[Entry], shown: Iterable[int] | None = None,
                    rows: list[_Row] | None = None) -> None:
        """Build every row once (entries newest first; or take `rows` that
        `prepare_rows(entries)` made); show `shown` (default: all).

        The highlighted entry stays highlighted if it is still there.
        """
        keep = self.highlighted_entry
        self._rows = prepare_rows(entries) if rows is None else rows
        self._by_id = {row.entry.id: i for i, row in enumerate(self._rows)}
        self.show(range(len(self._rows)) if shown is None else shown,
                  keep_id=keep.id if keep else None)

    def show(self, indices: Iterable[int], keep_id: str | None = None) -> None:
        """Show only these rows (indices into the entries given to `set_entries`).

        Keeps the highlighted entry if it is still shown, else highlights the first row.
        """
        if keep_id is None:
            keep = self.highlighted_entry
            keep_id = keep.id if keep else None
        self._shown = list(indices)
        self.set_options(self._rows[i].option for i in self._shown)
        if not self._shown:
            self.post_message(self.EntryHighlighted(self, None))
            return
        target = 0
        if keep_id is not None and keep_id in self._by_id:
            try:
                target = self.get_option_index(keep_id)
            except OptionDoesNotExist:
                target = 0
        self.highlighted = target
        self.scroll_to_highlight(top=target == 0)

    @property
    def total(self) -> int:
        return len(self._rows)

    @property
    def entries_shown(self) -> list[Entry]:
        return [self._rows[i].entry for i in self._shown]

    @property
    def highlighted_entry(self) -> Entry | None:
        if self.highlighted is None or not self._shown:
            return None
        if self.highlighted >= len(self._shown):
            return None
        return self._rows[self._shown[self.highlighted]].entry

    def highlight_entry(self, entry_id: str) -> bool:
        """Move the highlight to this entry if it is shown; True if it is."""
        try:
            self.highlighted = self.get_option_index(entry_id)
        except OptionDoesNotExist:
            return False
        self.scroll_to_highlight()
        return True

    # -- events ----------------------------------------------------------------------------
    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.EntryHighlighted(self, self.highlighted_entry))

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self.highlighted_entry
        if entry is not None:
            self.post_message(self.EntryChosen(self, entry))

    async def _on_click(self, event: events.Click) -> None:
        """First click previews, a click on the highlighted row (or a double click) opens."""
        click_option(self, event)
