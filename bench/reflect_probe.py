"""`python -m bench.reflect_probe VAULT [RUNS [SINCE UNTIL]]`: what `journal reflect --json
[--since SINCE --until UNTIL]` does after the key derivation, step by step in one process
(the vault opened once), each step's best of RUNS (default 3) in wall-clock and CPU time:
the index read from its sealed chunks, `reflect_rows` over it with the collector paused (as
the command runs it), the JSON text written a piece at a time. BENCH_PASSPHRASE holds the
passphrase (default: the bench's). For comparing branches on a busy machine: the CPU figures
move less than wall time."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.vaults import PASSPHRASE


def main(argv: list[str]) -> None:
    from datetime import date

    from journal.cli.reflect_cmd import json_pieces
    from journal.core.reflection import reflect_rows
    from journal.core.store.bulk import paused_gc
    from journal.core.store.vault import Vault

    runs = int(argv[1]) if len(argv) > 1 else 3
    since, until = (date.fromisoformat(d) for d in argv[2:4]) if len(argv) > 3 else (None, None)
    vault = Vault.open(Path(argv[0]), os.environ.get("BENCH_PASSPHRASE", PASSPHRASE))
    best: dict[str, tuple[float, float]] = {}

    def timed(name: str, step: Callable[[], Any]) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        out = step()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        old = best.get(name, (wall, cpu))
        best[name] = (min(old[0], wall), min(old[1], cpu))
        return out

    try:
        for _ in range(runs):
            vault.indexes.forget()
            index = timed("index", vault.index)
            with paused_gc():
                result = timed("reflect_rows", lambda i=index: reflect_rows(
                    i.day_rows(), since=since, until=until,
                    practices=i.practice_rows(since, until)))
                timed("json", lambda r=result: "".join(json_pieces(r)))
    finally:
        vault.close()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(" | ".join(f"{name} {wall * 1000:.0f} ms (cpu {cpu * 1000:.0f} ms)"
                     for name, (wall, cpu) in best.items()) + f" | load {load}")


if __name__ == "__main__":
    main(sys.argv[1:])
