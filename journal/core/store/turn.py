"""The vault's turn: its one SQLite connection serves one thread at a time.

The connection may be used from any thread (`schema.connect`: `check_same_thread=False`),
but a transaction belongs to the connection, not to a thread: a read snapshot one thread
began and a save another thread starts inside it become one transaction (the save a
savepoint nested in the read), and the read's COMMIT then ends the save's savepoint under
it ("no such savepoint"), or the save commits the other thread's half-done work. So every
use of the connection holds the vault's turn, a re-entrant lock, and the Vault takes it
itself, so no caller can forget it:

* each public method of the Vault that reaches the connection is `in_turn` (a test lists
  them: `tests/core/test_vault_turn.py`);
* whatever the Vault hands out that reads later holds only such a method, never the
  connection or a part: the index's word rows (read at the first word search, from the
  thread that runs it) come through `Vault._word_rows`, which is `in_turn` too.

A front end that uses the vault from several threads shares its own lock as the turn
(`Vault.share_turn`: the app's `vault_lock`), so holding that lock over several calls (a
save and the reads around it) keeps the turn between them, and a thread that forgets to
take it still waits for the turn on each call. A call after the vault was locked (closed)
raises `VaultLocked`, a one-line error, not a closed connection's traceback.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from journal.core.errors import VaultLocked

P = ParamSpec("P")
R = TypeVar("R")

#: What a call on a locked vault says.
LOCKED = "the journal was locked; unlock it and try again"


class Turn(Protocol):
    """A re-entrant lock (threading.RLock)."""

    def acquire(self, blocking: bool = ..., timeout: float = ...) -> bool: ...

    def release(self) -> None: ...

    def __enter__(self) -> bool: ...

    def __exit__(self, *exc: object) -> None: ...


class TakesTurns(Protocol):
    """An owner of one connection: its turn, and whether it is closed."""

    turn: Turn

    @property
    def closed(self) -> bool: ...


def in_turn(method: Callable[Concatenate[Any, P], R]) -> Callable[Concatenate[Any, P], R]:
    """`method` run holding its owner's turn, and refused (`VaultLocked`) once the owner
    is closed."""

    @functools.wraps(method)
    def in_its_turn(self: TakesTurns, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.turn:
            if self.closed:
                raise VaultLocked(LOCKED)
            return method(self, *args, **kwargs)

    in_its_turn.takes_turn = True  # type: ignore[attr-defined]
    return in_its_turn


class HeldTurn:
    """A re-entrant lock, the turn a front end shares (`Vault.share_turn`), that knows
    whether the calling thread holds it (`held_here`): a front end can then refuse what
    must never happen inside a turn (the app: a worker waiting for the UI thread, which
    may itself be waiting for this turn)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._holder: int | None = None
        self._depth = 0

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if not self._lock.acquire(blocking, timeout):
            return False
        self._holder = threading.get_ident()
        self._depth += 1
        return True

    def release(self) -> None:
        if self._holder != threading.get_ident():
            raise RuntimeError("cannot release a turn this thread does not hold")
        self._depth -= 1
        if not self._depth:
            self._holder = None
        self._lock.release()

    def held_here(self) -> bool:
        """True when the calling thread holds the turn (only it can have set itself as
        the holder, so no other thread's change can make this wrong)."""
        return self._holder == threading.get_ident()

    #: RLock's own name for it (threading.Condition asks for it; so do tests written
    #: against the app's lock when it was a plain RLock).
    _is_owned = held_here

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
