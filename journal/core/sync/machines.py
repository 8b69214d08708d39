"""The machines of a sync folder as a person tells them apart.

Each machine is known by a random id (what the folder and `journal sync forget` use) and a
name its owner chose (or its host name). Two machines may share a name, and the start of an
id (`laptop #3f9c`, what conflict marks carry so that every machine writes the same marks)
means little to a person. Here each machine gets words a person can tell apart, as seen
from this machine: its name when no other shares it; `this laptop` for this machine and
`the other laptop` for the one namesake; among more namesakes, when each last synced
(`laptop (last synced 4 Dec)`), and the start of its id only when even that does not
differ. Pure: `status` and the conflict view hand it what the sync state knows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from journal.core.model.conflicts import JOIN, clean_name, id_tags, machine_of, when_saved


@dataclass(frozen=True)
class Machine:
    """One machine of the folder, as this machine's sync state knows it."""

    id: str
    name: str
    """Its name, made one line (`clean_name`); "" when it has not said one yet."""
    this: bool = False
    last: str = ""
    """When its last record read here was written (ISO 8601, its own clock); "" for this
    machine, or one never read."""
    retired: bool = False


def known(this_id: str, this_name: str, peers: Mapping[str, Mapping[str, Any]],
          others: Iterable[str] = ()) -> list[Machine]:
    """This machine and every other the sync state (`peers`) or the folder (`others`: ids
    of machines with records there) knows, sorted by id."""
    ids = sorted({this_id, *peers, *others})
    return [Machine(m, clean_name(this_name), True) if m == this_id else
            Machine(m, clean_name(str(peers.get(m, {}).get("name") or "")), False,
                    str(peers.get(m, {}).get("time") or ""),
                    peers.get(m, {}).get("retired") is not None) for m in ids]


def shared_names(machines: Iterable[Machine]) -> list[str]:
    """The names more than one machine still in use carries (each once, sorted): giving
    one of them another name (`journal sync rename`) makes every mark say which is which."""
    count: dict[str, int] = {}
    for machine in machines:
        if machine.name and not machine.retired:
            count[machine.name] = count.get(machine.name, 0) + 1
    return sorted(name for name, n in count.items() if n > 1)


def shown(machines: Iterable[Machine]) -> dict[str, str]:
    """Each machine's words for a person (by id): its name alone when no other machine
    has it; among machines of one name, `this laptop`, `the other laptop` (one namesake),
    else `laptop (last synced 4 Dec)` (with the hour, if the days are the same), else
    `laptop #3f9c`. A machine without a name: the start of its id."""
    groups: dict[str, list[Machine]] = {}
    for machine in machines:
        groups.setdefault(machine.name, []).append(machine)
    out: dict[str, str] = {}
    for name, group in groups.items():
        if not name:
            out.update((m.id, f"machine {m.id[:8]}") for m in group)
        elif len(group) == 1:
            out[group[0].id] = name
        else:
            out.update(_namesakes(name, group))
    return out


def _namesakes(name: str, group: list[Machine]) -> dict[str, str]:
    out = {m.id: f"this {name}" for m in group if m.this}
    others = [m for m in group if not m.this]
    if len(others) == 1 and out:
        out[others[0].id] = f"the other {name}"
        return out
    for hour in (False, True):
        words = {m.id: when_saved(m.last, weekday=False, hour=hour) for m in others}
        if all(words.values()) and len(set(words.values())) == len(words):
            out.update((m, f"{name} (last synced {w})") for m, w in words.items())
            return out
    tags = dict(zip(sorted(m.id for m in others), id_tags(*sorted(m.id for m in others)),
                    strict=True))
    out.update((m.id, f"{name} #{tags[m.id]}") for m in others)
    return out


def in_mark(label: str, machines: Iterable[Machine]) -> str:
    """A conflict mark's words for a side, told as `shown` tells its machine(s): the
    machine the start of an id names (`laptop #3f9c`, when machines of one name wrote
    there: by its name now, if it was renamed since), else the machine of the name the
    mark says; each of a merged side's (`laptop + desktop`). A name no known machine
    carries is shown as the mark says it; "" when the mark names none."""
    said = machine_of(label)
    if not said:
        return ""
    listed = list(machines)
    words = shown(listed)
    return JOIN.join(_one(part, listed, words) for part in said.split(JOIN))


def _one(said: str, machines: list[Machine], words: dict[str, str]) -> str:
    literal = [m for m in machines if m.name == said]
    if literal:  # a machine named "laptop #3f9c" is that one, never the one of id 3f9c…
        return words[literal[0].id] if len(literal) == 1 else said
    name, _, tag = said.rpartition(" #")
    if not (name and tag and not tag.strip("0123456789abcdef") and len(tag) >= 4):
        return said
    found = [m for m in machines if m.id.startswith(tag)]  # (even once renamed)
    return words[found[0].id] if len(found) == 1 else said


def matching(machines: Iterable[Machine], said: str) -> list[Machine]:
    """The machines `said` names, as a person may say one (`journal sync forget`): its
    id, the start of its id (4 hex digits or more), or its name (another machine's
    before this one's, and one still in use before a retired one)."""
    listed = list(machines)
    exact = [m for m in listed if m.id == said]
    if exact:
        return exact
    if len(said) >= 4 and not said.strip("0123456789abcdef"):
        started = [m for m in listed if m.id.startswith(said)]
        if started:
            return started
    named = [m for m in listed if m.name and m.name == clean_name(said)]
    named = [m for m in named if not m.this] or named  # (it cannot retire itself)
    return [m for m in named if not m.retired] or named
