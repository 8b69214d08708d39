"""When to save: a debounce driven by the injected clock, free of any UI.

The write screen calls `changed(now)` on every edit and asks `due(now)` from a short
interval timer; a save that fails (disk full, read-only) backs off before retrying.
Because time comes from the injected clock, tests drive it with `FixedClock.advance`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

#: Save this long after the last keystroke (the promise is "within 3 seconds of a pause").
DEFAULT_DELAY = timedelta(seconds=2)
#: After a failed save, wait this long before trying again.
DEFAULT_RETRY = timedelta(seconds=30)


@dataclass
class Debouncer:
    delay: timedelta = DEFAULT_DELAY
    retry: timedelta = DEFAULT_RETRY
    dirty: bool = False
    """Edits not yet saved."""
    last_change: datetime | None = None
    generation: int = 0
    """Bumped by every change: a save only clears `dirty` if nothing changed meanwhile."""
    retry_at: datetime | None = None
    paused: bool = False
    """Set while the user resolves a conflict: no automatic saves until it is cleared."""

    def changed(self, now: datetime) -> None:
        self.dirty = True
        self.last_change = now
        self.generation += 1

    def due(self, now: datetime) -> bool:
        if not self.dirty or self.paused or self.last_change is None:
            return False
        if self.retry_at is not None and now < self.retry_at:
            return False
        return now - self.last_change >= self.delay

    def saved(self, generation: int) -> None:
        """A save of the state at `generation` succeeded."""
        self.retry_at = None
        if generation == self.generation:
            self.dirty = False

    def failed(self, now: datetime) -> None:
        self.retry_at = now + self.retry

    def reset(self) -> None:
        """A different entry was loaded: nothing is pending."""
        self.dirty = False
        self.last_change = None
        self.retry_at = None
        self.paused = False
        self.generation += 1


@dataclass
class IdleTimer:
    """Auto-lock bookkeeping: idle since the last user input, by the injected clock."""

    minutes: int
    last_activity: datetime

    def touch(self, now: datetime) -> None:
        self.last_activity = now

    def expired(self, now: datetime) -> bool:
        return self.minutes > 0 and now - self.last_activity >= timedelta(minutes=self.minutes)
