"""Issue 17 in the app: the practice offered after a heavy contagion moment (once, waved
away by any key, never below the threshold or when turned off), each step skippable, the
calm timer on a fake clock, the palette's way in, and the safety check-in opening the
support screen on "not safe" and on "struggling" three entries in a row."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from journal.core.care.practice_script import OFFER
from journal.core.model.entries import Entry, Moment
from journal.core.model.practice import STEPS, Practice
from journal.core.store.captures import SealedBox
from journal.settings import Settings
from journal.ui.commands import journal_commands
from journal.ui.screens.practice import PracticeScreen
from journal.ui.screens.support import SupportScreen
from journal.ui.screens.write import WriteScreen
from journal.ui.widgets.moment_form import MomentForm
from tests.ui.host import HostApp, MemoryVault, screen_text
from tests.ui.host import settle as host_settle

from .conftest import TODAY, open_vault, settle, unlock
from .fast_keys import burst


async def _add_moment(pilot, kind_key: str, intensity: str) -> None:
    await pilot.press("ctrl+n", kind_key, *intensity, "w", "enter")
    await settle(pilot)


def _offered(app) -> bool:
    """The offer line is up on the write screen (which keeps its focus where it was)."""
    screen = app.screen
    return isinstance(screen, WriteScreen) and screen.offer_line.pending \
        and screen.offer_line.display and not screen.offer_line.has_focus


def _stored_moments(paths) -> list[Moment]:
    with open_vault(paths.vault) as vault:
        return vault.get_by_date(TODAY).moments


# -- the offer ---------------------------------------------------------------------------------
async def test_offer_once_after_a_heavy_moment_and_any_key_carries_on(unlocked, make_vault,
                                                                      paths):
    make_vault()
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        await _add_moment(pilot, "c", "8")
        assert _offered(app)
        assert "two-minute practice" in screen_text(app)
        assert OFFER.split(".")[0] in screen_text(app)
        # ctrl+t (go to the moments list) waves it away, and still does its own job
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, WriteScreen) and not _offered(app)
        assert "two-minute practice" not in screen_text(app)
        assert app.focused.id == "moment-list"
        [moment] = _stored_moments(paths)
        assert moment.practice is None  # saved before the offer, nothing added
        # editing the same moment (still heavy) does not offer again
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MomentForm)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WriteScreen) and not _offered(app)


async def test_letters_typed_with_the_offer_up_reach_the_editor(unlocked, make_vault,
                                                                  paths):
    """The offer is a line, not a screen: the first letter waves it away and is typed, and
    a 'p' typed after it is just a letter."""
    make_vault()
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        await _add_moment(pilot, "c", "9")
        assert _offered(app) and app.focused.id == "editor"
        await burst(pilot, *"Sleep, perhaps")
        await settle(pilot)
        assert not _offered(app) and isinstance(app.screen, WriteScreen)
        assert app.screen.query_one("#editor").text == "Sleep, perhaps"
        await pilot.press("ctrl+s")
        await settle(pilot)
        [moment] = _stored_moments(paths)
        assert moment.practice is None


@pytest.mark.parametrize("settings, kind, intensity", [
    (Settings(), "c", "6"),                                  # below the default 7
    (Settings(), "k", "9"),                                  # concern is never an offer
    (Settings(practice_offer=False), "c", "9"),              # turned off
    (Settings(practice_offer_from=9), "c", "8"),             # below a chosen threshold
])
async def test_never_offered_below_the_threshold_or_when_off(unlocked, make_vault, settings,
                                                             kind, intensity):
    make_vault()
    async with unlocked(size=(100, 30), settings=settings) as pilot:
        app = pilot.app
        await _add_moment(pilot, kind, intensity)
        assert isinstance(app.screen, WriteScreen) and not _offered(app)


async def test_a_lower_threshold_offers_from_it(unlocked, make_vault):
    make_vault()
    async with unlocked(size=(100, 30), settings=Settings(practice_offer_from=5)) as pilot:
        app = pilot.app
        await _add_moment(pilot, "c", "5")
        assert _offered(app)


async def test_p_starts_the_practice_and_it_is_kept_with_the_moment(unlocked, make_vault,
                                                                   paths):
    make_vault()
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        await _add_moment(pilot, "c", "9")
        assert _offered(app)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        assert "research suggests this may help" in screen_text(app).lower()
        # begin; land 8; theirs and mine; skip warmth; widening; next step; close 4
        await pilot.press("enter", "8", "enter", "enter", "s", "enter", "enter", "4", "enter")
        await settle(pilot)
        assert isinstance(app.screen, WriteScreen)
        [moment] = _stored_moments(paths)
        assert moment.practice == Practice(0, ("land", "theirs_and_mine", "widening",
                                               "next_step", "close"), 8, 4)


def _moment_list_text(app) -> str:
    from journal.ui.widgets.moments import MomentList

    return "\n".join(str(line.render()) for item in app.screen.query_one(MomentList).children
                     for line in item.query("Static"))


async def test_the_moment_list_shows_a_kept_practice_as_browse_and_show_do(
        unlocked, make_vault):
    """Browse and `journal show` said 'practice: ...' under a moment; the write screen's
    moment list said nothing, neither for a practice kept earlier nor for one just taken."""
    kept = Practice(2, STEPS, 8, 5)
    make_vault([Entry(date=TODAY, body="Earlier.", moments=[
        Moment("contagion", 8, "work", time="09:00", practice=kept)])])
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        assert "practice: 2 min, 6 of 6 steps, activation 8 -> 5" in _moment_list_text(app)
        panel = [line.split("▏", 1)[1] for line in screen_text(app).splitlines()
                 if "▏" in line]   # the column right of the editor
        shown = " ".join(" ".join(panel).split())  # the narrow panel wraps it
        assert "practice: 2 min, 6 of 6 steps, activation 8 -> 5" in shown
        await _add_moment(pilot, "c", "9")
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter", "7", "enter", "s", "s", "s", "s", "enter")
        await settle(pilot)
        assert isinstance(app.screen, WriteScreen)
        listed = _moment_list_text(app)
        assert "practice: no timer, 2 of 6 steps (land, close), activation 7 -> -" in listed
        assert listed.count("practice:") == 2


# -- the practice screen on its own ---------------------------------------------------------
async def _practice(keys: list[str], advance: list[tuple[int, str]] = ()) -> tuple:
    """Run PracticeScreen in a host app; `advance`: (seconds, key) steps on the fake clock."""
    app = HostApp(MemoryVault([]))
    results: list[Practice | None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await host_settle(pilot)
        app.push_screen(PracticeScreen(), results.append)
        await pilot.pause()
        for key in keys:
            if key.startswith("+"):
                app.clock.advance(seconds=int(key[1:]))
                await pilot.pause(0.3)
            else:
                await pilot.press(key)
        await pilot.pause()
        shown = screen_text(app)
    return results, shown


@pytest.mark.parametrize("skipped", STEPS)
async def test_each_step_can_be_skipped(skipped):
    keys = ["enter"]
    for step in STEPS:
        if step == skipped:
            keys.append("s")
        elif step in ("land", "close"):
            keys += ["5", "enter"]
        else:
            keys.append("enter")
    results, _ = await _practice(keys)
    [practice] = results
    assert practice.steps == tuple(s for s in STEPS if s != skipped)
    assert practice.before == (None if skipped == "land" else 5)
    assert practice.after == (None if skipped == "close" else 5)


async def test_escape_stops_and_keeps_what_was_taken_or_nothing():
    results, _ = await _practice(["enter", "7", "enter", "escape"])
    assert results == [Practice(0, ("land",), 7, None)]
    results, _ = await _practice(["escape"])
    assert results == [None]


async def test_the_calm_timer_runs_on_the_injected_clock():
    app = HostApp(MemoryVault([]))
    async with app.run_test(size=(100, 30)) as pilot:
        await host_settle(pilot)
        results: list[Practice | None] = []
        app.push_screen(PracticeScreen(), results.append)
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause(0.3)
        screen = app.screen
        assert screen.timer is not None and "calm timer · 2:00" in screen_text(app)
        assert "any key ends the timer" in " ".join(_box_rows(app)).lower()
        app.clock.advance(seconds=61)
        await pilot.pause(0.3)
        assert "calm timer · 0:59" in screen_text(app)
        assert screen.timer is not None  # real time does not move it: only the clock
        app.clock.advance(seconds=60)
        await pilot.pause(0.4)
        assert screen.timer is None and screen.step_name == "land"
        await pilot.press("escape")
        await pilot.pause()
    assert results == [Practice(2, (), None, None)]


async def test_any_key_ends_the_timer_early():
    results, _ = await _practice(["3", "+30", "x", "escape"])
    assert results == [Practice(1, (), None, None)]


# -- the palette -------------------------------------------------------------------------------
async def test_the_palette_starts_a_practice_kept_with_todays_contagion(unlocked,
                                                                        make_vault, paths):
    make_vault([Entry(date=TODAY, moments=[Moment("contagion", 5, "work"),
                                           Moment("concern", 4, "home")])])
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        titles = [c.title for c in journal_commands(app)]
        assert "Practice toward concern" in titles
        await app.action_practice()
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        await pilot.press("enter", "6", "enter", "escape")
        await settle(pilot)
        first, second = _stored_moments(paths)
        assert first.practice == Practice(0, ("land",), 6, None) and second.practice is None


# -- the safety check-in -----------------------------------------------------------------------
async def _check_in(unlocked, make_vault, earlier: list[str | None], key: str):
    entries = [Entry(date=TODAY - timedelta(days=i + 1), body="x", check_in=c)
               for i, c in enumerate(earlier)]
    make_vault(entries)
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        app.screen.query_one("#safety-choice").focus()
        await pilot.press(key)
        await settle(pilot)
        return isinstance(app.screen, SupportScreen), screen_text(app)


async def test_not_safe_opens_the_support_screen_at_once(unlocked, make_vault, paths):
    shown, text = await _check_in(unlocked, make_vault, [], "n")
    assert shown and "988" in text
    with open_vault(paths.vault) as vault:
        assert vault.get_by_date(TODAY).check_in == "not_safe"


async def test_struggling_on_three_entries_in_a_row_opens_support(unlocked, make_vault,
                                                                   paths):
    shown, _ = await _check_in(unlocked, make_vault, ["struggling", "struggling"], "s")
    assert shown
    with open_vault(paths.vault) as vault:
        assert vault.get_by_date(TODAY).check_in == "struggling"


@pytest.mark.parametrize("earlier, key", [
    (["struggling"], "s"),                      # two in a row only
    (["ok", "struggling"], "s"),                # broken by an ok
    (["struggling", "struggling"], "o"),        # ok today
])
async def test_otherwise_the_check_in_stays_quiet(unlocked, make_vault, earlier, key):
    shown, _ = await _check_in(unlocked, make_vault, earlier, key)
    assert not shown


async def test_words_in_the_entry_never_open_support(unlocked, make_vault):
    make_vault([Entry(date=TODAY, body="She said she is not safe and thinks of suicide.")])
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        await pilot.press(*"I am not safe", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, WriteScreen)


def test_settings_refuse_a_bad_threshold():
    from journal.core.errors import ValidationError

    with pytest.raises(ValidationError):
        replace(Settings(), practice_offer_from=11).validated()


def test_the_browse_preview_shows_practice_and_check_in():
    from journal.ui.widgets.preview import entry_markdown

    entry = Entry(date=TODAY, check_in="struggling", moments=[
        Moment("contagion", 8, "work", practice=Practice(2, STEPS, 8, 5))])
    text = entry_markdown(entry)
    assert "safety check-in: struggling" in text
    assert "practice:* 2 min, 6 of 6 steps, activation 8 -> 5" in text


def test_the_support_screen_and_the_cli_give_the_same_resources():
    from journal.core.care.safety import NO_ONE_WATCHES as CORE_NOTE
    from journal.core.care.safety import SUPPORT_LINES
    from journal.ui.screens.support import NO_ONE_WATCHES, SUPPORT_TEXT

    assert CORE_NOTE == NO_ONE_WATCHES
    for needle in ("988", "741741", "116 123", "findahelpline.com", "911", "999", "112"):
        assert needle in SUPPORT_TEXT and any(needle in line for line in SUPPORT_LINES)


def test_the_support_lines_are_derived_from_the_one_support_text():
    # one source (issue 12): the lines follow the text, no copy kept in step by hand
    from journal.core.care import safety, support

    assert safety.SUPPORT_LINES is support.SUPPORT_LINES
    changed = support.SUPPORT_TEXT.replace("741741", "000000").replace(
        "**Anywhere else:**", "**Elsewhere:**")
    lines = support.support_lines(changed)
    assert "- US: Crisis Text Line: text HOME to 000000." in lines
    assert any(line.startswith("- Elsewhere: findahelpline.com") for line in lines)
    assert not any("**" in line or line.startswith("##") for line in lines)
    assert len(lines) == len(support.SUPPORT_LINES)


async def test_locking_in_the_middle_of_a_practice_keeps_what_was_taken(unlocked,
                                                                        make_vault, paths):
    make_vault()
    async with unlocked(size=(100, 30)) as pilot:
        app = pilot.app
        await _add_moment(pilot, "c", "9")
        await pilot.press("p", "enter", "9", "enter", "enter")  # land 9, theirs and mine
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        await app.action_lock()
        await settle(pilot)
        [moment] = _stored_moments(paths)
        assert moment.practice == Practice(0, ("land", "theirs_and_mine"), 9, None)


async def test_the_practice_opening_keys_keep_whole_at_100_columns():
    """Seen in tmux at 100x30: the opening's key hint broke 'esc not / now' across lines and
    an empty heading line stood above the text."""
    app = HostApp(MemoryVault([]))
    async with app.run_test(size=(100, 30)) as pilot:
        await host_settle(pilot)
        app.push_screen(PracticeScreen())
        await pilot.pause()
        await pilot.pause()
        assert not app.screen.query_one("#practice-step").display
        lines = screen_text(app).splitlines()
        assert any("esc not now" in line for line in lines), lines


def _box_rows(app) -> list[str]:
    """The rows inside the practice's box, without its border and padding columns."""
    lines = screen_text(app).splitlines()
    top = next(i for i, line in enumerate(lines) if "╭─ A short practice" in line)
    left = lines[top].index("╭")
    right = lines[top].index("╮", left)
    bottom = next(i for i in range(top + 1, len(lines)) if lines[i][left:left + 1] == "╰")
    return [line[left + 1:right].strip() for line in lines[top + 1:bottom]]


