"""Browse and reflect over thousands of entries: only what is on screen gets built.

The index (journal.core.store.index) builds an Entry only when a row of `Hits` is read
(`Chunk.entry`); these tests count those constructions and the list rows drawn, and check
that filtering through the index gives what `query.search` gives over the full entries.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from journal.core.demo import generate
from journal.core.model.entries import Entry, Moment
from journal.core.model.query import Query, search
from journal.core.store import index as index_module
from journal.ui.screens.browse import BrowseScreen
from journal.ui.screens.reflect import ReflectScreen
from journal.ui.widgets import entry_list as entry_list_module
from journal.ui.widgets.calendar import DayMarks, mark_for
from journal.ui.widgets.entry_list import EntryList
from journal.ui.widgets.entry_view import EntryView
from journal.ui.widgets.filters import FilterBar
from tests.ui.conftest import sample_entries
from tests.ui.host import TODAY, HostApp, MemoryVault, settle

N = 4000
START = TODAY - timedelta(days=N - 1)
#: Rows the list draws beyond its height (none, today); room for a scroll's overlap.
SLACK = 4
#: Entries built on the way to the first paint: the rows on screen, the calendar's month
#: and the preview's summary, far below N.
FIRST_PAINT_MOST = 120


@pytest.fixture(scope="module")
def entries():
    return generate(N, seed=11, start=START, body_bytes=300, moments=2)


@pytest.fixture
def counted(monkeypatch):
    """Counts Entry objects built from the index and list rows built, by entry id."""
    built: Counter[str] = Counter()
    rows: Counter[str] = Counter()
    entry, row = index_module.Chunk.entry, entry_list_module.entry_row

    def counting_entry(self, i):
        made = entry(self, i)
        built[made.id] += 1
        return made

    def counting_row(e, width=7):
        rows[e.id] += 1
        return row(e, width)

    monkeypatch.setattr(index_module.Chunk, "entry", counting_entry)
    monkeypatch.setattr(entry_list_module, "entry_row", counting_row)
    return built, rows


def browse(app: HostApp) -> BrowseScreen:
    assert isinstance(app.screen, BrowseScreen)
    return app.screen


async def test_the_list_builds_only_the_rows_on_screen(entries, counted):
    built, rows = counted
    app = HostApp(MemoryVault(entries))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, 0.3)
        screen = browse(app)
        height = screen.entry_list.scrollable_content_region.height
        assert screen.entry_list.option_count == N
        assert screen.entry_list.highlighted_entry.date == entries[-1].date
        assert 0 < len(rows) <= height + SLACK
        assert sum(built.values()) <= FIRST_PAINT_MOST
        assert f"{N:,} entries" in screen.filter_bar.query_one("#filter-hint").render().plain
        built.clear()
        rows.clear()
        await pilot.press("end")
        await settle(pilot, 0.2)
        assert screen.entry_list.highlighted_entry.date == START
        assert 0 < len(rows) <= height + SLACK
        assert all(e.date < START + timedelta(days=60) for e in screen.entry_list.view[-height:])
        assert sum(built.values()) <= FIRST_PAINT_MOST
        rows.clear()
        await pilot.press("pageup")
        await settle(pilot, 0.2)
        assert len(rows) <= height + SLACK


async def test_moving_selecting_and_opening_at_scale(entries):
    app = HostApp(MemoryVault(entries))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, 0.3)
        screen = browse(app)
        newest = entries[-1].date
        await pilot.press("down", "down")
        await settle(pilot, 0.2)
        assert screen.entry_list.highlighted == 2
        assert screen.preview.entry.date == newest.fromordinal(newest.toordinal() - 2)
        assert screen.calendar.cursor == screen.preview.entry.date
        await pilot.press("enter")
        assert app.opened == [screen.preview.entry.date]
        # the calendar moves the list's highlight to the day's entry (by date)
        await pilot.press("c", "pageup")
        await settle(pilot, 0.2)
        target = screen.calendar.cursor
        assert screen.entry_list.highlighted_entry.date == target
        assert screen.preview.entry.date == target
        # a click on a row previews it, a second click opens it
        await pilot.press("l")
        await pilot.click(EntryList, offset=(5, 4))
        await settle(pilot, 0.2)
        clicked = screen.entry_list.highlighted_entry.date
        assert clicked != target and screen.preview.entry.date == clicked
        await pilot.click(EntryList, offset=(5, 4))
        assert app.opened[-1] == clicked
        # home goes back to the newest, up from there wraps to the oldest (as before)
        await pilot.press("home")
        assert screen.entry_list.highlighted == 0
        await pilot.press("up")
        assert screen.entry_list.highlighted_entry.date == START


@pytest.mark.slow
async def test_filters_agree_with_search_over_full_entries(entries):
    app = HostApp(MemoryVault(entries))
    full = [e.copy() for e in entries]
    queries = ["#safeguarding", "@mrs-d", "kind:contagion context:home",
               "since:2019-03-01 until:2019-05-31", "#grief kind:concern @mr-k",
               "printer #team", "soup since:2024-01-01", "tender kind:concern context:work",
               "#nosuchtag", ""]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, 0.3)
        screen = browse(app)
        bar = screen.query_one(FilterBar)
        for raw in queries:
            bar.input.value = raw
            bar._apply(submitted=True)
            await settle(pilot, 0.2)
            expected = [e.id for e in search(full, Query.parse(raw))]
            shown = [e.id for e in screen.entry_list.entries_shown]
            assert shown == expected, raw
            assert screen.entry_list.total == N
            if raw:
                assert 0 <= len(expected) < N
                assert set(screen.calendar.marks) == {e.date for e in search(
                    full, Query.parse(raw))}
    assert app.vault.reads == 0


async def test_a_filter_keeps_the_highlighted_entry_when_it_still_matches(entries):
    app = HostApp(MemoryVault(entries))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, 0.3)
        screen = browse(app)
        pick = next(e for e in reversed(entries[:-50]) if "safeguarding" in e.all_tags)
        assert screen.entry_list.highlight_entry(pick.id)
        bar = screen.query_one(FilterBar)
        bar.input.value = "#safeguarding"
        bar._apply()
        await settle(pilot, 0.3)
        assert screen.entry_list.highlighted_entry.id == pick.id
        assert screen.entry_list.highlighted > 0


async def test_reflect_builds_only_the_evidence_it_shows(entries, counted):
    built, _ = counted
    app = HostApp(MemoryVault(entries), start="reflect")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, 0.3)
        await pilot.press("4")  # everything
        await settle(pilot, 0.5)
        screen = app.screen
        assert isinstance(screen, ReflectScreen)
        assert screen.report["entries"] == N
        assert len(screen.entries) == N
        built.clear()
        kinds = [f["kind"] for f in screen.finding_list.findings]
        screen.finding_list.highlighted = kinds.index("spillover")
        await settle(pilot, 0.3)
        days = screen.evidence.days
        assert len(days) > N // 10  # spillover over ten years: hundreds of days
        assert days == sorted({date.fromisoformat(e["date"]) for e in
                               screen.report["findings"][kinds.index("spillover")]["evidence"]},
                              reverse=True)
        assert sum(built.values()) <= FIRST_PAINT_MOST  # yet only what is shown is built
        assert screen.evidence.highlighted_entry.date == days[0]


def test_entry_view_finds_days_months_and_ids(entries):
    full = sorted(entries, key=lambda e: e.date, reverse=True)
    view = EntryView(MemoryVault(entries).index().select())
    assert view.dates == [e.date for e in full]
    some = full[123]
    assert view.position_of_day(some.date) == 123 and view.on(some.date).id == some.id
    assert view.position_of_day(date(1999, 1, 1)) is None
    assert view.get(some.id).date == some.date and view.get("nope") is None
    march = view.between(date(2020, 3, 1), date(2020, 3, 31))
    assert [e.date.month for e in view[march.start:march.stop]] == [3] * 31
    marks = DayMarks(view)
    assert marks[some.date] == mark_for(some)
    assert marks.get(date(1999, 1, 1)) is None and date(1999, 1, 1) not in marks
    assert len(marks) == N and some.date in marks


async def test_unlock_gathers_completions_from_the_index_without_decoding_moments(
        unlocked, make_vault, monkeypatch):
    make_vault(sample_entries())
    decoded: list[int] = []
    moments = index_module.Chunk.moments

    def counting_moments(self):
        decoded.append(self.bucket)
        return moments(self)

    monkeypatch.setattr(index_module.Chunk, "moments", counting_moments)
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        vocabulary = app.vocabulary
        assert "handover" in vocabulary.tags  # a body tag
        assert "yelling" in vocabulary.tags and "supervisor" in vocabulary.people
        assert vocabulary.recovery == ["walk"]
        assert decoded == []  # no moment decoded on the way in
        assert "upset" in vocabulary.feelings
        assert decoded == []  # feelings too come from the chunks' keys
        vocabulary.add([Entry(date(2026, 11, 25), moments=[
            Moment("concern", 3, "home", feelings=["hopeful"], tags=["garden"])])])
        assert "hopeful" in vocabulary.feelings and "upset" in vocabulary.feelings
        assert "garden" in vocabulary.tags
