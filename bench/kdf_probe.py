"""`python -m bench.kdf_probe VAULT`: time crypto.derive_kek alone, with the vault's own KDF
setting and salt, in a fresh process; prints the seconds. Run beside each size's commands so
"key derivation + x" targets compare figures taken under the same machine load."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from journal.core.store import crypto
from journal.core.store.vault import Vault


def main(vault_dir: str) -> None:
    header, conn = Vault.read_header(Path(vault_dir))
    conn.close()
    start = time.perf_counter()
    crypto.derive_kek("bench: not the passphrase", header.salt, header.kdf)
    print(f"{time.perf_counter() - start:.6f}")


if __name__ == "__main__":
    main(sys.argv[1])
