"""Issue 13 item 8: the recovery-code wrap binds the key-derivation settings, so an edited
header cannot make `passwd --recovery-code` write weaker settings for good; and the
settings are never lowered without a word."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from journal.core.errors import ValidationError, WrongPassphrase
from journal.core.model.entries import Entry
from journal.core.store.crypto import KdfParams
from journal.core.store.header import Header
from journal.core.store.vault import Vault, db_path
from tests.conftest import PASSPHRASE, open_vault

STRONG = KdfParams(memory_kib=16 * 1024, iterations=2, lanes=1)
WEAK = KdfParams.fast_for_tests()  # 8 MiB, 1 pass: what an attacker writes in the header


def _edit_header(vault_dir, kdf: KdfParams) -> None:
    conn = sqlite3.connect(db_path(vault_dir))
    raw = conn.execute("SELECT value FROM meta WHERE key='header'").fetchone()[0]
    header = Header.decode(raw)
    conn.execute("UPDATE meta SET value=? WHERE key='header'",
                 (Header(header.vault_id, kdf, header.salt).encode(),))
    conn.commit()
    conn.close()


def _header_kdf(vault_dir) -> KdfParams:
    header, ro = Vault.read_header(vault_dir)
    ro.close()
    return header.kdf


def test_recovery_after_an_edited_header_keeps_the_real_settings(vault_dir):
    vault, code = Vault.create(vault_dir, PASSPHRASE, kdf=STRONG)
    vault.put(Entry(date=date(2026, 11, 20), body="kept"))
    vault.close()
    _edit_header(vault_dir, WEAK)
    with pytest.raises(WrongPassphrase):  # the edit breaks the passphrase wrap...
        open_vault(vault_dir)
    with Vault.open(vault_dir, recovery_code=code, allow_weak=True) as recovered:
        assert recovered.keyring.trusted_kdf == STRONG  # ...the recovery wrap vouches
        note = recovered.change_passphrase("a new passphrase after the edit")
    assert note is not None and "changed outside the journal" in note
    assert _header_kdf(vault_dir) == STRONG  # not the attacker's weaker settings
    with open_vault(vault_dir, "a new passphrase after the edit") as reopened:
        assert reopened.check().ok


def test_the_recovery_wrap_is_bound_to_the_settings(vault_dir):
    vault, code = Vault.create(vault_dir, PASSPHRASE, kdf=STRONG)
    vault.close()
    conn = sqlite3.connect(db_path(vault_dir))
    conn.execute("UPDATE meta SET value=? WHERE key='recovery_kdf'",
                 (b'{"iterations":1,"lanes":1,"memory_kib":8192}',))
    conn.commit()
    conn.close()
    with pytest.raises(WrongPassphrase):  # the bound settings cannot be swapped either
        Vault.open(vault_dir, recovery_code=code, allow_weak=True)


def test_lowering_the_settings_on_purpose_is_refused(vault_dir):
    vault, _ = Vault.create(vault_dir, PASSPHRASE, kdf=STRONG)
    with pytest.raises(ValidationError, match="weaker"):
        vault.change_passphrase("another passphrase", WEAK)
    assert vault.change_passphrase("another passphrase") is None  # unchanged: no note
    vault.close()
    assert _header_kdf(vault_dir) == STRONG
