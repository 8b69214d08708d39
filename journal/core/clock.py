"""Time, injected: the product uses SystemClock, tests pass a FixedClock."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...

    def zone(self) -> tzinfo:
        """The zone `now()`'s local times are in (for exports that must name it)."""
        ...


class SystemClock:
    """Local wall-clock time, naive (the journal is about the user's own days)."""

    def now(self) -> datetime:
        return datetime.now()

    def today(self) -> date:
        return date.today()

    def zone(self) -> tzinfo:
        """The computer's local zone as its offset now (`astimezone`: the C library's
        rules, no zone database): a fixed offset, which has no IANA name of its own."""
        zone = datetime.now().astimezone().tzinfo
        assert zone is not None  # astimezone() always gives an aware time
        return zone


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime, zone: tzinfo | None = None) -> None:
        self.current = start
        self._zone = zone

    def now(self) -> datetime:
        return self.current

    def today(self) -> date:
        return self.current.date()

    def zone(self) -> tzinfo:
        """The zone given, else the computer's, as SystemClock says it."""
        return self._zone or SystemClock().zone()

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)
