"""In the app, what a user (or an imported file) wrote is shown as text, never obeyed:
Textual markup such as `[@click=app.quit]` or `[bold red]` in a body, tag, person or note
renders literally and carries no action, and control characters / escape sequences never
reach the terminal raw. Checked on the write, browse and reflect screens, on every
segment the compositor would send to the terminal."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from faultkit import ESCAPES, PASSPHRASE, RAW_CONTROL
from textual.widgets import Input, TextArea

from journal.core.clock import FixedClock
from journal.core.demo import generate_year
from journal.core.model.entries import Entry, Moment
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault
from journal.paths import Paths
from journal.settings import Settings
from journal.ui.app import make_app

TODAY = date(2026, 11, 25)
CLICK_TAG = "[@click=app.quit]boom[/]"
BOLD_PERSON = "[bold-red]loud[/]"
BODY = ("[bold red]NOT BOLD[/] and [@click=app.quit]quit[/] and [link=https://evil.example]"
        "l[/link] " + " ".join(ESCAPES.values()))
#: Actions user text must never carry. (A URL written in the body becomes a Markdown link in
#: the preview, which is a feature: the preview is built with open_links=False.)
ACTIONS = re.compile(r"^(?!link\().*(quit|bell|evil)", re.I)


def _hostile_year() -> list[Entry]:
    """The demo year, with its most telling trigger tag and person renamed to markup, so
    reflection's summaries (shown on the reflect screen) quote them."""
    entries = generate_year(TODAY, seed=7)
    for entry in entries:
        for moment in entry.moments:
            moment.tags = [CLICK_TAG if t == "safeguarding" else t for t in moment.tags]
            moment.people = [BOLD_PERSON if p == "young-dad" else p for p in moment.people]
    entries = [e for e in entries if e.date != TODAY]
    entries.append(Entry(date=TODAY, body=BODY, moments=[
        Moment("contagion", 8, "work", tags=[CLICK_TAG, "x\x1b[31m"], people=[BOLD_PERSON],
               note="[@click=app.quit]note[/] \x1b]52;c;AAAA\x07")]))
    return entries


def _painted(app) -> tuple[str, list[str]]:
    """The screen's text as the compositor would send it, and every @click action in it."""
    text, actions = [], []
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            text.append(segment.text)
            meta = segment.style.meta if segment.style else None
            click = str(meta.get("@click", "")) if meta else ""
            if click and ACTIONS.search(click):
                actions.append(click)
        text.append("\n")
    return "".join(text), actions


@pytest.fixture
def hostile_app(tmp_path):
    paths = Paths(vault=tmp_path / "vault", config_dir=tmp_path / "config")
    clock = FixedClock(datetime(2026, 11, 25, 21, 30))
    vault, _ = Vault.create(paths.vault, PASSPHRASE, kdf=KdfParams.fast_for_tests(),
                            clock=clock)
    vault.put_many(_hostile_year())
    vault.close()
    return make_app(paths=paths, settings=Settings(), clock=clock,
                    kdf=KdfParams.fast_for_tests(), allow_weak=True)


async def _settle(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def _show(pilot, screen: str) -> None:
    """Unlock, then go to `screen` with today's hostile entry (or finding) on view."""
    app = pilot.app
    await pilot.pause()
    app.screen.query_one("#passphrase", Input).value = PASSPHRASE
    await pilot.press("enter")
    await _settle(pilot)
    assert app.screen.query_one("#editor", TextArea).text == BODY  # stored exactly
    if screen == "browse":
        await pilot.press("f3")
        await _settle(pilot)
        await pilot.pause(0.2)  # the preview follows the highlight after a short delay
        await _settle(pilot)
    elif screen == "reflect":
        await pilot.press("f4")
        await _settle(pilot)
        app.screen.action_range("year")
        await _settle(pilot)
        findings = app.screen.finding_list
        kinds = [f.get("kind") for f in findings.findings]
        findings.highlighted = kinds.index("triggers")
        await _settle(pilot)
        assert CLICK_TAG in findings.highlighted_finding["summary"]  # it is quoted


#: What each screen must show literally (proof the hostile text is on view).
LITERAL = {"write": ["#[@click=app.quit]boom[/]", "@[bold-red]loud[/]", "[bold red]NOT BOLD"],
           "browse": ["[bold red]NOT BOLD[/]", "[@click=app.quit]quit[/]"],
           "reflect": ["[@click=app.quit]boom"]}


@pytest.mark.parametrize("screen", ["write", "browse", "reflect"])
async def test_markup_in_user_text_is_shown_literally_and_never_acts(hostile_app, screen):
    async with hostile_app.run_test(size=(140, 45)) as pilot:
        await _show(pilot, screen)
        painted, actions = _painted(hostile_app)
        assert actions == [], f"{screen}: user text became actions {actions}"
        for literal in LITERAL[screen]:
            assert literal in painted, (screen, literal)
        assert hostile_app.is_running


@pytest.mark.parametrize("screen", ["write", "browse", "reflect"])
async def test_no_raw_control_character_is_painted(hostile_app, screen):
    """Textual itself strips only BEL, BS, VT, FF and CR: ESC, the rest of C0 and C1 pass
    to the terminal unless the app makes them visible (journal.core.textsafe)."""
    async with hostile_app.run_test(size=(140, 45)) as pilot:
        await _show(pilot, screen)
        painted, _ = _painted(hostile_app)
        rows = [repr(line[:100]) for line in painted.splitlines() if RAW_CONTROL.search(line)]
        assert rows == [], f"{screen}: raw controls painted in rows:\n" + "\n".join(rows)
