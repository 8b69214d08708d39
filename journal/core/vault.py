"""The encrypted vault: one directory holding one SQLite file, every entry sealed.

Key hierarchy (docs/security.md): passphrase -NFC-> Argon2id -> KEK -> wraps a random
DEK -> HKDF subkeys for entries, the manifest, the blind day index and the sealing key.
Each entry row is AES-256-GCM over padded JSON, its associated data binding the vault id,
the entry id and the row version; an HMAC manifest over every (uuid, version, digest)
catches deleted, duplicated and rolled-back rows at unlock.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import sqlite3
import struct
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from journal.core import crypto, schema
from journal.core.clock import Clock, SystemClock
from journal.core.errors import (
    ConflictError,
    IntegrityError,
    StorageError,
    ValidationError,
    VaultDamaged,
    VaultExists,
    VaultNotFound,
    WrongPassphrase,
)
from journal.core.models import Entry
from journal.core.sealed import SealedBox

WRONG = "wrong passphrase (or the vault header is damaged)"
KEYS_CHANGED = ("the vault's keys were changed by another program since it was unlocked "
                "(or its manifest is damaged); lock and unlock again")


@dataclass(frozen=True)
class Header:
    vault_id: bytes
    kdf: crypto.KdfParams
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
                         crypto.KdfParams.from_json(data["kdf"]),
                         base64.b64decode(data["salt"], validate=True))
        except (ValueError, KeyError, TypeError):
            raise damaged from None
        if len(header.vault_id) != 16 or len(header.salt) != 16 or header.encode() != raw:
            raise damaged
        return header


@dataclass
class CheckReport:
    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def db_path(vault_dir: Path) -> Path:
    return Path(vault_dir) / schema.DB_NAME


SQLITE_MAGIC = b"SQLite format 3\0"


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Read-only connections never write a byte: `immutable=1` (no locks, no -wal/-shm
    created) when the file stands alone, plain `mode=ro` when a -wal beside it holds
    committed transactions that must be read."""
    try:
        if readonly:
            flags = "mode=ro" if Path(f"{path}-wal").exists() else "mode=ro&immutable=1"
            conn = sqlite3.connect(f"file:{quote(str(path))}?{flags}", uri=True,
                                   isolation_level=None, timeout=10,
                                   check_same_thread=False)
        else:
            conn = sqlite3.connect(path, isolation_level=None, timeout=10,
                                   check_same_thread=False)
            for pragma in schema.PRAGMAS:
                conn.execute(pragma)
        return conn
    except sqlite3.DatabaseError as exc:
        raise _storage_error(exc) from None


def _storage_error(exc: sqlite3.Error) -> Exception:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return VaultDamaged("the vault file is not a journal vault or is damaged; left unmodified")
    if "full" in text:
        return StorageError("the disk is full: nothing was written, the last save is intact")
    if "readonly" in text or "read-only" in text:
        return StorageError("the vault is read-only: nothing was written")
    if "locked" in text or "busy" in text:
        return StorageError("the vault is busy in another program; try again")
    if "I/O error" in text:
        return StorageError("the disk refused a write (full or failing?): nothing was "
                            "changed, the last save is intact")
    return StorageError(f"storage error: {text}")


def _tighten_modes(directory: Path) -> None:
    """A vault copied in with looser modes is brought back to 0700 / 0600 (best effort)."""
    try:
        if directory.stat().st_mode & 0o077:
            os.chmod(directory, 0o700)
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{db_path(directory)}{suffix}")
            if path.exists() and path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)
    except OSError:
        pass


def _row_name(raw_uuid: object) -> str:
    """A printable name for a row whose uuid may itself be damaged."""
    if isinstance(raw_uuid, bytes) and len(raw_uuid) == 16:
        return str(uuid.UUID(bytes=raw_uuid))
    return f"<damaged id {raw_uuid!r:.40}>"


