"""T0: known-answer vectors for every primitive we compose, and a frozen golden vault.

The expected values are published test vectors, copied here independently of
journal.core.store.crypto (so a wrong constant there cannot make its own test pass), plus the
golden vault tests/data/golden-v1 written once by tests/data/make_golden.py: a vault of
this format must open forever.
"""

from __future__ import annotations

import shutil
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal.core.store import crypto
from journal.core.store.captures import SealedBox
from journal.core.store.vault import Vault, db_path, merge_sealed

GOLDEN = Path(__file__).parent.parent / "data" / "golden-v1"
GOLDEN_PASSPHRASE = "golden vault: Ünïcödé café, 2026"
GOLDEN_RECOVERY = "JLJR-E63K-3ADW-N2DF-OL2O-7RJE-KCFZ-OA4Y-5PSM-ZGKF-NA6M-QCIB-CB2A"
H = bytes.fromhex


def figure(text: str) -> None:
    print(f"\nFIGURE {text}", file=sys.stderr)


def test_rfc9106_argon2id_vector_directly_and_through_self_test():
    # RFC 9106 §5.3: Argon2id, t=3, m=32 KiB, p=4, password 32x01, salt 16x02,
    # secret 8x03, associated data 12x04, tag length 32.
    out = Argon2id(salt=b"\x02" * 16, length=32, iterations=3, lanes=4, memory_cost=32,
                   secret=b"\x03" * 8, ad=b"\x04" * 12).derive(b"\x01" * 32)
    assert out == H("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659")
    crypto.self_test.cache_clear()
    crypto.self_test()  # the start-up check runs the same vector and passes


def test_aes_256_gcm_vectors():
    # McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 13 and 14
    # (also in NIST's GCM validation data): 256-bit zero key, 96-bit zero IV.
    aead = AESGCM(b"\0" * 32)
    assert aead.encrypt(b"\0" * 12, b"", None) == H("530f8afbc74536b9a963b4f1c4cb738b")
    assert aead.encrypt(b"\0" * 12, b"\0" * 16, None) == H(
        "cea7403d4d606b6e074ec5d3baf39d18" "d0d1c8a799996bf0265b98b5d48ab919")
    # and through our framing: nonce || ciphertext || tag
    assert crypto.open_sealed(b"\0" * 32, b"\0" * 12 + H("530f8afbc74536b9a963b4f1c4cb738b"),
                              b"") == b""


