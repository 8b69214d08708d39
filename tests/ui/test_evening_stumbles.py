"""A second first evening, as a tired hospice nurse meets it (fresh vault, 80x24 and wider):
each stumble found on the way, driven the way it was found."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from .conftest import TODAY, open_vault, settle
from .fast_keys import burst


def saved_entry(paths):
    with open_vault(paths.vault) as vault:
        return vault.get_by_date(TODAY)


@pytest.mark.parametrize("speed", ["human", "paste"])
async def test_a_digit_a_full_score_cannot_take_is_the_next_scores(unlocked, make_vault,
                                                                   paths, speed):
    """Sleep 4, energy 3: the sleep field took the 4 and refused the 3 without a word (the
    bell only), so energy stayed empty and the recovery typed after a Tab landed in it."""
    make_vault()
    keys = ["tab", "4", "3", "tab", *"walk", "ctrl+s"]
    async with unlocked() as pilot:
        await (pilot.press(*keys) if speed == "human" else burst(pilot, *keys))
        await settle(pilot)
        entry = saved_entry(paths)
    assert (entry.sleep, entry.energy, entry.recovery) == (4, 3, ["walk"])


@pytest.mark.parametrize("speed", ["human", "paste"])
async def test_a_check_in_score_of_1_or_10(unlocked, make_vault, paths, speed):
    """1 then 0 is 10 (as intensity); a 1 then another digit keeps the 1, and the digit
    is the next field's (as text where that field is text)."""
    make_vault()
    keys = ["tab", "1", "0", "1", "6", *"nap", "ctrl+s"]
    async with unlocked() as pilot:
        await (pilot.press(*keys) if speed == "human" else burst(pilot, *keys))
        await settle(pilot)
        entry = saved_entry(paths)
    assert (entry.sleep, entry.energy, entry.recovery) == (10, 1, ["6nap"])


async def test_a_key_a_check_in_score_cannot_take_is_said(unlocked, make_vault):
    """Letters typed into sleep vanished with only the terminal's bell (often silent), and
    the field's border was drawn broken (an empty score counted as invalid)."""
    make_vault()
    async with unlocked() as pilot:
        app = pilot.app
        await pilot.press("tab", "w")
        await settle(pilot)
        said = [n.message for n in app._notifications]
        assert any("0-10" in m for m in said), said
        sleep = app.screen.query_one("#sleep", Input)
        assert app.focused is sleep and sleep.value == ""
        assert not sleep.has_class("-invalid")


async def test_a_digit_on_a_score_just_reached_replaces_it(unlocked, make_vault, paths):
    """Back on yesterday's sleep 4 (shift+tab or a click), typing 6 means 6, not 46."""
    from journal.core.model.entries import Entry

    make_vault([Entry(date=TODAY, body="x", sleep=4, energy=2)])
    async with unlocked() as pilot:
        await pilot.press("tab", "6", "5", "ctrl+s")
        await settle(pilot)
        entry = saved_entry(paths)
    assert (entry.sleep, entry.energy) == (6, 5)


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@pytest.mark.parametrize("key", ["f3", "f4"])
async def test_browse_and_reflect_show_the_way_back_to_tonights_entry(unlocked, make_vault,
                                                                      key):
    """In Browse and Reflect the footer named no way back to the entry (F2 was hidden,
    only F1's list had it), and Escape did nothing once there was nothing to clear."""
    make_vault()
    async with unlocked(key=key) as pilot:
        app = pilot.app
        footer = screen_text(app).splitlines()[-1]
        assert "f2 Write" in footer and "^p palette" in footer, footer
        await pilot.press("escape", "escape", "escape")
        await settle(pilot)
        assert app.current_mode == "write"


async def test_escape_in_browse_clears_the_search_before_it_leaves(unlocked, make_vault):
    make_vault()
    async with unlocked(key="f3") as pilot:
        app = pilot.app
        await pilot.press("slash", *"grief", "escape")
        await settle(pilot)
        assert app.current_mode == "browse" and not app.screen.filter_bar.input.value


