"""The keys of an unlocked vault: unwrapping at unlock, the subkeys, the wraps of the data
key (passphrase, recovery code), the sealing key pair of quick capture, and rekeying.

`KeyRing` holds the header and the data key and writes only key material (`meta` rows),
always inside the transaction its owner (the Vault) opened. The header
(journal.core.store.header) gives the associated data of the data-key wrap. Design:
docs/security.md, "Key hierarchy".
"""

from __future__ import annotations

import hmac
import json
import os
import sqlite3
from datetime import date

from journal.core.errors import ConflictError, ValidationError, WrongPassphrase
from journal.core.store import crypto
from journal.core.store.header import Header
from journal.core.store.schema import meta, put_meta

WRONG = "wrong passphrase (or the vault header is damaged)"
KEYS_CHANGED = ("the vault's keys were changed by another program since it was unlocked "
                "(or its manifest is damaged); lock and unlock again")
#: Every subkey derived from the data key, by purpose.
PURPOSES = ("entry-aead", "summary-aead", "manifest-mac", "manifest-info", "blind-index",
            "seal-key")
_RECOVERY_AAD = b"journal/v1/recovery|"
_SEAL_PRIVATE_AAD = b"journal/v1/seal-private"


#: The meta rows `unwrap` needs.
WRAPS = ("dek_wrap", "recovery_wrap", "recovery_kdf")


def _kdf_bytes(kdf: crypto.KdfParams) -> bytes:
    return json.dumps(kdf.to_json(), sort_keys=True, separators=(",", ":")).encode()


def _recovery_aad(vault_id: bytes, bound_kdf: bytes | None) -> bytes:
    """A recovery wrap binds the key-derivation settings of the vault when it was made
    (`recovery_kdf`), so an edited header cannot pass for them; wraps made before that
    (no `recovery_kdf`) bind the vault id only."""
    return _RECOVERY_AAD + vault_id + (b"|kdf|" + bound_kdf if bound_kdf is not None else b"")


#: The answer to a recovery code at a vault made without one (`init --no-recovery-code`).
NO_RECOVERY_CODE = "this vault has no recovery code"


def unwrap(header: Header, wraps: dict[str, bytes], passphrase: str | None,
           recovery_code: str | None) -> tuple[bytes, crypto.KdfParams | None]:
    """The data key, from the passphrase or the recovery code, and the key-derivation
    settings that unlock vouches for: the header's (authenticated by the passphrase wrap),
    those bound to the recovery wrap, or None (a recovery wrap from before the binding: the
    header is unverified). WrongPassphrase if neither opens its wrap."""
    try:
        if recovery_code is not None:
            blob = wraps.get("recovery_wrap")
            if blob is None:
                raise WrongPassphrase(NO_RECOVERY_CODE)
            bound = wraps.get("recovery_kdf")
            salt, wrapped = blob[:16], blob[16:]
            dek = crypto.open_sealed(crypto.recovery_key(recovery_code, salt), wrapped,
                                     _recovery_aad(header.vault_id, bound))
            return dek, (None if bound is None else
                         crypto.KdfParams.from_json(json.loads(bound.decode())))
        if passphrase is None:
            raise WrongPassphrase("a passphrase is needed to unlock the vault")
        kek = crypto.derive_kek(passphrase, header.salt, header.kdf)
        return crypto.open_sealed(kek, wraps.get("dek_wrap", b""), header.encode()), header.kdf
    except crypto.DecryptError:
        message = WRONG if recovery_code is None else "wrong recovery code"
        raise WrongPassphrase(message) from None


def is_weaker(kdf: crypto.KdfParams, than: crypto.KdfParams) -> bool:
    """Any of memory, passes or lanes lower."""
    return (kdf.memory_kib < than.memory_kib or kdf.iterations < than.iterations
            or kdf.lanes < than.lanes)


