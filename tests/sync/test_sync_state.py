"""sync.db across versions and interruptions: rows written in the earlier form (a revision
as its JSON object, a pending day sealed by name) still open and merge, and a first sync cut
off after storing what it read (before the vault was written) is finished by the next one,
which names the days left pending from their revisions."""

from __future__ import annotations

import pytest
from sync_sim import World

from journal.core.demo import generate
from journal.core.errors import VaultDamaged
from journal.core.store.vault import Vault
from journal.core.sync import session

ENTRIES = 12


@pytest.fixture
def world(tmp_path):
    w = World.make(tmp_path, 2)
    w.machines[0].vault.put_many(generate(ENTRIES, seed=5, body_bytes=200))
    w.machines[0].sync()
    w.deliver_all()
    yield w
    w.close()


def _interrupt_before_the_vault_is_written(machine, monkeypatch):  # noqa: ANN001
    def power_cut(self, entries, progress=None):  # noqa: ANN001
        raise RuntimeError("power cut")

    with monkeypatch.context() as patch:
        patch.setattr(Vault, "put_many", power_cut)
        with pytest.raises(RuntimeError):
            machine.sync()
    assert machine.vault.count() == 0


def test_a_first_sync_cut_off_before_the_vault_is_finished_by_the_next(world, monkeypatch):
    a, b = world.machines
    _interrupt_before_the_vault_is_written(b, monkeypatch)
    state = session.open_state(b.vault)
    try:
        assert state.pending_count() == ENTRIES
        # A new session has hashed none of these days: their revisions name them.
        assert sorted(state.pending()) == sorted(e.date.isoformat() for e in a.vault.entries())
    finally:
        state.close()
    report = b.sync()
    assert report.received == 0 and len(report.days_changed) == ENTRIES
    assert b.export() == a.export()
    assert session.status(b.vault)["pending_in"] == 0


def _rewrite_in_the_earlier_form(machine) -> int:  # noqa: ANN001
    """Every revision row as its JSON object, every pending row with its day sealed: what
    sync.db held before revisions were kept in canonical form."""
    state = session.open_state(machine.vault)
    try:
        rows = state.conn.execute("SELECT id, blob FROM revs").fetchall()
        with state.transaction():
            for rid, blob in rows:
                rev = state._revision(rid, blob)
                state.conn.execute("UPDATE revs SET blob=? WHERE id=?",
                                   (state._seal(rev.to_json(), rid.encode()), rid))
            for (dkey,) in state.conn.execute("SELECT dkey FROM pending").fetchall():
                day = state._day_named_by_revision(dkey)
                state.conn.execute("UPDATE pending SET day=? WHERE dkey=?",
                                   (state._seal(day, b"pending|" + dkey), dkey))
        return len(rows)
    finally:
        state.close()


def test_rows_in_the_earlier_form_still_open_and_merge(world, monkeypatch):
    a, b = world.machines
    _interrupt_before_the_vault_is_written(b, monkeypatch)
    assert _rewrite_in_the_earlier_form(b) == ENTRIES
    b.sync()
    assert b.export() == a.export()
    entry = a.vault.entries()[3]
    entry.body += "\nlater\n"
    a.vault.put(entry)
    a.sync()
    world.deliver_all()
    report = b.sync()  # the day's earlier revision is read back in its old form
    assert report.days_changed == [entry.date.isoformat()] and not report.conflicts
    assert b.export() == a.export()


def test_a_revision_filed_under_another_day_is_named_as_damage(world, monkeypatch):
    a, b = world.machines
    _interrupt_before_the_vault_is_written(b, monkeypatch)
    state = session.open_state(b.vault)
    try:
        (one, two) = state.conn.execute("SELECT id, dkey FROM revs LIMIT 2").fetchall()
        with state.transaction():
            state.conn.execute("UPDATE revs SET dkey=? WHERE id=?", (two[1], one[0]))
    finally:
        state.close()
    with pytest.raises(VaultDamaged, match="filed under another day"):
        b.sync()
    assert b.vault.count() == 0  # nothing merged from a state that does not add up


def test_a_link_sealed_before_machine_names_opens_with_the_host_name():
    import socket

    from journal.core.model.conflicts import clean_name
    from journal.core.sync.session import machine_name
    from journal.core.sync.state import Link

    old = {"machine": "ab" * 8, "folder": "/f", "folder_id": "cd" * 8, "epoch": 1,
           "keys": {"1": "00" * 32}}
    link = Link.from_json(old)
    assert link.name == "" and machine_name(link) == clean_name(socket.gethostname())
    named = Link.from_json({**old, "name": "laptop"})
    assert machine_name(named) == "laptop" and Link.from_json(named.to_json()) == named


def test_the_name_is_read_back_from_the_last_record_or_from_the_compaction(tmp_path,
                                                                          monkeypatch):
    from datetime import date

    from sync_sim import NAMES

    from journal.core.model.conflicts import clean_name

    monkeypatch.setattr(session, "COMPACT_EVERY", 2)
    w = World.make(tmp_path, 1)
    try:
        m = w.machines[0]
        state = session.open_state(m.vault)
        link = state.link
        state.close()
        for n in range(4):
            m.write(date(2026, 3, 1 + n), f"line {n}")
            m.sync()
            state = session.open_state(m.vault)
            found = session._name_of(state.conn, link.machine, link.folder_id, link.keys)
            outbox = state.outbox()
            packed = state.compaction()[1]
            state.close()
            assert found == clean_name(NAMES[0]), (n, outbox.keys())
        assert packed is not None and not outbox  # the last read came from the compaction
    finally:
        w.close()
