"""Core-level timings in one fresh process, printed as JSON (run by bench.run):

  python -m bench.probe VAULT WORK_COPY TAG WORD ADD_DATE [--profile]

BENCH_PASSPHRASE holds the passphrase. Each step is timed on its own: key derivation,
Vault.open, verify_manifest, vault.entries() (full decrypt), query.search (tag, text),
reflection.reflect, and one put on a throwaway copy of the vault. Peak memory is read from
/proc/self/status (VmHWM), reset after the key derivation so the data's own peak shows apart
from Argon2id's memory.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

PROFILE_LINES = 22


def _status(field: str) -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class Probe:
    def __init__(self, profile: bool) -> None:
        self.profile = profile
        self.out: dict[str, Any] = {"seconds": {}, "counts": {}, "memory_mb": {},
                                    "profiles": {}, "notes": []}

    def time(self, name: str, fn: Callable[[], Any]) -> Any:
        prof = cProfile.Profile() if self.profile else None
        start = time.perf_counter()
        if prof:
            prof.enable()
        try:
            return fn()
        finally:
            if prof:
                prof.disable()
            self.out["seconds"][name] = time.perf_counter() - start
            if prof:
                self.out["profiles"][name] = _summarise(prof)


def _summarise(prof: cProfile.Profile) -> str:
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.strip_dirs().sort_stats("tottime").print_stats(PROFILE_LINES)
    text = buf.getvalue()
    return text[text.find("   ncalls"):] if "   ncalls" in text else text


def main(argv: list[str]) -> None:
    vault_dir, work_dir, tag, word, add_date = argv[:5]
    profile = "--profile" in argv
    passphrase = os.environ["BENCH_PASSPHRASE"]
    p = Probe(profile)
    t_import = time.perf_counter()
    from journal.core.model import query
    from journal.core.model.entries import Entry, Moment
    from journal.core.model.markup import extract_mentions
    from journal.core.store import crypto
    from journal.core.store.vault import Vault
    p.out["seconds"]["import_core"] = time.perf_counter() - t_import

    header, conn = Vault.read_header(Path(vault_dir))
    conn.close()
    p.time("derive_kek", lambda: crypto.derive_kek(passphrase, header.salt, header.kdf))
    p.out["memory_mb"]["after_kdf_peak"] = _status("VmHWM")
    vault = p.time("open_no_verify", lambda: Vault.open(Path(vault_dir), passphrase,
                                                        verify=False))
    p.time("verify_manifest", vault.verify_manifest)
    p.out["memory_mb"]["after_open_rss"] = _status("VmRSS")
    if not _reset_peak():
        p.out["notes"].append("could not reset the peak RSS: data peak includes the KDF")
    p.out["counts"]["entries_in_vault"] = vault.count()

    from journal.core.reflection import reflect_rows
    from journal.core.store.bulk import paused_gc

    index = p.time("index_load", vault.index)  # the encrypted index (schema 4)
    p.out["memory_mb"]["after_index_rss"] = _status("VmRSS")
    extract_mentions.cache_clear()
    hits = p.time("search_vault_tag",
                  lambda: query.search_vault(vault, query.Query.parse(f"#{tag}")))
    p.out["counts"]["search_vault_tag"] = len(hits)
    p.time("first_10_of_tag", lambda: hits[:10])
    hits = p.time("search_vault_text",
                  lambda: query.search_vault(vault, query.Query.parse(word)))
    p.out["counts"]["search_vault_text"] = len(hits)
    hits = []  # as separate commands would, reflect without the text search's matches

    def reflect_index() -> dict:
        with paused_gc():  # as `journal reflect` does
            return reflect_rows(index.day_rows())

    p.time("reflect_index", reflect_index)
    index = hits = []
    p.out["memory_mb"]["index_peak"] = _status("VmHWM")

    entries = p.time("decrypt_all", vault.entries)
    p.out["memory_mb"]["after_decrypt_rss"] = _status("VmRSS")
    p.time("entries_cached", vault.entries)
    day = date.fromisoformat(add_date)

    extract_mentions.cache_clear()
    hits = p.time("search_tag", lambda: query.search(entries, query.Query.parse(f"#{tag}")))
    p.out["counts"]["search_tag"] = len(hits)
    hits = p.time("search_tag_warm", lambda: query.search(entries, query.Query.parse(f"#{tag}")))
    hits = p.time("search_text", lambda: query.search(entries, query.Query.parse(word)))
    p.out["counts"]["search_text"] = len(hits)
    try:
        from journal.core.reflection import reflect
    except ImportError:
        p.out["notes"].append("journal.core.reflection.reflect: not yet implemented")
    else:
        extract_mentions.cache_clear()
        result = p.time("reflect", lambda: reflect(entries))
        p.out["counts"]["reflect_findings"] = len(result.get("findings", []))
    p.out["memory_mb"]["data_peak"] = _status("VmHWM")
    vault.close()
    entries = hits = []  # let the decrypted entries go before writing

    # Writing: one new entry into a throwaway copy (the cached vault stays pristine).
    new = Entry(date=day, body="# Added by the bench\n\nA short note about #triage with @sam.",
                moments=[Moment(kind="concern", intensity=4, context="work", tags=["triage"])])
    work = p.time("open_work_copy", lambda: Vault.open(Path(work_dir), passphrase))
    p.time("get_by_date", lambda: work.get_by_date(day))
    p.time("put_one", lambda: work.put(new))
    work.close()
    p.out["memory_mb"]["process_peak"] = _status("VmHWM")
    import resource

    p.out["memory_mb"]["ru_maxrss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump(p.out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
