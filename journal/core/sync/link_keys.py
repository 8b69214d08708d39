"""The link's keys kept in step: the link (with the escrow beside it) sealed under the
vault's data key, this machine's key file in the folder, and sync keys of a new epoch
learnt from the folder with the passphrase."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from journal.core.errors import JournalError
from journal.core.sync import escrow, folder_keys
from journal.core.sync.layout import Folder
from journal.core.sync.state import Link, SyncState

if TYPE_CHECKING:
    from journal.core.store.vault import Vault

#: What the vault derives the key sealing the link from.
LINK_PURPOSE = "sync-link"


def _keys_blob(keys: dict[int, bytes]) -> bytes:
    return json.dumps({str(e): k.hex() for e, k in sorted(keys.items())}).encode()


def write_key_file(folder: Folder, link: Link, passphrase: str, vault: Vault) -> None:
    """This machine's key file: every epoch's sync key wrapped under the passphrase."""
    key_file = folder_keys.wrap(_keys_blob(link.keys), passphrase, link.folder_id,
                                link.machine, link.epoch, vault.header.kdf)
    folder.write(folder.key_path(link.machine), key_file.encode())


def reseal(state: SyncState, vault: Vault) -> None:
    """The link as it is now sealed under the vault's keys, and the escrow under the link's
    current epoch, in one transaction of sync.db."""
    with state.transaction():
        state.save_link(vault.derived_key(LINK_PURPOSE))
        escrow.store(state, vault)


def learn_keys(state: SyncState, vault: Vault, folder: Folder, passphrase: str | None,
               allow_weak: bool) -> bool:
    """Sync keys of epochs another machine started, read from the folder's key files with
    the passphrase, kept in the link and this machine's key file. False when there is no
    passphrase, it opens nothing, or it brings no new epoch."""
    if passphrase is None:
        return False
    link = state.link
    try:
        _fid, keys = folder_keys.open_any(folder, passphrase, allow_weak, link.folder_id)
    except JournalError:
        return False
    if not set(keys) - set(link.keys):
        return False
    link.keys.update(keys)
    link.epoch = max(link.keys)
    reseal(state, vault)
    write_key_file(folder, link, passphrase, vault)
    return True