async def test_reflects_tag_table_shows_whole_tags_at_80x24(unlocked, make_vault):
    """Ten evenings of #death at work and #family at home: 'What recurs' showed the tags
    as '#de' and '#fa' at 80 columns (the column sized to its heading, 'Tag')."""
    from datetime import timedelta

    from textual.widgets import DataTable

    from journal.core.model.entries import Entry, Moment

    make_vault([Entry(date=TODAY - timedelta(days=n), body=f"Day {n}.", moments=[
        Moment(kind="contagion", intensity=6, context="work", tags=["death"]),
        Moment(kind="concern", intensity=5, context="home", tags=["family"])])
        for n in range(10)])
    async with unlocked(key="f4") as pilot:
        app = pilot.app
        await pilot.pause(0.3)
        findings = app.screen.finding_list
        findings.highlighted = [f.get("kind") for f in findings.findings].index("triggers")
        await settle(pilot)
        await pilot.pause(0.3)
        table = app.screen.query_one("#trigger-table", DataTable)
        shown = screen_text(app)
        assert table.region.width and "#death" in shown and "#family" in shown, shown


async def test_a_forgotten_passphrase_is_not_a_dead_end(app_factory, make_vault):
    """Wrong passphrases only said 'check Caps Lock, try again': nothing on the screen, in
    F1 or in the footer said what to do when it is forgotten (the recovery code, which
    only `journal passwd --recovery-code` took: the app pointed to a shell). From the second
    wrong try on, the key that opens the app's recovery screen is said; the first is most
    likely a slip."""
    from .conftest import unlock

    make_vault()
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot, "wrong guess")
        status = app.screen.query_one("#unlock-status")
        assert "recovery" not in str(status.render())
        await unlock(pilot, "wrong guess")
        said = str(status.render())
        assert "recovery code sets a new one: press ctrl+r" in said, said
        assert "press ctrl+r." in screen_text(app)  # shown, not cut off
        assert "Forgot passphrase" in screen_text(app)  # and in the footer


async def test_the_moments_panel_shows_the_action_and_note_chosen(unlocked, make_vault):
    """'w' for withdrew and a note were kept (Browse shows them) but the panel beside the
    entry showed neither, so it looked as if they had not been taken."""
    make_vault()
    async with unlocked(size=(120, 40)) as pilot:
        app = pilot.app
        await pilot.press("ctrl+n", "c", "8", "w", *"death", "tab", "tab", "tab", "w",
                          "tab", *"froze at the door", "enter")
        await settle(pilot)
        panel = app.screen.query_one("#moments")
        shown = "\n".join(screen_text(app).splitlines()[panel.region.y:panel.region.bottom])
        assert "withdrew" in shown and "froze at the door" in shown, shown


async def test_browse_keeps_the_entrys_lines_as_written(unlocked, make_vault):
    """Two lines typed in the editor were one run-on line in Browse's preview (Markdown's
    soft break read as a space): '... @daughter On the bus home ...'."""
    from journal.core.model.entries import Entry

    make_vault([Entry(date=TODAY, body="Mrs K died today. #death\nOn the bus I kept "
                      "replaying it.\n\nLater, tea.")])
    async with unlocked(size=(120, 40), key="f3") as pilot:
        app = pilot.app
        await pilot.pause(0.3)
        preview = app.screen.query_one("#browse-preview")
        lines = [line[preview.region.x:preview.region.right].strip(" │")
                 for line in screen_text(app).splitlines()[preview.region.y:
                                                           preview.region.bottom]]
        assert any(line.strip().startswith("On the bus") for line in lines), lines
        assert any(line.strip().startswith("Later, tea.") for line in lines), lines


async def test_the_moment_form_says_what_each_kind_means(unlocked, make_vault):
    """The form offered '◆ contagion  ○ concern' with no word of what either means: a new
    user had to leave it (F1 does not say either) to find out which one the moment was."""
    make_vault()
    async with unlocked() as pilot:  # 80x24
        await pilot.press("ctrl+n")
        await settle(pilot)
        shown = screen_text(pilot.app)
        assert "you took their feeling on as your own" in shown, shown
        assert "you cared, and your own boundary held" in shown, shown


async def test_the_balance_chart_names_weeks_by_their_dates(unlocked, make_vault):
    """Reflect's first chart labelled its rows '2026-W45', an ISO week number a nurse
    does not read; the rows now say the Monday each week starts ('week of 2 Nov'), and a
    long range's months their names ('Sep 2026')."""
    from datetime import timedelta

    from journal.core.model.entries import Entry, Moment
    from journal.ui.widgets.charts import balance_rows

    make_vault([Entry(date=TODAY - timedelta(days=n), body=f"Day {n}.", moments=[
        Moment(kind="contagion", intensity=6, context="work", tags=["death"]),
        Moment(kind="concern", intensity=5, context="home", tags=["family"])])
        for n in range(21)])
    async with unlocked(key="f4") as pilot:
        await pilot.pause(0.3)
        shown = screen_text(pilot.app)
        assert "week of" in shown and "23 Nov" in shown and "-W4" not in shown, shown
    many = [{"week": f"2026-W{n:02d}", "contagion": 1, "concern": 1} for n in range(1, 40)]
    assert balance_rows(many)[-1][0] == "Sep 2026"


