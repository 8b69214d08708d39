"""Keys land where they would at human speed, however fast they come.

Textual hands each key to the widget focused when the app reads it, and each widget reads
its own queue. So a key read by the app (a priority binding: Tab, Ctrl+S, Ctrl+Q, Ctrl+L)
can act before the letters typed just ahead of it have reached their field: Ctrl+S would
save a field without its last letters. `typed_in` waits until every given widget has
taken the keys already queued for it (a callback queued behind them), with a time limit
so a stuck widget can never hang the app.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from textual.widget import Widget

#: Seconds to wait for the fields at most (their queues take microseconds).
LIMIT = 1.0


async def typed_in(widgets: Iterable[Widget], limit: float = LIMIT) -> None:
    """Return once each widget has handled every message queued for it before this call."""
    loop = asyncio.get_running_loop()
    waiting = []
    for widget in widgets:
        if not widget.is_attached:
            continue
        done = loop.create_future()

        def mark(future: asyncio.Future[None] = done) -> None:
            if not future.done():
                future.set_result(None)

        if widget.call_later(mark):
            waiting.append(done)
    if waiting:
        await asyncio.wait(waiting, timeout=limit)
