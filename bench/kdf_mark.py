"""`python -m bench.kdf_mark FILE ARGS...`: run `journal ARGS...` exactly as the console
script does (`journal.launch.main`), and write to FILE when each Argon2id derivation of the
vault's key started and ended (`time.monotonic()`, which is the same clock in every process
on Linux), so `bench.after_kdf` can say how long the command took *after* the key
derivation ended, up to the process's exit, without any change to the program. Only the
derivation itself is wrapped (`kdf._derive`: the head start's and the main thread's alike;
the RFC 9106 self-test vector is not a derivation of the key)."""

from __future__ import annotations

import sys
import time


def main() -> None:
    path, args = sys.argv[1], sys.argv[2:]
    from journal.core.store import kdf

    derive = kdf._derive
    marks: list[str] = []

    def timed(*a: object, **k: object) -> bytes:
        start = time.monotonic()
        try:
            return derive(*a, **k)  # type: ignore[arg-type]
        finally:
            marks.append(f"{start:.6f} {time.monotonic():.6f}")
            with open(path, "w") as handle:  # a line per derivation, rewritten each time
                handle.write("\n".join(marks) + "\n")

    kdf._derive = timed  # type: ignore[assignment]
    sys.argv = ["journal", *args]
    from journal.launch import main as journal_main

    journal_main()


if __name__ == "__main__":
    main()
