"""A key worker's failure as the one line the unlock and recovery screens show."""

from __future__ import annotations

from journal.core.errors import JournalError


def as_journal_error(exc: Exception) -> JournalError:
    """A worker's failure as one line for the unlock screen: the project's own errors as
    they are, anything else (an OS error, a bug) named, never a silent hang."""
    if isinstance(exc, JournalError):
        return exc
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return JournalError(f"cannot use this place: {exc.strerror}{where}")
    return JournalError(f"something went wrong: {type(exc).__name__}: {exc}")
