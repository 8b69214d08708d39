"""The vault's header: the one record read before the passphrase is known (its format, the
vault id, the key derivation's setting and salt). Its canonical bytes are the associated data
of the data-key wrap. Kept light (no `cryptography` but Argon2id's parameters), so a command
can read it and start deriving its key before importing the rest of the core.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from journal.core.errors import StorageError, VaultDamaged, VaultNotFound
from journal.core.store import schema
from journal.core.store.kdf import KdfParams
from journal.core.store.schema import (
    SQLITE_MAGIC,
    connect,
    db_path,
    refuse_symlinks,
    storage_error,
)


@dataclass(frozen=True)
class Header:
    vault_id: bytes
    kdf: KdfParams
    salt: bytes

    def encode(self) -> bytes:
        return json.dumps(
            {"format": schema.FORMAT, "version": 1, "vault_id": self.vault_id.hex(),
             "kdf": self.kdf.to_json(), "salt": base64.b64encode(self.salt).decode()},
            sort_keys=True, separators=(",", ":"),
        ).encode()

    @classmethod
    def decode(cls, raw: bytes) -> Header:
        """Parse the stored header. Only VaultDamaged can come out of here (fuzzed in
        tests/core/test_security_fuzz.py), and only the canonical encoding is accepted, so
        one header has exactly one byte form (age's rule against malleable headers)."""
        damaged = VaultDamaged("the vault header is damaged")
        if not isinstance(raw, bytes):
            raise damaged
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):
            raise damaged from None
        if not isinstance(data, dict):
            raise damaged
        if data.get("format") != schema.FORMAT or data.get("version") != 1:
            raise VaultDamaged("this is not a journal vault of a version this program knows")
        try:
            header = cls(bytes.fromhex(data["vault_id"]),
                         KdfParams.from_json(data["kdf"]),
                         base64.b64decode(data["salt"], validate=True))
        except (ValueError, KeyError, TypeError):
            raise damaged from None
        if len(header.vault_id) != 16 or len(header.salt) != 16 or header.encode() != raw:
            raise damaged
        return header


def read_header(directory: Path) -> tuple[Header, sqlite3.Connection]:
    """Open read-only and check this is our vault, before any pragma can touch it."""
    path = db_path(directory)
    refuse_symlinks(path)  # before reading a byte: never through a link
    if not path.is_file():
        raise VaultNotFound(f"no vault at {directory} (create one with 'journal init')")
    foreign = VaultDamaged(f"{path} is not a journal vault; left unmodified")
    try:
        with open(path, "rb") as handle:
            if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                raise foreign  # not even SQLite: never hand it to SQLite at all
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror}") from None
    conn = connect(path, readonly=True)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key='header'").fetchone()
        if row is None:
            raise VaultDamaged(f"{path} has no vault header; left unmodified")
        return Header.decode(row[0]), conn
    except sqlite3.DatabaseError as exc:
        conn.close()
        text = str(exc)
        if "no such table" in text or "not a database" in text or "malformed" in text:
            raise foreign from None
        raise storage_error(exc) from None
    except BaseException:
        conn.close()
        raise

