"""The vault's keys: unwrapping at unlock, the subkeys, passphrase change and key rotation.

`KeyRing` is a part of `journal.core.store.vault.Vault` (a mixin: it uses the vault's connection,
transactions and cache). The header (journal.core.store.header), whose canonical bytes are the
associated data of the data-key wrap, is re-exported here. Design: docs/security.md, "Key
hierarchy".
"""

from __future__ import annotations

import hmac
import os
from datetime import date

from journal.core.errors import ConflictError, ValidationError, WrongPassphrase
from journal.core.store import crypto
from journal.core.store.header import Header

WRONG = "wrong passphrase (or the vault header is damaged)"
KEYS_CHANGED = ("the vault's keys were changed by another program since it was unlocked "
                "(or its manifest is damaged); lock and unlock again")


class KeyRing:
    """Key handling of an unlocked vault (mixed into `Vault`)."""

    @staticmethod
    def _unwrap(header: Header, wraps: dict[str, bytes], passphrase: str | None,
                recovery_code: str | None) -> bytes:
        try:
            if recovery_code is not None:
                blob = wraps.get("recovery_wrap")
                if blob is None:
                    raise WrongPassphrase("this vault has no recovery code")
                salt, wrapped = blob[:16], blob[16:]
                return crypto.open_sealed(crypto.recovery_key(recovery_code, salt), wrapped,
                                          b"journal/v1/recovery|" + header.vault_id)
            if passphrase is None:
                raise WrongPassphrase("a passphrase is needed to unlock the vault")
            kek = crypto.derive_kek(passphrase, header.salt, header.kdf)
            return crypto.open_sealed(kek, wraps.get("dek_wrap", b""), header.encode())
        except crypto.DecryptError:
            message = WRONG if recovery_code is None else "wrong recovery code"
            raise WrongPassphrase(message) from None

    def _set_dek(self, dek: bytes) -> None:
        self._dek = dek
        self._keys = {p: crypto.subkey(dek, p) for p in
                      ("entry-aead", "summary-aead", "manifest-mac", "manifest-info", "blind-index",
                       "seal-key")}

    def _wrap_recovery(self, code: str) -> None:
        salt = os.urandom(16)
        wrapped = crypto.seal(crypto.recovery_key(code, salt), self._dek,
                              b"journal/v1/recovery|" + self.header.vault_id)
        self._put_meta("recovery_wrap", salt + wrapped)

    def _new_seal_keys(self) -> None:
        private, public = crypto.new_seal_keypair()
        self._put_meta("seal_public", public)
        self._put_meta("seal_private", crypto.seal(self._keys["seal-key"], private,
                                                   b"journal/v1/seal-private"))

    def day_key(self, day: date) -> bytes:
        return hmac.new(self._keys["blind-index"], f"day|{day.isoformat()}".encode(),
                        "sha256").digest()[:16]

    def _keys_current(self) -> bool:
        """Is the manifest on disk sealed under our data key? False once another program
        (a second window, the CLI) rotated the keys since we unlocked."""
        blob = self._meta("manifest")
        if blob is None:  # only while the vault is being created
            return True
        try:
            crypto.open_json(self._keys["manifest-info"], blob,
                             crypto.MANIFEST_PREFIX + self.header.vault_id)
        except crypto.DecryptError:
            return False
        return True

    def _check_keys_current(self) -> None:
        if not self._keys_current():
            raise ConflictError(KEYS_CHANGED)

    def change_passphrase(self, new_passphrase: str, kdf: crypto.KdfParams | None = None) -> None:
        """Re-wrap the data key under a new passphrase: O(1), entries untouched."""
        if not new_passphrase:
            raise ValidationError("the passphrase must not be empty")
        header = Header(self.header.vault_id, kdf or self.header.kdf, os.urandom(16))
        kek = crypto.derive_kek(new_passphrase, header.salt, header.kdf)
        with self._write():
            self._put_meta("header", header.encode())
            self._put_meta("dek_wrap", crypto.seal(kek, self._dek, header.encode()))
        self.header = header
        self._checkpoint()

    def rotate_keys(self, passphrase: str, *, new_recovery: bool = True) -> str | None:
        """A new data key; every entry re-encrypted in one transaction. Returns the new
        recovery code (the old one stops working), or None. The passphrase, the header and
        the entries are all read inside the transaction, so a concurrent writer (another
        window, the CLI) can neither lose an entry nor be left with a mismatched key wrap."""
        from journal.core.store.sealed import merge_sealed

        merge_sealed(self)
        code = crypto.new_recovery_code() if new_recovery else None
        old_keys, old_dek, old_header = self._keys, self._dek, self.header
        try:
            with self._write():
                header = Header.decode(self._meta("header") or b"")
                kek = crypto.derive_kek(passphrase, header.salt, header.kdf)
                try:
                    crypto.open_sealed(kek, self._meta("dek_wrap") or b"", header.encode())
                except crypto.DecryptError:
                    raise WrongPassphrase(WRONG) from None
                self.verify_manifest()  # never re-MAC rows that were tampered with
                index = self.index()  # its summaries carry over: no body is parsed again
                self._cache = None
                entries = list(self._load().values())
                self.header = header
                self._set_dek(os.urandom(crypto.KEY_LEN))
                self._conn.execute("DELETE FROM entries")
                for entry in entries:
                    entry.version += 1
                    self._store_row(entry)
                self._put_meta("dek_wrap", crypto.seal(kek, self._dek, self.header.encode()))
                self._conn.execute("DELETE FROM meta WHERE key='recovery_wrap'")
                if code:
                    self._wrap_recovery(code)
                self._new_seal_keys()
                self._write_manifest()
                self._reseal_index(index)
        except BaseException:
            self._keys, self._dek, self.header = old_keys, old_dek, old_header
            self._cache = None
            raise
        self._cache = {e.id: e for e in entries}
        self._cache_version = self._data_version()
        self.compact()
        return code

    def seal_private_key(self) -> bytes:
        return crypto.open_sealed(self._keys["seal-key"], self._meta("seal_private") or b"",
                                  b"journal/v1/seal-private")

    def sealing_key_problem(self) -> str | None:
        """Quick capture seals to the public key on disk, which nothing can authenticate
        without the passphrase. Someone able to write the vault directory could swap in a
        key of their own and read later captures; at each unlock we compare it with the
        (authenticated) private key, so the swap is found and reported."""
        try:
            expected = crypto.public_of(self.seal_private_key())
        except (crypto.DecryptError, ValueError):
            return "the vault's sealing key is damaged"
        stored = self._meta("seal_public")
        if isinstance(stored, bytes) and hmac.compare_digest(stored, expected):
            return None
        return ("the public key for quick capture was replaced outside the journal: entries "
                "captured with it may be readable by whoever replaced it (key restored)")

    def restore_sealing_key(self) -> None:
        """Put back the public key that belongs to our private key."""
        with self._write():
            self._put_meta("seal_public", crypto.public_of(self.seal_private_key()))
