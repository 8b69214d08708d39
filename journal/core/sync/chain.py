"""Each machine's records form an authenticated chain: record n names its sequence number
(bound in the record's associated data) and the SHA-256 of record n-1's bytes.

Reading a machine's chain from the folder, from the last record we accepted, names what the
folder did: a record altered (its tag fails), replayed or moved (sealed for another place),
a broken link (a record that does not follow the one we hold), two different records for
one place (a fork), a record we had accepted and that is now gone or replaced (deleted,
rolled back). Refused records are never applied; the records after a gap wait for it;
everything else still merges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journal.core.store import crypto
from journal.core.sync import record
from journal.core.sync.layout import Folder, MachineFiles, read


@dataclass
class Chain:
    accepted: list[tuple[int, bytes, dict[str, Any]]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    missing_epoch: int | None = None


def _runs(seqs: list[int]) -> str:
    return f"{seqs[0]}" if len(seqs) == 1 else f"{seqs[0]}-{seqs[-1]}" \
        if seqs[-1] - seqs[0] == len(seqs) - 1 else ", ".join(map(str, seqs))


class _NoKey(Exception):
    """A file sealed under a key epoch this machine does not hold (yet): the sync keys were
    rotated on another machine."""

    def __init__(self, epoch: int) -> None:
        super().__init__(epoch)
        self.epoch = epoch


def _open(data: bytes, place: int | str, keys: dict[int, bytes], folder_id: str,
          machine: str) -> dict[str, Any]:
    """The payload of one file of the machine's chain, sealed for `place` (a record's
    number, or a compaction's place). Raises record.Incomplete (still being copied),
    record.Refused (not authentic for this place) or _NoKey. What a missing key means is
    each caller's own, and said where it is caught: a compaction is passed over (an older
    one, or the records themselves, may still serve); a record ends the chain at its place
    (nothing after it can be linked until the key is learnt). Either way the epoch is
    named (`Chain.missing_epoch`), so the session can try to learn it."""
    epoch = record.epoch_of(data)
    if epoch not in keys:
        raise _NoKey(epoch)
    return record.open_record(record.record_key(keys[epoch]), data, folder_id, machine, place)


def _compaction(files: MachineFiles, folder_id: str, machine: str, keys: dict[int, bytes],
                out: Chain) -> tuple[int, dict[str, Any]] | None:
    """The newest authentic compaction of the machine's records 1..last, if any."""
    for last in sorted(files.compactions, reverse=True):
        for path in files.compactions[last]:
            data = read(path)
            if data is None:
                continue
            try:
                payload = _open(data, record.compaction_place(last), keys, folder_id, machine)
                digests = payload.get("digests")
                if not isinstance(digests, list) or len(digests) != last:
                    raise record.Refused("its list of records is malformed")
                payload["_covers"] = {i + 1: bytes.fromhex(d) for i, d in enumerate(digests)}
            except _NoKey as lacking:  # an older compaction, or the records, may still serve
                out.missing_epoch = lacking.epoch
                continue
            except record.Incomplete:
                out.waiting.append(f"machine {machine}: its compaction is still being copied")
                continue
            except (record.Refused, ValueError, TypeError) as exc:
                out.refused.append(f"machine {machine}: compaction of records 1-{last} "
                                   f"refused: {exc}")
                continue
            return last, payload
    return None


def read_chain(folder: Folder, folder_id: str, machine: str, seen: dict[int, bytes],
               keys: dict[int, bytes], *, check_old: bool = True) -> Chain:
    out = Chain()
    files = folder.records(machine)
    present = files.seqs()
    head = max(seen, default=0)
    gone = sorted(s for s in seen if s not in present)
    packed = None
    if files.compactions and (gone or head < max(files.compactions)):
        packed = _compaction(files, folder_id, machine, keys, out)
    if packed is not None:
        covers = packed[1]["_covers"]
        if any(covers[s] != d for s, d in seen.items() if s in covers):
            out.refused.append(f"machine {machine}: its compaction disagrees with records we "
                               "hold; refused")
            packed = None
        else:
            gone = [s for s in gone if s not in covers]
            present |= set(covers)
    if gone:
        top = max(present, default=0)
        if top < head and gone == list(range(top + 1, head + 1)):
            out.refused.append(f"machine {machine}: its records were rolled back (we hold up "
                               f"to {head}, the folder only up to {top})")
        else:
            out.refused.append(f"machine {machine}: record {_runs(gone)} was deleted from the "
                               "folder after we had it")
    if check_old:
        for seq in sorted(s for s in files.seqs() if s in seen):
            for path in files.candidates(seq):
                data = read(path)
                if data is not None and crypto.digest(data) != seen[seq] and path.name == \
                        folder.record_path(machine, seq).name:
                    out.refused.append(f"machine {machine}: record {seq} was replaced in the "
                                       "folder by a different one (refused; ours is kept)")
    prev = seen.get(head)
    seq = head + 1
    if packed is not None and head < packed[0]:
        last, payload = packed
        out.accepted.append((last, payload["_covers"][last], payload))
        prev, seq = payload["_covers"][last], last + 1
    while True:
        candidates = files.candidates(seq)
        if not candidates:
            later = sorted(s for s in files.seqs() if s > seq)
            if later:
                out.waiting.append(f"machine {machine}: record {seq} is missing; "
                                   f"{len(later)} later record(s) wait for it")
            break
        good: dict[bytes, dict[str, Any]] = {}
        stop = False
        for path in candidates:
            data = read(path)
            if data is None:
                continue
            try:
                payload = _open(data, seq, keys, folder_id, machine)
            except _NoKey as lacking:  # no record after this place links until it is learnt
                out.missing_epoch = lacking.epoch
                stop = True
                break
            except record.Incomplete:
                out.waiting.append(f"machine {machine}: record {seq} is still being copied")
                continue
            except record.Refused as exc:
                out.refused.append(f"machine {machine}: record {seq} refused: {exc} "
                                   "(altered, replayed or moved by the folder)")
                continue
            if payload.get("prev") != (prev.hex() if prev else ""):
                out.refused.append(f"machine {machine}: record {seq} does not follow record "
                                   f"{seq - 1} (replayed or out of its chain); refused")
                continue
            good[crypto.digest(data)] = payload
        if stop or not good:
            break
        if len(good) > 1:
            out.refused.append(f"machine {machine}: two different records numbered {seq} (a "
                               "fork: was this vault copied to another computer?); refused")
            break
        (digest, payload), = good.items()
        out.accepted.append((seq, digest, payload))
        prev, seq = digest, seq + 1
    return out
