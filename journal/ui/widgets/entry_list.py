"""The list of entries, newest first: one line per day, drawn with the Line API.

The list holds a sequence (usually the index's `Hits`, whose Entries are built only when
read) and draws only the rows on screen: showing 50,000 entries builds about a screenful
of Entry objects and rows, and filtering swaps the sequence. Each row is one line, so the
list's height is its length without laying anything out. Keys, mouse and look follow
Textual's OptionList (the list used to be one).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content, Span
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, Visual
from textual.widgets import OptionList

from journal.core.model.entries import Entry
from journal.ui.widgets.entry_view import EntryView

CONTAGION_SYMBOL = "◆"
CONCERN_SYMBOL = "○"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def balance_counts(entry: Entry) -> tuple[int, int]:
    """(contagion moments, concern moments) of one entry."""
    contagion = sum(1 for m in entry.moments if m.kind == "contagion")
    return contagion, len(entry.moments) - contagion


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


ROW_CACHE = 512
"""Rows (Entry and Content) kept built: a few screens' worth."""


def click_option(option_list: OptionList | EntryList, event: events.Click) -> None:
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


class EntryList(ScrollView, can_focus=True):
    """Entries newest first. Click or move to preview; Enter or a second click opens."""

    ALLOW_SELECT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
        Binding("home", "first", "First", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("up", "cursor_up", "Up", show=False),
    ]

    # OptionList's look, under this widget's own component classes.
    DEFAULT_CSS = """
    EntryList {
        height: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        color: $foreground;
        overflow-x: hidden;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        & > .entry-list--option-highlighted {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .entry-list--option-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .entry-list--option-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        & > .entry-list--option-hover {
            background: $block-hover-background;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "entry-list--option", "entry-list--option-highlighted", "entry-list--option-hover",
    }

    highlighted: reactive[int | None] = reactive(None)
    """The position of the highlighted entry in the list, or None when it is empty."""
    _hover: reactive[int | None] = reactive(None)

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
        self.view = EntryView()
        """What the list shows, newest first."""
        self.total = 0
        """How many entries there are in all (the list may show a filtered part)."""
        self._rows: LRUCache[int, tuple[Entry, Content]] = LRUCache(ROW_CACHE)
        self._strips: LRUCache[tuple[int, Style, int], Strip] = LRUCache(ROW_CACHE * 2)

    # -- data ------------------------------------------------------------------------------
    def set_entries(self, entries: Sequence[Entry] | EntryView, total: int | None = None,
                    keep: Entry | None | bool = True) -> None:
        """Show `entries` (newest first; an `EntryView`, or a sequence to wrap in one).

        The highlight stays on `keep` (True: the highlighted entry) if it is still there,
        else goes to the first row (None: always).
        """
        keep = self.highlighted_entry if keep is True else keep or None
        self.view = entries if isinstance(entries, EntryView) else EntryView(entries)
        self.total = len(self.view) if total is None else total
        self._rows.clear()
        self._strips.clear()
        target = None if keep is None else self.view.position_of_day(keep.date)
        if target is not None and self._row(target)[0].id != keep.id:
            target = None
        self._update_size()
        self.set_reactive(EntryList.highlighted, (target or 0) if len(self.view) else None)
        self.refresh()
        if self.is_mounted:
            self.scroll_to_highlight(top=not target)
        self.post_message(self.EntryHighlighted(self, self.highlighted_entry))

    @property
    def option_count(self) -> int:
        """How many entries the list shows (OptionList's name for it)."""
        return len(self.view)

    @property
    def entries_shown(self) -> list[Entry]:
        """Every entry shown, built (tests; the screens never need them all at once)."""
        return list(self.view)

    @property
    def highlighted_entry(self) -> Entry | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self.view):
            return None
        return self._row(self.highlighted)[0]

    def highlight_entry(self, entry_id: str) -> bool:
        """Move the highlight to this entry if it is shown; True if it is."""
        found = self.view.position_of_id(entry_id)
        if found is None:
            return False
        self.highlighted = found
        return True

    def highlight_day(self, day: date) -> bool:
        """Move the highlight to the entry of `day` if it is shown; True if it is."""
        found = self.view.position_of_day(day)
        if found is None:
            return False
        self.highlighted = found
        return True

    def _row(self, index: int) -> tuple[Entry, Content]:
        row = self._rows.get(index)
        if row is None:
            entry = self.view[index]
            row = (entry, entry_row(entry))
            self._rows[index] = row
        return row

    # -- drawing ---------------------------------------------------------------------------
    def _update_size(self) -> None:
        size = Size(self.scrollable_content_region.width, len(self.view))
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    def _on_resize(self) -> None:
        self._strips.clear()
        self._update_size()
        self.refresh()

    def notify_style_update(self) -> None:
        self._strips.clear()
        self.refresh()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if not 0 <= index < len(self.view):
            return Strip.blank(width, self.get_visual_style("entry-list--option").rich_style)
        state = ("entry-list--option-highlighted" if index == self.highlighted
                 else "entry-list--option-hover" if index == self._hover else "")
        style = (self.get_visual_style("entry-list--option", state) if state
                 else self.get_visual_style("entry-list--option"))
        strip = self._strips.get((index, style, width))
        if strip is None:
            visual: Visual = self._row(index)[1]
            padding = self.get_component_styles("entry-list--option").padding
            if padding:
                visual = Padding(visual, padding)
            strips = Visual.to_strips(self, visual, width, 1, style)
            strip = strips[0].extend_cell_length(width, style.rich_style).crop(0, width)
            strip = strip.apply_meta({"option": index})
            self._strips[(index, style, width)] = strip
        return strip

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        if new is None:
            return
        self.scroll_to_highlight()
        self.post_message(self.EntryHighlighted(self, self.highlighted_entry))

    def validate_highlighted(self, value: int | None) -> int | None:
        if value is None or not len(self.view):
            return None
        return max(0, min(value, len(self.view) - 1))

    def scroll_to_highlight(self, top: bool = False) -> None:
        if self.highlighted is None or not self.is_mounted:
            return
        self._update_size()
        self.scroll_to_region(Region(0, self.highlighted, self.scrollable_content_region.width,
                                     1), force=True, animate=False, top=top, immediate=True)

    def on_show(self) -> None:
        self.scroll_to_highlight()

    # -- keys ------------------------------------------------------------------------------
    def _move(self, to: int) -> None:
        if len(self.view):
            self.highlighted = to

    def action_cursor_down(self) -> None:
        """Down a row; from the last, to the first (as OptionList does)."""
        current = self.highlighted
        self._move(0 if current is None or current + 1 >= len(self.view) else current + 1)

    def action_cursor_up(self) -> None:
        current = self.highlighted
        self._move(len(self.view) - 1 if current is None or current == 0 else current - 1)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(len(self.view) - 1)

    def action_page_down(self) -> None:
        page = max(1, self.scrollable_content_region.height)
        self._move(min(len(self.view) - 1, (self.highlighted or 0) + page))

    def action_page_up(self) -> None:
        page = max(1, self.scrollable_content_region.height)
        self._move(max(0, (self.highlighted or 0) - page))

    def action_select(self) -> None:
        entry = self.highlighted_entry
        if entry is not None:
            self.post_message(self.EntryChosen(self, entry))

    # -- mouse -----------------------------------------------------------------------------
    def _on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover = event.style.meta.get("option")

    def _on_leave(self, _: events.Leave) -> None:
        self._hover = None

    async def _on_click(self, event: events.Click) -> None:
        """First click previews, a click on the highlighted row (or a double click) opens."""
        click_option(self, event)
