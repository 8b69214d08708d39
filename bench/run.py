"""`make bench`: whole-process figures for our CLI and app against jrnl 4.6, core-level
timings, and PASS/MISS against issue 8's targets. See docs/performance.md.

  python -m bench [--sizes 1000,10000,50000] [--runs 5] [--no-jrnl] [--profile]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import commands, import_sources, jrnl, measure, vaults
from bench.report import Report

PY = sys.executable
#: What a user runs: the installed `journal` script (as jrnl is run through its own script).
_SCRIPT = Path(sys.executable).with_name("journal")
JOURNAL = [str(_SCRIPT)] if _SCRIPT.is_file() else [PY, "-m", "journal"]


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000",
                        help="comma-separated vault sizes (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (median)")
    parser.add_argument("--no-jrnl", action="store_true", help="skip the jrnl comparison")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="stop one command after this many seconds and report it as "
                             "'> N s' (jrnl adding to 50,000 entries: default %(default)s)")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the core steps at the largest size (bench/results/)")
    parser.add_argument("--json", type=Path, default=vaults.RESULTS / "latest.json",
                        help="where to write the raw results (default: %(default)s)")
    args = parser.parse_args(argv)
    args.size_list = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if not args.size_list or args.runs < 1:
        parser.error("need at least one size and one run")
    return args


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import cryptography
    from cryptography.hazmat.backends.openssl.backend import backend

    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "ram": ram,
            "python": platform.python_version(), "cryptography": cryptography.__version__,
            "openssl": backend.openssl_version_text(), "platform": platform.platform(),
            "load_at_start": " ".join(f"{x:.2f}" for x in load)}


def _env(vault_dir: Path, config_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(JOURNAL_PASSPHRASE=vaults.PASSPHRASE, JOURNAL_VAULT=str(vault_dir),
               JOURNAL_CONFIG_DIR=str(config_dir), NO_COLOR="1", TERM="dumb", COLUMNS="100")
    return env


def measure_size(built: vaults.Built, args: argparse.Namespace, have: dict[str, str],
                 app: bool, use_jrnl: bool, report: Report) -> None:
    size, runs = built.size, args.runs
    terms = dict(built.meta["terms"])
    terms["add_dates"] = vaults.next_dates(built, 2 * runs + 4)
    config_dir = Path(tempfile.mkdtemp(prefix="bench-config-"))
    try:
        # Key derivation alone, in fresh processes, just before this size's commands.
        kdf_times = []
        for _ in range(runs):
            run = measure.run_once([PY, "-m", "bench.kdf_probe", str(built.vault)])
            if run.returncode == 0:
                kdf_times.append(float(run.output.decode().split()[-1]))
        report.kdf_at(size, kdf_times)

        # Core operations, in one fresh process per run.
        probe_runs = max(1, min(runs, 3))
        probes = []
        for i in range(probe_runs):
            work = vaults.work_copy(built, "probe")
            cmd = [PY, "-m", "bench.probe", str(built.vault), str(work), terms["tag"],
                   terms["word"], terms["add_dates"][-1]]
            if args.profile and i == 0 and size == max(args.size_list):
                cmd.append("--profile")
            run = measure.run_once(cmd, env=dict(os.environ, BENCH_PASSPHRASE=vaults.PASSPHRASE))
            if run.returncode != 0:
                report.note(f"[{size}] core probe failed: {run.output[-500:]!r}")
                break
            probes.append(json.loads(run.output.decode().strip().splitlines()[-1]))
        report.core(size, probes)
        if args.profile and probes and probes[0].get("profiles"):
            path = vaults.RESULTS / f"profile-core-{size}.txt"
            path.write_text("\n\n".join(f"== {name} ==\n{text}"
                                        for name, text in probes[0]["profiles"].items()))
            report.note(f"[{size}] core profiles written to {path}")

        # Whole processes: ours.
        add_copy = vaults.work_copy(built, "add")
        for cmd in commands.OURS:
            if cmd.needs and cmd.needs not in have:
                report.whole(size, cmd, None, "n/a (not yet implemented)")
                continue
            vault_dir = add_copy if cmd.writes else built.vault
            env = _env(vault_dir, config_dir)
            result = measure.repeat(
                runs, lambda i, c=cmd: [*JOURNAL, *c.args(built, terms, i)], env=env,
                timeout=args.timeout)
            report.whole(size, cmd, result, None if result.ok else result.failure())
        if app:
            from bench import app_probe

            app_env = dict(_env(built.vault, config_dir), BENCH_APP_TIMEOUT=str(args.timeout))
            report.app(size, app_probe.measure_app(built.vault, runs, app_env))
        else:
            report.app(size, None)

        # jrnl's equivalents, on the same entries.
        if use_jrnl and built.jrnl_file is not None:
            jrnl_copy = built.directory / "work" / "jrnl-add.txt"
            shutil.copyfile(built.jrnl_file, jrnl_copy)
            for cmd in commands.jrnl_rows():
                target = jrnl_copy if cmd.writes else built.jrnl_file
                with jrnl.Env(target, vaults.PASSPHRASE) as jenv:
                    result = measure.repeat(
                        runs, lambda i, c=cmd: jrnl.command(*c.args(built, terms, i)),
                        env=jenv.env, timeout=args.timeout)
                report.whole(size, cmd, result, None if result.ok else result.failure())
            jrnl_copy.unlink(missing_ok=True)
    finally:
        shutil.rmtree(config_dir, ignore_errors=True)
        shutil.rmtree(built.directory / "work", ignore_errors=True)


def _sync_figures(report: Report, size: int) -> None:
    """Issue 18: a first sync to a new machine, and one changed day, beyond the KDF."""
    size = min(size, 10_000)
    run = measure.run_once([PY, "-m", "bench.sync_probe", str(size)])
    if run.returncode != 0:
        report.note(f"sync probe failed: {run.output[-500:]!r}")
        return
    got = json.loads(run.output.decode().strip().splitlines()[-1])
    first, pull = got["first_sync_new_machine_s"], got["incremental_pull_s"]
    push = got["incremental_push_s"]

    def cpu(name: str) -> str:  # the probe's CPU time (user+sys) beside each wall figure
        return f" ({got[name + '_cpu_s']:.2f} s CPU)" if name + "_cpu_s" in got else ""

    report.note(
        f"sync ({size:,} entries, beyond key derivation): first push {got['first_push_s']:.2f} s"
        f"{cpu('first_push')}; first sync of a new machine {first:.2f} s"
        f"{cpu('first_sync_new_machine')} ({'PASS' if first <= 5 else 'MISS'} <= 5 s); one "
        f"changed day: push {push:.3f} s, pull {pull:.3f} s "
        f"({'PASS' if max(push, pull) < 0.2 else 'MISS'} < 0.2 s); the folder grew "
        f"{got['folder_growth_bytes']:,} bytes for it")


#: The import formats that held a large source whole (issue 19 target 1: under 300 MB at
#: 50,000 entries): (label, bench.import_sources name, import format).
IMPORT_FORMATS = (("jrnl v3 (encrypted)", "jrnl-v3"), ("jrnl 1.x (encrypted)", "jrnl-v1"),
                  ("jrnl's markdown export", "jrnl-md"), ("Day One JSON", "dayone-json"))


def _import_figures(report: Report, built: vaults.Built) -> None:
    """Each format's source of the bench's entries imported into a new vault, as `journal
    import` runs it (test KDF: the key derivation left out): wall, CPU and peak RSS."""
    if built.jrnl_file is None or not built.jrnl_file.is_file():
        report.note("import figures skipped: no jrnl journal to make the sources from")
        return
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        names = ",".join(name for _, name in IMPORT_FORMATS)
        made = measure.run_once([PY, "-m", "bench.import_sources", str(built.jrnl_file), tmp,
                                 "--formats", names])
        if made.returncode != 0:
            report.note(f"import sources failed: {made.output[-500:]!r}")
            return
        parts = []
        for label, name in IMPORT_FORMATS:
            file, fmt = import_sources.SOURCES[name]
            run = measure.run_once([PY, "-m", "bench.jrnl_import", str(Path(tmp) / file),
                                    "--format", fmt])
            if run.returncode != 0:
                parts.append(f"{label} failed: {run.output[-300:]!r}")
                continue
            peak = run.maxrss_mb or 0
            parts.append(f"{label} {run.seconds:.1f} s (cpu {run.cpu_seconds or 0:.1f} s) · "
                         f"{peak:.0f} MB ({'PASS' if peak < 300 else 'MISS'} < 300 MB)")
    report.note(f"import into a new vault, {built.size:,} entries (test KDF): "
                + "; ".join(parts))


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    started = time.perf_counter()
    # An installed journal has its bytecode compiled; a checkout run with
    # PYTHONDONTWRITEBYTECODE would recompile on every process and time the compiler.
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "journal", quiet=1)
    report = Report(args.size_list, args.runs, machine())
    kdf = vaults.production_kdf()
    report.kdf(kdf, [vaults.kdf_seconds(kdf, 1) for _ in range(args.runs)])
    use_jrnl = not args.no_jrnl
    if use_jrnl:
        why = jrnl.ensure()
        if why:
            report.note(f"jrnl comparison skipped: {why}")
            use_jrnl = False
    have = commands.available()
    app = commands.app_available()
    report.note("CLI commands found: " + (", ".join(sorted(have)) or "none") +
                f"; app: {'yes' if app else 'not yet implemented'}")
    for size in args.size_list:
        vaults.log(f"== {size:,} entries ==")
        built = vaults.build(size, with_jrnl=use_jrnl)
        report.meta(size, built.meta)
        measure_size(built, args, have, app, use_jrnl, report)
        _import_figures(report, built)  # each size: linear or not shows
    _sync_figures(report, max(args.size_list))
    report.note(f"bench took {time.perf_counter() - started:.0f} s; "
                f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    text = report.render()
    print(text)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.with_suffix(".md").write_text(text + "\n")
    args.json.write_text(json.dumps(report.raw(), indent=1, default=str))
    vaults.log(f"raw results: {args.json}")
    return 0
