"""A jrnl journal (or any import source, `--format`) imported into a new vault, as
`journal import` runs it (the source checked and opened, planned against the vault,
written), with the test KDF so that the key derivation is left out: CPU time of each step
and the peak RSS. `make bench` runs it on the worst formats (`bench.run._import_figures`,
sources from `bench.import_sources`).

  python -m bench.jrnl_import bench/results/cache/<demo-...-50000-...>/jrnl.txt
  python -m bench.jrnl_import JOURNAL --plain-copy PLAIN.txt   # and its decrypted text
  python -m bench.jrnl_import OUT/dayone.json --format dayone  # bench.import_sources' OUT

The bench's journals are jrnl v3, encrypted with the bench's passphrase (bench.vaults).
`--plain-copy` writes the decrypted text of the bench's (generated) journal to PLAIN.txt
first and imports that: the plain-text case. Run it under `/usr/bin/time -f '%e s wall
%U+%S s cpu %M KB'` for the whole process.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from bench.vaults import PASSPHRASE
from journal.core.exchange import importers
from journal.core.exchange.importers import jrnl
from journal.core.exchange.importers import plan as planning
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import Vault


def _peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("journal", type=Path)
    parser.add_argument("--plain-copy", type=Path, metavar="PLAIN")
    parser.add_argument("--format", default="jrnl", help="the source's import format "
                        "(bench.import_sources makes one of each)")
    args = parser.parse_args()
    source_path = args.journal
    if args.plain_copy is not None:
        found = jrnl._journal(source_path, PASSPHRASE, None)  # noqa: SLF001
        assert isinstance(found, tuple), "not jrnl text"
        args.plain_copy.write_text(found[0], encoding="utf-8")
        print(f"wrote {args.plain_copy}; run again on it in a fresh process")
        return
    with tempfile.TemporaryDirectory() as tmp:
        vault, _ = Vault.create(Path(tmp) / "vault", "bench: a test passphrase",
                                kdf=KdfParams.fast_for_tests(), recovery=False)
        started = time.process_time()
        source = importers.open_source(source_path, args.format,
                                       source_passphrase=PASSPHRASE)
        opened, peak_open = time.process_time(), _peak_mb()
        result = planning.plan_source(vault, source)
        planned = time.process_time()
        written = planning.apply(vault, result)
        done = time.process_time()
        source.close()
        vault.close()
    print(f"{type(source).__name__}: {written:,} entries; cpu: open {opened - started:.1f} s, "
          f"plan {planned - opened:.1f} s, write {done - planned:.1f} s; peak RSS "
          f"{peak_open} MB after open, {_peak_mb()} MB in all")


if __name__ == "__main__":
    main()
