"""Issue 13 item 3, the app's part: the quick captures merged at unlock are listed (day,
arrival, claimed time, first words), can be read, kept or discarded (after a confirm that
names them), and the days they went into say so. Captures are sealed through the core,
as anyone who can write the folder could, then the app is driven as a person would."""

from __future__ import annotations

from datetime import date, datetime

from textual.widgets import OptionList, Static

from journal.core.model.entries import Entry, Moment
from journal.core.store.captures import SealedBox
from journal.ui.commands import journal_commands
from journal.ui.screens.captures import CapturesScreen
from journal.ui.screens.confirm import ConfirmScreen
from journal.ui.screens.write import WriteScreen

from .conftest import TODAY, open_vault, settle, unlock
from .host import screen_text

EARLIER = date(2026, 11, 20)


def _seal(directory) -> None:
    SealedBox(directory).add(Entry(
        date=TODAY, body="someone else wrote \x1b]2;x\x07this [b]line[/b]",
        written_at=datetime(2026, 11, 25, 8, 0),
        moments=[Moment(kind="contagion", intensity=9, context="work")]))
    SealedBox(directory).add(Entry(date=EARLIER, body="a backdated note"))


def _rows(app) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_review_and_discard_a_capture_from_the_unlock_notice(app_factory, make_vault,
                                                                   paths):
    directory = make_vault([Entry(date=TODAY, body="my own words tonight\n")])
    _seal(directory)
    app = app_factory()
    notes: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        await unlock(pilot)
        assert any("ctrl+r reviews or discards" in n for n in notes)
        assert "someone else wrote" in app.screen.query_one("#editor").text
        title = str(app.screen.query_one("#write-title", Static).render())
        assert "includes 1 quick capture, not written in an unlocked session" in title

        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, CapturesScreen)
        rows = _rows(app)
        assert len(rows) == 2 and all("\x1b" not in r for r in rows)
        today_row = next(r for r in rows if r.startswith(TODAY.isoformat()))
        assert "arrived 11-25 21:30" in today_row and "says 11-25 08:00" in today_row
        assert "\u201csomeone else wrote" in today_row
        app.screen.query_one(OptionList).highlighted = rows.index(today_row)
        await pilot.pause()
        body = str(app.screen.query_one("#captures-body", Static).render())
        assert "this [b]line[/b]" in body and "\x1b" not in body  # literal, harmless
        assert "it says it was written 2026-11-25 08:00; it brought 1 moment" in body

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "someone else wrote" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CapturesScreen)
        assert [r[:10] for r in _rows(app)] == [EARLIER.isoformat()]

        await pilot.press("k")  # the backdated one is "mine": off the list
        await pilot.pause()
        assert _rows(app) == []
        assert "Nothing left to review" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WriteScreen)
        assert app.screen.query_one("#editor").text == "my own words tonight\n"
        title = str(app.screen.query_one("#write-title", Static).render())
        assert "quick capture" not in title
    with open_vault(paths.vault) as vault:
        entry = vault.get_by_date(TODAY)
        assert entry.body == "my own words tonight\n" and entry.moments == []
        assert vault.get_by_date(EARLIER).body.strip() == "a backdated note"  # kept
        assert sorted((a.day, a.discarded) for a in vault.arrivals()) == [
            (EARLIER, False), (TODAY, True)]
        assert vault.check().ok


async def test_a_discard_can_be_refused_and_the_palette_opens_the_screen(unlocked,
                                                                         make_vault, paths):
    directory = make_vault()
    _seal(directory)
    async with unlocked() as pilot:
        app = pilot.app
        assert "Quick captures" in [c.title for c in journal_commands(app)]
        app.action_captures()
        await pilot.pause()
        assert isinstance(app.screen, CapturesScreen)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("n")
        await settle(pilot)
        assert len(_rows(app)) == 2
    with open_vault(paths.vault) as vault:
        assert not any(a.discarded for a in vault.arrivals())
        assert "someone else wrote" in vault.get_by_date(TODAY).body


async def test_the_captures_screen_fits_80x24(unlocked, make_vault):
    directory = make_vault()
    for n in range(12):
        SealedBox(directory).add(Entry(date=date(2026, 11, n + 1),
                                       body=f"note number {n} " + "word " * 30))
    async with unlocked() as pilot:
        app = pilot.app
        await pilot.press("ctrl+r")
        await pilot.pause()
        text = screen_text(app)
        assert "Quick captures" in text and "Sent without the passphrase" in text
        assert "k keep" in text and "d discard" in text  # the hint line is on screen
        assert "2026-11-01  arrived 11-25 21:30" in text
        box = app.screen.query_one("#captures-box")
        assert box.region.right <= 80 and box.region.bottom <= 24


async def test_browse_preview_says_a_day_includes_quick_captures(unlocked, make_vault):
    directory = make_vault([Entry(date=EARLIER, body="mine"),
                            Entry(date=date(2026, 11, 10), body="also mine")])
    SealedBox(directory).add(Entry(date=EARLIER, body="not mine"))
    async with unlocked(size=(120, 30), key="f3") as pilot:
        app = pilot.app
        await pilot.pause(0.3)
        preview = app.screen.preview
        assert preview.entry is not None and preview.entry.date == EARLIER
        assert ("Includes 1 quick capture, not written in an unlocked session"
                in preview.document)
        await pilot.press("down")
        await settle(pilot)
        await pilot.pause(0.3)
        assert preview.entry.date == date(2026, 11, 10)
        assert "quick capture" not in preview.document
