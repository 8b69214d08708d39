"""Reflect screen: findings from a generated year (the real reflect()), evidence, ranges."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import DataTable, Tabs

from journal.core.demo import generate_year
from journal.core.model.entries import Entry, Moment
from journal.core.reflection import KINDS, reflect
from journal.ui.screens.reflect import ReflectScreen, range_start
from journal.ui.screens.support import SupportScreen
from journal.ui.widgets.calendar import MonthCalendar
from journal.ui.widgets.charts import BalanceChart, ComparisonBars, balance_rows
from journal.ui.widgets.findings import EvidenceList, FindingDetail, FindingList
from tests.ui.host import TODAY, HostApp, MemoryVault, screen_text, settle


@pytest.fixture(scope="module")
def year() -> list[Entry]:
    return generate_year(TODAY, seed=7)


@pytest.fixture
def app(year) -> HostApp:
    return HostApp(MemoryVault(year), start="reflect")


def reflect_screen(app: HostApp) -> ReflectScreen:
    assert isinstance(app.screen, ReflectScreen)
    return app.screen


async def choose(pilot, kind: str) -> dict:
    """Highlight the finding of this kind in the list, as a user would with the arrows."""
    findings = pilot.app.screen.query_one(FindingList)
    findings.focus()
    kinds = [f["kind"] for f in findings.findings]
    await pilot.press("home", *["down"] * kinds.index(kind))
    await settle(pilot)
    assert findings.highlighted_finding["kind"] == kind
    return findings.highlighted_finding


def expected(year: list[Entry], since: date | None) -> dict:
    return reflect(year, since=since, until=TODAY, work_end="18:00", today=TODAY)


async def test_shows_every_finding_of_the_last_four_weeks(app, year):
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = reflect_screen(app)
        want = expected(year, TODAY - timedelta(days=27))
        assert screen.report == want
        kinds = [f["kind"] for f in screen.finding_list.findings]
        assert kinds[:len(KINDS)] == list(KINDS)
        text = screen_text(app)
        assert f"Last 4 weeks: 29 Oct 2026 – 25 Nov 2026 · {want['entries']} entries" in text
        assert "Not a diagnostic tool" in text
        for finding in want["findings"][:4]:
            assert finding["title"][:12] in text


async def test_the_mark_is_explained_as_beyond_chance(app, year):
    # issue 12: "●" marks what stands out beyond chance, not just what "stands out"
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "● beyond chance" in screen_text(app)
        assert "stands out ─" not in screen_text(app)


async def test_balance_is_drawn_as_a_chart_of_weeks(app, year):
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        finding = await choose(pilot, "balance")
        chart = app.screen.query_one(BalanceChart)
        weeks = finding["stats"]["weeks"]
        assert [r[1:] for r in chart.rows] == [(w["contagion"], w["concern"]) for w in weeks]
        assert chart.rows == balance_rows(weeks)
        text = screen_text(app)
        first = weeks[0]
        assert f"◆{first['contagion']}" in text and f"○{first['concern']}" in text
        assert "◆ contagion │ ○ concern" in text


async def test_selecting_a_finding_lists_its_evidence_and_enter_opens_one(app, year):
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("2")  # three months: enough spillover days to list
        await settle(pilot)
        finding = await choose(pilot, "spillover")
        days = sorted({date.fromisoformat(e["date"]) for e in finding["evidence"]}, reverse=True)
        assert days, "the generated year plants spillover"
        evidence = app.screen.query_one(EvidenceList)
        assert evidence.days == days
        assert f"{len(days)} day" in screen_text(app)
        await pilot.press("e", "down", "enter")
        assert app.opened == [days[1]]


async def test_spillover_days_are_marked_on_a_calendar(app, year):
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        finding = await choose(pilot, "spillover")
        calendar = app.screen.query_one("#spillover-calendar", MonthCalendar)
        marked = {d for d, m in calendar.marks.items() if m.tone == "spillover"}
        assert marked == {date.fromisoformat(e["date"]) for e in finding["evidence"]}
        assert calendar.cursor == max(marked)
        assert f"{calendar.cursor.day}⌂" in screen_text(app)
        calendar.focus()
        await pilot.press("enter")
        assert app.opened == [max(marked)]


async def test_trigger_and_recovery_tables_and_sleep_comparison(app, year):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        finding = await choose(pilot, "triggers")
        table = app.screen.query_one("#trigger-table", DataTable)
        top = finding["stats"]["tags"][0]
        assert table.row_count == len(finding["stats"]["tags"])
        assert str(table.get_row_at(0)[0]) == f"#{top['tag']}" == "#safeguarding"
        assert table.get_row_at(0)[3] == f"{top['contagion_share']:.0%}"

        finding = await choose(pilot, "sleep_after_contagion")
        bars = app.screen.query_one(ComparisonBars)
        stats = finding["stats"]
        assert bars.rows[0][1:] == (stats["after_high"], stats["n_high"])
        assert bars.rows[1][1:] == (stats["after_other"], stats["n_other"])
        assert f"{stats['after_high']:.1f}/10 ({stats['n_high']} nights)" in screen_text(app)

        finding = await choose(pilot, "recovery")
        table = app.screen.query_one("#recovery-table", DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert names == [a["activity"] for a in finding["stats"]["activities"]]
        assert "walk" in names

        finding = await choose(pilot, "self_care_gap")
        longest = finding["stats"]["longest"]
        assert f"Longest stretch: {longest['days']} days" in screen_text(app)


async def test_the_range_selector_changes_the_range(app, year):
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        screen = reflect_screen(app)
        assert screen.report["range"]["from"] == "2026-10-29"
        await pilot.press("3")
        await settle(pilot)
        assert screen.range_key == "year"
        assert screen.report["range"]["from"] == (TODAY - timedelta(days=364)).isoformat()
        assert screen.report == expected(year, TODAY - timedelta(days=364))
        assert "A year:" in screen_text(app)
        await pilot.press("4")
        await settle(pilot)
        assert screen.report["entries"] == len(year)
        await pilot.click(Tabs, offset=(16, 0))  # "3 months"
        await settle(pilot)
        assert screen.range_key == "months3"
        assert screen.report["range"]["from"] == "2026-08-26"


def test_range_starts():
    assert range_start("weeks4", TODAY) == date(2026, 10, 29)
    assert range_start("months3", TODAY) == date(2026, 8, 26)
    assert range_start("year", TODAY) == date(2025, 11, 26)
    assert range_start("all", TODAY) is None
    assert range_start("months3", date(2026, 5, 31)) == date(2026, 3, 1)


async def test_too_few_entries_say_what_is_missing():
    few = [Entry(TODAY - timedelta(days=i), body="short", moments=[
        Moment("contagion", 6, "work", tags=["x"])]) for i in range(3)]
    app = HostApp(MemoryVault(few), start="reflect")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        findings = app.screen.query_one(FindingList).findings
        waiting = [f for f in findings if f["status"] == "insufficient"]
        assert waiting
        assert "needs more entries" in screen_text(app)
        await choose(pilot, waiting[0]["kind"])
        detail = app.screen.query_one(FindingDetail)
        assert detail.finding == waiting[0]
        if waiting[0].get("missing"):
            assert "What is missing" in screen_text(app)


async def test_support_is_one_key_away(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        assert isinstance(app.screen, SupportScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ReflectScreen)


async def test_refreshes_when_the_screen_comes_back(app, year):
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        before = reflect_screen(app).report["entries"]
        missing = next(d for d in (TODAY - timedelta(days=i) for i in range(28))
                       if all(e.date != d for e in year))
        app.vault.put(Entry(missing, body="written meanwhile"))
        await app.switch_mode("browse")
        await settle(pilot)
        await app.switch_mode("reflect")
        await settle(pilot)
        assert reflect_screen(app).report["entries"] == before + 1


def test_long_ranges_are_charted_by_month():
    weeks = [{"week": f"2025-W{n:02d}", "contagion": 1, "concern": 2} for n in range(1, 53)]
    rows = balance_rows(weeks)
    assert rows[0] == ("Dec 2024", 1, 2)  # week 1 of 2025 starts on 30 Dec 2024
    assert sum(r[1] for r in rows) == 52 and len(rows) == 13


async def test_the_notes_beside_the_findings_say_one_of_a_thing_plainly():
    """A flat balance over 12 weeks and a single day without recovery: the notes read
    "1 day" and "less than 1 point", never "1 days" or "+0 points"."""
    days = [Entry(date=TODAY - timedelta(days=83 - i), body="", sleep=6,
                  recovery=[] if i == 80 else ["walk"],
                  moments=[Moment("contagion", 8 if i % 3 else 5, "work", "10:00"),
                           Moment("concern", 4, "home", "20:00")]) for i in range(84)]
    app = HostApp(MemoryVault(days), start="reflect")
    async with app.run_test(size=(100, 50)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await choose(pilot, "self_care_gap")
        assert "Longest stretch: 1 day, Sun 22 Nov 2026." in screen_text(app)
        await choose(pilot, "balance")
        text = screen_text(app)
        assert "moments: less than" in text and "+0 points" not in text
        finding = await choose(pilot, "sleep_after_contagion")
        text = screen_text(app)
        assert f"({finding['stats']['n_high']} nights)" in text and "(n=" not in text


async def test_an_empty_range_says_no_entries_in_words():
    app = HostApp(MemoryVault([]), start="reflect")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "· no entries, no moments" in text and "0 entries" not in text
