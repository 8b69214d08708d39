"""Small text charts for the reflection screen, drawn with block characters.

BalanceChart: one row per week (or per month over long ranges), contagion growing left
from a centre line and concern growing right, each with its symbol and count, so the
chart reads the same without colour. ComparisonBars: a few values on a 0-10 scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from journal.ui.widgets.entry_list import CONCERN_SYMBOL, CONTAGION_SYMBOL

MAX_WEEK_ROWS = 26


def _monday(week: str) -> date:
    year, _, num = week.partition("-W")
    return date.fromisocalendar(int(year), int(num), 1)


def balance_rows(weeks: Sequence[dict[str, Any]]) -> list[tuple[str, int, int]]:
    """(label, contagion, concern) per week, or per month when there are many weeks. A
    week is named by its Monday ('2 Nov', under the chart's 'week of'), a month by its name
    ('Nov 2026'): the core's ISO labels ('2026-W45') are not words a person reads."""
    rows = [(_monday(str(w["week"])), int(w["contagion"]), int(w["concern"])) for w in weeks]
    if len(rows) <= MAX_WEEK_ROWS:
        return [(f"{monday.day} {monday:%b}", c, q) for monday, c, q in rows]
    months: dict[str, list[int]] = {}
    for monday, contagion, concern in rows:
        sums = months.setdefault(f"{monday:%b %Y}", [0, 0])
        sums[0] += contagion
        sums[1] += concern
    return [(label, c, q) for label, (c, q) in months.items()]


def _bar(value: int, top: int, width: int) -> str:
    if value <= 0 or top <= 0 or width <= 0:
        return ""
    return "█" * max(1, round(value / top * width))


class ChartBase(Widget):
    DEFAULT_CSS = """
    ChartBase { height: auto; width: 1fr; }
    ChartBase > .chart--contagion { color: $contagion; }
    ChartBase > .chart--concern { color: $concern; }
    ChartBase > .chart--label { color: $text-muted; }
    ChartBase > .chart--axis { color: $text-muted; }
    ChartBase > .chart--title { text-style: bold; }
    """
    COMPONENT_CLASSES = {"chart--contagion", "chart--concern", "chart--label", "chart--axis",
                         "chart--title"}

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"chart--{name}")


class BalanceChart(ChartBase):
    """Contagion (◆, left) and concern (○, right) per week or month."""

    def __init__(self, weeks: Sequence[dict[str, Any]] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_weeks(weeks, refresh=False)

    def set_weeks(self, weeks: Sequence[dict[str, Any]], *, refresh: bool = True) -> None:
        self.rows = balance_rows(weeks)
        self.by_week = len(weeks) <= MAX_WEEK_ROWS
        if refresh:
            self.refresh(layout=True)

    def render(self) -> Text:
        if not self.rows:
            return Text("No moments in this range.", self._style("label"))
        head_label = "week of" if self.by_week else ""
        label_w = max(len(head_label), *(len(r[0]) for r in self.rows))
        count_w = max(len(str(n)) for r in self.rows for n in r[1:]) + 2
        side = max(1, (self.size.width - label_w - 1 - 2 * count_w - 3) // 2)
        top = max(max(r[1], r[2]) for r in self.rows)
        out = Text()
        head_c = f"{CONTAGION_SYMBOL} contagion"
        head_q = f"{CONCERN_SYMBOL} concern"
        out.append(head_label.ljust(label_w + 1), self._style("label"))
        out.append(head_c.rjust(side + count_w), self._style("contagion"))
        out.append(" │ ", self._style("axis"))
        out.append(head_q.ljust(side + count_w), self._style("concern"))
        for label, contagion, concern in self.rows:
            out.append("\n")
            out.append(label.ljust(label_w) + " ", self._style("label"))
            out.append((_bar(contagion, top, side - 1) + " ").rjust(side), self._style("contagion"))
            out.append(f"{CONTAGION_SYMBOL}{contagion}".rjust(count_w), self._style("contagion"))
            out.append(" │ ", self._style("axis"))
            out.append(f"{CONCERN_SYMBOL}{concern} ".ljust(count_w), self._style("concern"))
            out.append(_bar(concern, top, side - 1), self._style("concern"))
        return out


class ComparisonBars(ChartBase):
    """Rows of (label, value on 0-10 or None, the nights it rests on)."""

    def __init__(self, rows: Sequence[tuple[str, float | None, int]] = (), *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = list(rows)

    def set_rows(self, rows: Sequence[tuple[str, float | None, int]]) -> None:
        self.rows = list(rows)
        self.refresh(layout=True)

    def render(self) -> Text:
        out = Text()
        if not self.rows:
            return out
        label_w = max(len(r[0]) for r in self.rows)
        width = max(5, min(30, self.size.width - label_w - 22))   # " 6.0/10 (55 nights)"
        for i, (label, value, n) in enumerate(self.rows):
            if i:
                out.append("\n")
            out.append(label.ljust(label_w) + " ", self._style("label"))
            if value is None:
                out.append("no data yet", self._style("label"))
                continue
            filled = round(value / 10 * width)
            out.append("█" * filled, self._style("concern" if i else "contagion"))
            out.append("░" * (width - filled), self._style("axis"))
            out.append(f" {value:.1f}/10 ({n} {'night' if n == 1 else 'nights'})")
        return out
