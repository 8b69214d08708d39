"""The reflection findings: a list to pick one, its detail (chart, table, calendar) and the
entries it rests on (its evidence), which can be opened.

A finding is the dict journal.core.reflection.reflect() returns per kind: `kind`, `title`,
`summary`, `stats`, `evidence` [{date, entry_id}], `status` ("ok" | "insufficient") and
`missing`. Nothing here computes: it only shows what the core found.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from journal.core.model.entries import Entry
from journal.core.reflection import NOT_A_DIAGNOSIS
from journal.core.textsafe import terminal_safe
from journal.core.wording import points
from journal.ui.widgets.calendar import DayMark, DayMarks, MonthCalendar, mark_for
from journal.ui.widgets.charts import BalanceChart, ComparisonBars
from journal.ui.widgets.entry_list import CONCERN_SYMBOL, CONTAGION_SYMBOL, EntryList
from journal.ui.widgets.entry_view import EntryView

Finding = dict[str, Any]


class SpilloverMarks(DayMarks):
    """Every entry's heat in plain tone, and the spillover days marked (⌂): worked out a
    month at a time, as the calendar draws it."""

    def __init__(self, view: EntryView, days: list[date]) -> None:
        super().__init__(view, mark=lambda e: DayMark(mark_for(e).level, "plain"))
        self.days = days

    def _month_marks(self, year: int, month: int, entries: list[Entry]) -> dict[date, DayMark]:
        marks = super()._month_marks(year, month, entries)
        for day in self.days:
            if (day.year, day.month) == (year, month):
                base = marks.get(day)
                marks[day] = DayMark(max(2, base.level if base else 2), "spillover")
        return marks

    def __iter__(self) -> Iterator[date]:
        return iter(sorted({*self.view.dates, *self.days}, reverse=True))

    def __len__(self) -> int:
        return len({*self.view.dates, *self.days})


def share(value: Any) -> str:
    """0.42 -> '42%' (values above 1 are taken as percentages already)."""
    if value is None:
        return "–"
    number = float(value)
    return f"{number:.0f}%" if number > 1 else f"{number:.0%}"


def _day(value: Any) -> date | None:
    try:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return None


def _nice_date(day: date | None) -> str:
    return f"{day.strftime('%a')} {day.day} {day.strftime('%b %Y')}" if day else "?"


def finding_prompt(finding: Finding) -> Content:
    """'● Title' when the finding stands out, '… Title' when there is too little data."""
    if finding.get("status", "ok") != "ok":
        return Content.assemble(("… ", "$text-muted"),
                                (str(finding.get("title") or finding.get("kind")), "$text-muted"),
                                (" (needs more entries)", "$text-muted italic"))
    mark = ("● ", "$accent") if finding.get("notable") else ("  ", "")
    return Content.assemble(mark, str(finding.get("title") or finding.get("kind", "?")))


class FindingList(OptionList):
    """One line per finding. Highlighting one shows its detail and evidence."""

    class FindingHighlighted(Message):
        def __init__(self, finding: Finding | None) -> None:
            super().__init__()
            self.finding = finding

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.findings: list[Finding] = []

    def set_findings(self, findings: list[Finding]) -> None:
        keep = self.highlighted_finding
        self.findings = list(findings)
        self.set_options(Option(finding_prompt(f), id=f"finding-{i}")
                         for i, f in enumerate(self.findings))
        if not self.findings:
            self.post_message(self.FindingHighlighted(None))
            return
        kinds = [f.get("kind") for f in self.findings]
        target = kinds.index(keep["kind"]) if keep and keep.get("kind") in kinds else 0
        self.highlighted = target
        self.post_message(self.FindingHighlighted(self.findings[target]))

    @property
    def highlighted_finding(self) -> Finding | None:
        if self.highlighted is None or self.highlighted >= len(self.findings):
            return None
        return self.findings[self.highlighted]

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.FindingHighlighted(self.highlighted_finding))


class EvidenceList(EntryList):
    """The days a finding rests on, as entry rows (drawn only when on screen: "everything"
    at 50,000 entries may rest on every day). Enter (or a click on the highlighted row)
    opens one."""

    class OpenDay(Message):
        def __init__(self, day: date) -> None:
            super().__init__()
            self.day = day

    @property
    def days(self) -> list[date]:
        """The evidence days listed, newest first."""
        return self.view.dates

    def set_evidence(self, finding: Finding | None, entries: EntryView) -> None:
        """List the finding's evidence days that have an entry, newest first."""
        days = {d for d in (_day(item.get("date"))
                            for item in (finding or {}).get("evidence") or []) if d}
        found = (entries.position_of_day(day) for day in sorted(days, reverse=True))
        self.set_entries(entries.pick([i for i in found if i is not None]), keep=None)

    def action_select(self) -> None:
        if self.highlighted is not None and self.highlighted < len(self.days):
            self.post_message(self.OpenDay(self.days[self.highlighted]))