def test_hkdf_sha256_rfc5869_case_1():
    okm = HKDF(algorithm=hashes.SHA256(), length=42, salt=H("000102030405060708090a0b0c"),
               info=H("f0f1f2f3f4f5f6f7f8f9")).derive(b"\x0b" * 22)
    assert okm == H("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                    "34007208d5b887185865")


def test_hmac_sha256_rfc4231_case_1():
    mac = hmac.HMAC(b"\x0b" * 20, hashes.SHA256())
    mac.update(b"Hi There")
    assert mac.finalize() == H("b0344c61d8db38535ca8afceaf0bf12b"
                               "881dc200c9833da726e9376c2e32cff7")


def test_x25519_rfc7748_section_6_1():
    alice = X25519PrivateKey.from_private_bytes(
        H("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
    bob = X25519PrivateKey.from_private_bytes(
        H("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))
    shared = H("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
    assert alice.exchange(bob.public_key()) == shared == bob.exchange(alice.public_key())


def test_our_framing_is_frozen():
    """Byte layouts every stored record depends on; changing one breaks old vaults."""
    assert crypto.pad(b"abc") == b"\0\0\0\x03abc" + b"\0" * 249
    assert len(crypto.pad(b"x" * 252)) == 256 and len(crypto.pad(b"x" * 253)) == 512
    assert crypto.entry_aad(b"V" * 16, b"U" * 16, 258) == (
        b"journal/v1/entry|" + b"V" * 16 + b"U" * 16 + b"\0\0\0\0\0\0\x01\x02")
    assert crypto.subkey(b"\1" * 32, "entry-aead") == HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"journal/v1/entry-aead",
    ).derive(b"\1" * 32)
    rows = [(b"\2" * 16, 3, b"\3" * 32), (b"\1" * 16, 1, b"\4" * 32)]
    mac = hmac.HMAC(b"\5" * 32, hashes.SHA256())
    mac.update(b"journal/v1/manifest|" + b"V" * 16 + (2).to_bytes(8, "big")
               + b"\1" * 16 + (1).to_bytes(8, "big") + b"\4" * 32
               + b"\2" * 16 + (3).to_bytes(8, "big") + b"\3" * 32)
    assert crypto.manifest_mac(b"\5" * 32, b"V" * 16, rows) == mac.finalize()


# -- the golden vault -------------------------------------------------------------------------
@pytest.fixture
def golden(tmp_path) -> Path:
    """A copy: opening writes (WAL, migrations); the committed file must never change."""
    target = tmp_path / "golden"
    shutil.copytree(GOLDEN, target)
    target.chmod(0o700)
    return target


def _expected_entries(vault: Vault) -> None:
    entries = vault.entries()
    assert [e.date for e in entries] == [date(2026, 11, 24), date(2026, 11, 23)]
    quiet, shift = entries
    assert quiet.id == "7a2c8b63-1d2f-4e1b-8b62-4e6a3a1a7b02" and quiet.version == 2
    assert quiet.body == "Quiet day. Emoji 🌙, RTL שלום, e\u0301.\nEdited once."
    assert quiet.energy == 7 and quiet.sleep is None
    assert quiet.written_at == datetime(2026, 11, 26, 21, 30)
    assert quiet.updated_at == datetime(2026, 11, 26, 22, 0)
    assert shift.id == "6f1b7a52-0c1e-4d0a-9a51-3d5f2f0f6a01" and shift.version == 1
    assert shift.body == "# Long shift\nTalked with @Sam about #boundaries."
    assert (shift.sleep, shift.energy, shift.recovery, shift.good_things) == (
        6, 4, ["walk"], ["tea with Ana"])
    assert shift.all_tags == {"boundaries", "grief"}
    assert shift.all_people == {"sam", "client-a"}
    (moment,) = shift.moments
    assert (moment.kind, moment.intensity, moment.context, moment.time, moment.feelings,
            moment.action, moment.note, moment.id) == (
        "contagion", 7, "work", "14:10", ["upset"], "withdrew", "carried it home",
        "0d9c8d4e-58a8-4f55-8d0c-0b9a7f3f2c11")


def test_golden_vault_is_committed_closed_and_untouched():
    assert sorted(p.name for p in GOLDEN.iterdir()) == ["journal.db"]  # no -wal / -shm
    header, conn = Vault.read_header(GOLDEN)  # read-only: leaves the file as it is
    conn.close()
    assert header.kdf == crypto.KdfParams.fast_for_tests()


def test_golden_vault_opens_forever(golden):
    with Vault.open(golden, GOLDEN_PASSPHRASE, allow_weak=True) as vault:
        _expected_entries(vault)
        report = vault.check()
        assert report.ok and report.entries == 2, report.problems
        saved_at, count = vault.last_saved()
        assert (saved_at, count) == (datetime(2026, 11, 26, 22, 0), 2)
        assert vault.get_by_date(date(2026, 11, 23)).moments[0].note == "carried it home"


def test_golden_vault_opens_with_its_recovery_code_and_merges_its_sealed_entry(golden):
    assert SealedBox(golden).pending() == 1
    with Vault.open(golden, recovery_code=GOLDEN_RECOVERY.lower(), allow_weak=True) as vault:
        _expected_entries(vault)
        result = merge_sealed(vault)
        assert (result.merged, result.problems) == (1, [])
        captured = vault.get_by_date(date(2026, 11, 25))
        assert captured.body == "captured without unlocking"
    assert SealedBox(golden).pending() == 0
    figure(f"T0 golden_vault={db_path(GOLDEN).stat().st_size}B entries=2 sealed=1 opened")
