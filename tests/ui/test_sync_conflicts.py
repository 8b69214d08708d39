"""The conflict view (issue 18): two vaults and a folder, the same day edited on both while
apart; the app opens the day, shows both versions side by side, the choice is saved
without marks, and the folder carries it to the other machine."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from textual.widgets import Static, TextArea

from journal.core.model.conflicts import OPEN, clean_name
from journal.core.model.entries import Entry
from journal.core.sync import session
from journal.ui.screens.browse import BrowseScreen
from journal.ui.screens.conflicts import ConflictScreen

from .conftest import PASSPHRASE, open_vault, other_machine, settle, unlock

DAY = date(2026, 11, 20)
BASE = "Long shift.\nThe handover ran late.\nHome by nine.\n"
LAPTOP = "Long shift.\nThe handover ran late; I stayed calm.\nHome by nine.\n"
DESKTOP = "Long shift.\nThe handover ran late and I took it home.\nHome by nine.\n"
HERE = "laptop"
#: The other machine's name: untrusted text that tries markup and a mark of its own.
THERE = "[b]desk[/b]\n>>>>>>> other version"


@pytest.fixture
def concurrent(linked_vault, paths, tmp_path):
    """This machine (the app's vault) and another edited DAY while apart; the other has
    synced its edit into the folder, this one not yet."""
    yield from _concurrent(linked_vault, paths, tmp_path, THERE)


@pytest.fixture
def namesake(linked_vault, paths, tmp_path):
    """As `concurrent`, the other machine carrying this one's name."""
    yield from _concurrent(linked_vault, paths, tmp_path, HERE)


def _concurrent(linked_vault, paths, tmp_path, there):  # noqa: ANN001, ANN202
    folder = linked_vault([Entry(date=DAY, body=BASE)], name=HERE)
    with open_vault(paths.vault) as mine:
        session.sync(mine, PASSPHRASE, allow_weak=True)
        other = other_machine(tmp_path / "other", folder, name=there)
        session.sync(other, PASSPHRASE, allow_weak=True)
        edit = mine.get_by_date(DAY)
        edit.body = LAPTOP
        mine.put(edit)
    theirs = other.get_by_date(DAY)
    theirs.body = DESKTOP
    other.put(theirs)
    session.sync(other, PASSPHRASE, allow_weak=True)
    yield other
    other.close()


def _side(screen: ConflictScreen, side: str) -> str:
    return str(screen.query_one(f"#conflict-{side}-text", Static).render())


@contextlib.asynccontextmanager
async def _conflict_on_screen(unlocked):  # noqa: ANN001, ANN202
    """The app unlocked on DAY, the unlock's sync done and its conflict view open: (the
    app, the view, the side this machine wrote, the other side)."""
    async with unlocked(day=DAY, size=(120, 30)) as pilot:
        app = pilot.app
        await app.workers.wait_for_complete()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictScreen)
        mine = "one" if "I stayed calm" in _side(screen, "one") else "other"
        yield app, screen, mine, "other" if mine == "one" else "one"


async def test_a_conflict_shown_side_by_side_is_decided_saved_and_carried_to_the_other_machine(
        unlocked, concurrent):
    other = concurrent
    async with unlocked(day=DAY) as pilot:  # the day is on screen when the sync brings the conflict
        app = pilot.app
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert OPEN in app.vault.get_by_date(DAY).body
        screen = app.screen
        assert isinstance(screen, ConflictScreen)
        assert "I stayed calm" in _side(screen, "one") + _side(screen, "other")
        assert "took it home" in _side(screen, "one") + _side(screen, "other")
        assert "Long shift" not in _side(screen, "one")  # only the lines both changed
        keep = "2" if "took it home" in _side(screen, "other") else "1"
        await pilot.press(keep)
        await settle(pilot)
        assert not isinstance(app.screen, ConflictScreen)
        assert app.vault.get_by_date(DAY).body == DESKTOP
        assert app.write_screen.status == "saved" and not app.write_screen.debounce.dirty
        await pilot.press("ctrl+l")  # the last sync before the key goes pushes it
        await pilot.pause()
    report = session.sync(other, PASSPHRASE, allow_weak=True)
    assert report.refused == [] and report.conflicts == []
    assert other.get_by_date(DAY).body == DESKTOP


