"""SQLite layout of a vault, its pragmas and its numbered migrations.

Only ids, versions, digests, a blind day index and key material are stored in clear; every
word a user writes is inside `entries.ct`. Tables are WITHOUT ROWID so no insertion order
leaks through a hidden rowid (security.md §2.6).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from journal.core.errors import StorageError, VaultDamaged

FORMAT = "journal-vault"
DB_NAME = "journal.db"

PRAGMAS = (
    # Before anything else, so it takes effect when the file is new (older vaults keep
    # theirs). An entry's record (~2-3 KB) fits a 16 KiB leaf page; with 4 KiB pages each one
    # spilled into an overflow page of its own (WITHOUT ROWID tables keep at most ~1 KB of a
    # row in place), making vaults ~1.5x larger than their data.
    "PRAGMA page_size=16384",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA secure_delete=ON",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA foreign_keys=ON",
)


def _v1(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
    conn.execute(
        "CREATE TABLE entries (uuid BLOB PRIMARY KEY, version INTEGER NOT NULL,"
        " day_key BLOB NOT NULL, ct BLOB NOT NULL, digest BLOB NOT NULL) WITHOUT ROWID"
    )
    # Covering index: the manifest is recomputed from it without touching the ciphertexts.
    conn.execute("CREATE INDEX entries_manifest ON entries(uuid, version, digest)")
    conn.execute("CREATE UNIQUE INDEX entries_day ON entries(day_key)")


def _v2(conn: sqlite3.Connection) -> None:
    # Entries sealed to the vault's public key without the passphrase (quick capture).
    conn.execute("CREATE TABLE sealed (uuid BLOB PRIMARY KEY, ct BLOB NOT NULL) WITHOUT ROWID")


def _v3(conn: sqlite3.Connection) -> None:
    # One compact sealed summary per entry (journal.core.summaries): list, filter and
    # reflect without decrypting every full entry. Filled lazily for older vaults.
    conn.execute("CREATE TABLE summaries (uuid BLOB PRIMARY KEY, version INTEGER NOT NULL,"
                 " sct BLOB NOT NULL) WITHOUT ROWID")


def _v4(conn: sqlite3.Connection) -> None:
    # The summaries move into at most 256 sealed index chunks (journal.core.store.index), one per
    # bucket of entry ids: one decrypt per ~n/256 entries instead of one per entry. The
    # chunks are a cache, built from the entries on first use (secure_delete zeroes the
    # dropped rows).
    conn.execute("CREATE TABLE index_chunks (bucket INTEGER PRIMARY KEY, ct BLOB NOT NULL)"
                 " WITHOUT ROWID")
    conn.execute("DROP TABLE summaries")


def _v5(conn: sqlite3.Connection) -> None:
    # Each index chunk's word filter moves to a sealed row of its own (journal.core.store.
    # word_chunk), read only by a word search (issue 19). A cache like the chunks: filled
    # when the chunks of the new format are rebuilt from the entries.
    conn.execute("CREATE TABLE word_chunks (bucket INTEGER PRIMARY KEY, ct BLOB NOT NULL)"
                 " WITHOUT ROWID")


def _v6(conn: sqlite3.Connection) -> None:
    # Each index chunk keeps its rows' moments folded as reflection reads them (chunk
    # format 5, issue 19). No table changes: a chunk of format 4 is folded from its own
    # moments at the first unlock and stored (no entry decrypted). The number keeps a
    # program that knows only format 4 from opening the vault (it would rebuild every
    # chunk from the entries, and write format 4 again).
    del conn


def _v7(conn: sqlite3.Connection) -> None:
    # Each chunk's fold keeps its work labels as one mask of rows per label rather than a
    # set per row (chunk format 6, issue 19): reflection decodes a few numbers per chunk
    # instead of a set per row. No table changes: a chunk of format 5 is folded again from
    # its own moments at the first unlock and stored (no entry decrypted), as for 6.
    del conn


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5, 6: _v6, 7: _v7}
LATEST = max(MIGRATIONS)


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int | None = None) -> int:
    """Apply missing migrations in order, each with its version bump in one transaction.
    A vault written by a newer program (a schema we do not know) is refused untouched."""
    target = max(MIGRATIONS) if target is None else target
    current = user_version(conn)
    if current > max(MIGRATIONS):
        raise VaultDamaged(f"this vault uses storage version {current}, newer than this "
                           f"program knows ({max(MIGRATIONS)}); update the program")
    for number in range(current + 1, target + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[number](conn)
            conn.execute(f"PRAGMA user_version={number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return max(current, target)


# -- files and connections --------------------------------------------------------------
def db_path(vault_dir: Path) -> Path:
    return Path(vault_dir) / DB_NAME


SQLITE_MAGIC = b"SQLite format 3\0"


#: The vault file and the files SQLite keeps beside it.
VAULT_FILE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def refuse_symlinks(path: Path) -> None:
    """StorageError if the vault file at `path`, or a -wal/-shm/-journal beside it, is a
    symbolic link. SQLite would follow one (reading or writing another file, or changing
    its mode), so a link planted in the vault directory is refused, not followed. The
    directory itself may be a link (a vault kept on another disk); only its files may not."""
    for suffix in VAULT_FILE_SUFFIXES:
        link = Path(f"{path}{suffix}")
        if link.is_symlink():
            raise StorageError(f"{link} is a symbolic link; the journal never follows links "
                               "for its vault files (one could make it read or write another "
                               "file): put the real file there or remove the link")


#: How long a connection waits for another writer to finish before it gives up (seconds).
BUSY_WAIT = 10.0


@contextmanager
def busy_wait(conn: sqlite3.Connection, seconds: float) -> Iterator[None]:
    """Wait at most `seconds` for another writer inside this block, instead of BUSY_WAIT:
    for a write that is only a convenience (a read command storing the index it rebuilt),
    which should give up soon rather than hold the person's command."""
    conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_WAIT * 1000)}")


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Read-only connections never write a byte: `immutable=1` (no locks, no -wal/-shm
    created) when the file stands alone, plain `mode=ro` when a -wal beside it holds
    committed transactions that must be read. A symlinked vault file is refused."""
    refuse_symlinks(path)
    try:
        if readonly:
            flags = "mode=ro" if Path(f"{path}-wal").exists() else "mode=ro&immutable=1"
            conn = sqlite3.connect(f"file:{quote(str(path))}?{flags}", uri=True,
                                   isolation_level=None, timeout=BUSY_WAIT,
                                   check_same_thread=False)
        else:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_WAIT,
                                   check_same_thread=False)
            for pragma in PRAGMAS:
                conn.execute(pragma)
        return conn
    except sqlite3.DatabaseError as exc:
        raise storage_error(exc, path) from None


def _read_only_folder(directory: Path) -> bool:
    try:
        return bool(os.statvfs(directory).f_flag & os.ST_RDONLY) or not os.access(
            directory, os.W_OK)
    except OSError:
        return False


def storage_error(exc: sqlite3.Error, path: Path | None = None) -> Exception:
    text = str(exc)
    if "unable to open" in text and path is not None and _read_only_folder(Path(path).parent):
        return StorageError(f"the vault's folder {Path(path).parent} is read-only (a read-only "
                            "disk or permissions): the journal must write there, even to "
                            "unlock; nothing was changed")
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


def tighten_modes(directory: Path) -> None:
    """A vault copied in with looser modes is brought back to 0700 / 0600 (best effort).

    A symlinked vault file is refused (`refuse_symlinks`), and each file's mode is changed
    through a descriptor opened with O_NOFOLLOW, so a link swapped in meanwhile makes the
    open fail rather than changing the mode of the file it points to."""
    refuse_symlinks(db_path(directory))
    try:
        if directory.stat().st_mode & 0o077:
            os.chmod(directory, 0o700)
    except OSError:
        pass
    for suffix in VAULT_FILE_SUFFIXES:
        try:
            fd = os.open(f"{db_path(directory)}{suffix}",
                         os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            continue  # absent (or a link that appeared since: never followed)
        try:
            if os.fstat(fd).st_mode & 0o077:
                os.fchmod(fd, 0o600)
        except OSError:
            pass
        finally:
            os.close(fd)


# -- the meta table and read snapshots ------------------------------------------------------
def meta(conn: sqlite3.Connection, key: str) -> bytes | None:
    row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    return row[0] if row else None


def put_meta(conn: sqlite3.Connection, key: str, value: bytes) -> None:
    """Inside a write transaction."""
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """A read transaction (WAL: one consistent snapshot for every read inside it); inside
    a transaction already open, that one."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def data_version(conn: sqlite3.Connection) -> int:
    """Moves whenever another connection commits (never for this one's own commits)."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0])
