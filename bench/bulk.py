"""Bulk work at growing sizes (issue 19): import, restore and rebuilding the index, each a
fresh `journal ...` process with the production KDF, its wall time, CPU time and peak RSS.

  python -m bench.bulk [--sizes 5000,10000,20000,50000]

- **import**: `journal import export.json` of N generated entries (the bench's entries, as
  a JSON export) into a new, empty vault.
- **restore**: `journal backup` of that vault, then `journal restore` into a new directory,
  then `journal list -n 20` there (the first unlock of the restored vault).
- **index rebuild**: the index chunks of a copy deleted, then `journal list -n 20`, which
  rebuilds every chunk from the entries (as for a vault from before the index).

Each step runs once per size (they are slow and write); the figures go to stdout as a
Markdown table and to bench/results/bulk.json. A line per size says whether the time grows
in proportion to the size (seconds per 1,000 entries), and the last lines hold import and
rebuild at the largest size to issue 19's target (30 s per 50,000 entries, < 300 MB).
Wall time moves with the machine's load: CPU time beside it is steadier.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench import gen, measure, vaults
from journal.core.exchange import format_v1
from journal.core.store.vault import Vault, db_path

#: Issue 19, target 1: peak memory of an import, a restore or an index rebuild.
PEAK_MB = 300
_SCRIPT = Path(sys.executable).with_name("journal")
JOURNAL = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "journal"]


def _env(vault_dir: Path, config_dir: Path) -> dict[str, str]:
    return dict(os.environ, JOURNAL_PASSPHRASE=vaults.PASSPHRASE, JOURNAL_VAULT=str(vault_dir),
                JOURNAL_CONFIG_DIR=str(config_dir), NO_COLOR="1", TERM="dumb", COLUMNS="100")


def _step(name: str, cmd: list[str], env: dict[str, str], timeout: float) -> dict:
    run = measure.run_once(cmd, env=env, timeout=timeout)
    if run.returncode != 0:
        raise SystemExit(f"{name} failed ({run.returncode}): {run.output[-600:]!r}")
    vaults.log(f"    {name}: {run.seconds:.2f} s, cpu {run.cpu_seconds or 0:.2f} s, "
               f"{run.maxrss_mb:.0f} MB")
    return {"seconds": run.seconds, "cpu": run.cpu_seconds, "rss_mb": run.maxrss_mb}


def measure_size(size: int, work: Path, timeout: float) -> dict[str, dict]:
    kdf = vaults.production_kdf()
    config = work / "config"
    config.mkdir()
    export = work / "export.json"
    export.write_text(format_v1.to_json_text(gen.entries(size)))
    export.chmod(0o600)
    vault_dir = work / "vault"
    Vault.create(vault_dir, vaults.PASSPHRASE, kdf=kdf, recovery=False)[0].close()
    os.sync()
    env = _env(vault_dir, config)
    out = {"import": _step("import", [*JOURNAL, "import", str(export)], env, timeout)}
    export.unlink()

    backup = work / "backup.vault"
    _step("backup", [*JOURNAL, "backup", str(backup)], env, timeout)
    restored = work / "restored"
    t0 = time.perf_counter()
    out["restore"] = _step("restore", [*JOURNAL, "restore", str(backup), "--vault",
                                       str(restored)], env, timeout)
    first = _step("restored: first list", [*JOURNAL, "list", "-n", "20"],
                  _env(restored, config), timeout)
    out["restore"]["then_list"] = first
    out["restore"]["total"] = time.perf_counter() - t0

    with sqlite3.connect(db_path(restored), isolation_level=None) as conn:
        conn.execute("DELETE FROM index_chunks")
    conn.close()
    os.sync()
    out["rebuild"] = _step("index rebuild (list -n 20)", [*JOURNAL, "list", "-n", "20"],
                           _env(restored, config), timeout)
    return out


def _row(results: dict[int, dict], name: str, key: str | None = None) -> str:
    cells = []
    for figures in results.values():
        f = figures[name] if key is None else figures[name][key]
        cells.append(f"{f['seconds']:.2f} s (cpu {f['cpu'] or 0:.2f} s) · {f['rss_mb']:.0f} MB")
    return " | ".join(cells)


def render(results: dict[int, dict]) -> str:
    sizes = list(results)
    lines = ["| step | " + " | ".join(f"{s:,}" for s in sizes) + " |",
             "|---|" + "---:|" * len(sizes),
             f"| import (JSON export into a new vault) | {_row(results, 'import')} |",
             f"| restore (copy) | {_row(results, 'restore')} |",
             f"| restored vault: first `list -n 20` | {_row(results, 'restore', 'then_list')} |",
             f"| index rebuilt from every entry (`list -n 20`) | {_row(results, 'rebuild')} |"]
    per = " | ".join(f"{1000 * results[s]['import']['seconds'] / s:.2f} s" for s in sizes)
    lines.append(f"| import per 1,000 entries | {per} |")
    largest = results[sizes[-1]]
    lines.append("")
    for name in ("import", "rebuild"):  # issue 19, target 1 (at 50,000 entries)
        figure = largest[name]
        ok = figure["seconds"] <= 30 * sizes[-1] / 50_000 and figure["rss_mb"] < PEAK_MB
        lines.append(f"- {name} at {sizes[-1]:,}: {figure['seconds']:.1f} s, "
                     f"{figure['rss_mb']:.0f} MB (target: {30 * sizes[-1] / 50_000:.0f} s, "
                     f"< {PEAK_MB} MB) {'PASS' if ok else 'MISS'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bulk", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="5000,10000,20000")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    results: dict[int, dict] = {}
    for size in sizes:
        vaults.log(f"== {size:,} entries ==")
        work = Path(tempfile.mkdtemp(prefix="bench-bulk-"))
        try:
            results[size] = measure_size(size, work, args.timeout)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    text = (f"load average at start: {load}; at the end: "
            f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}\n\n{render(results)}")
    print(text)
    vaults.RESULTS.mkdir(parents=True, exist_ok=True)
    (vaults.RESULTS / "bulk.json").write_text(json.dumps(
        {str(k): v for k, v in results.items()}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