async def test_the_view_says_which_side_this_machine_wrote_and_names_the_other(
        unlocked, concurrent):
    from textual.content import Content

    from journal.core.model.conflicts import clean_name

    async with _conflict_on_screen(unlocked) as (app, screen, mine, theirs):
        assert screen.who(mine) == "this machine"
        assert screen.who(theirs) == clean_name(THERE) == "[b]desk[/b] >>>>>>> other version"
        titles = {side: Content.from_markup(screen.query_one(f"#conflict-{side}").border_title)
                  .plain for side in ("one", "other")}
        assert titles[mine].endswith("\u00b7 this machine")
        assert titles[theirs].endswith("\u00b7 [b]desk[/b] >>>>>>> other version")  # not markup
        subtitle = screen.query_one(f"#conflict-{theirs}").border_subtitle
        assert Content.from_markup(subtitle).plain.startswith("saved ")  # the title says who
        assert "desk" not in Content.from_markup(subtitle).plain
        assert _side(screen, theirs) == DESKTOP.splitlines()[1]  # the name broke no line
        body = app.vault.get_by_date(DAY).body
        assert f"{clean_name(THERE)}, " in body and f"{HERE}, " in body
    report = session.sync(concurrent, PASSPHRASE, allow_weak=True)
    assert report.refused == []
    assert concurrent.get_by_date(DAY).body == body  # the other machine wrote the same marks


async def test_two_machines_of_one_name_are_told_apart_in_the_view(unlocked, namesake):
    """"This machine" is decided by the machine's id, not its name: with both machines
    called "laptop", the marks carry the start of each id and the view still knows which
    side was written here."""
    from journal.core.model.conflicts import machine_of

    async with _conflict_on_screen(unlocked) as (_app, screen, mine, theirs):
        state = session.open_state(namesake)
        other_id = state.link.machine
        state.close()
        assert screen.machine and screen.machine != other_id
        assert screen.who(mine) == "this machine"
        hunk = screen.hunk
        marked = {machine_of(hunk.one_label), machine_of(hunk.other_label)}
        assert marked == {f"{HERE} #{screen.machine[:4]}", f"{HERE} #{other_id[:4]}"}


async def test_a_namesake_reads_as_the_other_machine_of_that_name_and_rename_is_suggested(
        unlocked, namesake):
    """Item 1: the start of an id (`laptop #a1b2`) means little to a person: the view names
    the other side "the other laptop" and says how to give one of them a name of its own."""
    from textual.content import Content

    async with _conflict_on_screen(unlocked) as (_app, screen, mine, theirs):
        assert screen.who(theirs) == f"the other {HERE}"
        title = Content.from_markup(screen.query_one(f"#conflict-{theirs}").border_title)
        assert title.plain.endswith(f"\u00b7 the other {HERE}")
        intro = str(screen.query_one("#conflict-intro", Static).render())
        assert "journal sync rename NAME" in intro and f"\u201c{HERE}\u201d" in intro
        for side in (mine, theirs):  # no id prefix anywhere a person reads
            box = screen.query_one(f"#conflict-{side}")
            shown = Content.from_markup(box.border_title).plain + Content.from_markup(
                box.border_subtitle).plain
            assert "#" not in shown and "saved " in shown


async def test_from_browse_an_edit_by_hand(unlocked, concurrent):
    async with unlocked(size=(120, 40)) as pilot:
        app = pilot.app
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert not isinstance(app.screen, ConflictScreen)  # today is shown, not DAY
        await pilot.press("f3")
        await settle(pilot)
        await pilot.pause(0.3)
        assert isinstance(app.screen, BrowseScreen)
        assert [e.date for e in app.screen.entry_list.entries_shown] == [DAY]
        await pilot.press("enter")  # open the day chosen in the list
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictScreen)
        await pilot.press("e")
        editor = screen.query_one("#conflict-edit", TextArea)
        assert "I stayed calm" in editor.text and "took it home" in editor.text
        editor.load_text("The handover ran late; I left it at work.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = app.vault.get_by_date(DAY).body
        assert saved == "Long shift.\nThe handover ran late; I left it at work.\nHome by nine.\n"


async def test_esc_keeps_the_marks_and_does_not_ask_again_until_the_day_is_reopened(
        unlocked, concurrent):
    async with unlocked(day=DAY) as pilot:
        app = pilot.app
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ConflictScreen)
        assert OPEN in app.vault.get_by_date(DAY).body
        await pilot.press("f1", "escape")  # another screen and back: not asked again
        await settle(pilot)
        assert not isinstance(app.screen, ConflictScreen)
        app.open_day(date(2026, 11, 25))
        await settle(pilot)
        app.open_day(DAY)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictScreen)
        one, other = _side(screen, "one"), _side(screen, "other")
        assert {one, other} == {LAPTOP.splitlines()[1], DESKTOP.splitlines()[1]}
        await pilot.press("b")
        await settle(pilot)
        assert app.vault.get_by_date(DAY).body == f"Long shift.\n{one}\n{other}\nHome by nine.\n"


