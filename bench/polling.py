"""Waiting, inside a headless app run, for something the app does by itself (a worker's
result, a screen, a painted list): polled, with a deadline so a stuck probe fails."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


async def until(check: Callable[[], bool], what: str, *, timeout: float,
                step: float = 0.002) -> None:
    """Return once `check()` is true, polling every `step` seconds; TimeoutError naming
    `what` after `timeout` seconds."""
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(step)
