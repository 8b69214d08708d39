"""The support-resources screen: one key away from anywhere, with the crisis lines."""

from __future__ import annotations

import pytest

from journal.ui.screens.browse import BrowseScreen
from journal.ui.screens.support import NO_ONE_WATCHES, SUPPORT_TEXT, SupportScreen
from tests.ui.host import HostApp, MemoryVault, screen_text, settle


@pytest.mark.parametrize("start", ["browse", "reflect"])
async def test_f9_opens_the_resources_from_any_screen(start):
    app = HostApp(MemoryVault([]), start=start)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, SupportScreen)
        text = screen_text(app)
        for needle in ("988", "116 123", "findahelpline.com", "local emergency number",
                       "This app cannot contact anyone and no one monitors your entries."):
            assert needle in text, needle
        await pilot.press("escape")
        assert not isinstance(app.screen, SupportScreen)


async def test_close_button_and_no_diagnosis_words():
    app = HostApp(MemoryVault([]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await pilot.pause()
        await pilot.click("#support-close")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
    lowered = (SUPPORT_TEXT + NO_ONE_WATCHES).lower()
    for word in ("burnout", "compassion fatigue", "ptsd", "you have"):
        assert word not in lowered
