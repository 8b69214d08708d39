"""Timing one fresh process: wall time and its own peak RSS (os.wait4 reports the rusage of
exactly that child, so figures of different commands never mix)."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Run:
    seconds: float
    maxrss_mb: float
    returncode: int
    output: bytes
    cpu_seconds: float | None = None  # user + system, from GNU time
    timed_out: bool = False


@dataclass
class Result:
    runs: list[Run] = field(default_factory=list)
    note: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.returncode == 0 for r in self.runs)

    @property
    def timed_out(self) -> float | None:
        """The limit a stopped run hit (a lower bound for the figure), else None."""
        return next((r.seconds for r in self.runs if r.timed_out), None)

    @property
    def median(self) -> float | None:
        return statistics.median(r.seconds for r in self.runs) if self.ok else None

    @property
    def spread(self) -> tuple[float, float] | None:
        if not self.ok:
            return None
        values = [r.seconds for r in self.runs]
        return min(values), max(values)

    @property
    def cpu(self) -> float | None:
        values = [r.cpu_seconds for r in self.runs if r.cpu_seconds is not None]
        return statistics.median(values) if self.ok and values else None

    @property
    def maxrss_mb(self) -> float | None:
        return max(r.maxrss_mb for r in self.runs) if self.ok else None

    def failure(self) -> str:
        bad = next((r for r in self.runs if r.returncode != 0), None)
        if bad is None:
            return self.note or "not run"
        if bad.timed_out:
            return f"> {bad.seconds:.0f} s (stopped)"
        tail = bad.output.decode("utf-8", "replace").strip().splitlines()[-3:]
        return f"exit {bad.returncode}: " + " | ".join(tail)[:300]


TIME = "/usr/bin/time"
#: a command slower than this is run once (jrnl adding to 50,000 entries takes minutes)
SLOW = 20.0


def run_once(cmd: Sequence[str], *, env: dict[str, str] | None = None,
             stdin: bytes | None = None, cwd: str | None = None,
             timeout: float | None = None) -> Run:
    """Peak RSS comes from GNU time when present: a child spawned straight from this (large)
    process would inherit its high-water mark through vfork+exec, so wait4's ru_maxrss
    would report the bench's own peak, not the command's."""
    with tempfile.NamedTemporaryFile(prefix="bench-rss-", suffix=".txt") as rss_file:
        wrapped = list(cmd)
        if os.access(TIME, os.X_OK):
            wrapped = [TIME, "-q", "-f", "%M %U %S", "-o", rss_file.name, *wrapped]
        run = _spawn(wrapped, env, stdin, cwd, timeout)
        try:
            rss, user, system = Path(rss_file.name).read_text().split()[-3:]
            run.maxrss_mb = int(rss) / 1024
            run.cpu_seconds = float(user) + float(system)
        except (OSError, ValueError):
            pass
    return run


def _spawn(cmd: Sequence[str], env: dict[str, str] | None, stdin: bytes | None,
           cwd: str | None, timeout: float | None = None) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), env=env, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True,
                            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL)
    stopped: list[bool] = []

    def stop() -> None:  # our own process group only: the wrapper and the command
        stopped.append(True)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, stop) if timeout else None
    if timer:
        timer.start()
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read()), daemon=True)
    reader.start()
    if stdin is not None:
        try:
            proc.stdin.write(stdin)
            proc.stdin.close()
        except BrokenPipeError:
            pass
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if timer:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    proc.stdout.close()
    return Run(elapsed, usage.ru_maxrss / 1024, proc.returncode, b"".join(chunks),
               timed_out=bool(stopped))


def repeat(runs: int, cmd_for: Callable[[int], Sequence[str]], *,
           env: dict[str, str] | None = None, stdin: bytes | None = None,
           warmup: bool = True, timeout: float | None = None) -> Result:
    """`runs` timed runs (after one untimed warm-up run that fills the page cache);
    stops at the first failure."""
    result = Result()
    if warmup:
        first = run_once(cmd_for(-1), env=env, stdin=stdin, timeout=timeout)
        if first.returncode != 0 or first.seconds > SLOW:
            result.runs.append(first)  # a slow command: its one run is the figure
            if first.seconds > SLOW:
                result.note = f"1 run (over {SLOW:.0f} s)"
            return result
    for i in range(runs):
        run = run_once(cmd_for(i), env=env, stdin=stdin, timeout=timeout)
        result.runs.append(run)
        if run.returncode != 0:
            break
    return result
