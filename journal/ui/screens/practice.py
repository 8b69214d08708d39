"""The practice toward concern in the app (issue 17): the steps of
journal.core.care.practice_script.SCRIPT one page at a time, each skippable, the two 0-10
ratings, and an optional calm timer (1-5 minutes) with a quiet visual and no sound, read
against the app's injected clock. Dismisses with the Practice to keep, or None."""

from __future__ import annotations

import textwrap
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Static

from journal.core.care.practice_script import (
    INTRO,
    SCRIPT,
    TIMER_MINUTES,
    TIMER_TEXT,
    TITLE,
    CalmTimer,
    PracticeRun,
)
from journal.core.model.practice import Practice
from journal.core.textsafe import for_markup
from journal.ui.widgets.choice import ScaleChoice

_BAR = 24  # cells of the timer's breathing line at its fullest
_BOX = 76  # the box's CSS width (at most the screen's); its text is 6 cells narrower
_STEP_KEYS = "[b]enter[/] next   [b]s[/] skip this step   [b]esc[/] stop (what you took is kept)"
_INTRO_KEYS = ("[b]enter[/] begin   [b]esc[/] not now\n"
               f"[b]{TIMER_MINUTES[0]}-{TIMER_MINUTES[-1]}[/] a calm timer of that many "
               "minutes first")


def without_widows(text: str, width: int, tail: int = 16) -> str:
    """Each line of `text` wrapped into `width` cells, but never with a last row of one or
    two words ('out.', 'as it gets.'): the row before gives some of its words up instead."""
    if width < 3 * tail:
        return text
    out = []
    for line in text.split("\n"):
        rows = textwrap.wrap(line, width) or [""]
        narrower = width
        while len(rows) > 1 and len(rows[-1]) < tail and narrower > width * 3 // 4:
            narrower -= 1
            tried = textwrap.wrap(line, narrower)
            if len(tried) == len(rows):
                rows = tried
        out.extend(rows)
    return "\n".join(out)