@pytest.mark.parametrize("width", [80, 100, 120])
async def test_every_page_of_the_practice_reads_well_at_80_100_and_120_columns(width):
    """Seen in tmux: 'out.' and 'as it gets.' alone on a row, two empty rows above the
    opening text, an empty row under the timer's breath. At each width, on every page: no
    row of one or two words, never two empty rows running, the key hints whole."""
    app = HostApp(MemoryVault([]))
    async with app.run_test(size=(width, 30)) as pilot:
        await host_settle(pilot)
        app.push_screen(PracticeScreen())
        await pilot.pause()
        pages = []
        for key in ["enter"] * (len(STEPS) + 1):
            await pilot.pause()
            pages.append(_box_rows(app))
            await pilot.press(key)
        app.push_screen(PracticeScreen())
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause(0.3)
        pages.append(_box_rows(app))
    intro, timer = pages[0], pages[-1]
    assert "enter begin   esc not now" in intro
    assert any(row.startswith("calm timer") for row in timer)
    for rows in pages:
        assert rows[0] == "" and rows[1] and rows[-1] == "", rows   # one padding row each
        for row, below in zip(rows, rows[1:], strict=False):
            assert row or below, rows   # never two empty rows running
        for row in rows:
            assert not row.strip("·") or len(row) >= 13, (row, rows)  # · : the breath
    assert any("esc stop (what you took is kept)" in row for row in pages[1])


