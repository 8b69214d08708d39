"""Collects the figures of one bench run and renders them as Markdown tables (the same text
goes to the terminal and into docs/performance.md), with PASS/MISS per target of issue 8."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from bench.commands import PAIRS, Command
from bench.measure import Result
from journal.core.store.crypto import KdfParams

NA = "n/a (not yet implemented)"
CORE_ROWS = [
    ("derive_kek", "key derivation (Argon2id) alone"),
    ("open_no_verify", "Vault.open (KDF + unwrap, no manifest)"),
    ("verify_manifest", "verify_manifest"),
    ("index_load", "vault.index(): load the encrypted index (256 chunks)"),
    ("search_vault_tag", "query.search_vault #tag (index)"),
    ("first_10_of_tag", "the newest 10 tag matches as entries"),
    ("search_vault_text", "query.search_vault WORD (index, then candidates in batches)"),
    ("reflect_index", "reflect over the index (day rows)"),
    ("decrypt_all", "vault.entries(): decrypt + parse all"),
    ("entries_cached", "vault.entries() again (cached: copy + sort)"),
    ("search_tag", "query.search #tag (cold markdown cache)"),
    ("search_tag_warm", "query.search #tag (warm cache)"),
    ("search_text", "query.search WORD"),
    ("reflect", "reflection.reflect over all"),
    ("get_by_date", "get_by_date (blind index, 1 row)"),
    ("put_one", "put one entry (fsync + manifest)"),
]
MEM_ROWS = [
    ("after_kdf_peak", "peak RSS after key derivation"),
    ("after_index_rss", "RSS holding the index (after open: ~40 MB)"),
    ("index_peak", "peak RSS after index, text search and reflect (reset after KDF)"),
    ("data_peak", "peak RSS of the data alone (reset after KDF)"),
    ("process_peak", "peak RSS of the whole probe"),
]


@dataclass
class Whole:
    cmd: Command
    result: Result | None
    note: str | None


def _s(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f} ms" if value < 0.1 else f"{value:.2f} s"


class Report:
    def __init__(self, sizes: list[int], runs: int, machine: dict[str, str]) -> None:
        self.sizes, self.runs, self.machine = sizes, runs, machine
        self.kdf_params: KdfParams | None = None
        self.kdf_times: list[float] = []
        self.kdf_sizes: dict[int, list[float]] = {}
        self.metas: dict[int, dict] = {}
        self.cores: dict[int, list[dict]] = {}
        self.wholes: dict[int, dict[str, Whole]] = {s: {} for s in sizes}
        self.apps: dict[int, dict | None] = {}
        self.notes: list[str] = []

    # -- collecting ------------------------------------------------------------------------
    def kdf(self, params: KdfParams, times: list[float]) -> None:
        self.kdf_params, self.kdf_times = params, times

    @property
    def kdf_s(self) -> float:
        return statistics.median(self.kdf_times)

    def kdf_at(self, size: int, times: list[float]) -> None:
        self.kdf_sizes[size] = times

    def kdf_for(self, size: int) -> float:
        """The KDF's median measured beside this size's commands (same machine load)."""
        times = self.kdf_sizes.get(size)
        return statistics.median(times) if times else self.kdf_s

    def note(self, text: str) -> None:
        self.notes.append(text)

    def meta(self, size: int, meta: dict) -> None:
        self.metas[size] = meta

    def core(self, size: int, probes: list[dict]) -> None:
        self.cores[size] = probes

    def whole(self, size: int, cmd: Command, result: Result | None, note: str | None) -> None:
        self.wholes[size][cmd.key] = Whole(cmd, result, note)

    def app(self, size: int, figures: dict | None) -> None:
        self.apps[size] = figures

    # -- reading ---------------------------------------------------------------------------
    def seconds(self, size: int, key: str) -> float | None:
        whole = self.wholes.get(size, {}).get(key)
        return whole.result.median if whole and whole.result else None

    def stopped(self, size: int, key: str) -> float | None:
        whole = self.wholes.get(size, {}).get(key)
        return whole.result.timed_out if whole and whole.result else None

    def rss(self, size: int, key: str) -> float | None:
        whole = self.wholes.get(size, {}).get(key)
        return whole.result.maxrss_mb if whole and whole.result else None

    def core_s(self, size: int, key: str) -> float | None:
        values = [p["seconds"][key] for p in self.cores.get(size, []) if key in p["seconds"]]
        return statistics.median(values) if values else None

    def core_mb(self, size: int, key: str) -> float | None:
        values = [p["memory_mb"][key] for p in self.cores.get(size, [])
                  if key in p["memory_mb"]]
        return max(values) if values else None

    def app_s(self, size: int) -> float | None:
        figures = self.apps.get(size)
        return figures.get("median") if figures else None

    # -- rendering -------------------------------------------------------------------------
    def _head(self, first: str) -> list[str]:
        cols = " | ".join(f"{s:,}" for s in self.sizes)
        return [f"| {first} | {cols} |", "|---|" + "---:|" * len(self.sizes)]

    def _whole_cell(self, size: int, key: str) -> str:
        whole = self.wholes.get(size, {}).get(key)
        if whole is None:
            return "-"
        if whole.result is None or not whole.result.ok:
            return (whole.note or "failed").replace("|", "/")[:90]
        lo, hi = whole.result.spread
        cpu = whole.result.cpu
        spread = f"{_s(lo)}-{_s(hi)}" if len(whole.result.runs) > 1 else "1 run"
        return (f"{_s(whole.result.median)} ({spread})"
                + (f" cpu {_s(cpu)}" if cpu is not None else "")
                + f" · {whole.result.maxrss_mb:.0f} MB")

    def render(self) -> str:
        m = self.machine
        kdf = self.kdf_params
        out = [
            "### Machine",
            "",
            f"- {m['nproc']} cores, {m['cpu']}, {m['ram']} RAM; {m['platform']}",
            f"- Python {m['python']}, cryptography {m['cryptography']}, {m['openssl']}",
            f"- load average at start: {m['load_at_start']} (other work on the machine "
            "makes figures noisy)",
            f"- KDF: Argon2id m={kdf.memory_kib // 1024} MiB, t={kdf.iterations}, "
            f"p={kdf.lanes} (production `crypto.calibrate()`, run once and cached in "
            f"bench/results/kdf.json); derive_kek median {_s(self.kdf_s)} "
            f"(min {_s(min(self.kdf_times))}, max {_s(max(self.kdf_times))}, "
            f"{len(self.kdf_times)} runs)",
            "",
            f"### Whole process (fresh `journal ...` process per run: wall-clock median of "
            f"{self.runs} after one warm-up (min-max), CPU time (user+sys) median, peak RSS)",
            "",
            *self._head("operation"),
            "| key derivation alone (fresh process, beside this size's runs) | "
            + " | ".join(_s(self.kdf_for(s)) for s in self.sizes) + " |",
        ]
        keys = [k for k in (list(self.wholes[self.sizes[0]]) if self.sizes else [])]
        ours = [k for k in keys if not k.startswith("jrnl_")]
        theirs = [k for k in keys if k.startswith("jrnl_")]
        for key in ours:
            label = self.wholes[self.sizes[0]][key].cmd.label
            out.append(f"| {label} | " + " | ".join(self._whole_cell(s, key)
                                                 for s in self.sizes) + " |")
        out.append("| app: unlock to first painted list (headless, in-process) | " + " | ".join(
            self._app_cell(s) for s in self.sizes) + " |")
        for key in theirs:
            label = self.wholes[self.sizes[0]][key].cmd.label
            out.append(f"| {label} | " + " | ".join(self._whole_cell(s, key)
                                                 for s in self.sizes) + " |")
        for ours_key, jrnl_key in PAIRS.items():
            if jrnl_key in theirs:
                cells = []
                for s in self.sizes:
                    a, b = self.seconds(s, ours_key), self.seconds(s, jrnl_key)
                    floor = self.stopped(s, jrnl_key)
                    cells.append(f"{b / a:.1f}x" if a and b else
                                 f">= {floor / a:.0f}x" if a and floor else "-")
                out.append(f"| jrnl / ours: {ours_key} | " + " | ".join(cells) + " |")
        out += ["", "### Core operations (in-process, one fresh process per run, median of "
                f"{min(self.runs, 3)})", "", *self._head("step")]
        for key, label in CORE_ROWS:
            out.append(f"| {label} | " + " | ".join(_s(self.core_s(s, key))
                                                 for s in self.sizes) + " |")
        for key, label in MEM_ROWS:
            out.append(f"| {label} | " + " | ".join(
                f"{v:.0f} MB" if (v := self.core_mb(s, key)) is not None else "-"
                for s in self.sizes) + " |")
        out.append("| vault file size | " + " | ".join(
            f"{self.metas[s]['db_bytes'] / 1e6:.0f} MB" if s in self.metas else "-"
            for s in self.sizes) + " |")
        out.append("| jrnl file size | " + " | ".join(
            f"{self.metas[s]['jrnl_bytes'] / 1e6:.0f} MB"
            if "jrnl_bytes" in self.metas.get(s, {}) else "-" for s in self.sizes) + " |")
        out += ["", *self.render_targets(), "", "### Notes", ""]
        for s in self.sizes:
            t = self.metas.get(s, {}).get("terms", {})
            if t:
                out.append(f"- {s:,}: tag `#{t['tag']}` (~{t['tag_entries']:,} entries), "
                           f"word `{t['word']}` (~{t['word_entries']:,} entries); generator "
                           f"{self.metas[s]['generator']}")
        out += [f"- {n}" for n in self.notes]
        return "\n".join(out)

    def _app_cell(self, size: int) -> str:
        figures = self.apps.get(size)
        if figures is None:
            return NA
        if figures.get("error"):
            return str(figures["error"]).replace("|", "/")[:90]
        return (f"{_s(figures['median'])} ({_s(figures['min'])}-{_s(figures['max'])})"
                f" · {figures['maxrss_mb']:.0f} MB")

    def targets(self) -> list[tuple[str, str, str, str]]:
        """(target, measured, limit, verdict) at the largest size."""
        n = max(self.sizes)
        kdf = self.kdf_for(n)
        rows: list[tuple[str, str, str, str]] = []

        def verdict(value: float | None, limit: float, below: bool = True) -> str:
            if value is None:
                return "n/a"
            return "PASS" if (value <= limit if below else value >= limit) else "MISS"

        tag = self.seconds(n, "search_tag")
        rows.append((f"tag search end to end at {n:,} <= KDF + 0.5 s", _s(tag),
                     _s(kdf + 0.5), verdict(tag, kdf + 0.5)))
        jtag = self.seconds(n, "jrnl_tag")
        ratio = jtag / tag if tag and jtag else None
        rows.append((f"tag search >= 5x faster than jrnl at {n:,}",
                     f"{ratio:.1f}x" if ratio else "-", "5.0x", verdict(ratio, 5.0, False)))
        add = self.seconds(n, "add")
        rows.append((f"add one entry at {n:,} <= KDF + 0.1 s", _s(add), _s(kdf + 0.1),
                     verdict(add, kdf + 0.1)))
        small = self.seconds(min(self.sizes), "add")
        if add and small and len(self.sizes) > 1:
            rows.append((f"add: {min(self.sizes):,} vs {n:,} (size-independent)",
                         f"{_s(small)} vs {_s(add)}", "same", "PASS" if add - small < 0.1
                         else "MISS"))
        reflect = self.seconds(n, "reflect")
        beyond = reflect - kdf if reflect is not None else None
        rows.append((f"reflect at {n:,} within 1 s (end to end minus KDF)", _s(beyond), "1.00 s",
                     verdict(beyond, 1.0)))
        core = self.core_s(n, "reflect_index")
        rows.append((f"reflect at {n:,}: the computation alone (core, over the index)",
                     _s(core), "1.00 s",
                     verdict(core, 1.0)))
        app = self.app_s(n)
        rows.append((f"app unlock to first painted list at {n:,} <= KDF + 1.5 s", _s(app),
                     _s(kdf + 1.5), verdict(app, kdf + 1.5)))
        peaks = [v for k in ("show", "list", "search_text", "search_tag", "reflect", "add")
                 if (v := self.rss(n, k)) is not None]
        if (a := self.apps.get(n)) and a.get("maxrss_mb"):
            peaks.append(a["maxrss_mb"])
        peak = max(peaks) if peaks else None
        rows.append((f"peak memory of any command at {n:,} < 250 MB",
                     f"{peak:.0f} MB" if peak else "-", "250 MB",
                     verdict(peak, 249.99)))
        data = self.core_mb(n, "index_peak")
        rows.append((f"peak memory of the index path without the KDF's own (core, at {n:,})",
                     f"{data:.0f} MB" if data else "-", "250 MB", verdict(data, 249.99)))
        return rows

    def render_targets(self) -> list[str]:
        out = ["### Targets (issue 8)", "", "| target | measured | limit | verdict |",
               "|---|---:|---:|---|"]
        out += [f"| {a} | {b} | {c} | **{d}** |" for a, b, c, d in self.targets()]
        return out

    def raw(self) -> dict[str, Any]:
        return {
            "machine": self.machine, "sizes": self.sizes, "runs": self.runs,
            "kdf": self.kdf_params.to_json() if self.kdf_params else None,
            "kdf_times": self.kdf_times, "kdf_per_size": self.kdf_sizes,
            "metas": self.metas, "cores": self.cores,
            "whole": {s: {k: {"median": w.result.median if w.result else None,
                              "cpu": w.result.cpu if w.result else None,
                              "runs": [r.seconds for r in w.result.runs] if w.result else [],
                              "maxrss_mb": w.result.maxrss_mb if w.result else None,
                              "note": w.note} for k, w in d.items()}
                      for s, d in self.wholes.items()},
            "apps": self.apps, "notes": self.notes,
            "targets": self.targets(),
        }
