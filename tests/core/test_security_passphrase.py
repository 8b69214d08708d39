"""T6: wrong and near-miss passphrases are rejected; the NFC-equal one unlocks."""

from __future__ import annotations

import random
import sys
import unicodedata

import pytest

from journal.core.errors import WrongPassphrase
from journal.core.store.crypto import KdfParams
from journal.core.store.vault import WRONG, Vault

RIGHT = "Café au lait, s'il vous plaît"  # NFC, with a space to disturb


@pytest.fixture(scope="module")
def vault_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("t6") / "vault"
    vault, _ = Vault.create(directory, RIGHT, kdf=KdfParams.fast_for_tests())
    vault.close()
    return directory


def near_misses() -> dict[str, str]:
    return {
        "trailing space": RIGHT + " ",
        "leading space": " " + RIGHT,
        "upper case": RIGHT.upper(),
        "first letter lower": "c" + RIGHT[1:],
        "double space": RIGHT.replace(" ", "  ", 1),
        "no-break space": RIGHT.replace(" ", "\u00a0", 1),
        "one char short": RIGHT[:-1],
        "one char extra": RIGHT + "!",
        "accent dropped": RIGHT.replace("é", "e"),
        # NFKC would fold a full-width comma to ",": we normalise NFC only, on purpose.
        "full-width comma (NFKC-equal, not NFC-equal)": RIGHT.replace(",", "\uff0c"),
    }


def test_t6_near_miss_and_random_passphrases_are_rejected(vault_dir):
    rng = random.Random(6)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 éüß-_'!"
    tries = dict(near_misses())
    while len(tries) < 100:
        guess = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 40)))
        tries.setdefault(f"random {len(tries)}", guess)
    rejected = 0
    for name, guess in tries.items():
        assert guess != RIGHT, name
        with pytest.raises(WrongPassphrase) as caught:
            Vault.open(vault_dir, guess, allow_weak=True)
        assert str(caught.value) == WRONG, name
        rejected += 1
    Vault.open(vault_dir, RIGHT, allow_weak=True).close()  # the control: it does open
    print(f"\nFIGURE T6 tries={len(tries)} near_miss={len(near_misses())} "
          f"rejected={rejected} right_unlocks=1", file=sys.stderr)
    assert rejected == 100


def test_t6_the_same_text_in_nfd_unlocks(vault_dir):
    nfd = unicodedata.normalize("NFD", RIGHT)
    assert nfd != RIGHT and len(nfd) > len(RIGHT)  # really a different code point sequence
    Vault.open(vault_dir, nfd, allow_weak=True).close()


def test_t6_an_empty_or_missing_passphrase_is_refused(vault_dir):
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_dir, "", allow_weak=True)
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_dir, None, allow_weak=True)
    with pytest.raises(WrongPassphrase, match="recovery code"):
        Vault.open(vault_dir, recovery_code="AAAA-BBBB", allow_weak=True)
