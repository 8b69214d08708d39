"""In-process figures for the app after unlock (not a test; speed never goes into tests):

  python -m bench.app_first_paint VAULT [VAULT...]   (JOURNAL_PASSPHRASE from the env)

For each vault: builds the app (headless, `run_test`), types the passphrase, presses Enter
(t0) and records when the vault is open, when the first screen after unlock shows, and,
after F3, when the browse list holds rows and has been painted. Then it types a free-text
search and records when the first matches show and when the search is done, then clears
it and searches again (what the first search read is reused). Throughout, a ticker on the UI event
loop records the longest gap between ticks: the longest the UI thread was unresponsive.
Key derivation is timed on its own (Vault.open in this process) so it can be subtracted.

Build a vault quickly with the fast test KDF (never in product code):
  generate(n_entries=N, seed=7) + Vault.create(dir, pw, kdf=KdfParams.fast_for_tests())
  + put_many in chunks of 2,000. `allow_weak=True` is passed to the app for such vaults.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from bench.polling import until

TIMEOUT = 300.0
SEARCH = "printer"  # a word of some bodies only (journal.core.demo)


_until = partial(until, timeout=TIMEOUT)


class _LagMeter:
    """Largest gap between ticks of a 10 ms ticker on the UI loop (seconds)."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.where = ""
        self.phase = ""
        self._task: asyncio.Task | None = None

    async def _tick(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            if now - last - 0.01 > self.worst:
                self.worst, self.where = now - last - 0.01, self.phase
            last = now

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._tick())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


async def probe(vault_dir: Path, passphrase: str) -> dict[str, float | int | str]:
    from textual.widgets import Input

    from journal import paths as paths_mod
    from journal.core.clock import SystemClock
    from journal.core.store.vault import Vault
    from journal.settings import Settings
    from journal.ui.app import make_app

    t = time.perf_counter()
    Vault.open(vault_dir, passphrase, allow_weak=True).close()
    out: dict[str, float | int | str] = {"open_vault": time.perf_counter() - t}
    config = tempfile.mkdtemp(prefix="first-paint-config-")
    paths = paths_mod.resolve(vault_dir, env={"JOURNAL_CONFIG_DIR": config})
    app = make_app(paths=paths, settings=Settings(), clock=SystemClock(), allow_weak=True)
    lag = _LagMeter()
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(lambda: isinstance(app.focused, Input) and app.focused.id == "passphrase",
                     "the unlock screen")
        app.screen.query_one("#passphrase", Input).value = passphrase
        await pilot.pause()
        lag.start()
        lag.phase = "unlock"
        t0 = time.perf_counter()
        await pilot.press("enter")
        await _until(lambda: app.vault is not None, "the vault to open")
        out["unlocked"] = time.perf_counter() - t0
        await _until(lambda: not app.screen.query("#passphrase"), "the first screen")
        await pilot.pause()
        out["first_screen"] = time.perf_counter() - t0
        lag.phase = "browse"
        await pilot.press("f3")

        def rows() -> int:
            found = app.screen.query("#browse-list")
            widget = found.first() if found else None
            return getattr(widget, "option_count", 0)

        await _until(lambda: rows() > 0, "the browse list")
        await pilot.pause()
        out["first_list"] = time.perf_counter() - t0
        out["rows"] = rows()
        total = rows()
        lag.phase = "search"
        t1 = time.perf_counter()
        await pilot.press("slash", *SEARCH)
        await _until(lambda: 0 < rows() < total, "the first search results")
        out["search_first_matches"] = time.perf_counter() - t1

        def hint() -> str:
            return str(app.screen.query_one("#filter-hint").render())

        await _until(lambda: "match" in hint() and "Searching" not in hint(), "the search")
        await pilot.pause()
        out["search_done"] = time.perf_counter() - t1
        out["matches"] = rows()
        lag.phase = "search again"
        t1 = time.perf_counter()
        await pilot.press("escape", "escape")
        await _until(lambda: rows() == total, "the cleared search")
        await pilot.press("slash", *SEARCH)
        await _until(lambda: 0 < rows() < total and "Searching" not in hint(), "a second search")
        await pilot.pause()
        out["search_again_done"] = time.perf_counter() - t1
        lag.phase = "idle"
        await pilot.pause(1.0)
        lag.stop()
    out["worst_ui_stall"] = lag.worst
    out["worst_ui_stall_during"] = lag.where
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main(argv: list[str]) -> None:
    passphrase = os.environ.get("JOURNAL_PASSPHRASE", "bench passphrase here")
    for vault in argv:
        result = asyncio.run(probe(Path(vault), passphrase))
        print(json.dumps({"vault": vault, **{k: round(v, 3) if isinstance(v, float) else v
                                             for k, v in result.items()}}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
