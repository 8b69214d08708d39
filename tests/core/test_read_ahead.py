"""Reading a vault ahead of its key (journal.core.store.read_ahead): the same answers as
the usual unlock; no read of rows, index chunks or word rows once the key exists; the same
one-line errors for a tampered vault; nothing decrypted or left open for a wrong
passphrase and nothing migrated before the key; one snapshot while others write."""

from __future__ import annotations

import re
import sqlite3
import threading
from datetime import date, timedelta

import pytest

from journal.core.errors import CryptoUnavailable, IntegrityError, WrongPassphrase
from journal.core.model.entries import Entry, Moment
from journal.core.model.query import Query, search_vault
from journal.core.store import crypto, kdf, schema
from journal.core.store.index_chunk import Chunk
from journal.core.store.index_store import IndexStore
from journal.core.store.keyring import WRONG
from journal.core.store.read_ahead import ReadAhead
from journal.core.store.vault import Vault, db_path
from tests.conftest import PASSPHRASE, open_vault
from tests.raw_sql import raw_sql
from tests.sql_trace import KEY, trace_statements

PLAN = ReadAhead(chunks=True, words=True)
TODAY = date(2026, 11, 25)
START = date(2026, 6, 1)
WORDS = ("river", "handover", "quiet", "shift")


def _entries(n: int) -> list[Entry]:
    return [Entry(date=START + timedelta(days=i),
                  body=f"A {WORDS[i % 4]} day, #{('triage', 'grief')[i % 2]} with @sam.",
                  moments=[Moment(kind=("contagion", "concern")[i % 2], intensity=i % 11,
                                  context="work")])
            for i in range(n)]


@pytest.fixture
def filled(vault, vault_dir):
    vault.put_many(_entries(60))
    vault.close()
    return vault_dir


def _answers(vault: Vault) -> tuple:
    words = [e.id for e in search_vault(vault, Query.parse("river", TODAY))]
    tagged = [e.id for e in search_vault(vault, Query.parse("#grief kind:concern", TODAY))]
    return words, tagged, list(vault.summaries().lines()), vault.index().label_counts()


def test_the_same_answers_with_and_without_reading_ahead(filled):
    with open_vault(filled) as usual:
        expected = _answers(usual)
    with open_vault(filled, read_ahead=PLAN) as ahead:
        assert _answers(ahead) == expected
    assert expected[0] and expected[1] and len(expected[2]) == 60


@pytest.fixture
def statements(monkeypatch):
    """Every SQL statement of the vault's connections, with a mark where the key came."""
    return trace_statements(monkeypatch)


def _reads(statements: list[str], table: str) -> int:
    return sum(bool(re.search(rf"\bFROM {table}\b", s)) for s in statements)


@pytest.mark.parametrize("plan", [None, PLAN], ids=["usual", "read-ahead"])
def test_nothing_is_read_from_the_tables_once_the_key_exists(filled, statements, plan):
    """A word search reads the rows its check MACs, the index chunks and the word rows
    once each; read ahead, all of it before the key (the usual unlock reads them after)."""
    with open_vault(filled, read_ahead=plan) as vault:
        assert search_vault(vault, Query.parse("river #triage", TODAY))
    key = statements.index(KEY)
    before, after = statements[:key], statements[key:]
    tables = ("entries", "index_chunks", "word_chunks")
    if plan is None:
        assert [_reads(before, t) for t in tables] == [0, 0, 0]
        assert [_reads(after, t) for t in tables] == [256 + 1, 1, 1]
    else:
        assert [_reads(before, t) for t in tables] == [256 + 1, 1, 1]  # a range per bucket,
        assert [_reads(after, t) for t in tables] == [0, 0, 0]  # then the count of rows


def test_a_command_that_needs_no_index_reads_no_chunk(filled, statements):
    with open_vault(filled, read_ahead=ReadAhead()) as vault:
        assert vault.get_by_date(START).body.startswith("A river day")
    assert _reads(statements, "index_chunks") == _reads(statements, "word_chunks") == 0


TAMPERED = {
    "a row deleted": ("DELETE FROM entries WHERE uuid=(SELECT uuid FROM entries LIMIT 1)",
                      "integrity check failed: 1 entry deleted outside the journal "
                      "(expected 60, found 59)"),
    "a digest changed": ("UPDATE entries SET digest=zeroblob(32) "
                         "WHERE uuid=(SELECT uuid FROM entries LIMIT 1)",
                         "integrity check failed: the set of entries does not match the "
                         "integrity manifest"),
    "a short digest": ("UPDATE entries SET digest=x'00' "
                       "WHERE uuid=(SELECT uuid FROM entries LIMIT 1)",
                       "integrity check failed: a row of the entries table was altered "
                       "outside the journal"),
    "an id that is text": ("INSERT INTO entries VALUES ('not an id', 1, x'00', x'00', "
                           "zeroblob(32))",
                           "integrity check failed: a row of the entries table was altered "
                           "outside the journal"),
    "a version rolled back": ("UPDATE entries SET version=version-1 "
                              "WHERE uuid=(SELECT uuid FROM entries WHERE version > 1 LIMIT 1)",
                              "integrity check failed: an entry was rolled back to an older "
                              "version outside the journal"),
}


