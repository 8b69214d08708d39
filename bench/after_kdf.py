"""`python -m bench.after_kdf [--size N] [--runs R]`: what each reading command and `add`
cost *after* the key derivation (issue 19, targets 2, 3 and 4: `reflect` and `reflect --json` too).

The key derivation (Argon2id, calibrated to ~0.4 s) is most of a command's time, and its
own time moves by a tenth of a second from one run to the next on a shared machine, so
"whole command minus KDF alone" measured in different processes is mostly noise. Here each
command runs under `bench.kdf_mark`, which records when the derivation inside *that*
process ended; the figure "after the KDF" is from then to the process's exit (seen by this
process: `time.monotonic()` is one clock for every process). The whole wall time, CPU time
(user+sys) and peak RSS come from GNU time as in `make bench`; `bench.kdf_probe` (the
derivation alone in a fresh process) runs in every round beside them. Commands are run in
turns, round after round (after one untimed warm-up each), so a change of load spreads
over all of them; medians of `--runs`. Writes go to a throwaway copy of the vault.

Not part of `make bench` (which keeps its own figures); results also go to
bench/results/after_kdf.json.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import measure, vaults

PY = sys.executable


def _commands(meta: dict, add_dates: list[str]) -> dict[str, object]:
    tag, word = meta["terms"]["tag"], meta["terms"]["word"]
    return {
        "search WORD (every match)": lambda i: ["search", word],
        "search #tag (every match)": lambda i: ["search", f"#{tag}"],
        "search -n 10 #tag": lambda i: ["search", "-n", "10", f"#{tag}"],
        "list -n 20": lambda i: ["list", "-n", "20"],
        "show DATE": lambda i: ["show", meta["last_date"]],
        "reflect --json": lambda i: ["reflect", "--json"],
        "reflect (text)": lambda i: ["reflect"],
        "add (one entry)": lambda i: ["add", "--date", add_dates[i + 1],
                                      "Added by the bench: a short note about #triage."],
    }


MARK = str(Path(__file__).with_name("kdf_mark.py"))


def _one(args: list[str], env: dict[str, str]) -> dict[str, float] | str:
    with tempfile.NamedTemporaryFile(prefix="bench-kdf-mark-", suffix=".txt") as marks:
        start = time.monotonic()
        run = measure.run_once([PY, MARK, marks.name, *args], env=env, cwd="/")
        end = time.monotonic()
        if run.returncode != 0:
            return run.output.decode("utf-8", "replace")[-300:]
        lines = Path(marks.name).read_text().split("\n")
    derivations = [tuple(map(float, line.split())) for line in lines if line.strip()]
    if not derivations:
        return "no key derivation seen"
    kdf_start, kdf_end = derivations[-1]
    return {"wall": end - start, "cpu": run.cpu_seconds or 0.0, "rss_mb": run.maxrss_mb,
            "kdf": kdf_end - kdf_start, "kdf_ends_at": kdf_end - start,
            "after_kdf": end - kdf_end, "derivations": len(derivations)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated command labels' prefixes")
    parser.add_argument("--label", default="", help="a name for this run in the JSON")
    parser.add_argument("--compare", default="", metavar="DIR",
                        help="also run the journal package of this checkout (e.g. main), "
                             "in turns with this one (its bytecode is not written)")
    args = parser.parse_args(argv)
    built = vaults.build(args.size, with_jrnl=False)
    work = vaults.work_copy(built, "after-kdf-add")
    config = Path(tempfile.mkdtemp(prefix="bench-config-"))
    add_dates = vaults.next_dates(built, args.runs + 2)
    commands = _commands(built.meta, add_dates)
    if args.only:
        wanted = tuple(p.strip() for p in args.only.split(","))
        commands = {k: v for k, v in commands.items() if k.startswith(wanted)}
    env = dict(os.environ, JOURNAL_PASSPHRASE=vaults.PASSPHRASE, JOURNAL_CONFIG_DIR=str(config),
               NO_COLOR="1", TERM="dumb", COLUMNS="100")
    load_start = os.getloadavg()
    here = str(Path(__file__).resolve().parents[1])
    compileall.compile_dir(Path(here) / "journal", quiet=1)  # as an installed copy has it
    variants = {"": here} | ({" [other]": str(Path(args.compare).resolve())}
                             if args.compare else {})
    results: dict[str, list[dict[str, float]]] = {
        name + tag: [] for name in commands for tag in variants}
    kdf_alone: list[float] = []
    try:
        for i in range(-1, args.runs):  # -1: the warm-up round, not kept
            probe = measure.run_once([PY, "-m", "bench.kdf_probe", str(built.vault)])
            if i >= 0 and probe.returncode == 0:
                kdf_alone.append(float(probe.output.decode().split()[-1]))
            for name, make in commands.items():
                vault = work if name.startswith("add") else built.vault
                for tag, source in variants.items():
                    got = _one(make(i), dict(env, JOURNAL_VAULT=str(vault), PYTHONPATH=source,
                                             **({"PYTHONDONTWRITEBYTECODE": "1"} if tag else {})))
                    if isinstance(got, str):
                        print(f"{name}{tag}: failed: {got}", file=sys.stderr)
                        return 1
                    if i >= 0:
                        results[name + tag].append(got)
    finally:
        import shutil

        shutil.rmtree(config, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    load_end = os.getloadavg()

    def med(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    def span(runs: list[dict[str, float]], key: str) -> str:
        values = [r[key] for r in runs]
        return f"{min(values) * 1000:.0f}-{max(values) * 1000:.0f}"

    loads = (f"load average {load_start[0]:.2f} {load_start[1]:.2f} -> "
             f"{load_end[0]:.2f} {load_end[1]:.2f}")
    print(f"{args.size:,} entries, median of {args.runs} (min-max), {loads}; "
          f"key derivation alone (bench.kdf_probe): "
          f"{statistics.median(kdf_alone) * 1000:.0f} ms "
          f"({min(kdf_alone) * 1000:.0f}-{max(kdf_alone) * 1000:.0f})")
    print("| command | after the KDF | whole (wall) | KDF inside it | CPU (user+sys) | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, runs in results.items():
        print(f"| `{name}` | **{med(runs, 'after_kdf') * 1000:.0f} ms** "
              f"({span(runs, 'after_kdf')}) | {med(runs, 'wall') * 1000:.0f} ms "
              f"({span(runs, 'wall')}) | {med(runs, 'kdf') * 1000:.0f} ms | "
              f"{med(runs, 'cpu') * 1000:.0f} ms | {max(r['rss_mb'] for r in runs):.0f} MB |")
    out = vaults.RESULTS / "after_kdf.json"
    previous = json.loads(out.read_text()) if out.is_file() else []
    previous.append({"label": args.label, "compare": args.compare, "size": args.size,
                     "runs": args.runs,
                     "when": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                     "load_start": load_start, "load_end": load_end,
                     "kdf_alone": kdf_alone, "commands": results})
    out.write_text(json.dumps(previous, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