async def test_escape_in_a_filled_moment_form_asks_before_it_discards(unlocked, make_vault,
                                                                      paths):
    """Escape, pressed to wave away a grey completion or by habit, closed the form and
    dropped everything typed in it without a word. Now the first Escape says that a second
    one discards; anything else carries on; an empty form still closes at once."""
    from journal.ui.widgets.moment_form import MomentForm

    make_vault()
    async with unlocked() as pilot:
        app = pilot.app
        await pilot.press("ctrl+n", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, MomentForm)
        await pilot.press("ctrl+n", "c", "7", "w", *"death", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MomentForm)
        assert "Esc again discards" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert [(m.kind, m.intensity, m.tags) for m in saved_entry(paths).moments] == [
            ("contagion", 7, ["death"])]
        await pilot.press("ctrl+n", "k", "escape", "escape")  # (ctrl+n: past the offer)
        await settle(pilot)
        assert not isinstance(app.screen, MomentForm)
        assert len(saved_entry(paths).moments) == 1


@pytest.mark.parametrize("key", ["f3", "f4"])
async def test_question_mark_opens_help_where_nothing_is_typed(unlocked, make_vault, key):
    """'?' is where many terminal programs keep their keys; in Browse and Reflect (no text
    field focused) it did nothing. In a text field it is still a question mark."""
    from journal.ui.screens.help import HelpScreen

    make_vault()
    async with unlocked(key=key) as pilot:
        app = pilot.app
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        if key == "f3":
            await pilot.press("slash", "question_mark")
            await settle(pilot)
            assert app.screen.filter_bar.input.value == "?"


async def test_the_recovery_code_says_how_it_is_used(app_factory):
    """The code is shown once with 'the only way back in', but not the way: a nurse
    writing it on paper had no word of what to do with it on the day it is needed."""
    from journal.ui.screens.unlock import RecoveryCodeScreen

    from .conftest import PASSPHRASE

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#passphrase", Input).value = PASSPHRASE
        await pilot.press("enter")
        app.screen.query_one("#again", Input).value = PASSPHRASE
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecoveryCodeScreen)
        shown = screen_text(app)
        assert "ctrl+r on the unlock screen" in shown, shown  # the app's way, and the CLI's
        assert "passwd --recovery-code" in shown, shown
        assert app.screen.code in shown and "I have written it down" in shown
        assert "Continue" in shown  # nothing pushed off the 24 rows


async def test_go_to_date_shows_its_whole_question(unlocked, make_vault):
    """The palette's 'Go to date…' asked 'Which day? (YYYY-MM-DD, yesterday, last friday,
    3 days ago' with its end cut off: a one-line label in a 64-cell dialog."""
    make_vault()
    async with unlocked(size=(120, 40)) as pilot:
        pilot.app.action_go_to_date()
        await settle(pilot)
        shown = screen_text(pilot.app)
        assert "Which day?" in shown and "ago)" in shown, shown


async def test_reflects_findings_grow_on_a_wide_terminal(unlocked, make_vault):
    """At 200 columns the findings list stayed 28 cells wide and wrapped every title over
    two or three lines, beside a detail pane of 170."""
    make_vault()
    async with unlocked(size=(200, 50), key="f4") as pilot:
        app = pilot.app
        findings = app.screen.finding_list
        assert findings.region.width > 28
        assert "Contagion that came home from work" in screen_text(app)
    async with unlocked(size=(80, 24), key="f4") as pilot:
        assert pilot.app.screen.finding_list.region.width == 28  # as it was at 80


async def test_the_empty_entry_says_plainly_what_tags_and_people_do(unlocked, make_vault):
    """The empty editor ended '#tag @person work too.', which read as a fragment (work
    too at what?) to someone who had not met tags; it now says what happens to them."""
    make_vault()
    async with unlocked() as pilot:
        shown = " ".join(screen_text(pilot.app).split())
        assert "work too" not in shown
        assert "#tags and @people" in shown and "never names" in shown, shown
