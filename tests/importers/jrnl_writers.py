"""jrnl's encrypted file formats, re-implemented for tests from jrnl's documented design
(security.md §2.4 and jrnl 4.6's jrnl/encryption/*.py), composed from `cryptography` only.

These are independent of the importer's code on purpose: a test that writes with these
and reads with the importer checks two implementations of the same layout against each
other; the committed fixtures written by real jrnl (fixtures/README.md) check both against
the real thing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

JRNL_V2_SALT = bytes.fromhex("f2d5710ec18d2ededc8e36748904cef8")


def _key(passphrase: str, salt: bytes) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=100_000)
    return base64.urlsafe_b64encode(kdf.derive(passphrase.encode("utf-8")))


def write_v3(text: str, passphrase: str, *, raw_json_header: bool = False,
             salt: bytes | None = None) -> bytes:
    salt = salt or os.urandom(16)
    header = json.dumps({"salt": base64.urlsafe_b64encode(salt).decode()},
                        separators=(",", ":")).encode()
    field = header if raw_json_header else base64.b64encode(header)
    token = Fernet(_key(passphrase, salt)).encrypt(text.encode("utf-8"))
    return b"JRNLv3" + struct.pack(">H", len(field)) + field + token


def write_v2(text: str, passphrase: str) -> bytes:
    return Fernet(_key(passphrase, JRNL_V2_SALT)).encrypt(text.encode("utf-8"))


def write_v1(text: str, passphrase: str) -> bytes:
    key = hashlib.sha256(passphrase.encode("utf-8")).digest()
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(text.encode("utf-8")) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return iv + encryptor.update(padded) + encryptor.finalize()
