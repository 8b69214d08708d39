"""The wait after wrong tries on a screen that asks for a secret (the unlock and recovery
screens): no try is taken while it runs, and it says how long is left."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from math import ceil
from time import monotonic

from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Input

#: How often the seconds left are shown again.
HOLD_TICK = 0.25


class TryPause:
    """No tries for a number of seconds: each wrong secret costs a guesser more time. Ends
    when the injected clock says the wait is over, and at the latest after the seconds of
    real time (a wall clock set back does not stretch it). While it runs, the screen's
    inputs and its #go button are disabled; `show(seconds_left)` is called at its start and
    at each tick, and `over()` once at the end."""

    def __init__(self, screen: Screen, now: Callable[[], datetime],
                 show: Callable[[int], None], over: Callable[[], None]) -> None:
        self._screen = screen
        self._now = now  # the injected clock's
        self._show = show
        self._over = over
        self.held = False
        """True while the pause runs: no try is taken."""
        self._ends = 0.0  # monotonic
        self._until: datetime | None = None  # on the injected clock

    def start(self, seconds: int) -> None:
        self._show(seconds)
        ends = monotonic() + seconds
        until = self._now() + timedelta(seconds=seconds)
        if self.held:  # earned again (shown again after a lock) while the pause runs
            self._ends = max(self._ends, ends)
            self._until = max(self._until or until, until)
            return
        self.held = True
        self._ends, self._until = ends, until
        self._enable(False)
        timer = self._screen.set_interval(HOLD_TICK, lambda: self._tick(timer))

    def _enable(self, enabled: bool) -> None:
        for widget in (*self._screen.query(Input), self._screen.query_one("#go", Button)):
            widget.disabled = not enabled

    def _tick(self, timer: Timer) -> None:
        assert self._until is not None
        left = min(self._ends - monotonic(), (self._until - self._now()).total_seconds())
        if left > 0:
            self._show(ceil(left))
            return
        timer.stop()
        self.held = False
        self._enable(True)
        self._over()
