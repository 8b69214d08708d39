"""Issue 13 item 7: a quick capture made while the keys rotate is never sealed to the key
the rotation discards. The capture reads the public key inside its write transaction and
the rotation merges pending captures inside its own, so whichever commits first, the
capture is merged at the next unlock."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from journal.core.model.entries import Entry
from journal.core.store import captures as captures_mod
from journal.core.store.captures import SealedBox
from journal.core.store.vault import merge_sealed
from tests.conftest import PASSPHRASE, open_vault

DAY = date(2026, 11, 24)


@pytest.mark.parametrize("pause", [0.0, 0.02, 0.1, 0.5])
def test_a_capture_racing_a_rotation_is_never_lost(vault, vault_dir, monkeypatch, pause):
    """The rotation starts while the capture is being sealed, and is given `pause` seconds
    to run before the capture goes on: from "not yet started" to "long finished" (before
    the fix, the capture was then sealed to the discarded key)."""
    vault.put(Entry(date=DAY, body="evening"))
    vault.close()
    rotator = open_vault(vault_dir)
    errors: list[BaseException] = []

    def rotate() -> None:
        try:
            rotator.rotate_keys(PASSPHRASE, new_recovery=False)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    thread = threading.Thread(target=rotate)
    real_seal = captures_mod.crypto.seal_to_public

    def seal_while_rotating(public: bytes, payload: bytes, aad: bytes) -> bytes:
        thread.start()
        thread.join(pause)
        return real_seal(public, payload, aad)

    monkeypatch.setattr(captures_mod.crypto, "seal_to_public", seal_while_rotating)
    SealedBox(vault_dir).add(Entry(date=DAY, body="typed during the rotation"))
    monkeypatch.undo()
    thread.join(30)
    rotator.close()
    assert not errors, errors
    with open_vault(vault_dir) as opened:
        result = merge_sealed(opened)
        assert result.problems == []
        assert "typed during the rotation" in opened.get_by_date(DAY).body
        assert opened.check().ok
    assert SealedBox(vault_dir).pending() == 0


def test_a_capture_after_a_rotation_uses_the_new_key(vault, vault_dir):
    vault.rotate_keys(PASSPHRASE, new_recovery=False)
    vault.close()
    SealedBox(vault_dir).add(Entry(date=DAY, body="after"))
    with open_vault(vault_dir) as opened:
        assert merge_sealed(opened).merged == 1
