"""A passphrase changed on another machine opens this one too.

Each machine's vault has its own data key and wrap. So that `journal passwd` on one machine
reaches the others, each linked machine keeps in its `sync.db` its vault's data key sealed
(AES-256-GCM) under a key HKDF-derived from the folder's current sync key and its machine
id: the *escrow*. When the vault does not open with a typed passphrase, but that
passphrase opens a key file in the sync folder (the machine where it was changed re-wrapped
its own), the sync keys it yields open the escrow, the vault opens with its data key, and
its wrap is changed to the new passphrase: one unlock, and from then on the vault opens
with it directly.

What it adds to an attacker's reach: someone holding this machine's disk *and* the sync key
of the current epoch (any linked machine, or the passphrase) can open this vault, which
the passphrase already allowed. A retired machine holds only older epochs' keys; the escrow
is re-sealed under each new epoch (`sync forget`, `rotate-keys`) and the old one is
overwritten (secure_delete).
"""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path
from typing import TYPE_CHECKING

from journal.core.errors import JournalError
from journal.core.store import crypto
from journal.core.sync import folder_keys
from journal.core.sync.layout import Folder
from journal.core.sync.state import SyncState

if TYPE_CHECKING:
    from journal.core.store.vault import Vault

_AAD = b"journal/sync/v1/escrow|"


def _key(sync_key: bytes, machine: str) -> bytes:
    return crypto.subkey(sync_key, f"sync-escrow|{machine}")


def store(state: SyncState, vault: Vault) -> None:
    """Seal the vault's current data key under the current epoch (inside a transaction)."""
    link = state.link
    blob = crypto.seal(_key(link.keys[link.epoch], link.machine), vault.keyring.dek,
                       _AAD + link.machine.encode())
    state.conn.execute("INSERT OR REPLACE INTO meta VALUES ('escrow', ?)",
                       (struct.pack(">I", link.epoch) + blob,))


def stale(state: SyncState) -> bool:
    row = state.conn.execute("SELECT value FROM meta WHERE key='escrow'").fetchone()
    return row is None or struct.unpack(">I", row[0][:4])[0] != state.link.epoch


def data_key(directory: Path, passphrase: str, allow_weak: bool = False) -> bytes | None:
    """The escrowed data key of the vault at `directory`, if `passphrase` opens a key file
    of its sync folder; None when the vault is not linked, keeps no escrow, or the
    passphrase opens nothing there."""
    if not SyncState.exists(directory):
        return None
    conn = SyncState.connect(directory)
    try:
        machine = SyncState.machine_of(conn)
        folder = conn.execute("SELECT value FROM meta WHERE key='folder'").fetchone()
        escrow = conn.execute("SELECT value FROM meta WHERE key='escrow'").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    if machine is None or folder is None or escrow is None:
        return None
    epoch = struct.unpack(">I", escrow[0][:4])[0]
    try:
        _folder_id, keys = folder_keys.open_any(Folder(Path(folder[0].decode())), passphrase,
                                                allow_weak)
    except JournalError:
        return None
    if epoch not in keys:
        return None
    try:
        return crypto.open_sealed(_key(keys[epoch], machine), escrow[0][4:],
                                  _AAD + machine.encode())
    except crypto.DecryptError:
        return None