class Vault:
    """An unlocked vault. Create with `Vault.create`, open with `Vault.open`."""

    def __init__(self, directory: Path, conn: sqlite3.Connection, header: Header, dek: bytes,
                 clock: Clock) -> None:
        self.directory = Path(directory)
        self._conn = conn
        self.db = sqlite_utils.Database(conn)
        self.header = header
        self.clock = clock
        self._set_dek(dek)
        self._cache: dict[str, Entry] | None = None
        self._cache_version = -1

    # -- lifecycle -----------------------------------------------------------------------
    @classmethod
    def create(cls, directory: Path, passphrase: str, *, kdf: crypto.KdfParams | None = None,
               recovery: bool = True, clock: Clock | None = None) -> tuple[Vault, str | None]:
        crypto.self_test()
        directory = Path(directory)
        path = db_path(directory)
        if path.exists():
            raise VaultExists(f"a vault already exists at {directory}; refusing to overwrite it")
        if directory.exists() and any(directory.iterdir()):
            raise VaultExists(f"{directory} is not empty; choose an empty or new directory")
        if not passphrase:
            raise ValidationError("the passphrase must not be empty")
        if kdf is not None and kdf.is_absurd():
            raise ValidationError("key derivation settings out of range")
        kdf = kdf or crypto.calibrate()
        header = Header(os.urandom(16), kdf, os.urandom(16))
        dek = os.urandom(crypto.KEY_LEN)
        kek = crypto.derive_kek(passphrase, header.salt, kdf)
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(directory, 0o700)
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
        except OSError as exc:
            raise StorageError(f"cannot create the vault at {directory}: {exc.strerror}") from None
        conn = _connect(path)
        try:
            schema.migrate(conn)
            vault = cls(directory, conn, header, dek, clock or SystemClock())
            code = crypto.new_recovery_code() if recovery else None
            with vault._write():
                vault._put_meta("header", header.encode())
                vault._put_meta("dek_wrap", crypto.seal(kek, dek, header.encode()))
                if code:
                    vault._wrap_recovery(code)
                vault._new_seal_keys()
                vault._write_manifest()
        except BaseException:
            conn.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            raise
        return vault, code

    @classmethod
    def read_header(cls, directory: Path) -> tuple[Header, sqlite3.Connection]:
        """Open read-only and check this is our vault, before any pragma can touch it."""
        path = db_path(directory)
        if not path.is_file():
            raise VaultNotFound(f"no vault at {directory} (create one with 'journal init')")
        foreign = VaultDamaged(f"{path} is not a journal vault; left unmodified")
        try:
            with open(path, "rb") as handle:
                if handle.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                    raise foreign  # not even SQLite: never hand it to SQLite at all
        except OSError as exc:
            raise StorageError(f"cannot read {path}: {exc.strerror}") from None
        conn = _connect(path, readonly=True)
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
            raise _storage_error(exc) from None
        except BaseException:
            conn.close()
            raise

    @classmethod
    def open(cls, directory: Path, passphrase: str | None = None, *,
             recovery_code: str | None = None, allow_weak: bool = False, verify: bool = True,
             clock: Clock | None = None) -> Vault:
        crypto.self_test()
        directory = Path(directory)
        header, ro = cls.read_header(directory)
        try:
            if header.kdf.is_below_floor() and not allow_weak:
                raise VaultDamaged("the vault's key derivation is below the safe minimum; "
                                   "refusing to open it")
            wraps = dict(ro.execute(
                "SELECT key, value FROM meta WHERE key IN ('dek_wrap', 'recovery_wrap')"
            ).fetchall())
        finally:
            ro.close()
        dek = cls._unwrap(header, wraps, passphrase, recovery_code)
        _tighten_modes(directory)
        conn = _connect(db_path(directory))
        try:
            schema.migrate(conn)
            vault = cls(directory, conn, header, dek, clock or SystemClock())
            if verify:
                vault.verify_manifest()
        except sqlite3.Error as exc:
            conn.close()
            raise _storage_error(exc) from None
        except BaseException:
            conn.close()
            raise
        return vault

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

    def close(self) -> None:
        """Checkpoint the WAL away, drop keys and every decrypted entry."""
        if self._conn is None:
            return
        try:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass
        self._conn.close()
        self._conn = None  # type: ignore[assignment]
        self._keys = {}
        self._dek = b""
        self._cache = None

    lock = close

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- keys ----------------------------------------------------------------------------
    def _set_dek(self, dek: bytes) -> None:
        self._dek = dek
        self._keys = {p: crypto.subkey(dek, p) for p in
                      ("entry-aead", "manifest-mac", "manifest-info", "blind-index", "seal-key")}

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

    # -- transactions & meta -------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT: one writer at a time, all-or-nothing. Nested use
        becomes a savepoint inside the outer transaction."""
        if self._conn.in_transaction:
            with self.db.atomic():
                yield
            return
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _storage_error(exc) from None
        try:
            self._check_keys_current()
            with self.db.atomic():
                yield
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise _storage_error(exc) from None
        except BaseException:
            self._rollback()
            raise

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

    def _rollback(self) -> None:
        try:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
        except sqlite3.Error:  # e.g. the disk vanished: SQLite rolls back on next open
            pass
        self._cache = None  # may hold rows of the undone transaction: reload from disk

    def _put_meta(self, key: str, value: bytes) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def _meta(self, key: str) -> bytes | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    # -- manifest ------------------------------------------------------------------------
    def _manifest_rows(self) -> list[tuple[bytes, int, bytes]]:
        return self._conn.execute("SELECT uuid, version, digest FROM entries").fetchall()

    def _write_manifest(self) -> None:
        rows = self._manifest_rows()
        info = {
            "mac": crypto.manifest_mac(self._keys["manifest-mac"], self.header.vault_id,
                                       rows).hex(),
            "count": len(rows), "version_sum": sum(r[1] for r in rows),
            "saved_at": self.clock.now().replace(microsecond=0).isoformat(),
        }
        self._put_meta("manifest", crypto.seal_json(
            self._keys["manifest-info"], info, crypto.MANIFEST_PREFIX + self.header.vault_id))

    def manifest_info(self) -> dict:
        blob = self._meta("manifest")
        try:
            info = crypto.open_json(self._keys["manifest-info"], blob or b"",
                                    crypto.MANIFEST_PREFIX + self.header.vault_id)
        except crypto.DecryptError:
            raise IntegrityError("the integrity manifest is missing or damaged") from None
        assert isinstance(info, dict)
        return info

    def manifest_problems(self) -> list[str]:
        info = self.manifest_info()
        rows = self._manifest_rows()
        try:
            mac = crypto.manifest_mac(self._keys["manifest-mac"], self.header.vault_id, rows)
        except (TypeError, struct.error):  # a row with a non-blob id or non-int version
            return ["a row of the entries table was altered outside the journal"]
        if hmac.compare_digest(mac.hex(), str(info.get("mac", ""))):
            return []
        count, vsum = len(rows), sum(r[1] for r in rows)
        if count < info["count"]:
            return [f"{info['count'] - count} entr{'y' if info['count'] - count == 1 else 'ies'}"
                    f" deleted outside the journal (expected {info['count']}, found {count})"]
        if count > info["count"]:
            return [f"{count - info['count']} entr{'y' if count - info['count'] == 1 else 'ies'}"
                    f" added outside the journal (expected {info['count']}, found {count})"]
        if vsum < info["version_sum"]:
            return ["an entry was rolled back to an older version outside the journal"]
        return ["the set of entries does not match the integrity manifest"]

    def digest_problems(self) -> list[str]:
        """Rows whose ciphertext no longer hashes to their digest. With the manifest this
        proves, without decrypting, that every row is byte for byte one we sealed."""
        problems = []
        for raw_uuid, version, ct, row_digest in self._iter_rows():
            if not isinstance(ct, bytes) or not isinstance(row_digest, bytes) or not (
                    hmac.compare_digest(crypto.digest(ct), row_digest)):
                problems.append(f"entry {_row_name(raw_uuid)} (version {version}) was altered "
                                "outside the journal")
        return problems

    def verify_manifest(self) -> None:
        """The unlock-time check: the manifest matches the rows and every row its digest."""
        problems = self.manifest_problems() + self.digest_problems()
        if problems:
            raise IntegrityError("integrity check failed: " + "; ".join(problems), problems)

    # -- reading -------------------------------------------------------------------------
    def _decrypt_row(self, raw_uuid: bytes, version: int, ct: bytes, row_digest: bytes) -> Entry:
        if not (isinstance(raw_uuid, bytes) and len(raw_uuid) == 16 and type(version) is int
                and 0 < version < 2**63 and isinstance(ct, bytes)
                and isinstance(row_digest, bytes)):
            raise crypto.DecryptError("malformed row")
        if not hmac.compare_digest(crypto.digest(ct), row_digest):
            raise crypto.DecryptError("digest mismatch")
        data = crypto.open_json(self._keys["entry-aead"], ct,
                                crypto.entry_aad(self.header.vault_id, raw_uuid, version))
        try:
            entry = Entry.from_dict(data)
        except ValidationError as exc:
            raise crypto.DecryptError(f"payload: {exc}") from None
        if entry.id != str(uuid.UUID(bytes=raw_uuid)):
            raise crypto.DecryptError("id mismatch")
        entry.version = version
        return entry

    def _iter_rows(self) -> Iterator[tuple[bytes, int, bytes, bytes]]:
        yield from self._conn.execute("SELECT uuid, version, ct, digest FROM entries")

    def _drop_stale_cache(self) -> None:
        """Another connection (a second app, the CLI) committed since the cache was filled:
        SQLite's data_version says so for free. Reload rather than show stale entries."""
        if self._cache is not None and self._data_version() != self._cache_version:
            self._cache = None

    def _data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _load(self) -> dict[str, Entry]:
        self._drop_stale_cache()
        if self._cache is None:
            self._cache_version = self._data_version()
            cache: dict[str, Entry] = {}
            problems: list[str] = []
            for raw_uuid, version, ct, row_digest in self._iter_rows():
                try:
                    entry = self._decrypt_row(raw_uuid, version, ct, row_digest)
                except crypto.DecryptError:
                    problems.append(f"entry {_row_name(raw_uuid)} fails authentication")
                    continue
                cache[entry.id] = entry
            if problems and not self._keys_current():
                raise ConflictError(KEYS_CHANGED)
            if problems:
                raise VaultDamaged(f"{len(problems)} damaged entr"
                                   f"{'y' if len(problems) == 1 else 'ies'}: {problems[0]}"
                                   " (run 'journal check')", problems)
            self._cache = cache
        return self._cache

    def entries(self) -> list[Entry]:
        """Every entry, newest date first (copies: editing them changes nothing stored)."""
        return sorted((e.copy() for e in self._load().values()),
                      key=lambda e: e.date, reverse=True)

    def count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM entries").fetchone()[0])

    def get(self, entry_id: str) -> Entry | None:
        entry = self._load().get(entry_id)
        return entry.copy() if entry else None

    def get_by_date(self, day: date) -> Entry | None:
        """One row lookup through the blind day index: no need to decrypt everything."""
        self._drop_stale_cache()
        if self._cache is not None:
            return next((e.copy() for e in self._cache.values() if e.date == day), None)
        row = self._conn.execute("SELECT uuid, version, ct, digest FROM entries WHERE day_key=?",
                                 (self.day_key(day),)).fetchone()
        if row is None:
            return None
        try:
            entry = self._decrypt_row(*row)
        except crypto.DecryptError:
            raise VaultDamaged(f"the entry for {day} fails authentication") from None
        if entry.date != day:  # the day index is outside the AEAD: never trust it alone
            raise VaultDamaged(f"the day index for {day} was altered (run 'journal check')")
        return entry

    # -- writing -------------------------------------------------------------------------
    def put(self, entry: Entry) -> Entry:
        return self.put_many([entry])[0]

    def put_many(self, entries: list[Entry]) -> list[Entry]:
        """Save entries in one transaction. Each must carry the version it was read at
        (0 for new); a newer row on disk means someone else wrote it: ConflictError."""
        now = self.clock.now().replace(microsecond=0)
        saved: list[Entry] = []
        with self._write():
            for original in entries:
                if getattr(original, "partial", False):
                    raise ValidationError("a summary-only (partial) entry cannot be saved; "
                                          "load the full entry first")
                entry = original.copy()
                raw_uuid = uuid.UUID(entry.id).bytes
                row = self._conn.execute("SELECT version FROM entries WHERE uuid=?",
                                         (raw_uuid,)).fetchone()
                current = row[0] if row else 0
                if current != entry.version:
                    raise ConflictError(f"the entry for {entry.date} was changed elsewhere "
                                        f"since it was opened; reload it and try again")
                other = self._conn.execute("SELECT uuid FROM entries WHERE day_key=?",
                                           (self.day_key(entry.date),)).fetchone()
                if other is not None and other[0] != raw_uuid:
                    raise ConflictError(f"there is already an entry for {entry.date}")
                entry.written_at = entry.written_at or now
                entry.updated_at = now
                entry.version = current + 1
                ct = crypto.seal_json(self._keys["entry-aead"], entry.to_dict(),
                                      crypto.entry_aad(self.header.vault_id, raw_uuid,
                                                       entry.version))
                self._conn.execute(
                    "INSERT OR REPLACE INTO entries(uuid, version, day_key, ct, digest)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (raw_uuid, entry.version, self.day_key(entry.date), ct, crypto.digest(ct)),
                )
                saved.append(entry)
            self._write_manifest()
        if self._cache is not None:
            for entry in saved:
                self._cache[entry.id] = entry.copy()
        return saved

    def delete(self, entry_id: str) -> bool:
        raw_uuid = uuid.UUID(entry_id).bytes
        with self._write():
            cur = self._conn.execute("DELETE FROM entries WHERE uuid=?", (raw_uuid,))
            self._write_manifest()
        if self._cache is not None:
            self._cache.pop(entry_id, None)
        return cur.rowcount > 0

    # -- keys management -----------------------------------------------------------------
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
        from journal.core.sealed import merge_sealed

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
                self._cache = None
                entries = list(self._load().values())
                self.header = header
                self._set_dek(os.urandom(crypto.KEY_LEN))
                self._conn.execute("DELETE FROM entries")
                for entry in entries:
                    entry.version += 1
                    raw_uuid = uuid.UUID(entry.id).bytes
                    ct = crypto.seal_json(self._keys["entry-aead"], entry.to_dict(),
                                          crypto.entry_aad(self.header.vault_id, raw_uuid,
                                                           entry.version))
                    self._conn.execute(
                        "INSERT INTO entries(uuid, version, day_key, ct, digest)"
                        " VALUES (?, ?, ?, ?, ?)",
                        (raw_uuid, entry.version, self.day_key(entry.date), ct,
                         crypto.digest(ct)),
                    )
                self._put_meta("dek_wrap", crypto.seal(kek, self._dek, self.header.encode()))
                self._conn.execute("DELETE FROM meta WHERE key='recovery_wrap'")
                if code:
                    self._wrap_recovery(code)
                self._new_seal_keys()
                self._write_manifest()
        except BaseException:
            self._keys, self._dek, self.header = old_keys, old_dek, old_header
            self._cache = None
            raise
        self._cache = {e.id: e for e in entries}
        self._cache_version = self._data_version()
        self.compact()
        return code

    def compact(self) -> None:
        """VACUUM (no old pages, no forensic traces in free space), then checkpoint the WAL
        away. Called after key rotation; worth calling after bulk deletes."""
        try:
            self._conn.execute("VACUUM")
        except sqlite3.Error:
            pass
        self._checkpoint()

    def _checkpoint(self) -> None:
        try:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass

    # -- sealed capture ------------------------------------------------------------------
    def seal_private_key(self) -> bytes:
        return crypto.open_sealed(self._keys["seal-key"], self._meta("seal_private") or b"",
                                  b"journal/v1/seal-private")

    def sealed_box(self) -> SealedBox:
        return SealedBox(self.directory)

    # -- checking ------------------------------------------------------------------------
    def check(self) -> CheckReport:
        """Authenticate every record and the manifest; name each damaged record."""
        problems: list[str] = []
        count = 0
        days: dict[date, str] = {}
        for raw_uuid, version, ct, row_digest in self._iter_rows():
            count += 1
            name = _row_name(raw_uuid)
            try:
                entry = self._decrypt_row(raw_uuid, version, ct, row_digest)
            except crypto.DecryptError as exc:
                problems.append(f"entry {name} (version {version}): fails authentication "
                                f"({exc})")
                continue
            if entry.date in days:
                problems.append(f"entry {name}: a second entry for {entry.date}")
            days[entry.date] = name
            row_day = self._conn.execute("SELECT day_key FROM entries WHERE uuid=?",
                                         (raw_uuid,)).fetchone()
            if row_day is None or row_day[0] != self.day_key(entry.date):
                problems.append(f"entry {name}: its day index was altered outside the journal")
        try:
            problems.extend(self.manifest_problems())
        except IntegrityError as exc:
            problems.append(str(exc))
        try:
            integrity = self._conn.execute("PRAGMA integrity_check").fetchone()[0]
            if integrity != "ok":
                problems.append(f"SQLite integrity check: {integrity}")
        except sqlite3.DatabaseError as exc:
            problems.append(f"SQLite integrity check: {exc}")
        return CheckReport(count, problems)

    def last_saved(self) -> tuple[datetime | None, int]:
        info = self.manifest_info()
        saved = info.get("saved_at")
        return (datetime.fromisoformat(saved) if saved else None), int(info.get("count", 0))
