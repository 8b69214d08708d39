"""What a thread worker hands the UI thread: handed over, never waited for.

A worker that waited for the UI thread (Textual's `App.call_from_thread` waits for the
callback's result) while it held the vault's turn would hang the app for good the moment
the UI thread waited for that turn: a lock (ctrl+l, auto-lock), a save, a day read. So:

* a worker hands the UI thread its progress and results with `to_ui`, which posts them
  on the app's message queue (Textual's `call_later`, thread-safe: `post_message`) in
  the order handed and returns at once, inside the turn or not; each runs on the UI
  thread when it is free, so one that touches a screen first asks whether the screen is
  still there (a lock may have closed it meanwhile);
* a worker names the app it was started from (`to_ui(app, ...)`), never a screen's
  `self.app`, which a worker thread finds only through the screen's place on the app
  (gone once a lock closed the screen);
* the app's own `call_from_thread` refuses a thread that holds the turn
  (`refuse_in_turn`: the app's `vault_lock` is a `HeldTurn`, it knows its holder), so a
  new waiting call inside a turn fails at once in a test instead of hanging a person's
  app; `tests/ui/test_worker_turns.py` lists every `call_from_thread` in the program.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

#: What `refuse_in_turn` says.
WAITS_IN_TURN = ("this thread holds the vault's turn and would wait for the UI thread, "
                 "which may be waiting for that turn: hand it over with ui_thread.to_ui")


def to_ui(app: Any, callback: Callable[..., object], *args: Any) -> None:
    """Run `callback(*args)` on `app`'s UI thread: now when called there, else posted
    after what this thread handed over before, without waiting. Dropped once the app is
    closing (nobody is left to see it)."""
    if threading.current_thread() is threading.main_thread():
        callback(*args)
    else:
        app.call_later(callback, *args)


def refuse_in_turn(app: Any) -> None:
    """Raise RuntimeError when the calling thread holds `app`'s vault turn: whatever it
    was about to do waits for the UI thread."""
    held_here = getattr(app.vault_lock, "held_here", None)
    if held_here is not None and held_here():
        raise RuntimeError(WAITS_IN_TURN)