class KeyRing:
    """The header, the data key and its subkeys (`subkeys[purpose]`), and the
    key-derivation settings the unlock vouched for (`trusted_kdf`, None if none did)."""

    def __init__(self, conn: sqlite3.Connection, header: Header, dek: bytes,
                 trusted_kdf: crypto.KdfParams | None = None) -> None:
        self._conn = conn
        self.header = header
        self.trusted_kdf = trusted_kdf
        self.dek = b""
        self.subkeys: dict[str, bytes] = {}
        self._adopt(dek)

    def _adopt(self, dek: bytes) -> None:
        self.dek = dek
        self.subkeys = {p: crypto.subkey(dek, p) for p in PURPOSES}

    def forget(self) -> None:
        """Drop every key (lock)."""
        self.dek = b""
        self.subkeys = {}

    @property
    def vault_id(self) -> bytes:
        return self.header.vault_id

    def day_key(self, day: date) -> bytes:
        return hmac.new(self.subkeys["blind-index"], f"day|{day.isoformat()}".encode(),
                        "sha256").digest()[:16]

    # -- are these the keys on disk? ------------------------------------------------------
    def keys_current(self) -> bool:
        """Is the manifest on disk sealed under our data key? False once another program
        (a second window, the CLI) rotated the keys since we unlocked."""
        blob = meta(self._conn, "manifest")
        if blob is None:  # only while the vault is being created
            return True
        try:
            crypto.open_json(self.subkeys["manifest-info"], blob,
                             crypto.MANIFEST_PREFIX + self.vault_id)
        except crypto.DecryptError:
            return False
        return True

    def check_current(self) -> None:
        if not self.keys_current():
            raise ConflictError(KEYS_CHANGED)

    # -- wraps (inside the owner's write transaction) --------------------------------------
    def write_wrap(self, header: Header, kek: bytes) -> None:
        """The header and the data key wrapped under `kek` (derived for that header); the
        owner adopts `header` once this commits."""
        put_meta(self._conn, "header", header.encode())
        put_meta(self._conn, "dek_wrap", crypto.seal(kek, self.dek, header.encode()))

    def write_recovery(self, code: str) -> None:
        """The data key wrapped under the recovery code, bound to the header's
        key-derivation settings (the caller has authenticated the header)."""
        salt = os.urandom(16)
        bound = _kdf_bytes(self.header.kdf)
        wrapped = crypto.seal(crypto.recovery_key(code, salt), self.dek,
                              _recovery_aad(self.vault_id, bound))
        put_meta(self._conn, "recovery_wrap", salt + wrapped)
        put_meta(self._conn, "recovery_kdf", bound)

    def write_seal_keys(self) -> None:
        private, public = crypto.new_seal_keypair()
        put_meta(self._conn, "seal_public", public)
        put_meta(self._conn, "seal_private", crypto.seal(self.subkeys["seal-key"], private,
                                                         _SEAL_PRIVATE_AAD))

    # -- passphrase change and rotation ----------------------------------------------------
    def new_passphrase_wrap(self, new_passphrase: str, kdf: crypto.KdfParams | None
                            ) -> tuple[Header, bytes, str | None]:
        """A fresh salt and the key-encryption key for a new passphrase (slow: the KDF runs
        here, before any transaction), and a note for the person, if any. The settings kept
        are those the unlock vouched for, never the header's alone (an edited header must
        not lower them for good); lowering them on purpose is refused."""
        if not new_passphrase:
            raise ValidationError("the passphrase must not be empty")
        base = self.trusted_kdf or self.header.kdf
        if kdf is not None and is_weaker(kdf, base):
            raise ValidationError("the new key derivation settings are weaker than the "
                                  "vault's; nothing was changed")
        note = None
        if self.trusted_kdf is None:
            note = ("the key derivation settings were taken from the vault header, which this "
                    "older recovery code cannot vouch for: run 'journal rotate-keys' to bind "
                    "them to a new recovery code")
        elif self.header.kdf != self.trusted_kdf:
            note = ("the vault header's key derivation settings had been changed outside the "
                    "journal; the settings the recovery code vouches for are restored")
        new = Header(self.header.vault_id, kdf or base, os.urandom(16))
        return new, crypto.derive_kek(new_passphrase, new.salt, new.kdf), note

    def kek_on_disk(self, passphrase: str) -> tuple[Header, bytes]:
        """Inside a write transaction: the header as stored and the key-encryption key
        `passphrase` gives for it; WrongPassphrase if it does not open the stored wrap."""
        header = Header.decode(meta(self._conn, "header") or b"")
        kek = crypto.derive_kek(passphrase, header.salt, header.kdf)
        try:
            crypto.open_sealed(kek, meta(self._conn, "dek_wrap") or b"", header.encode())
        except crypto.DecryptError:
            raise WrongPassphrase(WRONG) from None
        return header, kek

    def state(self) -> tuple[Header, bytes]:
        return self.header, self.dek

    def restore(self, state: tuple[Header, bytes]) -> None:
        """Back to `state()` (a rotation that rolled back)."""
        self.header = state[0]
        self._adopt(state[1])

    def rekey(self, header: Header, kek: bytes, recovery_code: str | None) -> None:
        """A new random data key, wrapped under `kek`, a new recovery wrap (or none) and a
        new sealing key pair; inside the rotation's transaction."""
        self.header = header
        self.trusted_kdf = header.kdf  # the passphrase opened the wrap of this header
        self._adopt(os.urandom(crypto.KEY_LEN))
        put_meta(self._conn, "dek_wrap", crypto.seal(kek, self.dek, header.encode()))
        self._conn.execute("DELETE FROM meta WHERE key IN ('recovery_wrap', 'recovery_kdf')")
        if recovery_code:
            self.write_recovery(recovery_code)
        self.write_seal_keys()

    # -- the sealing key of quick capture --------------------------------------------------
    def seal_private_key(self) -> bytes:
        return crypto.open_sealed(self.subkeys["seal-key"],
                                  meta(self._conn, "seal_private") or b"", _SEAL_PRIVATE_AAD)

    def sealing_key_problem(self) -> str | None:
        """Quick capture seals to the public key on disk, which nothing can authenticate
        without the passphrase. Someone able to write the vault directory could swap in a
        key of their own and read later captures; at each unlock we compare it with the
        (authenticated) private key, so the swap is found and reported."""
        try:
            expected = crypto.public_of(self.seal_private_key())
        except (crypto.DecryptError, ValueError):
            return "the vault's sealing key is damaged"
        stored = meta(self._conn, "seal_public")
        if isinstance(stored, bytes) and hmac.compare_digest(stored, expected):
            return None
        return ("the public key for quick capture was replaced outside the journal: entries "
                "captured with it may be readable by whoever replaced it (key restored)")

    def write_public_key(self) -> None:
        """Put back the public key that belongs to our private key (in a transaction)."""
        put_meta(self._conn, "seal_public", crypto.public_of(self.seal_private_key()))
