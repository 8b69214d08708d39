"""Issue 19, target 4: index chunks keep their rows' moments folded (chunk format 5, storage
version 6), the fold's work labels as a mask of rows per label since (chunk format 6,
storage version 7). A vault written by a program before (storage version 5, chunks of
format 4: tests/data/index-v4, made by main a36e878; storage version 6, chunks of format 5:
tests/data/index-v5, made by main 38a3b8e) upgrades itself at its first unlock without
decrypting any entry, loses nothing, and reflects exactly as that program did."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from journal.core.reflection import days as reflection_days
from journal.core.reflection import reflect_rows
from journal.core.store import crypto, schema
from journal.core.store.index_chunk import FORMAT, chunk_aad
from journal.core.store.records import Records
from journal.core.store.vault import Vault, db_path

DATA = Path(__file__).resolve().parents[1] / "data"
#: each older vault and the chunk format its program wrote
OLDER = {"index-v4": 4, "index-v5": 5}


@pytest.fixture(params=sorted(OLDER))
def older(request, tmp_path: Path) -> tuple[Path, dict, int]:
    """A copy of an older vault, what its program's reflections gave, its chunk format."""
    old = DATA / request.param
    target = tmp_path / "vault"
    shutil.copytree(old, target)
    (target / "reflect.json").unlink()
    return (target, json.loads((old / "reflect.json").read_text(encoding="utf-8")),
            OLDER[request.param])


def _formats(directory: Path, keys: tuple[bytes, bytes]) -> list[int]:
    conn = sqlite3.connect(db_path(directory))
    try:
        rows = conn.execute("SELECT bucket, ct FROM index_chunks").fetchall()
    finally:
        conn.close()
    return [json.loads(crypto.unpad(crypto.open_sealed(
        keys[0], blob, chunk_aad(keys[1], bucket))).split(b"\n")[0])["v"]
        for bucket, blob in rows]


def _reflections(vault: Vault, expected: dict) -> list[dict]:
    index = vault.index()
    out = []
    for run in expected["runs"]:
        result = reflect_rows(
            index.day_rows(), since=run["since"] and date.fromisoformat(run["since"]),
            until=run["until"] and date.fromisoformat(run["until"]), work_end=run["work_end"],
            today=date.fromisoformat(expected["today"]), practices=index.practice_rows())
        out.append(json.loads(json.dumps(result)))
    return out


def test_an_older_vault_upgrades_itself_without_decrypting_an_entry(older, monkeypatch):
    old_vault, expected, written = older
    opened = []
    real_open = Records.open_row
    monkeypatch.setattr(Records, "open_row", lambda self, row: opened.append(row)
                        or real_open(self, row))
    vault = Vault.open(old_vault, expected["passphrase"], allow_weak=True)
    try:
        keys = vault.keyring.subkeys["summary-aead"], vault.keyring.vault_id
        assert set(_formats(old_vault, keys)) == {written}   # a read never writes by itself
        assert _reflections(vault, expected) == [run["result"] for run in expected["runs"]]
        assert vault.indexes.pending() == expected["entries"]
        assert vault.indexes.pending_upgraded() == expected["entries"]  # none rebuilt
        assert vault.store_healed_index() == expected["entries"]
        assert vault.indexes.stored_upgraded == expected["entries"]
        assert opened == []   # folded from the chunks' own moments
        # stored again without decoding (and keeping) the parts a reflection never reads
        assert all(c._parts[1:4] == [None] * 3 for c in vault.index().chunks.values())
    finally:
        vault.close()
    assert set(_formats(old_vault, keys)) == {FORMAT} == {6}
    conn = sqlite3.connect(db_path(old_vault))
    assert schema.user_version(conn) == schema.LATEST == 7
    conn.close()
    with Vault.open(old_vault, expected["passphrase"], allow_weak=True) as vault:
        assert not any(c.upgraded for c in vault.index().chunks.values())
        assert vault.indexes.pending() == 0
        # (the triggers may read a tested tag's moments again: that folds nothing)
        monkeypatch.setattr(reflection_days, "fold_moments", _no_fold)
        # the whole journal from the stored folds alone, at either work end
        whole = [i for i, run in enumerate(expected["runs"]) if run["since"] is None]
        assert len(whole) == 2
        found = [_reflect(vault, expected["runs"][i], expected["today"]) for i in whole]
        assert found == [expected["runs"][i]["result"] for i in whole]
        monkeypatch.undo()
        assert _reflections(vault, expected) == [run["result"] for run in expected["runs"]]
        assert len(vault.entries()) == expected["entries"]
        assert vault.check().problems == []


def _no_fold(moments):
    raise AssertionError("a reflection over whole chunks folded their moments again")


def _reflect(vault: Vault, run: dict, today: str) -> dict:
    index = vault.index()
    return json.loads(json.dumps(reflect_rows(
        index.day_rows(), work_end=run["work_end"], today=date.fromisoformat(today),
        practices=index.practice_rows())))


def test_what_was_done_to_the_index_is_said_as_it_was():
    """The CLI's line and the app's notice say "upgraded" for chunks only folded again, and
    "rebuilt" only for chunks rebuilt from the entries."""
    from journal.core.store.index_store import index_done

    assert index_done(3, 0) == "rebuilt (3 entries)"
    assert index_done(80, 80) == ("upgraded (the moments of 80 entries folded from the index "
                                  "itself; no entry decrypted)")
    assert index_done(83, 80).startswith("rebuilt (3 entries) and upgraded (the moments of 80")
    assert index_done(1, 0) == "rebuilt (1 entry)"
    assert index_done(2, 1) == ("rebuilt (1 entry) and upgraded (the moments of 1 entry folded "
                                "from the index itself; no entry decrypted)")