class FindingDetail(VerticalScroll, can_focus=False):
    """The summary and the picture of one finding (chart, table or calendar)."""

    DEFAULT_CSS = """
    FindingDetail { height: 1fr; }
    FindingDetail > .finding-summary { margin: 0 0 1 0; }
    FindingDetail > .finding-note { color: $text-muted; margin: 1 0 0 0; }
    FindingDetail > DataTable { height: auto; max-height: 12; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.finding: Finding | None = None

    async def show(self, finding: Finding | None, entries: EntryView) -> None:
        self.finding = finding
        await self.remove_children()
        if finding is None:
            await self.mount(Static("Nothing to show for this range yet.", classes="finding-note"))
            return
        await self.mount_all(list(self._widgets(finding, entries)))
        self.scroll_home(animate=False)

    def _widgets(self, finding: Finding, entries: EntryView) -> list[Widget]:
        summary = str(finding.get("summary") or "")
        widgets: list[Widget] = [Static(terminal_safe(summary), classes="finding-summary",
                                        markup=False)]
        stats = finding.get("stats") or {}
        if finding.get("status", "ok") != "ok":
            missing = finding.get("missing")
            if missing:
                widgets.append(Static(f"What is missing: {missing}", classes="finding-note"))
            return widgets
        builder = getattr(self, f"_kind_{finding.get('kind')}", None)
        if builder is not None:
            widgets += builder(finding, stats, entries)
        chance = finding.get("chance")
        if chance:
            mark = "● Stands out. " if finding.get("notable") else "Not marked. "
            widgets.append(Static(terminal_safe(mark + str(chance)), classes="finding-note",
                                  markup=False, id="finding-chance"))
        widgets.append(Static(NOT_A_DIAGNOSIS, classes="finding-note"))
        return widgets

    def _kind_balance(self, finding: Finding, stats: dict, entries: EntryView) -> list[Widget]:
        out: list[Widget] = [BalanceChart(stats.get("weeks") or [], id="balance-chart")]
        change = stats.get("trend_change")
        if change is not None:   # the summary says it; the chart's note only gives the size
            out.append(Static(f"Fitted over the range, each week weighted by its moments: "
                              f"{points(float(change))} of contagion share.",
                              classes="finding-note"))
        return out

    def _kind_spillover(self, finding: Finding, stats: dict, entries: EntryView) -> list[Widget]:
        days = [d for d in (_day(e.get("date")) for e in finding.get("evidence") or []) if d]
        calendar = MonthCalendar(id="spillover-calendar")
        calendar.set_marks(SpilloverMarks(entries, days), cursor=max(days) if days else None)
        return [calendar, Static("⌂ a day contagion brought a work tag or person home that "
                                 "evening or night.", classes="finding-note")]

    def _kind_triggers(self, finding: Finding, stats: dict, entries: EntryView) -> list[Widget]:
        table: DataTable = DataTable(id="trigger-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("Tag", f"{CONTAGION_SYMBOL} contagion", f"{CONCERN_SYMBOL} concern",
                          "Contagion share")
        for row in stats.get("tags") or []:
            # plain text, never markup; a rich Text, which the table can measure (a
            # Content cell counted as 1 wide: the tags were cut to the heading's 3 cells)
            tag = Text(terminal_safe(f"#{row.get('tag')}"))
            table.add_row(tag, row.get("contagion", 0), row.get("concern", 0),
                          share(row.get("contagion_share")), key=str(row.get("tag")))
        return [table]

    def _kind_sleep_after_contagion(self, finding: Finding, stats: dict,
                                    entries: EntryView) -> list[Widget]:
        rows = [("After heavy-contagion days", stats.get("after_high"), stats.get("n_high", 0)),
                ("After other days", stats.get("after_other"), stats.get("n_other", 0))]
        out: list[Widget] = [ComparisonBars(rows, id="sleep-bars")]
        definition = stats.get("heavy_day_definition") or stats.get("definition")
        if definition:
            out.append(Static(f"A heavy day: {definition}", classes="finding-note"))
        out.append(Static("Sleep as you rated it the next day. A pattern in your entries, "
                          "not a cause.", classes="finding-note"))
        return out

    def _kind_recovery(self, finding: Finding, stats: dict, entries: EntryView) -> list[Widget]:
        table: DataTable = DataTable(id="recovery-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("Activity", "Days", "Next-day contagion", "Usual")
        for row in stats.get("activities") or []:
            table.add_row(Text(terminal_safe(str(row.get("activity")))), row.get("days", 0),
                          share(row.get("next_day_contagion_share")),
                          share(row.get("baseline_contagion_share")),
                          key=str(row.get("activity")))
        return [table]

    def _kind_self_care_gap(self, finding: Finding, stats: dict,
                            entries: EntryView) -> list[Widget]:
        longest = stats.get("longest") or {}
        if not longest.get("days"):
            return []
        start, end = _day(longest.get("from")), _day(longest.get("to"))
        days = longest["days"]
        text = (f"Longest stretch: 1 day, {_nice_date(start)}." if days == 1 else
                f"Longest stretch: {days} days, {_nice_date(start)} to {_nice_date(end)}.")
        return [Static(text, classes="finding-note")]

    def compose(self) -> ComposeResult:
        yield Static("Choose a finding on the left.", classes="finding-note")
