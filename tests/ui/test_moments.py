"""Adding a moment in a few keys, editing it, removing it; completion from earlier tags."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input

from journal.core.model.entries import Entry, Moment
from journal.ui.widgets.moment_form import MomentForm, parse_time
from journal.ui.widgets.suggest import LastItemSuggester, split_labels

from .conftest import TODAY, open_vault, settle


async def test_add_edit_remove_a_moment(unlocked, make_vault, paths):
    make_vault()
    async with unlocked() as pilot:
        app = pilot.app
        # ctrl+n, kind, intensity, context: four keys, then the tags, then Enter
        await pilot.press("ctrl+n", "c", "7", "w")
        assert isinstance(app.screen, MomentForm)
        assert app.focused.id == "tags"
        await pilot.press(*"death, yelling", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, MomentForm)
        with open_vault(paths.vault) as vault:
            [moment] = vault.get_by_date(TODAY).moments
        assert (moment.kind, moment.intensity, moment.context) == ("contagion", 7, "work")
        assert moment.tags == ["death", "yelling"]

        # edit: from the list, enter opens the form on that moment
        await pilot.press("ctrl+t", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MomentForm)
        kind = app.screen.query_one("#kind")
        kind.focus()
        await pilot.press("k", "1", "0")  # concern, intensity 10
        await pilot.press("enter")
        await settle(pilot)
        with open_vault(paths.vault) as vault:
            [edited] = vault.get_by_date(TODAY).moments
        assert (edited.id, edited.kind, edited.intensity) == (moment.id, "concern", 10)

        # remove: x asks first
        await pilot.press("ctrl+t", "x")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.moments == []
        with open_vault(paths.vault) as vault:
            assert vault.get_by_date(TODAY).moments == []


async def test_moment_form_refuses_until_kind_and_intensity_are_set(unlocked, make_vault):
    make_vault()
    async with unlocked() as pilot:
        app = pilot.app
        await pilot.press("ctrl+n", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MomentForm)
        assert app.focused.id == "kind"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, MomentForm)
        assert app.screen.moments == []


async def test_tags_complete_from_earlier_entries(unlocked, make_vault):
    earlier = Entry(date=date(2026, 11, 20), moments=[
        Moment(kind="concern", intensity=4, context="work", tags=["handover"])])
    make_vault([earlier])
    async with unlocked() as pilot:
        app = pilot.app
        await pilot.press("ctrl+n", "k", "4", "w", *"han")
        await pilot.pause()
        await pilot.press("right")  # accept the suggestion
        assert app.screen.query_one("#tags", Input).value == "handover"


async def test_last_item_suggester():
    suggester = LastItemSuggester(["death", "deadline", "yelling"])
    assert await suggester.get_suggestion("yelling, dea") == "yelling, deadline"
    assert await suggester.get_suggestion("#dea") in ("#deadline", "#death")
    assert await suggester.get_suggestion("deadline, ") is None
    assert split_labels("#Death,  Sam Smith ,,death") == ["death", "sam-smith"]


def test_parse_time():
    assert parse_time("2110") == "21:10"
    assert parse_time("9:05") == "09:05"
    assert parse_time("") is None
    for bad in ("25:00", "12:75", "abc"):
        try:
            parse_time(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


async def test_keys_typed_faster_than_focus_moves_are_not_lost(unlocked, make_vault):
    """ctrl+n c 7 w arriving in one burst (a fast typist, or a paste) still fills the
    kind, intensity and context fields in turn, and the rest goes to the tags."""
    from textual import events

    make_vault()
    async with unlocked() as pilot:
        app = pilot.app
        for key in ["ctrl+n", "c", "7", "w", "f", "a", "m"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, MomentForm)
        assert form.query_one("#kind").value == "contagion"
        assert form.query_one("#intensity").value == 7
        assert form.query_one("#context").value == "work"
        assert form.query_one("#tags", Input).value == "fam"
