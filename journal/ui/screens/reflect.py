"""Reflect: patterns in the user's own entries, each with the days it rests on.

journal.core.reflection.reflect_rows() runs over the vault's encrypted index in a thread
worker (the UI never waits for it; no full entry is decrypted) and its report comes back as
a message; the entries behind the evidence are built from the index only when shown. Pick
a range, pick a finding, read its picture and summary, then open any of its evidence days.
Wording stays descriptive ("you noted..."), never a diagnosis; the support screen is one
key away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import ScreenResume
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static, Tab, Tabs
from textual.worker import Worker, WorkerState, get_current_worker

from journal.core.errors import JournalError
from journal.core.reflection import reflect_rows
from journal.core.wording import counted
from journal.ui.vault_access import allocation_burst, vault_index
from journal.ui.widgets.calendar import MonthCalendar, add_months
from journal.ui.widgets.entry_view import EntryView
from journal.ui.widgets.findings import EvidenceList, FindingDetail, FindingList

RANGES = {
    "weeks4": "Last 4 weeks",
    "months3": "3 months",
    "year": "A year",
    "all": "Everything",
}
DISCLAIMER = "Not a diagnostic tool: only patterns in what you noted.  s: support resources"


def range_start(key: str, today: date) -> date | None:
    """The first day of a range that ends today (None: everything)."""
    if key == "weeks4":
        return today - timedelta(days=27)
    if key == "months3":
        return add_months(today, -3) + timedelta(days=1)
    if key == "year":
        return today - timedelta(days=364)
    return None


@dataclass
class _Reflected(Message):
    range_key: str
    report: dict[str, Any]
    entries: EntryView


@dataclass
class _Failed(Message):
    range_key: str
    problem: str


class ReflectScreen(Screen):
    """Findings for a range; select one to see its evidence; Enter opens a day."""

    CSS_PATH = "reflect.tcss"
    TITLE = "Reflect"

    BINDINGS = [
        # F2 is the app's, hidden in the write screen's footer; here it is the way back
        Binding("f2", "app.today", "Write", id="reflect.write", tooltip="Tonight's entry"),
        Binding("question_mark", "app.help", "Help", id="reflect.help", show=False,
                tooltip="Every key (as F1)"),
        Binding("escape", "back", "Back", id="reflect.back", show=False,
                tooltip="From the evidence to the findings, then to the entry"),
        Binding("1", "range('weeks4')", "Range", id="reflect.range", key_display="1-4",
                tooltip="1: last 4 weeks, 2: 3 months, 3: a year, 4: everything"),
        Binding("2", "range('months3')", "3 months", show=False),
        Binding("3", "range('year')", "A year", show=False),
        Binding("4", "range('all')", "Everything", show=False),
        Binding("e", "focus_evidence", "Evidence", id="reflect.evidence",
                tooltip="The days the selected finding rests on; Enter opens one"),
        Binding("s", "support", "Support", id="reflect.support", show=False,
                tooltip="Crisis lines and support resources"),  # the disclaimer shows s
    ]

    def __init__(self) -> None:
        super().__init__()
        self.range_key = "weeks4"
        self.report: dict[str, Any] | None = None
        self.entries = EntryView()
        """Every entry (partial, from the index), newest first: the evidence rows."""

    def compose(self) -> ComposeResult:
        yield Tabs(*(Tab(label, id=key) for key, label in RANGES.items()), id="reflect-range")
        yield Static("Looking at your entries…", id="reflect-status")
        with Horizontal(id="reflect-body"):
            yield FindingList(id="reflect-findings")
            with Vertical(id="reflect-side"):
                yield FindingDetail(id="reflect-detail")
                yield Static("", id="reflect-evidence-title")
                yield EvidenceList(id="reflect-evidence")
        yield Static(DISCLAIMER, id="reflect-disclaimer")
        yield Footer(compact=True)  # room for f2 at 80 columns

    @property
    def finding_list(self) -> FindingList:
        return self.query_one("#reflect-findings", FindingList)

    @property
    def evidence(self) -> EvidenceList:
        return self.query_one("#reflect-evidence", EvidenceList)

    def on_mount(self) -> None:
        self.finding_list.border_title = "Findings"
        self.finding_list.border_subtitle = "● beyond chance"
        self.query_one("#reflect-detail").border_title = "What you noted"
        self.evidence.border_title = "Evidence"
        self.finding_list.focus()

    @on(ScreenResume)
    def _resumed(self) -> None:
        self.recompute()

    # -- computing -------------------------------------------------------------------------
    def recompute(self) -> None:
        self.query_one("#reflect-status", Static).update(
            f"Looking at your entries ({RANGES[self.range_key].lower()})…")
        today = self.app.clock.today()
        self._reflect(self.range_key, range_start(self.range_key, today), today,
                      self.app.settings.work_end)

    @work(thread=True, exclusive=True, group="reflect", exit_on_error=False)
    def _reflect(self, key: str, since: date | None, today: date, work_end: str) -> None:
        try:  # the index is enough: reflection reads no bodies or notes
            with allocation_burst():
                index = vault_index(self.app)
                if index is None:
                    return
                entries = EntryView(index.select())
                report = reflect_rows(index.day_rows(), since=since, until=today,
                                      work_end=work_end, today=today,
                                      practices=index.practice_rows(since, today))
        except JournalError as exc:
            self.post_message(_Failed(key, str(exc)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(_Reflected(key, report, entries))

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "reflect" and event.state == WorkerState.ERROR:
            self._show_problem(f"Could not look at your entries: {event.worker.error}")

    @on(_Failed)
    def _failed(self, message: _Failed) -> None:
        if message.range_key == self.range_key:
            self._show_problem(message.problem)

    def _show_problem(self, text: str) -> None:
        self.query_one("#reflect-status", Static).update(f"⚠ {text}")

    @on(_Reflected)
    def _reflected(self, message: _Reflected) -> None:
        if message.range_key != self.range_key:
            return
        self.report, self.entries = message.report, message.entries
        report = message.report
        span = report.get("range") or {}
        n, m = report.get("entries", 0), report.get("moments", 0)
        status = (f"{RANGES[self.range_key]}: {_nice(span.get('from'))} – {_nice(span.get('to'))}"
                  f" · {counted(n, 'entry', 'entries')}, {counted(m, 'moment')}")
        self.query_one("#reflect-status", Static).update(status)
        self.finding_list.set_findings(report.get("findings") or [])

    # -- selection -------------------------------------------------------------------------
    @on(FindingList.FindingHighlighted)
    async def _finding(self, event: FindingList.FindingHighlighted) -> None:
        finding = event.finding
        await self.query_one("#reflect-detail", FindingDetail).show(finding, self.entries)
        self.evidence.set_evidence(finding, self.entries)
        count = len(self.evidence.days)
        title = self.query_one("#reflect-evidence-title", Static)
        if finding is None or not count:
            title.update("No days to list for this finding.")
        else:
            title.update(f"{count} day{'s' if count != 1 else ''} behind this, newest first "
                         "· e, Enter opens")

    @on(EvidenceList.OpenDay)
    def _open_evidence(self, event: EvidenceList.OpenDay) -> None:
        self.app.open_day(event.day)

    @on(MonthCalendar.DaySelected)
    def _calendar_day(self, event: MonthCalendar.DaySelected) -> None:
        if self.entries.on(event.day) is not None:
            self.app.open_day(event.day)

    @on(MonthCalendar.DayHighlighted)
    def _calendar_moved(self, event: MonthCalendar.DayHighlighted) -> None:
        if event.day in self.evidence.days:
            self.evidence.highlighted = self.evidence.days.index(event.day)

    # -- range -----------------------------------------------------------------------------
    @on(Tabs.TabActivated, "#reflect-range")
    def _tab(self, event: Tabs.TabActivated) -> None:
        key = event.tab.id or "weeks4"
        if key != self.range_key:
            self.range_key = key
            self.recompute()

    def action_range(self, key: str) -> None:
        self.query_one("#reflect-range", Tabs).active = key

    def action_focus_evidence(self) -> None:
        self.evidence.focus()

    def action_back(self) -> None:
        if self.focused is self.evidence:
            self.finding_list.focus()
        else:
            self.app.action_today()

    def action_support(self) -> None:
        from journal.ui.screens.support import SupportScreen

        self.app.push_screen(SupportScreen())


def _nice(value: Any) -> str:
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        return "?"
    return f"{day.day} {day.strftime('%b %Y')}"