@pytest.mark.parametrize("plan", [None, PLAN], ids=["usual", "read-ahead"])
@pytest.mark.parametrize("how", sorted(TAMPERED))
def test_a_tampered_vault_fails_closed_with_the_same_line(filled, how, plan):
    if how == "a version rolled back":
        with open_vault(filled) as vault:
            vault.put(vault.get_by_date(START))  # version 2
    query, line = TAMPERED[how]
    raw_sql(filled, query)
    with pytest.raises(IntegrityError) as failed:
        open_vault(filled, read_ahead=plan)
    assert str(failed.value) == line


def test_a_wrong_passphrase_decrypts_nothing_and_leaves_nothing_open(filled, monkeypatch):
    opened: list[object] = []
    connections: list[sqlite3.Connection] = []
    real_open, real_connect = Chunk.open, schema.connect
    monkeypatch.setattr(Chunk, "open", classmethod(
        lambda cls, *a: opened.append(a) or real_open(*a)))
    monkeypatch.setattr(crypto, "open_json", lambda *a: opened.append(a))
    monkeypatch.setattr(schema, "connect", lambda *a, **k: connections.append(
        real_connect(*a, **k)) or connections[-1])
    with pytest.raises(WrongPassphrase) as failed:
        open_vault(filled, "not the passphrase", read_ahead=PLAN)
    assert str(failed.value) == WRONG
    assert opened == []  # nothing was decrypted, not even the manifest
    assert len(connections) == 1  # it did read ahead, on the one connection...
    with pytest.raises(sqlite3.ProgrammingError):
        connections[0].execute("SELECT 1")  # ...now closed
    assert kdf._early == {}  # the passphrase is not kept for a derivation to come
    other = sqlite3.connect(db_path(filled))
    try:  # no read transaction left behind: a checkpoint is not held back
        assert other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    finally:
        other.close()


def test_nothing_is_migrated_before_the_key(filled):
    raw_sql(filled, "DROP TABLE word_chunks")
    raw_sql(filled, "PRAGMA user_version=4")
    with pytest.raises(WrongPassphrase):
        open_vault(filled, "not the passphrase", read_ahead=PLAN)
    conn = sqlite3.connect(db_path(filled))
    assert schema.user_version(conn) == 4  # a wrong passphrase wrote nothing
    conn.close()
    with open_vault(filled, read_ahead=PLAN) as vault:  # no read-ahead: the usual way
        assert len(vault.summaries()) == 60
        assert search_vault(vault, Query.parse("quiet", TODAY))
    conn = sqlite3.connect(db_path(filled))
    assert schema.user_version(conn) == schema.LATEST
    conn.close()


