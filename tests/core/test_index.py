"""Encrypted summaries: list/filter/reflect without decrypting every entry, never a way to
lose words, and always consistent with the entries they summarise."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from journal.core.errors import ValidationError
from journal.core.models import Entry, Moment
from journal.core.query import Query, search
from journal.core.vault import db_path
from tests.conftest import open_vault
from tests.leakscan import scan


def _entries(n: int = 30) -> list[Entry]:
    out = []
    for i in range(n):
        kind = "contagion" if i % 3 == 0 else "concern"
        out.append(Entry(
            date=date(2026, 1, 1) + timedelta(days=i),
            body=f"# Day {i}\nSummary-canary-{i} with #tag{i % 4} and @person{i % 5}.",
            sleep=i % 11, recovery=["walk"] if i % 2 else [], good_things=["tea"],
            moments=[Moment(kind, i % 11, "home" if i % 2 else "work", tags=[f"t{i % 3}"],
                            people=["sam"], note=f"note-canary-{i}")],
        ))
    return out


def _same_view(full: Entry, part: Entry) -> None:
    assert (part.id, part.date, part.version, part.title) == (
        full.id, full.date, full.version, full.title)
    assert part.all_tags == full.all_tags and part.all_people == full.all_people
    assert (part.sleep, part.energy, part.recovery) == (full.sleep, full.energy, full.recovery)
    assert len(part.good_things) == len(full.good_things)
    assert [(m.kind, m.intensity, m.context, m.tags, m.people) for m in part.moments] == [
        (m.kind, m.intensity, m.context, m.tags, m.people) for m in full.moments]


def test_summaries_match_full_entries_after_reopen(vault, vault_dir):
    vault.put_many(_entries())
    vault.close()
    v = open_vault(vault_dir)
    parts = v.summaries()
    assert v._cache is None  # nothing was fully decrypted to list them
    full = {e.id: e for e in v.entries()}
    assert [p.date for p in parts] == sorted((p.date for p in parts), reverse=True)
    assert len(parts) == len(full) == 30
    for part in parts:
        assert part.partial and part.body == ""
        _same_view(full[part.id], part)
    v.close()


def test_filters_on_summaries_agree_with_full_entries(vault, vault_dir):
    vault.put_many(_entries())
    vault.close()
    v = open_vault(vault_dir)
    for raw in ("#tag1", "@person2", "kind:contagion", "context:home #t1", "since:2026-01-10"):
        q = Query.parse(raw)
        got = [e.id for e in search(v.summaries(), q)]
        assert got, raw
        assert got == [e.id for e in search(v.entries(), q)], raw
    v.close()


def test_partial_entries_cannot_be_saved(vault):
    vault.put_many(_entries(3))
    part = vault.summaries()[0]
    with pytest.raises(ValidationError):
        vault.put(part)
    assert vault.get(part.id).body.startswith("# Day")


def test_summaries_follow_own_and_other_writes(vault, vault_dir):
    vault.put_many(_entries(5))
    assert len(vault.summaries()) == 5
    first = vault.get_by_date(date(2026, 1, 1))
    first.body = "# Changed #fresh"
    vault.put(first)
    assert "fresh" in vault.summaries()[-1].all_tags  # own write seen
    other = open_vault(vault_dir)
    other.delete(first.id)
    other.close()
    assert len(vault.summaries()) == 4  # another connection's commit seen


def test_missing_or_damaged_summaries_are_rebuilt(vault, vault_dir):
    vault.put_many(_entries(6))
    vault.close()
    conn = sqlite3.connect(db_path(vault_dir))
    rows = conn.execute("SELECT uuid FROM summaries").fetchall()
    conn.execute("DELETE FROM summaries WHERE uuid=?", rows[0])
    conn.execute("UPDATE summaries SET sct = substr(sct, 1, 20) || zeroblob(30) WHERE uuid=?",
                 rows[1])
    conn.commit()
    conn.close()
    v = open_vault(vault_dir)
    parts = v.summaries()
    assert len(parts) == 6
    full = {e.id: e for e in v.entries()}
    for part in parts:
        _same_view(full[part.id], part)
    v.close()
    conn = sqlite3.connect(db_path(vault_dir))
    assert conn.execute("SELECT count(*) FROM summaries").fetchone()[0] == 6  # healed on disk
    conn.close()


def test_summary_swapped_between_entries_is_not_believed(vault, vault_dir):
    vault.put_many(_entries(2))
    vault.close()
    conn = sqlite3.connect(db_path(vault_dir))
    (a, sa), (b, sb) = conn.execute("SELECT uuid, sct FROM summaries").fetchall()
    conn.execute("UPDATE summaries SET sct=? WHERE uuid=?", (sb, a))
    conn.execute("UPDATE summaries SET sct=? WHERE uuid=?", (sa, b))
    conn.commit()
    conn.close()
    v = open_vault(vault_dir)
    full = {e.id: e for e in v.get_many([p.id for p in v.summaries()])}
    for part in v.summaries():
        _same_view(full[part.id], part)  # rebuilt from the entries, not swapped
    v.close()


def test_summaries_hold_no_plaintext_on_disk(vault, vault_dir):
    vault.put_many(_entries(10))
    vault.summaries()
    needles = [f"Summary-canary-{i}" for i in range(10)] + ["note-canary-3", "tag1", "person2"]
    report = scan([vault_dir], needles)
    assert report.hits == 0, report.describe()


def test_get_and_get_many_decrypt_single_rows(vault, vault_dir):
    saved = vault.put_many(_entries(4))
    vault.close()
    v = open_vault(vault_dir)
    assert v.get(saved[2].id).body == saved[2].body
    assert [e.id for e in v.get_many([saved[0].id, "not-a-uuid", saved[3].id])] == [
        saved[0].id, saved[3].id]
    assert v._cache is None
    v.close()


def test_rotation_reseals_summaries(vault, vault_dir):
    from tests.conftest import PASSPHRASE

    vault.put_many(_entries(4))
    vault.rotate_keys(PASSPHRASE, new_recovery=False)
    vault.close()
    v = open_vault(vault_dir)
    parts = v.summaries()
    conn = sqlite3.connect(db_path(vault_dir))
    assert conn.execute("SELECT count(*) FROM summaries").fetchone()[0] == 4
    conn.close()
    assert all(p.partial for p in parts)  # opened under the new key, no rebuild needed
    v.close()


def test_own_writes_patch_the_summary_cache_instead_of_reloading(vault, monkeypatch):
    from journal.core import summaries as summaries_mod

    vault.put_many(_entries(5))
    vault.summaries()
    loads = []
    real = summaries_mod.load_all
    monkeypatch.setattr(summaries_mod, "load_all", lambda *a: loads.append(1) or real(*a))
    entry = vault.get_by_date(date(2026, 1, 2))
    entry.body = "# Patched #newtag"
    vault.put(entry)
    vault.delete(vault.get_by_date(date(2026, 1, 3)).id)
    parts = vault.summaries()
    assert loads == []  # patched in place, not reloaded
    assert len(parts) == 4 and date(2026, 1, 3) not in [p.date for p in parts]
    patched = next(p for p in parts if p.date == date(2026, 1, 2))
    assert patched.title == "Patched #newtag" and "newtag" in patched.all_tags and patched.partial
    assert [p.date for p in parts] == sorted((p.date for p in parts), reverse=True)


def test_uuid_text_matches_the_standard_form():
    import uuid

    from journal.core.summaries import uuid_text

    for _ in range(200):
        u = uuid.uuid4()
        assert uuid_text(u.bytes) == str(u)
