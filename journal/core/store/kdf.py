"""Argon2id key derivation: its parameters, the passphrase's normal form, and the
derivation itself, with a head start (`derive_kek_early`).

Kept apart from journal.core.store.crypto so that a command can start deriving its key after
importing only this module and `cryptography`'s Argon2id (~20 ms), not the whole core.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import asdict, dataclass

from journal.core.errors import CryptoUnavailable, VaultDamaged

KEY_LEN = 32
#: Two Argon2id derivations running at once in one process can hang inside OpenSSL (seen
#: with a head start and the self-test's vector); every derivation holds this lock.
ONE_AT_A_TIME = threading.Lock()


#: Ceilings for a vault's Argon2id settings, checked before deriving (`out_of_range`).
MAX_MEMORY_KIB = 1024 * 1024          # 1 GiB
MAX_ITERATIONS = 20
MAX_LANES = 16
MAX_WORK_KIB = 4 * 1024 * 1024        # memory x passes: 4 GiB (128 MiB x 20 is 2.5 GiB)


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters; memory in KiB."""

    memory_kib: int
    iterations: int
    lanes: int

    #: RFC 9106 second recommended option: the floor for any vault the product creates or opens.
    @classmethod
    def floor(cls) -> KdfParams:
        return cls(memory_kib=64 * 1024, iterations=3, lanes=4)

    @classmethod
    def fast_for_tests(cls) -> KdfParams:
        """Deliberately weak. Only the test suite may use it (see `Vault.open(allow_weak=...)`)."""
        return cls(memory_kib=8 * 1024, iterations=1, lanes=1)

    def is_below_floor(self) -> bool:
        f = self.floor()
        return self.memory_kib < f.memory_kib or self.iterations < f.iterations or (
            self.lanes < f.lanes
        )

    def is_absurd(self) -> bool:
        """Out of the range any vault of ours can hold: see `out_of_range`."""
        return self.out_of_range() is not None

    def out_of_range(self) -> str | None:
        """Why these settings are refused before any key derivation, or None.

        Calibration (crypto.calibrate) stops at 128 MiB and 20 passes, so a vault of ours
        asks for at most 128 MiB x 20 passes. The ceilings leave room above that for a
        stronger machine and still bound one unlock to about 1 GiB of memory and a few
        seconds of work (memory x passes <= 4 GiB, about 3 s on the reference machine),
        as age caps its scrypt work factor: a hostile or damaged header cannot make an
        unlock allocate gigabytes or run for minutes (issue 13, item 9; the old ceiling of
        4 GiB x 20 passes x 16 lanes let a header stall an unlock). Argon2 itself needs at
        least 8 KiB per lane."""
        memory = (f"{self.memory_kib // 1024} MiB" if self.memory_kib >= 1024
                  else f"{self.memory_kib} KiB")
        shown = f"{memory} x {self.iterations} passes x {self.lanes} lanes"
        limits = (f"this program never uses more than {MAX_MEMORY_KIB // 1024} MiB, "
                  f"{MAX_ITERATIONS} passes, {MAX_LANES} lanes, or "
                  f"{MAX_WORK_KIB // 1024 // 1024} GiB x passes in all")
        if (self.lanes < 1 or self.iterations < 1
                or self.memory_kib < max(8, 8 * self.lanes)):
            return f"impossible key derivation settings ({shown})"
        if (self.lanes > MAX_LANES or self.iterations > MAX_ITERATIONS
                or self.memory_kib > MAX_MEMORY_KIB
                or self.memory_kib * self.iterations > MAX_WORK_KIB):
            return f"a key derivation of {shown}, above the ceiling ({limits})"
        return None

    def to_json(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> KdfParams:
        values = [data.get(k) for k in ("memory_kib", "iterations", "lanes")] if isinstance(
            data, dict) else None
        # Exact ints only (no bools, floats or strings): one canonical form per header.
        if values is None or set(data) != {"memory_kib", "iterations", "lanes"} or not all(
                type(v) is int for v in values):
            raise VaultDamaged("the vault header is damaged (key derivation settings)")
        params = cls(*values)
        reason = params.out_of_range()
        if reason is not None:
            raise VaultDamaged(f"the vault header asks for {reason}; refusing to derive a key "
                               "from it (the header is damaged or was tampered with)")
        return params


def normalise_passphrase(passphrase: str) -> bytes:
    """NFC-normalise (never trim) and encode; changing this would lock users out."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


UNAVAILABLE = (
    "Argon2id is not available in this Python's 'cryptography' (need >= 44 with its "
    "bundled OpenSSL); refusing to create or open a vault"
)


def argon2id() -> type:
    """The Argon2id class, looked up at each call (never cached: see `self_test`)."""
    from cryptography.hazmat.primitives.kdf import argon2

    return argon2.Argon2id


#: Derivations started ahead of need (`derive_kek_early`), by their exact inputs.
_early: dict[tuple[str, bytes, KdfParams], tuple[threading.Thread, dict[str, bytes]]] = {}


def derive_kek_early(passphrase: str, salt: bytes, params: KdfParams) -> None:
    """Start `derive_kek` on another thread. Argon2id releases the GIL, so a command can
    import and open what it needs meanwhile; `derive_kek` with exactly these inputs then
    takes this result instead of starting over (anything else derives as usual)."""
    if params.is_absurd() or (passphrase, salt, params) in _early:
        return
    result: dict[str, bytes] = {}

    def derive() -> None:
        try:
            result["kek"] = _derive(passphrase, salt, params)
        except Exception:  # noqa: BLE001 - derive_kek derives again and reports it
            pass

    thread = threading.Thread(target=derive, name="journal-kdf", daemon=True)
    thread.start()
    _early[(passphrase, salt, params)] = (thread, result)


def derive_kek(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """Argon2id(NFC(passphrase)). Fails closed: any failure of the primitive itself is
    CryptoUnavailable, never a silently different key or a stray exception."""
    early = _early.pop((passphrase, salt, params), None)
    if early is not None:
        early[0].join()
        if "kek" in early[1]:
            return early[1]["kek"]
    for thread, _ in list(_early.values()):  # a head start that guessed wrong: let it end,
        thread.join()                        # never two Argon2id buffers at once
    return _derive(passphrase, salt, params)


def _derive(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    reason = params.out_of_range()
    if reason is not None:
        raise VaultDamaged(f"the vault header asks for {reason}; refusing to derive a key")
    try:
        kdf = argon2id()(
            salt=salt, length=KEY_LEN, iterations=params.iterations, lanes=params.lanes,
            memory_cost=params.memory_kib,
        )
        with ONE_AT_A_TIME:
            key = kdf.derive(normalise_passphrase(passphrase))
    except MemoryError:
        raise CryptoUnavailable("not enough memory for the vault's key derivation") from None
    except Exception as exc:  # ImportError, UnsupportedAlgorithm, anything from OpenSSL
        raise CryptoUnavailable(UNAVAILABLE) from exc
    if not isinstance(key, bytes) or len(key) != KEY_LEN:
        raise CryptoUnavailable(UNAVAILABLE)
    return key