def test_a_writer_holding_the_vault_does_not_stop_the_unlock(filled):
    """Another program in the middle of a save (a write lock, rows changed, not committed):
    the read-ahead reads the last committed state, and the check agrees with it."""
    other = sqlite3.connect(db_path(filled), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("DELETE FROM entries WHERE uuid=(SELECT uuid FROM entries LIMIT 1)")
        with open_vault(filled, read_ahead=PLAN) as vault:
            assert len(vault.summaries()) == 60
            assert search_vault(vault, Query.parse("river", TODAY))
    finally:
        other.execute("ROLLBACK")
        other.close()


def _while_the_key_is_derived(monkeypatch, action) -> list[bool]:
    """Run `action` on the key derivation's thread once the read-ahead has read
    everything, before the key exists (so: between the reads and the check)."""
    read = threading.Event()
    real_warm_up, real_derive = crypto.warm_up, kdf._derive
    fired: list[bool] = []

    def warm_up():  # the read-ahead's last step, inside its snapshot
        real_warm_up()
        read.set()

    def derive(*args):
        if not fired:
            assert read.wait(10)
            action()
            fired.append(True)
        return real_derive(*args)

    monkeypatch.setattr(crypto, "warm_up", warm_up)
    monkeypatch.setattr(kdf, "_derive", derive)
    return fired


def test_a_save_while_the_key_is_derived_is_no_false_alarm_and_is_seen(filled, monkeypatch):
    writer = open_vault(filled)
    new_day = START + timedelta(days=100)
    try:
        fired = _while_the_key_is_derived(
            monkeypatch, lambda: writer.put(Entry(date=new_day, body="saved meanwhile")))
        with open_vault(filled, read_ahead=PLAN) as vault:  # checks what it read
            assert fired
            days = vault.summaries().dates()  # the chunks read ahead are older: not used
            assert new_day in days and len(days) == 61
            assert vault.indexes.pending() == 0  # read again, not rebuilt from the rows
            assert [e.date for e in search_vault(vault, Query.parse("meanwhile", TODAY))] == [
                new_day]
    finally:
        writer.close()


def test_another_program_closing_while_the_key_is_derived_empties_its_log(filled,
                                                                          monkeypatch):
    """No read transaction is held while the key is derived: another program that saves
    and closes meanwhile (the app unlocking while `journal add` ends) empties the log at
    once (its closing checkpoint, TRUNCATE, must wait for every reader), rather than
    waiting its 0.5 s and leaving the log for a later close. The unlock then sees the
    save, as the usual unlock would."""
    writer = open_vault(filled)
    new_day = START + timedelta(days=100)
    wal = db_path(filled).with_name(db_path(filled).name + "-wal")
    left: list[int] = []

    def save_and_close() -> None:
        writer.put(Entry(date=new_day, body="saved meanwhile"))
        writer.close()
        left.append(wal.stat().st_size)

    fired = _while_the_key_is_derived(monkeypatch, save_and_close)
    with open_vault(filled, read_ahead=PLAN) as vault:
        assert fired
        assert new_day in vault.summaries().dates()
    assert left == [0]


def test_rows_changed_outside_while_the_key_is_derived_are_noticed(filled, monkeypatch):
    fired = _while_the_key_is_derived(monkeypatch, lambda: raw_sql(
        filled, "DELETE FROM entries WHERE uuid=(SELECT uuid FROM entries LIMIT 1)"))
    # The state read ahead was whole, but it is not the state once the key exists: the
    # check reads the rows again and stops this very unlock, as the usual unlock would.
    with pytest.raises(IntegrityError, match="deleted outside the journal"):
        open_vault(filled, read_ahead=PLAN)
    assert fired
    with pytest.raises(IntegrityError, match="deleted outside the journal"):
        open_vault(filled, read_ahead=PLAN)


def test_own_saves_drop_what_was_read_ahead(filled):
    with open_vault(filled, read_ahead=PLAN) as vault:
        vault.put(Entry(date=START + timedelta(days=200), body="a river later"))
        assert vault.indexes._offered is None
        assert len(search_vault(vault, Query.parse("river", TODAY))) == 16
        assert len(vault.summaries()) == 61


def test_the_offer_is_taken_only_for_the_state_it_was_read_in(filled):
    with open_vault(filled) as vault:
        version = schema.data_version(vault._conn)
        store: IndexStore = vault.indexes
        store.offer(version + 1, [(0, b"not a chunk")], None)
        assert store._take(1) is None and store._offered is None
        store.offer(version, [(0, b"x")], [(1, b"y")])
        assert store._take(1) == [(0, b"x")] and store._take(1) is None
        assert store._take(2) == [(1, b"y")]


def test_the_usual_unlock_is_unchanged_for_a_recovery_code(vault_dir, fast_kdf, clock):
    vault, code = Vault.create(vault_dir, PASSPHRASE, kdf=fast_kdf, clock=clock)
    vault.put(Entry(date=START, body="kept"))
    vault.close()
    with Vault.open(vault_dir, recovery_code=code, allow_weak=True, read_ahead=PLAN) as v:
        assert v.get_by_date(START).body == "kept"
        assert v.indexes._offered is None  # nothing was read ahead for it


def test_a_failing_self_test_after_reading_ahead_leaves_nothing_open(filled, monkeypatch):
    monkeypatch.setattr(kdf, "_early", {})  # the derivation started is left to end alone
    connections: list[sqlite3.Connection] = []
    real_connect = schema.connect
    monkeypatch.setattr(schema, "connect", lambda *a, **k: connections.append(
        real_connect(*a, **k)) or connections[-1])
    monkeypatch.setattr(crypto, "self_test", lambda: (_ for _ in ()).throw(
        CryptoUnavailable("Argon2id failed its RFC 9106 self-test")))
    with pytest.raises(CryptoUnavailable):
        open_vault(filled, read_ahead=PLAN)
    assert len(connections) == 1
    with pytest.raises(sqlite3.ProgrammingError):
        connections[0].execute("SELECT 1")
