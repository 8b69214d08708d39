"""Key derivation, key wrapping and record sealing, composed from `cryptography` primitives.

Nothing here is a home-made primitive: Argon2id, HKDF-SHA256, AES-256-GCM, HMAC-SHA256
and X25519 all come from `cryptography`. See docs/security.md for the design.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
import time
from bisect import bisect_left
from itertools import chain
from operator import itemgetter

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hmac import HMAC
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from journal.core.errors import CryptoUnavailable
from journal.core.store.kdf import (
    KEY_LEN,
    ONE_AT_A_TIME,
    UNAVAILABLE,
    KdfParams,
    argon2id,
    derive_kek,
    derive_kek_early,
    normalise_passphrase,
)

NONCE_LEN = 12
TAG_LEN = 16
PAD_BLOCK = 256
ENTRY_AAD_PREFIX = b"journal/v1/entry|"
MANIFEST_PREFIX = b"journal/v1/manifest|"
MANIFEST_BUCKET_PREFIX = b"journal/v1/manifest-bucket|"
MANIFEST_BUCKETS = 256  # one per value of a raw uuid's first byte


def manifest_bucket(raw_uuid: bytes) -> int:
    """The manifest bucket of a row (and the index chunk of its entry)."""
    if type(raw_uuid) is not bytes or len(raw_uuid) != 16:
        raise ValueError(f"not a raw 16-byte uuid: {raw_uuid!r:.40}")
    return raw_uuid[0]
SEALED_AAD_PREFIX = b"journal/v1/sealed|"


class DecryptError(Exception):
    """A record failed authentication. Callers turn it into a user-facing error."""


__all__ = ["KdfParams", "derive_kek", "derive_kek_early", "normalise_passphrase"]


def calibrate(target_seconds: float = 0.4, max_memory_kib: int = 128 * 1024) -> KdfParams:
    """Parameters that cost about `target_seconds` per derivation on this machine, never
    below the floor: memory grows first, up to `max_memory_kib`, then the passes. The
    memory cap keeps an unlock's peak memory within the product's budget (250 MB for a
    50,000-entry search, issue 8); past it, time is bought with passes (cost ~ m x t)."""
    floor = KdfParams.floor()
    start = time.perf_counter()
    derive_kek("calibration", b"\0" * 16, floor)
    elapsed = max(time.perf_counter() - start, 1e-3)
    factor = target_seconds / elapsed
    if factor <= 1.0:
        return floor
    memory_factor = min(factor, max(max_memory_kib, floor.memory_kib) / floor.memory_kib)
    memory = max(floor.memory_kib,
                 int(floor.memory_kib * memory_factor) // (8 * 1024) * (8 * 1024))
    passes = round(floor.iterations * factor * floor.memory_kib / memory)
    return KdfParams(memory, min(max(floor.iterations, passes), 20), floor.lanes)


# RFC 9106 §5.3 Argon2id test vector.
_RFC9106 = dict(
    password=b"\x01" * 32, salt=b"\x02" * 16, secret=b"\x03" * 8, ad=b"\x04" * 12,
    expected="0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659",
)


#: The Argon2id implementation that last passed the vector. The result is remembered per
#: implementation object, not once per process: if the class is swapped (a test, a broken
#: reload), the vector runs again, so a cached pass can never hide a missing or wrong KDF.
_verified: list[object] = []


def self_test() -> None:
    """Run the RFC 9106 Argon2id vector; refuse to work without a correct Argon2id."""
    try:
        impl = argon2id()
    except Exception as exc:
        _verified.clear()
        raise CryptoUnavailable(UNAVAILABLE) from exc
    if _verified and _verified[0] is impl:
        return
    _verified.clear()
    try:
        with ONE_AT_A_TIME:  # a head start may be deriving (journal.core.store.kdf)
            out = impl(
                salt=_RFC9106["salt"], length=32, iterations=3, lanes=4, memory_cost=32,
                ad=_RFC9106["ad"], secret=_RFC9106["secret"],
            ).derive(_RFC9106["password"])
    except Exception as exc:  # UnsupportedAlgorithm, anything from OpenSSL
        raise CryptoUnavailable(UNAVAILABLE) from exc
    if not isinstance(out, bytes) or not hmac.compare_digest(out.hex(), _RFC9106["expected"]):
        raise CryptoUnavailable("Argon2id failed its RFC 9106 self-test; refusing to continue")
    _verified.append(impl)


def _forget_self_test() -> None:
    _verified.clear()


#: Kept from the lru_cache days: `self_test.cache_clear()` forces the next call to re-run.
self_test.cache_clear = _forget_self_test  # type: ignore[attr-defined]


def subkey(dek: bytes, purpose: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_LEN, salt=None,
        info=f"journal/v1/{purpose}".encode(),
    ).derive(dek)


# -- AEAD -------------------------------------------------------------------------------------
def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_LEN)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if not isinstance(blob, bytes) or len(blob) < NONCE_LEN + TAG_LEN:
        raise DecryptError("record too short")
    try:
        return AESGCM(key).decrypt(blob[:NONCE_LEN], blob[NONCE_LEN:], aad)
    except InvalidTag:
        raise DecryptError("authentication failed") from None


def pad(data: bytes, block: int = PAD_BLOCK) -> bytes:
    """4-byte big-endian length, the data, zeros up to a multiple of `block`."""
    framed = struct.pack(">I", len(data)) + data
    return framed + b"\0" * (-len(framed) % block)


def unpad(data: bytes) -> bytes:
    if not isinstance(data, bytes) or len(data) < 4:
        raise DecryptError("padding")
    (length,) = struct.unpack(">I", data[:4])
    if length > len(data) - 4 or any(data[4 + length:]):
        raise DecryptError("padding")
    return data[4:4 + length]


def entry_aad(vault_id: bytes, entry_uuid: bytes, version: int) -> bytes:
    return ENTRY_AAD_PREFIX + vault_id + entry_uuid + struct.pack(">Q", version)


def seal_json(key: bytes, obj: object, aad: bytes) -> bytes:
    raw = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return seal(key, pad(raw), aad)


def open_json(key: bytes, blob: bytes, aad: bytes) -> object:
    return parse_json(unpad(open_sealed(key, blob, aad)))


def parse_json(raw: bytes) -> object:
    """JSON from an authenticated payload; anything malformed is a DecryptError (deep
    nesting included: json raises RecursionError there, not a ValueError)."""
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        raise DecryptError("payload is not JSON") from None


def digest(blob: bytes) -> bytes:
    return hashlib.sha256(blob).digest()


def manifest_mac(key: bytes, vault_id: bytes, rows: list[tuple[bytes, int, bytes]]) -> bytes:
    """HMAC over every (uuid, version, digest), sorted: a deleted, duplicated or rolled-back
    row changes it. Not an incremental (XOR) hash, on purpose (security.md §5.3)."""
    mac = hmac.new(key, MANIFEST_PREFIX + vault_id + struct.pack(">Q", len(rows)), "sha256")
    for entry_uuid, version, row_digest in sorted(rows):
        mac.update(entry_uuid + struct.pack(">Q", version) + row_digest)
    return mac.digest()


def manifest_row_ok(row: object) -> bool:
    """A (uuid, version, digest) row as the vault writes it: 16-byte id, version in
    1..2**63-1, 32-byte digest. Fixed widths keep the MAC input unambiguous."""
    return (type(row) is tuple and len(row) == 3 and type(row[0]) is bytes
            and len(row[0]) == 16 and type(row[1]) is int and 0 < row[1] < 2**63
            and type(row[2]) is bytes and len(row[2]) == 32)


_U64 = struct.Struct(">Q").pack
_FIRST, _SECOND, _THIRD = itemgetter(0), itemgetter(1), itemgetter(2)
#: A bucket's MAC input for n rows, by n (a few hundred distinct counts at most).
_BODY_FORMATS: dict[int, struct.Struct] = {}
#: The first id of each bucket, and one past the last bucket.
_BUCKET_STARTS = [bytes((b,)) for b in range(MANIFEST_BUCKETS)]

#: One bucket's rows prepared for its MAC: (row count, version sum, MAC body).
BucketBody = tuple[int, int, bytes]


def manifest_bucket_bodies(rows: list[tuple[bytes, int, bytes]]) -> dict[int, BucketBody]:
    """Every non-empty bucket of these (uuid, version, digest) rows: its row count, its
    version sum and the bytes its MAC covers (`manifest_bucket_mac`), prepared without any
    key, so an unlock can do this while its key is still being derived (nothing here is
    trusted: the MAC over it is what is checked). Fixed widths, checked with C-level
    passes over all rows at once, and one `struct.pack` per bucket (this runs over every
    row at unlock). Raises ValueError on a malformed row."""
    try:
        rows = sorted(rows)
        if not rows:
            return {}
        ids, versions = list(map(_FIRST, rows)), list(map(_SECOND, rows))
        digests = list(map(_THIRD, rows))
        if (set(map(len, rows)) != {3} or set(map(type, ids)) != {bytes}
                or set(map(len, ids)) != {16} or set(map(type, versions)) != {int}
                or set(map(type, digests)) != {bytes} or set(map(len, digests)) != {32}
                or min(versions) < 1 or max(versions) >= 2**63):
            raise ValueError("malformed manifest row")
    except (TypeError, IndexError):  # rows that do not compare, or are not triples
        raise ValueError("malformed manifest row") from None
    bodies: dict[int, BucketBody] = {}
    flat = list(chain.from_iterable(rows))
    high = 0
    for bucket in sorted(set(map(_FIRST, ids))):  # the buckets present (often just one)
        low = high
        high = (len(ids) if bucket == MANIFEST_BUCKETS - 1
                else bisect_left(ids, _BUCKET_STARTS[bucket + 1], low))
        count = high - low
        body = _BODY_FORMATS.get(count)
        if body is None:
            body = _BODY_FORMATS[count] = struct.Struct(">" + "16sQ32s" * count)
        bodies[bucket] = (count, sum(versions[low:high]), body.pack(*flat[3 * low:3 * high]))
    return bodies


def manifest_body_mac(key: bytes, vault_id: bytes, bucket: int, count: int,
                      body: bytes) -> bytes:
    """The MAC of one bucket from its prepared body (`manifest_bucket_bodies`)."""
    mac = HMAC(key, hashes.SHA256())
    mac.update(MANIFEST_BUCKET_PREFIX + vault_id + bytes((bucket,)) + _U64(count))
    mac.update(body)
    return mac.finalize()


def manifest_bucket_mac(key: bytes, vault_id: bytes, bucket: int,
                        rows: list[tuple[bytes, int, bytes]]) -> bytes:
    """HMAC-SHA256 over one bucket of the manifest:

        "journal/v1/manifest-bucket|" ‖ vault_id ‖ bucket (1 byte) ‖ count (8 bytes BE)
        ‖ for each row sorted by uuid: uuid (16) ‖ version (8 bytes BE) ‖ digest (32)

    where the bucket holds every row whose raw uuid starts with the byte `bucket`. A full
    HMAC per bucket, not an incremental (XOR/sum) set hash (docs/security.md, "Manifest").
    Raises ValueError on a malformed row or a row of another bucket."""
    if type(bucket) is not int or not 0 <= bucket < MANIFEST_BUCKETS:
        raise ValueError(f"bucket {bucket!r:.20} out of range")
    bodies = manifest_bucket_bodies(rows)
    if bodies.keys() - {bucket}:
        raise ValueError("malformed manifest row")  # a row of another bucket
    count, _, body = bodies.get(bucket, (0, 0, b""))
    return manifest_body_mac(key, vault_id, bucket, count, body)


# -- recovery codes ---------------------------------------------------------------------------
def new_recovery_code() -> str:
    raw = base64.b32encode(os.urandom(KEY_LEN)).decode().rstrip("=")
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def recovery_key(code: str, salt: bytes) -> bytes:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    try:
        raw = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except ValueError:
        raw = b""
    if len(raw) != KEY_LEN:
        raw = hashlib.sha256(cleaned.encode()).digest()  # wrong format: derive, fail to unwrap
    return HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=salt,
                info=b"journal/v1/recovery").derive(raw)


# -- sealed capture (X25519, in the spirit of age) ---------------------------------------------
def new_seal_keypair() -> tuple[bytes, bytes]:
    private = X25519PrivateKey.generate()
    return private.private_bytes_raw(), private.public_key().public_bytes_raw()


def warm_up() -> None:
    """Import now what loading the first X25519 key from bytes imports (cryptography's
    OpenSSL backend, ~3.5 ms): an unlock calls this while its key is being derived, so the
    sealing-key check after it does not wait for an import."""
    import cryptography.hazmat.backends.openssl.backend  # noqa: F401


def public_of(recipient_private: bytes) -> bytes:
    """The X25519 public key that belongs to a raw private key."""
    return X25519PrivateKey.from_private_bytes(recipient_private).public_key().public_bytes_raw()


def _sealed_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_LEN, salt=ephemeral + recipient,
                info=b"journal/v1/sealed-entry").derive(shared)


def seal_to_public(recipient_public: bytes, plaintext: bytes, aad: bytes) -> bytes:
    ephemeral = X25519PrivateKey.generate()
    eph_pub = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    key = _sealed_key(shared, eph_pub, recipient_public)
    return eph_pub + seal(key, pad(plaintext), SEALED_AAD_PREFIX + aad)


def open_from_public(recipient_private: bytes, blob: bytes, aad: bytes) -> bytes:
    if not isinstance(blob, bytes) or len(blob) < 32 + NONCE_LEN + TAG_LEN:
        raise DecryptError("sealed record too short")
    private = X25519PrivateKey.from_private_bytes(recipient_private)
    eph_pub = blob[:32]
    recipient_public = private.public_key().public_bytes_raw()
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    except ValueError:
        raise DecryptError("bad ephemeral key") from None
    key = _sealed_key(shared, eph_pub, recipient_public)
    return unpad(open_sealed(key, blob[32:], SEALED_AAD_PREFIX + aad))
