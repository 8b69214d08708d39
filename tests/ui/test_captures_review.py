"""Keeping a quick capture on the Captures screen (k) lasted only for the session: after
quitting and unlocking again it was back on the list and its day was marked again."""

from __future__ import annotations

from textual.widgets import OptionList, Static

from journal.core.model.entries import Entry
from journal.core.store.captures import SealedBox
from journal.ui.screens.captures import CapturesScreen
from journal.ui.screens.write import WriteScreen

from .conftest import TODAY, open_vault, settle, unlock


def _title(app) -> str:
    return str(app.screen.query_one("#write-title", Static).render())


async def test_a_kept_capture_stays_kept_after_quitting(unlocked, app_factory, make_vault, paths):
    directory = make_vault([Entry(date=TODAY, body="my own words tonight\n")])
    SealedBox(directory).add(Entry(date=TODAY, body="typed on my phone at lunch"))
    async with unlocked() as pilot:
        app = pilot.app
        assert "includes 1 quick capture" in _title(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, CapturesScreen)
        assert app.screen.query_one(OptionList).option_count == 1
        await pilot.press("k")
        await settle(pilot)
        assert app.screen.query_one(OptionList).option_count == 0
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WriteScreen)
        assert "quick capture" not in _title(app)  # the day shown is no longer marked
        assert "typed on my phone" in app.screen.query_one("#editor").text
    again = app_factory()  # quit and start again
    async with again.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert "quick capture" not in _title(again)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert again.screen.query_one(OptionList).option_count == 0
    with open_vault(paths.vault) as vault:
        assert [a.reviewed for a in vault.arrivals()] == [True]
        assert vault.check().ok


def _marked(app) -> frozenset[int]:
    return app.screen.query_one("#editor").captured_lines


async def test_the_editor_marks_the_lines_a_capture_brought(app_factory, make_vault):
    """Only the day was marked ("includes 1 quick capture"), not which words: a forged
    line sat among the person's own, looking like theirs."""
    make_vault([Entry(date=TODAY, body="my own words tonight\n\nand more of mine\n")])
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        SealedBox(app.paths.vault).add(Entry(date=TODAY,
                                             body="not mine, line one\nnot mine, line two"))
        await unlock(pilot)
        editor = app.screen.query_one("#editor")
        lines = editor.text.split("\n")
        assert _marked(app) == {lines.index("not mine, line one"),
                                lines.index("not mine, line two")}
        mine = lines.index("my own words tonight")
        theirs = lines.index("not mine, line one")
        assert editor.get_line(theirs).spans and not editor.get_line(mine).spans
        style = editor.get_line(theirs).spans[0].style
        assert style.italic and style.color is not None

        def painted_italic(y: int) -> bool:  # as the screen shows it (short lines: y = line)
            return any(s.style and s.style.italic and s.text.strip()
                       for s in editor.render_line(y))

        assert painted_italic(theirs) and not painted_italic(mine)
        editor.move_cursor((0, 0))
        await pilot.press(*"Tonight: ")  # edits elsewhere keep the marks where the text is
        await pilot.pause()
        assert _marked(app) == {theirs, theirs + 1}
        editor.move_cursor((theirs, 0))
        await pilot.press("delete")  # that line is no longer as it came: the person's now
        await pilot.pause()
        assert _marked(app) == {theirs + 1}
        await pilot.press("n")
        await pilot.pause()
        assert _marked(app) == {theirs, theirs + 1}
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("k")  # kept: the person's own now, no longer marked
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WriteScreen) and _marked(app) == frozenset()
        assert not painted_italic(theirs)


async def test_capture_text_since_edited_keeps_its_other_lines_marked(app_factory, make_vault):
    """Any edit inside a capture's text took every mark away, so the rest of it, still as
    it came, sat unmarked among the person's own lines. Now a line the person edited or
    typed is theirs, and every line still as it came stays marked, wherever it moved."""
    make_vault([Entry(date=TODAY, body="my own words tonight\n")])
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        SealedBox(app.paths.vault).add(Entry(
            date=TODAY, body="sent line one\nsent line two\nsent line three"))
        await unlock(pilot)
        editor = app.screen.query_one("#editor")

        def marked_text() -> list[str]:
            lines = editor.text.split("\n")
            return [lines[i] for i in sorted(_marked(app))]

        assert marked_text() == ["sent line one", "sent line two", "sent line three"]
        two = editor.text.split("\n").index("sent line two")
        editor.move_cursor((two, len("sent line two")))
        await pilot.press(*" (mine now)")  # edit one line of it
        await pilot.pause()
        assert marked_text() == ["sent line one", "sent line three"]
        editor.move_cursor((two, len("sent line two (mine now)")))
        await pilot.press("enter", *"a line I added")  # and type a line inside it
        await pilot.pause()
        assert marked_text() == ["sent line one", "sent line three"]
        editor.move_cursor((0, 0))
        await pilot.press("enter", "enter")  # edits above move it down; the marks follow
        await pilot.pause()
        assert marked_text() == ["sent line one", "sent line three"]
        assert editor.text.split("\n")[0] == ""