async def test_marks_typed_in_a_code_block_do_not_open_the_view(unlocked, make_vault):
    typed = f"Pasted from the docs:\n```\n{OPEN}\nx\n=======\ny\n>>>>>>> other version\n```\n"
    make_vault([Entry(date=DAY, body=typed)])
    async with unlocked(day=DAY) as pilot:
        app = pilot.app
        await settle(pilot)
        assert not isinstance(app.screen, ConflictScreen)
        assert app.screen.query_one("#editor", TextArea).text == typed


async def test_marks_nested_by_three_machines_are_offered_again_until_none_is_left(
        unlocked, make_vault):
    from journal.core.sync.merge import merge_text

    ab, _ = merge_text("a\nx\nz\n", "a\nA\nz\n", "a\nB\nz\n")
    abc, _ = merge_text("a\nx\nz\n", ab, "a\nC\nz\n")
    make_vault([Entry(date=DAY, body=abc)])
    async with unlocked(day=DAY) as pilot:
        app = pilot.app
        await settle(pilot)
        assert (_side(app.screen, "one"), _side(app.screen, "other")) == ("A", "B")
        await pilot.press("1")
        await settle(pilot)
        assert (_side(app.screen, "one"), _side(app.screen, "other")) == ("A", "C")
        await pilot.press("2")
        await settle(pilot)
        assert not isinstance(app.screen, ConflictScreen)
        assert app.vault.get_by_date(DAY).body == "a\nC\nz\n"


def _said(app) -> list[str]:  # noqa: ANN001
    return [str(n.message) for n in app._notifications]


async def test_no_notice_repeats_a_conflict_the_view_already_shows(unlocked, concurrent):
    """The conflicted day is on screen when the sync brings it: the day reloads and the
    conflict view opens, so neither "updated" nor "changed on two machines" is said too."""
    async with unlocked(day=DAY, size=(100, 30)) as pilot:
        app = pilot.app
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        said = _said(app)
        assert not [m for m in said if "two machines" in m or "updated from" in m], said


async def test_a_conflict_on_another_day_is_still_said(unlocked, concurrent):
    """The day on screen is another one: the notices are what tells of the conflict."""
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        await settle(pilot)
        assert not isinstance(app.screen, ConflictScreen)
        said = _said(app)
        assert any(m.startswith(f"{DAY.isoformat()} was changed on this machine and "
                                f"{clean_name(THERE)} while apart")
                   for m in said), said
        assert f"1 day updated from {clean_name(THERE)}." in said  # who, not markup


async def test_a_conflict_on_the_day_being_typed_is_still_said(app_factory, concurrent):
    """Typing waits to be saved on the conflicted day: the day does not reload under it,
    so the notices say what the sync found."""
    app = app_factory()
    app.current_day = DAY
    hook = app.sync
    real = hook._show
    held = []
    hook._show = held.append  # hold the unlock sync's report until there is typing
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        await settle(pilot)
        app.screen.query_one("#editor", TextArea).focus()
        await pilot.press(*"more")
        assert app.write_screen.debounce.dirty
        (report,) = held
        real(report)
        await pilot.pause()
        said = _said(app)
        assert any(m.startswith(f"{DAY.isoformat()} was changed on this machine and "
                                f"{clean_name(THERE)} while apart")
                   for m in said), said


