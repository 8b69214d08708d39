"""Time, injected: the product uses SystemClock, tests pass a FixedClock."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    """Local wall-clock time, naive (the journal is about the user's own days)."""

    def now(self) -> datetime:
        return datetime.now()

    def today(self) -> date:
        return date.today()


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def today(self) -> date:
        return self.current.date()

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)
