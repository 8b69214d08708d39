"""Time, injected: the product uses SystemClock, tests pass a FixedClock."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Protocol

#: Where a Unix system says its zone: a link into the zone database, and Debian's name file.
LOCALTIME = Path("/etc/localtime")
TIMEZONE_FILE = Path("/etc/timezone")


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
        """The computer's local zone, with its rules (`local_zone`)."""
        return local_zone()


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


def local_zone(environ: Mapping[str, str] | None = None, localtime: Path = LOCALTIME,
               timezone_file: Path = TIMEZONE_FILE, now: datetime | None = None) -> tzinfo:
    """The computer's zone with its summer-time rules, so each date gets the offset it had:
    the zone database's zone that `TZ` names, else the one `/etc/localtime` links to (or
    `/etc/timezone` names), else `/etc/localtime`'s rules without a name. A zone that does
    not give the C library's offset now (a POSIX `TZ` rule such as `CET-1CEST`, a system
    that says nothing) is not trusted: then only the offset now, as `astimezone()` gives it.
    `now` (aware): the C library's local time now, injected by tests."""
    now = now or datetime.now().astimezone()
    assert now.tzinfo is not None  # astimezone() always gives an aware time
    for zone in _candidates(os.environ if environ is None else environ, localtime,
                            timezone_file):
        if zone is not None and now.astimezone(zone).utcoffset() == now.utcoffset():
            return zone
    return now.tzinfo


def _candidates(environ: Mapping[str, str], localtime: Path, timezone_file: Path):
    """The zones the system may mean, most explicit first (None: not this one)."""
    told = environ.get("TZ")
    if told is not None:
        told = told.removeprefix(":")
        yield _zone_at(Path(told)) if told.startswith("/") else _named(told)
        return  # TZ decides, even when it is a rule the zone database has no name for
    try:
        yield _zone_at(localtime.resolve(strict=True)) if localtime.is_symlink() else None
    except OSError:
        pass
    try:
        yield _named(timezone_file.read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError):
        pass
    yield _from_file(localtime)


def _named(key: str) -> tzinfo | None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(key) if key else None
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _zone_at(path: Path) -> tzinfo | None:
    """The zone of a file in a zone database (`.../zoneinfo/Europe/London`): by its name
    when the database knows it, else its rules only."""
    parts = path.parts
    if "zoneinfo" in parts:
        found = _named("/".join(parts[len(parts) - parts[::-1].index("zoneinfo"):]))
        if found is not None:
            return found
    return _from_file(path)


def _from_file(path: Path) -> tzinfo | None:
    from zoneinfo import ZoneInfo

    try:
        with open(path, "rb") as handle:
            return ZoneInfo.from_file(handle)
    except (OSError, ValueError):
        return None
