"""An import of N entries in the app, headless, in a fresh process: its wall time, CPU time
and peak RSS (issue 19, target 1: the app's Import dialog streams like the CLI).

  python -m bench.app_import [--size 50000]

A JSON export of N generated entries (the bench's entries) and a new, empty vault with the
production KDF are made in a temporary directory; then a child process builds the app
(journal.ui.app.make_app) under `app.run_test()`, unlocks it, opens the Import dialog, types
the export's path, presses Enter (the check, then the dry run) and `y` (the import), and
waits for the "Imported" notice. Two peaks: the child's whole peak RSS (GNU time: the key
derivation's 128 MiB at unlock is usually it), and the peak from the Enter that starts the
import to its notice (`import_peak_mb`: VmHWM restarted after the unlock;
`import_rss_sampled_mb`: the largest VmRSS sampled every 20 ms meanwhile), beside the RSS
just before it (`rss_unlocked_mb`).

  python -m bench.app_import --child VAULT EXPORT      (the child, JOURNAL_PASSPHRASE set)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

from bench.polling import until

TIMEOUT = float(os.environ.get("BENCH_APP_TIMEOUT", "600"))


_until = partial(until, timeout=TIMEOUT, step=0.01)


def _status_mb(field: str) -> float:
    """A figure of /proc/self/status (VmRSS: now; VmHWM: the peak), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> bool:
    """Start the peak RSS (VmHWM) again from now (Linux: clear_refs 5), so the key
    derivation's 128 MiB at unlock does not hide what the import itself holds."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class _Sampler:
    """The largest VmRSS seen, sampled every 20 ms on a thread (the kernel's own peak can
    miss memory given back through some paths)."""

    def __init__(self) -> None:
        self.most = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.most = max(self.most, _status_mb("VmRSS"))

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def _child(vault_dir: Path, export: Path) -> dict[str, float | str]:
    from textual.widgets import Input

    from journal import paths as paths_mod
    from journal.core.clock import SystemClock
    from journal.settings import Settings
    from journal.ui.app import make_app
    from journal.ui.screens.confirm import ConfirmScreen
    from journal.ui.screens.transfer import ImportScreen

    app = make_app(paths=paths_mod.resolve(vault_dir), settings=Settings(),
                   clock=SystemClock())
    out: dict[str, float | str] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(lambda: isinstance(app.focused, Input) and app.focused.id == "passphrase",
                     "the unlock screen")
        app.screen.query_one("#passphrase", Input).value = os.environ["JOURNAL_PASSPHRASE"]
        await pilot.press("enter")
        await _until(lambda: getattr(app, "vault", None) is not None
                     and not app.screen.query("#passphrase"), "the vault to open")
        await pilot.pause()
        app.push_screen(ImportScreen())
        await pilot.pause()
        field = app.screen.query_one("#path", Input)
        field.value = str(export)
        field.focus()
        out["rss_unlocked_mb"] = round(_status_mb("VmRSS"))
        out["peak_reset"] = "yes" if _reset_peak() else "no"
        with _Sampler() as sampler:
            t0 = time.perf_counter()
            await pilot.press("enter")
            await _until(lambda: isinstance(app.screen, ConfirmScreen), "the dry run")
            out["checked_s"] = time.perf_counter() - t0
            t1 = time.perf_counter()
            await pilot.press("y")

            def notice() -> str:
                return next((n.message for n in app._notifications
                             if "Imported" in n.message), "")

            await _until(lambda: bool(notice()), "the import")
            out["imported_s"] = time.perf_counter() - t1
        out["import_rss_sampled_mb"] = round(sampler.most)
        out["notice"] = notice()
        out["import_peak_mb"] = round(_status_mb("VmHWM"))
    return out


def _parent(size: int) -> None:
    from bench import gen, measure, vaults
    from journal.core.exchange import format_v1
    from journal.core.store.vault import Vault

    with tempfile.TemporaryDirectory(prefix="bench-app-import-") as tmp:
        work = Path(tmp)
        export = work / "export.json"
        export.write_text(format_v1.to_json_text(gen.entries(size)))
        export.chmod(0o600)
        vault_dir = work / "vault"
        Vault.create(vault_dir, vaults.PASSPHRASE, kdf=vaults.production_kdf(),
                     recovery=False)[0].close()
        config = work / "config"
        config.mkdir()
        env = dict(os.environ, JOURNAL_PASSPHRASE=vaults.PASSPHRASE,
                   JOURNAL_CONFIG_DIR=str(config))
        run = measure.run_once([sys.executable, "-m", "bench.app_import", "--child",
                                str(vault_dir), str(export)], env=env, timeout=TIMEOUT)
        lines = run.output.decode("utf-8", "replace").strip().splitlines()
        if run.returncode != 0 or not lines:
            raise SystemExit(f"app import failed ({run.returncode}): {lines[-3:]}")
        figures = json.loads(lines[-1])
        load = os.getloadavg()
        print(json.dumps({"size": size, "seconds": round(run.seconds, 2),
                          "cpu": run.cpu_seconds, "rss_mb": round(run.maxrss_mb),
                          "load": [round(x, 2) for x in load], **figures}))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.app_import")
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--child", nargs=2, metavar=("VAULT", "EXPORT"))
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(asyncio.run(_child(Path(args.child[0]), Path(args.child[1])))))
    else:
        _parent(args.size)


if __name__ == "__main__":
    main(sys.argv[1:])