async def test_the_side_three_machines_merged_names_its_machines(unlocked, make_vault):
    from journal.core.model.conflicts import merged_label, side_label
    from journal.core.sync.merge import merge_text

    laptop = side_label("laptop", "2026-11-20T21:40:00", 2026)
    desk = side_label("desk", "2026-11-20T22:00:00", 2026)
    ward = side_label("ward", "2026-11-21T07:15:00", 2026)
    ab, _ = merge_text("a\nx\nz\n", "a\nA\nz\n", "a\nB\nz\n", (laptop, desk))
    abc, _ = merge_text("a\nx\nz\n", ab, "a\nC\nz\n", (merged_label(["laptop", "desk"]), ward))
    make_vault([Entry(date=DAY, body=abc)])
    async with unlocked(day=DAY, size=(120, 30)) as pilot:
        app = pilot.app
        await settle(pilot)
        assert (app.screen.who("one"), app.screen.who("other")) == ("laptop", "desk")
        await pilot.press("1")
        await settle(pilot)
        screen = app.screen
        assert (_side(screen, "one"), _side(screen, "other")) == ("A", "C")
        assert (screen.who("one"), screen.who("other")) == ("laptop + desk", "ward")
        title = str(screen.query_one("#conflict-one").border_title)
        assert title.endswith("\u00b7 laptop + desk")


async def test_a_version_holding_a_heading_underline_is_offered_in_the_view(unlocked,
                                                                          make_vault):
    from journal.core.sync.merge import merge_text

    body, _ = merge_text("a\nx\nz\n", "a\nTonight\n=======\nA\nz\n", "a\nB\nz\n")
    make_vault([Entry(date=DAY, body=body)])
    async with unlocked(day=DAY, size=(100, 30)) as pilot:
        app = pilot.app
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictScreen)
        assert (_side(screen, "one"), _side(screen, "other")) == ("Tonight\n=======\nA", "B")
        await pilot.press("1")
        await settle(pilot)
        assert app.vault.get_by_date(DAY).body == "a\nTonight\n=======\nA\nz\n"


async def test_a_conflict_written_before_the_divider_is_offered_when_unambiguous(unlocked,
                                                                                 make_vault):
    """Item 3: a conflict the merge wrote before its divider, a version ending in a heading
    (two bare `=======` lines, only one of which can divide), opens the view; one where
    either could divide stays text."""
    from journal.core.model.conflicts import CLOSE, MIDDLE

    old = f"Shift.\n\n{OPEN} laptop, Thu 3 Dec 21:40\nTonight\n{MIDDLE}\n{MIDDLE}\nB\n" \
          f"{CLOSE} desk, Fri 4 Dec 07:15\nz\n"
    ambiguous = "2026-11-21"
    make_vault([Entry(date=DAY, body=old),
                Entry(date=date.fromisoformat(ambiguous),
                      body=old.replace(f"{MIDDLE}\n{MIDDLE}\n", f"{MIDDLE}\nA\n{MIDDLE}\n"))])
    async with unlocked(day=DAY, size=(100, 30)) as pilot:
        app = pilot.app
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConflictScreen)
        assert (_side(screen, "one"), _side(screen, "other")) == ("Tonight\n=======", "B")
        await pilot.press("2")
        await settle(pilot)
        assert app.vault.get_by_date(DAY).body == "Shift.\n\nB\nz\n"
        assert await app.write_screen.show_day(date.fromisoformat(ambiguous))
        await settle(pilot)
        assert app.write_screen.day == date.fromisoformat(ambiguous)  # loaded, not offered
        assert not isinstance(app.screen, ConflictScreen)


def test_a_mark_naming_this_machines_name_without_an_id_is_not_claimed_while_a_namesake_exists():
    """A mark written before ids (or before every mark of a day carried them) says
    "laptop" alone: with another laptop in the folder, it may be that one's, so the view
    does not call it "this machine"."""
    from journal.core.model.conflicts import CLOSE, MIDDLE
    from journal.core.sync.machines import Machine

    body = f"{OPEN} laptop, Thu 3 Dec 21:40\nx\n{MIDDLE}\ny\n{CLOSE} desk, Thu 3 Dec 21:41\n"
    me, other, desk = "3f9c2a7d10b4e6f1", "a1b2c3d4e5f60718", "0123456789abcdef"
    alone = [Machine(me, "laptop", True), Machine(desk, "desk")]
    screen = ConflictScreen(DAY, body, "laptop", me, alone)
    assert (screen.who("one"), screen.who("other")) == ("this machine", "desk")
    shared = [*alone, Machine(other, "laptop", False, "2026-12-03T21:40")]
    screen = ConflictScreen(DAY, body, "laptop", me, shared)
    assert (screen.who("one"), screen.who("other")) == ("laptop", "desk")
