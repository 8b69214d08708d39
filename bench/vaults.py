"""Building (once) and caching the benchmark vaults: ours through the core API with the
production KDF, and the same entries as an encrypted jrnl journal written by jrnl's code.

Layout under bench/results/ (git-ignored):
  kdf.json                                  production KDF, calibrated once on this machine
  cache/<generator>-<n>-<kdf>/vault/        our vault
  cache/<generator>-<n>-<kdf>/jrnl.txt      jrnl's encrypted journal (v3 format)
  cache/<generator>-<n>-<kdf>/meta.json     query terms, counts, build times
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench import gen, jrnl
from journal.core.store import crypto, schema
from journal.core.store.vault import Vault

RESULTS = Path(__file__).resolve().parent / "results"
PASSPHRASE = "bench: correct horse battery staple"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def production_kdf() -> crypto.KdfParams:
    """crypto.calibrate() as `journal init` runs it, once per machine (median memory of
    three calibrations), so every cached vault shares one setting."""
    path = RESULTS / "kdf.json"
    source = hashlib.sha256(inspect.getsource(crypto.calibrate).encode()).hexdigest()[:12]
    if path.is_file():
        cached = json.loads(path.read_text())
        if cached.get("calibrate_source") == source:  # recalibrate when calibrate() changes
            return crypto.KdfParams.from_json(cached["kdf"])
    crypto.derive_kek("warm-up", b"\0" * 16, crypto.KdfParams.floor())
    found = [crypto.calibrate() for _ in range(3)]
    params = sorted(found, key=lambda p: p.memory_kib)[1]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"kdf": params.to_json(), "how": "median of 3 calibrate()",
                                "calibrate_source": source,
                                "all": [p.to_json() for p in found]}, indent=1))
    return params


@dataclass
class Built:
    size: int
    directory: Path
    vault: Path
    jrnl_file: Path | None
    meta: dict

    @property
    def kdf(self) -> crypto.KdfParams:
        return crypto.KdfParams.from_json(self.meta["kdf"])


def _key(size: int, kdf: crypto.KdfParams) -> str:
    kdf_tag = hashlib.sha256(json.dumps(kdf.to_json(), sort_keys=True).encode()).hexdigest()[:6]
    return f"{gen.generator_name()}-s{schema.LATEST}-{size}-{kdf_tag}"


def build(size: int, *, with_jrnl: bool) -> Built:
    kdf = production_kdf()
    directory = RESULTS / "cache" / _key(size, kdf)
    meta_path = directory / "meta.json"
    vault_dir = directory / "vault"
    jrnl_file = directory / "jrnl.txt"
    meta = json.loads(meta_path.read_text()) if meta_path.is_file() else None
    items = None
    if meta is None:
        if directory.exists():
            shutil.rmtree(directory)  # a half-built cache from an interrupted run
        directory.mkdir(parents=True)
        for stale in directory.parent.glob(f"*-{size}-*"):  # older generator or schema
            if stale == directory:
                continue
            old_jrnl = stale / "jrnl.txt"   # jrnl's journal depends on the entries alone
            if (stale.name.startswith(f"{gen.generator_name()}-s") and old_jrnl.is_file()
                    and not jrnl_file.exists()):
                old_jrnl.replace(jrnl_file)
                log(f"[{size}] kept jrnl's journal of the same entries from {stale.name}")
            shutil.rmtree(stale, ignore_errors=True)
        log(f"[{size}] generating {size:,} entries with {gen.generator_name()} ...")
        t0 = time.perf_counter()
        items = gen.entries(size)
        t_gen = time.perf_counter() - t0
        log(f"[{size}] creating the vault (KDF {kdf.memory_kib // 1024} MiB, "
            f"t={kdf.iterations}, p={kdf.lanes}) ...")
        t0 = time.perf_counter()
        vault, _ = Vault.create(vault_dir, PASSPHRASE, kdf=kdf, recovery=False)
        try:
            vault.put_many(items)  # one call: each bucket's work once (issue 19)
            log(f"[{size}]   {size:,} entries written ({time.perf_counter() - t0:.0f} s)")
        finally:
            vault.close()
        t_put = time.perf_counter() - t0
        terms = gen.pick_terms(items)
        meta = {"size": size, "generator": gen.generator_name(), "kdf": kdf.to_json(),
                "terms": terms, "last_date": max(e.date for e in items).isoformat(),
                "db_bytes": sum(p.stat().st_size for p in vault_dir.iterdir()),
                "build_seconds": {"generate": round(t_gen, 2), "put_many": round(t_put, 2)}}
        if jrnl_file.is_file():   # kept from an older schema's cache
            meta["jrnl_bytes"] = jrnl_file.stat().st_size
        meta_path.write_text(json.dumps(meta, indent=1))
    if with_jrnl and not jrnl_file.is_file() and jrnl.available():
        if items is None:
            log(f"[{size}] regenerating {size:,} entries for jrnl ...")
            items = gen.entries(size)
        log(f"[{size}] writing the encrypted jrnl journal with jrnl's own code ...")
        jrnl.write_encrypted(gen.to_jrnl_text(items), jrnl_file, PASSPHRASE)
        meta["jrnl_bytes"] = jrnl_file.stat().st_size
        meta_path.write_text(json.dumps(meta, indent=1))
    return Built(size, directory, vault_dir, jrnl_file if jrnl_file.is_file() else None, meta)


def work_copy(built: Built, name: str) -> Path:
    """A throwaway copy of the vault (for commands that write), under the cache dir."""
    target = built.directory / "work" / name
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(built.vault, target)
    # Write the copy out now: else the first fsync of a timed command (ext4 orders data
    # before its journal commit) waits for hundreds of MB of this copy to reach the disk.
    os.sync()
    return target


def next_dates(built: Built, count: int) -> list[str]:
    from datetime import date

    last = date.fromisoformat(built.meta["last_date"])
    return [(last + timedelta(days=i + 1)).isoformat() for i in range(count)]


def kdf_seconds(kdf: crypto.KdfParams, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        crypto.derive_kek(PASSPHRASE, b"\1" * 16, kdf)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)

