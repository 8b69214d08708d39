"""The app's time from unlock to the first painted list, headless, in a fresh process:

  python -m bench.app_probe VAULT [--reflect]   (JOURNAL_PASSPHRASE, JOURNAL_CONFIG_DIR from
                                                 the env)

Builds the app with journal.ui.app.make_app, runs it under `app.run_test()`, types the
passphrase into the unlock screen and presses Enter (t0), waits until the vault is open
(unlocked), then goes to Browse (F3) and waits until the entry list holds rows and a refresh
has been processed (painted). Prints JSON: seconds from t0 to each point. With --reflect,
then presses F4 and adds `reflect`: seconds from F4 until the Reflect screen's default
range (the last 4 weeks) has its report and a refresh has been processed.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path

from bench import measure
from bench.polling import until

TIMEOUT = float(os.environ.get("BENCH_APP_TIMEOUT", "120"))


_until = partial(until, timeout=TIMEOUT)


async def _probe(vault_dir: Path, reflect: bool = False) -> dict[str, float | int]:
    from textual.widgets import Input

    from journal import paths as paths_mod
    from journal.core.clock import SystemClock
    from journal.settings import Settings
    from journal.ui.app import make_app

    t_start = time.perf_counter()
    app = make_app(paths=paths_mod.resolve(vault_dir), settings=Settings(),
                   clock=SystemClock())
    out: dict[str, float | int] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(lambda: isinstance(app.focused, Input) and app.focused.id == "passphrase",
                     "the unlock screen")
        await pilot.pause()
        out["app_start"] = time.perf_counter() - t_start
        field = app.screen.query_one("#passphrase", Input)
        field.value = os.environ["JOURNAL_PASSPHRASE"]
        await pilot.pause()
        if field.value != os.environ["JOURNAL_PASSPHRASE"]:
            raise RuntimeError("the passphrase field was cleared before Enter")
        t0 = time.perf_counter()
        await pilot.press("enter")
        await _until(lambda: getattr(app, "vault", None) is not None, "the vault to open")
        out["unlocked"] = time.perf_counter() - t0
        await _until(lambda: not app.screen.query("#passphrase"), "the first screen after unlock")
        await pilot.pause()
        out["first_screen"] = time.perf_counter() - t0
        await pilot.press("f3")

        def rows() -> int:
            found = app.screen.query("#browse-list")
            if not found:
                return 0
            widget = found.first()
            return getattr(widget, "option_count", 0)

        await _until(lambda: rows() > 0, "the browse list to show rows")
        await pilot.pause()
        out["first_list"] = time.perf_counter() - t0
        out["rows"] = rows()
        if reflect:
            t1 = time.perf_counter()
            await pilot.press("f4")
            await _until(lambda: getattr(app.screen, "report", None) is not None,
                         "the reflection's report")
            await pilot.pause()
            out["reflect"] = time.perf_counter() - t1
    return out


def main(argv: list[str]) -> None:
    result = asyncio.run(_probe(Path(argv[0]), reflect="--reflect" in argv[1:]))
    print(json.dumps(result))


def measure_app(vault_dir: Path, runs: int, env: dict[str, str]) -> dict:
    """`runs` fresh processes after one warm-up; medians of each point, max peak RSS."""
    figures: list[dict] = []
    peaks: list[float] = []
    for i in range(runs + 1):
        run = measure.run_once([sys.executable, "-m", "bench.app_probe", str(vault_dir)], env=env)
        if run.returncode != 0:
            tail = run.output.decode("utf-8", "replace").strip().splitlines()[-3:]
            if any("TimeoutError" in line for line in tail):
                limit = float(env.get("BENCH_APP_TIMEOUT", TIMEOUT))
                return {"error": f"> {limit:.0f} s (stopped): {tail[-1][:120]}"}
            return {"error": f"app probe failed: {' | '.join(tail)[:200]}"}
        figure = json.loads(run.output.decode().strip().splitlines()[-1])
        if i == 0 and run.seconds <= measure.SLOW:
            continue  # warm-up
        figures.append(figure)
        peaks.append(run.maxrss_mb)
        if i == 0:
            break  # a slow app: its one run is the figure
    values = [f["first_list"] for f in figures]
    return {
        "median": statistics.median(values), "min": min(values), "max": max(values),
        "maxrss_mb": max(peaks),
        "unlocked": statistics.median(f["unlocked"] for f in figures),
        "first_screen": statistics.median(f["first_screen"] for f in figures),
        "app_start": statistics.median(f["app_start"] for f in figures),
        "rows": figures[-1]["rows"], "runs": figures,
    }


if __name__ == "__main__":
    main(sys.argv[1:])
