"""The folder's sync key, wrapped under the passphrase: one small file per machine.

`keys/<machine>.key` holds JSON in clear: the folder id, the writing machine, the key epoch,
Argon2id parameters and salt, and the sync key sealed (AES-256-GCM) under the key derived
from the passphrase, its associated data binding all those fields. A new machine joins with
the passphrase alone; a host of the folder who lacks it learns nothing and cannot forge a
wrap (the tag fails). Each machine writes only its own key file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from journal.core.errors import JournalError, NotLinked, ValidationError, WrongPassphrase
from journal.core.store import crypto
from journal.core.store.kdf import KdfParams
from journal.core.sync.layout import Folder, read

FORMAT = "journal-sync-key"
#: Key files tried per opening (each try is one Argon2id derivation), and the most memory
#: one may ask for (calibration stays at or below 128 MiB; the floor is 64 MiB): a hostile
#: folder cannot make us derive without end.
MAX_KEY_FILE_TRIES = 16
MAX_KEY_FILE_KIB = 1024 * 1024
_AAD = b"journal/sync/v1/key|"


@dataclass(frozen=True)
class KeyFile:
    folder_id: str
    machine: str
    epoch: int
    kdf: KdfParams
    salt: bytes
    wrap: bytes

    def _aad(self) -> bytes:
        k = self.kdf
        return _AAD + (f"{self.folder_id}|{self.machine}|{self.epoch}|{k.memory_kib}|"
                       f"{k.iterations}|{k.lanes}|").encode() + self.salt

    def encode(self) -> bytes:
        k = self.kdf
        return json.dumps({"format": FORMAT, "version": 1, "folder": self.folder_id,
                           "machine": self.machine, "epoch": self.epoch,
                           "kdf": [k.memory_kib, k.iterations, k.lanes],
                           "salt": self.salt.hex(), "wrap": self.wrap.hex()},
                          sort_keys=True).encode() + b"\n"

    @classmethod
    def decode(cls, data: bytes) -> KeyFile:
        try:
            obj = json.loads(data.decode("utf-8"))
            if obj["format"] != FORMAT or obj["version"] != 1:
                raise ValueError
            kdf = KdfParams(*(int(v) for v in obj["kdf"]))
            found = cls(str(obj["folder"]), str(obj["machine"]), int(obj["epoch"]), kdf,
                        bytes.fromhex(obj["salt"]), bytes.fromhex(obj["wrap"]))
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise ValidationError("not a journal sync key file") from None
        if kdf.is_absurd():
            raise ValidationError("a sync key file asks for absurd key derivation settings")
        return found

    def open(self, passphrase: str, *, allow_weak: bool = False) -> bytes:
        if self.kdf.is_below_floor() and not allow_weak:
            raise ValidationError("a sync key file's key derivation is below the safe minimum")
        kek = crypto.derive_kek(passphrase, self.salt, self.kdf)
        try:
            return crypto.open_sealed(kek, self.wrap, self._aad())
        except crypto.DecryptError:
            raise WrongPassphrase("the passphrase does not open the sync folder's key "
                                  f"(machine {self.machine}, epoch {self.epoch})") from None


def tries_key(folder: Folder) -> bytes:
    """What wrong passphrases tried at this folder are counted under (the growing wait,
    journal.core.store.failed_unlocks), readable before any passphrase: a hash of the
    folder ids its key files name, so the same folder copied elsewhere, or joined into
    another vault directory, shares one count. NotLinked when it holds no key file."""
    ids = set()
    for path in folder.key_files():
        data = read(path)
        try:
            if data is not None:
                ids.add(KeyFile.decode(data).folder_id)
        except JournalError:
            continue
    if not ids:
        raise NotLinked(f"{folder.base} holds no journal sync keys (not a sync folder?)")
    return crypto.digest(("sync-folder|" + "|".join(sorted(ids))).encode())[:16]


def wrap(secret: bytes, passphrase: str, folder_id: str, machine: str, epoch: int,
         kdf: KdfParams) -> KeyFile:
    blank = KeyFile(folder_id, machine, epoch, kdf, os.urandom(16), b"")
    kek = crypto.derive_kek(passphrase, blank.salt, kdf)
    return KeyFile(folder_id, machine, epoch, kdf, blank.salt,
                   crypto.seal(kek, secret, blank._aad()))


def open_any(folder: Folder, passphrase: str, allow_weak: bool,
             folder_id: str | None = None) -> tuple[str, dict[int, bytes]]:
    """The folder id and every epoch's sync key, from the newest key file the passphrase
    opens (each try costs one key derivation, newest epoch first)."""
    decoded = []
    for path in folder.key_files():
        data = read(path)
        try:
            if data is not None:
                decoded.append(KeyFile.decode(data))
        except JournalError:
            continue
    # A hostile folder could hold many key files asking for costly derivations: try only
    # parameters a vault of ours would choose, and a bounded number of them.
    decoded = [k for k in decoded if (folder_id is None or k.folder_id == folder_id)
               and k.kdf.memory_kib <= MAX_KEY_FILE_KIB and k.kdf.iterations <= 20]
    decoded.sort(key=lambda k: -k.epoch)
    decoded = decoded[:MAX_KEY_FILE_TRIES]
    tried: set[tuple[bytes, int]] = set()
    for key_file in decoded:
        if (key_file.salt, key_file.epoch) in tried:
            continue
        tried.add((key_file.salt, key_file.epoch))
        try:
            secret = key_file.open(passphrase, allow_weak=allow_weak)
        except JournalError:  # wrong passphrase, or parameters below the floor
            continue
        try:
            keys = {int(e): bytes.fromhex(k) for e, k in json.loads(secret).items()}
        except (ValueError, AttributeError):
            continue
        return key_file.folder_id, keys
    if not decoded:
        raise NotLinked(f"{folder.base} holds no journal sync keys (not a sync folder?)")
    raise WrongPassphrase("the passphrase opens none of the sync folder's keys")