@pytest.mark.parametrize("earlier, shown", [
    (["struggling", "struggling"], True),       # the sealed note is the third in a row
    (["struggling", "ok"], False),
    (["ok", "struggling"], False),
])
async def test_an_unlock_merging_a_sealed_struggling_counts_the_run(app_factory, make_vault,
                                                                    paths, earlier, shown):
    """`journal add --sealed --check-in struggling` cannot read the entries before it, and
    the unlock that merged it did not count it: the run of three never showed support."""
    make_vault([Entry(date=TODAY - timedelta(days=i + 1), body="x", check_in=c)
                for i, c in enumerate(earlier)])
    SealedBox(paths.vault).add(Entry(date=TODAY, body="can't sleep", check_in="struggling"))
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await unlock(pilot)
        await settle(pilot)
        assert isinstance(app.screen, SupportScreen) is shown, screen_text(app)
        assert app.vault.get_by_date(TODAY).check_in == "struggling"  # it was merged


async def test_the_last_step_says_enter_finishes():
    """Found on a first evening: the last page ('6 of 6 · Close') still said 'enter next',
    as if a seventh step followed."""
    _, shown = await _practice(["enter", *["s"] * (len(STEPS) - 1)])
    assert f"{len(STEPS)} of {len(STEPS)}" in shown and "enter finish" in shown, shown
    assert "enter next" not in shown
    _, shown = await _practice(["enter"])
    assert "enter next" in shown


@pytest.mark.parametrize("key, said", [("s", True), ("o", False)])
async def test_struggling_says_where_support_is_without_opening_it(unlocked, make_vault,
                                                                   key, said):
    """Found on a first evening: 'struggling' on a first entry changed nothing on screen
    (support opens on the third in a row), and nothing near the check-in said that F9
    shows support at any time (the footer at 80 columns has no room for it; domain.md §8:
    resources 'always one command away'). The line stays quiet for ok and for none."""
    shown, text = await _check_in(unlocked, make_vault, [], key)
    assert not shown
    assert ("F9: support and crisis lines" in text) == said, text
