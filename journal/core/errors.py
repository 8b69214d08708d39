"""Every error the core raises on purpose. Each carries a one-line, user-facing message."""

from __future__ import annotations


class JournalError(Exception):
    """Base class: the message is safe to show the user as one line."""

    exit_code = 1


class CryptoUnavailable(JournalError):
    """Argon2id is missing or fails its known-answer self-test: refuse to run."""

    exit_code = 3


class VaultNotFound(JournalError):
    exit_code = 2


class VaultExists(JournalError):
    exit_code = 2


class WrongPassphrase(JournalError):
    """Wrong passphrase, or a damaged header: deliberately indistinguishable."""

    exit_code = 4


class VaultDamaged(JournalError):
    """The file is not a vault of ours, or records fail authentication."""

    exit_code = 5

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


class IntegrityError(VaultDamaged):
    """The integrity manifest does not match the rows (deleted, duplicated, rolled back)."""


class VaultLocked(JournalError):
    """The vault was locked (closed) while something still held a way into it: an index
    read later, a screen's worker finishing after the lock."""


class ConflictError(JournalError):
    """Another writer changed the entry since it was read."""

    exit_code = 6


class ValidationError(JournalError):
    """Input data does not match the model or the exchange format."""

    exit_code = 2

    def __init__(self, message: str, *, where: str = "", field: str = "") -> None:
        self.where = where
        self.field = field
        prefix = ", ".join(p for p in (where, field and f"field '{field}'") if p)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class StorageError(JournalError):
    """The disk refused a write (full, read-only, locked): nothing was changed."""

    exit_code = 7


class NotLinked(JournalError):
    """The vault is not linked to a sync folder, or the folder is not one."""

    exit_code = 2


class SyncRefused(VaultDamaged):
    """Records in the sync folder were refused (altered, replayed, deleted, rolled back)."""