class PracticeScreen(ModalScreen[Practice | None]):
    """Pages: the intro (-1), then each step of SCRIPT; the timer can run from the intro."""

    DEFAULT_CSS = """
    PracticeScreen { align: center middle; }
    PracticeScreen > #practice-box {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 1 2;
    }
    PracticeScreen #practice-step { color: $primary; text-style: bold; height: auto;
                                    margin-bottom: 1; }
    PracticeScreen #practice-text { height: auto; margin-bottom: 1; }
    PracticeScreen #practice-question { height: auto; color: $text-muted; }
    PracticeScreen ScaleChoice { margin-bottom: 1; }
    PracticeScreen #practice-breath { height: 1; width: 100%; content-align: center middle;
                                      color: $text-muted; }
    PracticeScreen #practice-keys { height: auto; color: $text-muted; }
    """
    AUTO_FOCUS = ""  # the rating takes focus only on a step that asks for one
    BINDINGS = [
        Binding("enter", "next", "Next", id="practice.next", show=False),
        Binding("s", "skip", "Skip", id="practice.skip", show=False),
        Binding("escape", "stop", "Stop", id="practice.stop", show=False),
    ]

    def __init__(self, moment_id: str | None = None) -> None:
        super().__init__()
        self.moment_id = moment_id
        """The moment the practice follows (None: the day's latest contagion moment)."""
        self.kept = False
        """Set when what was taken has been kept already (the app locked meanwhile)."""
        self.run = PracticeRun()
        self.page = -1
        self.timer: CalmTimer | None = None
        self._ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="practice-box") as box:
            box.border_title = TITLE
            yield Static(id="practice-step")
            yield Static(id="practice-text")
            yield Static(id="practice-question")
            yield ScaleChoice(id="practice-rating")
            yield Static(id="practice-breath")
            yield Static(id="practice-keys")

    def on_mount(self) -> None:
        self._show()

    # -- pages -----------------------------------------------------------------------------
    def _show(self) -> None:
        rating = self.query_one(ScaleChoice)
        breath = self.query_one("#practice-breath", Static)
        breath.display = self.timer is not None
        question = self.query_one("#practice-question", Static)
        if self.timer is not None:
            self._set("", TIMER_TEXT, "", "")
            rating.display = question.display = False
            self.set_focus(None)
            self._tick()
            return
        if self.page < 0:
            self._set("", INTRO, "", _INTRO_KEYS)
            rating.display = question.display = False
            self.set_focus(None)
            return
        step = SCRIPT[self.page]
        last = self.page == len(SCRIPT) - 1  # enter ends it there: no step follows
        self._set(f"{self.page + 1} of {len(SCRIPT)} · {step.title}", "\n".join(step.lines),
                  step.rating or "", _STEP_KEYS.replace(" next ", " finish ") if last
                  else _STEP_KEYS)
        rating.display = question.display = step.rating is not None
        rating.value = None
        if step.rating:
            rating.focus()
        else:
            self.set_focus(None)

    def _set(self, step: str, text: str, question: str, keys: str) -> None:
        heading = self.query_one("#practice-step", Static)
        heading.update(for_markup(step))
        heading.display = bool(step)  # no empty line above the intro and the timer
        width = min(_BOX, self.app.size.width) - 6
        self.query_one("#practice-text", Static).update(for_markup(without_widows(text, width)))
        self.query_one("#practice-question", Static).update(
            for_markup(without_widows(question, width)))
        hint = self.query_one("#practice-keys", Static)
        hint.update(keys)
        hint.display = bool(keys)  # nor an empty line under the timer's breath

    def on_resize(self) -> None:
        if self.timer is None:  # the timer redraws itself four times a second
            self._show()

    @property
    def step_name(self) -> str | None:
        """The step shown now (None on the intro or the timer)."""
        return SCRIPT[self.page].name if self.page >= 0 and self.timer is None else None

    def _advance(self) -> None:
        self.page += 1
        if self.page >= len(SCRIPT):
            self.dismiss(self.run.result())
        else:
            self._show()

    # -- keys ------------------------------------------------------------------------------
    def action_next(self) -> None:
        if self.timer is not None:
            self._end_timer()
            return
        if self.page >= 0:
            step = SCRIPT[self.page]
            self.run.take(step, self.query_one(ScaleChoice).value if step.rating else None)
        self._advance()

    def action_skip(self) -> None:
        if self.timer is not None:
            self._end_timer()
        elif self.page >= 0:
            self._advance()

    def action_stop(self) -> None:
        if self.timer is not None:
            self._end_timer()
            return
        self.dismiss(self.run.result())

    def on_key(self, event: events.Key) -> None:
        if self.timer is not None:  # any key ends the calm timer
            event.stop()
            event.prevent_default()
            self._end_timer()
        elif self.page < 0 and event.character and event.character.isdigit() and (
                int(event.character) in TIMER_MINUTES):
            event.stop()
            self.start_timer(int(event.character))

    # -- the calm timer --------------------------------------------------------------------
    def start_timer(self, minutes: int) -> None:
        self.timer = CalmTimer(self.app.clock.now(), minutes)  # type: ignore[attr-defined]
        self._ticker = self.set_interval(0.25, self._tick)
        self._show()

    def _tick(self) -> None:
        timer = self.timer
        if timer is None:
            return
        now: Any = self.app.clock.now()  # type: ignore[attr-defined]
        if timer.done(now):
            self._end_timer()
            return
        cells = max(1, round(timer.breath(now) * _BAR))
        left = int(timer.remaining(now).total_seconds())
        self.query_one("#practice-breath", Static).update("·" * cells)
        heading = self.query_one("#practice-step", Static)
        heading.update(f"calm timer · {left // 60}:{left % 60:02d}")
        heading.display = True

    def _end_timer(self) -> None:
        timer, self.timer = self.timer, None
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if timer is not None:
            now = self.app.clock.now()  # type: ignore[attr-defined]
            self.run.timed(timer.elapsed_minutes(now))
        self.page = 0
        self._show()
