"""One change record in the sync folder: its bytes, sealed under the folder's sync key.

    b"JSR1" ‖ epoch (4 B) ‖ sealed length (4 B) ‖ nonce ‖ AES-256-GCM(pad1024(JSON)) ‖ tag

The associated data binds the folder, the writing machine and the record's sequence number,
so a record moved to another machine's chain or another place in it does not open. The
sealed length in clear tells a partial file (still being copied) from an altered one.
Padding to 1 KiB hides a record's content size to that grain.
"""

from __future__ import annotations

import json
import struct
from typing import Any

from journal.core.store import crypto

MAGIC = b"JSR1"
_HEAD = struct.Struct(">4sII")
PAD = 1024
AAD_PREFIX = b"journal/sync/v1/record|"


class Incomplete(Exception):
    """The file is shorter than its header says: a copy still in progress."""


class Refused(Exception):
    """The file is not an authentic record for this place (altered, moved, foreign)."""


def record_key(sync_key: bytes) -> bytes:
    return crypto.subkey(sync_key, "sync-record")


def _aad(folder_id: str, machine: str, seq: int | str) -> bytes:
    return AAD_PREFIX + f"{folder_id}|{machine}|{seq}".encode()


def encode(payload: object) -> bytes:
    """A record's JSON: sorted keys, no spaces, UTF-8 (revisions.canonical's settings)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True).encode("utf-8")


def encode_with(payload: dict[str, Any], key: str, encoded: list[bytes]) -> bytes:
    """`encode(payload | {key: [...]})` where the list's items are already encoded (a
    push's revisions: see Revision.record_json)."""
    fields = dict.fromkeys([*payload, key])
    return b"{" + b",".join(
        encode(name) + b":" + (b"[" + b",".join(encoded) + b"]" if name == key
                               else encode(payload[name]))
        for name in sorted(fields)) + b"}"


def seal_record(key: bytes, epoch: int, folder_id: str, machine: str, seq: int | str,
                payload: dict[str, Any]) -> bytes:
    return seal_encoded(key, epoch, folder_id, machine, seq, encode(payload))


def seal_encoded(key: bytes, epoch: int, folder_id: str, machine: str, seq: int | str,
                 raw: bytes) -> bytes:
    """As seal_record, for a payload already encoded (`encode`, `encode_with`)."""
    sealed = crypto.seal(key, crypto.pad(raw, PAD), _aad(folder_id, machine, seq))
    return _HEAD.pack(MAGIC, epoch, len(sealed)) + sealed


def epoch_of(data: bytes) -> int:
    """The key epoch a record was sealed under (in clear, so the right key can be chosen)."""
    if len(data) < _HEAD.size:
        raise Incomplete
    magic, epoch, length = _HEAD.unpack_from(data)
    if magic != MAGIC:
        raise Refused("not a journal sync record")
    if len(data) < _HEAD.size + length:
        raise Incomplete
    if len(data) != _HEAD.size + length:
        raise Refused("record has trailing bytes")
    return epoch


def open_record(key: bytes, data: bytes, folder_id: str, machine: str,
                seq: int | str) -> dict[str, Any]:
    epoch_of(data)
    try:
        payload = crypto.open_json(key, data[_HEAD.size:], _aad(folder_id, machine, seq))
    except crypto.DecryptError:
        raise Refused("fails authentication") from None
    if not isinstance(payload, dict) or payload.get("seq") != seq \
            or payload.get("machine") != machine:
        raise Refused("payload does not match its place")
    return payload


def compaction_place(last: int) -> str:
    """The place a compaction of records 1..last is sealed for (never a record's)."""
    return f"compaction-1-{last}"
