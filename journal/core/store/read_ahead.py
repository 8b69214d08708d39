"""Reading a vault ahead of its key: what an unlock will check and decode, read while
Argon2id derives the key (issue 19).

The key derivation takes ~0.4 s and the unlocking thread only waits for it. Meanwhile it
can read what needs no key: every row's (uuid, version, digest), which the whole-vault
check MACs (prepared into each bucket's MAC input, `PreparedRows`), and the sealed index
chunks and word rows a command will decrypt. Nothing read here is trusted or decrypted:
the check MACs the rows once the key exists, and every chunk and word row is opened
(AES-GCM, bound to vault, bucket and purpose) and compared with the manifest as on any
read.

One snapshot for the reads, none while the key is derived: everything is read in one
read transaction, ended at once with its `data_version` noted, so no reader is held open
for the ~0.4 s of the derivation (another program closing meanwhile empties the log at
once: its checkpoint, TRUNCATE, waits for every reader, up to 0.5 s, and would leave the
log behind). Once the key exists, the check's read transaction begins (`resume`): if
`data_version` is still the one noted, nobody has committed since, so the rows read are
the rows on disk and the check MACs them; if not, they are dropped and the check reads the
rows again in its own snapshot, exactly as the usual unlock does. The chunks and word rows
go to the `IndexStore` tagged with the same `data_version`, taken only while nobody has
committed since (the connection's own saves drop them), so a chunk is never decoded from
an older state than the one read after it.

Only for an unlock by passphrase of a vault at the current schema (no migration, nothing
written before the key is known): `ReadAhead.begin` starts the derivation on another
thread (`kdf.derive_kek_early`; a head start already running for the same inputs is
taken as it is) and reads. Anything unexpected while reading means no read-ahead: the
unlock then goes the usual way, which reports it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from journal.core.errors import JournalError
from journal.core.store import crypto, schema
from journal.core.store.header import Header
from journal.core.store.index_store import ALL_CHUNKS, ALL_WORDS
from journal.core.store.manifest import PreparedRows


@dataclass(frozen=True)
class ReadAhead:
    """What to read before the key exists, besides the rows the whole-vault check MACs:
    the index chunks (`list`, `search`, `tags`, the app's unlock: ~21 MB at 50,000
    entries, held while Argon2id's memory is) and the word rows (a word search)."""

    chunks: bool = False
    words: bool = False

    def begin(self, directory: Path, header: Header, passphrase: str) -> Prefetched | None:
        """Start deriving the key for `passphrase`, open the vault's connection and read,
        in one read transaction (ended before the key is needed). None (nothing left open)
        when the vault needs a migration or anything fails: the unlock goes the usual
        way."""
        crypto.derive_kek_early(passphrase, header.salt, header.kdf)
        try:
            schema.tighten_modes(directory)
            conn = schema.connect(schema.db_path(directory))
        except (JournalError, OSError):
            return None
        try:
            if schema.user_version(conn) != schema.LATEST:
                conn.close()  # a migration writes: only once the passphrase is known
                return None
            return Prefetched.read(conn, self)
        except sqlite3.Error:
            conn.close()
            return None
        except BaseException:
            conn.close()
            raise


class Prefetched:
    """What `ReadAhead.begin` read on `conn`, and the `data_version` it was read at."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        #: `PRAGMA data_version` inside the snapshot: the state everything here is of.
        self.version = -1
        self.rows = PreparedRows(None, 0, 0)
        self.chunks: list[tuple[int, bytes]] | None = None
        self.words: list[tuple[int, bytes]] | None = None

    @classmethod
    def read(cls, conn: sqlite3.Connection, plan: ReadAhead) -> Prefetched:
        """Everything in one snapshot, ended before the key is derived."""
        ahead = cls(conn)
        conn.execute("BEGIN")
        try:
            ahead.version = schema.data_version(conn)
            ahead.rows = PreparedRows.read(conn)
            if plan.chunks:
                ahead.chunks = conn.execute(ALL_CHUNKS).fetchall()
            if plan.words:
                ahead.words = conn.execute(ALL_WORDS).fetchall()
        finally:
            ahead.end()  # no reader held while the key is derived
        crypto.warm_up()
        return ahead

    def resume(self) -> PreparedRows | None:
        """Once the key exists: begin the read transaction the check runs in, and hand
        back the rows read ahead if nobody has committed since they were read (the same
        `data_version`), else None (the check reads them again, in this snapshot)."""
        self.conn.execute("BEGIN")
        if schema.data_version(self.conn) != self.version:
            return None
        return self.rows

    def end(self) -> None:
        """End the read transaction (the connection stays open, for the vault)."""
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")
