"""A month heat map: which days have entries, how heavy they were, and which way they leaned.

Each day cell is `25◆` (and a space): the day number on a heat background ($heat-0 no
entry .. $heat-4 the heaviest days, by the moments' total intensity) and a symbol for the
balance:
◆ contagion outweighed concern, ○ concern outweighed contagion, = even, · no moments.
Colours come only from the theme variables (component classes below). As many months as
fit are drawn side by side, the cursor's month on the right.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from journal.core.model.entries import Entry
from journal.ui.widgets.entry_view import EntryView

MONTH_WIDTH = 27
GAP = 2
TONES = ("contagion", "concern", "even", "calm", "spillover", "plain")
SYMBOLS = {"contagion": "◆", "concern": "○", "even": "=", "calm": "·", "spillover": "⌂",
           "plain": " "}
LEGEND = (("◆", "contagion"), ("○", "concern"), ("=", "even"), ("·", "no moments"))


@dataclass(frozen=True)
class DayMark:
    """How one day is drawn: heat 1-4 (0 = no entry) and a tone from TONES."""

    level: int
    tone: str

    @property
    def symbol(self) -> str:
        return SYMBOLS.get(self.tone, " ")


def mark_for(entry: Entry) -> DayMark:
    """Heat from the total moment intensity; tone from contagion vs concern intensity."""
    contagion = sum(m.intensity for m in entry.moments if m.kind == "contagion")
    concern = sum(m.intensity for m in entry.moments if m.kind == "concern")
    total = contagion + concern
    level = 1 if total == 0 else 2 if total <= 8 else 3 if total <= 16 else 4
    if not entry.moments:
        tone = "calm"
    elif contagion > concern:
        tone = "contagion"
    elif concern > contagion:
        tone = "concern"
    else:
        tone = "even"
    return _day_mark(level, tone)


@functools.cache
def _day_mark(level: int, tone: str) -> DayMark:
    """Marks are few and immutable: share them (50,000 days build in a fraction)."""
    return DayMark(level, tone)


class DayMarks(Mapping[date, DayMark]):
    """The marks of the days in `view`, worked out a month at a time when a month is drawn
    (or a day is looked up): 50,000 entries cost nothing until their month is shown."""

    def __init__(self, view: EntryView, mark: Callable[[Entry], DayMark] = mark_for) -> None:
        self.view = view
        self._mark = mark
        self._months: dict[tuple[int, int], dict[date, DayMark]] = {}

    def month(self, year: int, month: int) -> dict[date, DayMark]:
        found = self._months.get((year, month))
        if found is None:
            last = calendar.monthrange(year, month)[1]
            rows = self.view.between(date(year, month, 1), date(year, month, last))
            found = self._month_marks(year, month, self.view[rows.start:rows.stop])
            self._months[(year, month)] = found
        return found

    def _month_marks(self, year: int, month: int, entries: list[Entry]) -> dict[date, DayMark]:
        return {e.date: self._mark(e) for e in entries}

    def __getitem__(self, day: date) -> DayMark:
        return self.month(day.year, day.month)[day]

    def get(self, day: date, default: DayMark | None = None) -> DayMark | None:  # type: ignore[override]
        return self.month(day.year, day.month).get(day, default)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day in self.month(day.year, day.month)

    def __iter__(self) -> Iterator[date]:
        return iter(self.view.dates)

    def __len__(self) -> int:
        return len(self.view)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class MonthCalendar(Widget, can_focus=True):
    """Arrow keys move a day, PageUp/PageDown a month; Enter (or a second click) opens."""

    DEFAULT_CSS = """
    MonthCalendar { height: 8; width: 1fr; }
    MonthCalendar > .calendar--heat-0 { background: $heat-0; color: $foreground; }
    MonthCalendar > .calendar--heat-1 { background: $heat-1; color: $foreground; }
    MonthCalendar > .calendar--heat-2 { background: $heat-2; color: $foreground; }
    MonthCalendar > .calendar--heat-3 { background: $heat-3; color: $foreground; }
    MonthCalendar > .calendar--heat-4 { background: $heat-4; color: $foreground; }
    MonthCalendar > .calendar--contagion { color: $contagion; text-style: bold; }
    MonthCalendar > .calendar--concern { color: $concern; text-style: bold; }
    MonthCalendar > .calendar--even { color: $foreground; }
    MonthCalendar > .calendar--calm { color: $text-muted; }
    MonthCalendar > .calendar--spillover { color: $spillover; text-style: bold; }
    MonthCalendar > .calendar--plain { color: $foreground; }
    MonthCalendar > .calendar--title { color: $text; text-style: bold; }
    MonthCalendar > .calendar--weekday { color: $text-muted; }
    MonthCalendar > .calendar--cursor { text-style: bold underline; }
    MonthCalendar:focus > .calendar--cursor { text-style: bold reverse; }
    """

    COMPONENT_CLASSES = {
        *(f"calendar--heat-{n}" for n in range(5)),
        *(f"calendar--{tone}" for tone in TONES),
        "calendar--title", "calendar--weekday", "calendar--cursor",
    }

    BINDINGS = [
        Binding("left", "move(-1)", "Day", show=False),
        Binding("right", "move(1)", "Day", show=False),
        Binding("up", "move(-7)", "Week", show=False),
        Binding("down", "move(7)", "Week", show=False),
        Binding("pageup", "month(-1)", "Month", show=False),
        Binding("pagedown", "month(1)", "Month", show=False),
        Binding("enter", "select", "Open day", id="calendar.open"),
    ]

    cursor: reactive[date] = reactive(date(2000, 1, 1), init=False)

    class DayHighlighted(Message):
        def __init__(self, calendar_: MonthCalendar, day: date) -> None:
            super().__init__()
            self.calendar = calendar_
            self.day = day

        @property
        def control(self) -> MonthCalendar:
            return self.calendar

    class DaySelected(DayHighlighted):
        """Enter, a click on the cursor's day, or a double click."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.marks: Mapping[date, DayMark] = {}
        self._quiet = False

    # -- data ------------------------------------------------------------------------------
    def set_marks(self, marks: Mapping[date, DayMark], cursor: date | None = None) -> None:
        """What to draw on each day: a dict, or `DayMarks` (only the months shown are
        worked out)."""
        self.marks = marks
        if cursor is not None:
            self.move_to(cursor, announce=False)
        self.refresh()

    def move_to(self, day: date, announce: bool = True) -> None:
        """Put the cursor on `day`; `announce=False` posts no DayHighlighted."""
        self._quiet = not announce
        self.cursor = day
        self._quiet = False

    def watch_cursor(self, day: date) -> None:
        if not self._quiet:
            self.post_message(self.DayHighlighted(self, day))

    # -- actions ---------------------------------------------------------------------------
    def action_move(self, days: int) -> None:
        self.cursor = self.cursor + timedelta(days=days)

    def action_month(self, months: int) -> None:
        self.cursor = add_months(self.cursor, months)

    def action_select(self) -> None:
        self.post_message(self.DaySelected(self, self.cursor))

    # -- geometry --------------------------------------------------------------------------
    def months_shown(self) -> list[tuple[int, int]]:
        count = max(1, (self.size.width + GAP) // (MONTH_WIDTH + GAP))
        last = date(self.cursor.year, self.cursor.month, 1)
        firsts = [add_months(last, -n) for n in range(count - 1, -1, -1)]
        return [(d.year, d.month) for d in firsts]

    def day_at(self, x: int, y: int) -> date | None:
        """The day drawn at content offset (x, y), if any."""
        block, col = divmod(x, MONTH_WIDTH + GAP)
        months = self.months_shown()
        if block >= len(months) or col >= MONTH_WIDTH or y < 2:
            return None
        year, month = months[block]
        weeks = calendar.Calendar().monthdayscalendar(year, month)
        row = y - 2
        if row >= len(weeks):
            return None
        day = weeks[row][col // 4]
        return date(year, month, day) if day else None

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        day = self.day_at(offset.x, offset.y)
        if day is None:
            return
        if day == self.cursor or event.chain > 1:
            self.cursor = day
            self.action_select()
        else:
            self.cursor = day

    # -- drawing ---------------------------------------------------------------------------
    def _style(self, name: str, partial: bool = False) -> Style:
        return self.get_component_rich_style(f"calendar--{name}", partial=partial)

    def render(self) -> Text:
        months = self.months_shown()
        grids = [calendar.Calendar().monthdayscalendar(y, m) for y, m in months]
        gap = " " * GAP
        lines = [Text(), Text()]
        for i, (year, month) in enumerate(months):
            if i:
                lines[0].append(gap)
                lines[1].append(gap)
            title = f"{calendar.month_name[month]} {year}".center(MONTH_WIDTH)
            lines[0].append(title, self._style("title"))
            lines[1].append("  ".join(d[:2] for d in calendar.day_abbr), self._style("weekday"))
        for row in range(6):
            line = Text()
            for i, ((year, month), grid) in enumerate(zip(months, grids, strict=True)):
                if i:
                    line.append(gap)
                week = grid[row] if row < len(grid) else [0] * 7
                for col, number in enumerate(week):
                    if col:
                        line.append(" ")
                    self._cell(line, date(year, month, number) if number else None)
            lines.append(line)
        return Text("\n").join(lines)

    def _cell(self, line: Text, day: date | None) -> None:
        if day is None:
            line.append("   ")
            return
        mark = self.marks.get(day)
        heat = self._style(f"heat-{mark.level if mark else 0}")
        if day == self.cursor:
            heat = heat + self._style("cursor", partial=True)
        line.append(f"{day.day:>2}", heat)
        if mark is None:
            line.append(" ", heat)
        else:
            line.append(mark.symbol, heat + self._style(mark.tone, partial=True))
