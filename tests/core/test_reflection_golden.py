"""The reflection's output is pinned: golden results captured from the pass-per-finding
implementation (before the row-based rewrite) must come out of `reflect()` over entries and
out of `reflect_rows()` over the equivalent rows, bit for bit.

The goldens live in tests/core/data/reflection_golden.json. Long lists (evidence, weekly
rows) are stored condensed (length, sha256 of their JSON, first items) to keep the file
small; every result also carries the sha256 of its whole JSON text (key order included).
Regenerate ONLY from a trusted implementation:

    .venv/bin/python tests/core/test_reflection_golden.py capture
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

if __name__ == "__main__":  # capture mode: make `gen` importable as under pytest
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import gen

from journal.core.demo import generate, generate_year
from journal.core.models import Entry, Moment
from journal.core.reflection import reflect

GOLDEN = Path(__file__).parent / "data" / "reflection_golden.json"
LONG = 12   # lists longer than this are stored condensed


# -- the datasets ------------------------------------------------------------------------------
def _planted(seed: int) -> list[Entry]:
    """Noise with every plant at once, actions and numb feelings, so no finding is empty."""
    entries = gen.noise(200, seed, p_action=0.5, p_away=0.3)
    gen.plant_spillover(entries, seed + 10)
    gen.plant_trigger(entries, seed + 20)
    gen.plant_sleep_drop(entries)
    gen.plant_recovery(entries, seed + 30)
    gen.plant_gap(entries, 60, 12)
    rng = random.Random(seed)
    for entry in entries:
        for m in entry.moments:
            if rng.random() < 0.15:
                m.feelings = [rng.choice(("numb", "cynical", "detached-from-them", "sad")),
                              "tired"]
    # a few untimed moments, at work and off work
    for entry in entries[::9]:
        for m in entry.moments[:1]:
            m.time = None
    return entries


def _surge() -> list[Entry]:
    entries = gen.noise(70, 3, p_contagion=0.4, p_action=0.4)
    for entry in entries[-7:]:
        for m in entry.moments:
            m.kind = "contagion"
            m.action = "withdrew"
    return entries


def _duplicates() -> list[Entry]:
    """Two entries on some dates (only hand-built lists can do that), in a shuffled order."""
    entries = gen.noise(60, 6, p_action=0.3)
    extra = []
    rng = random.Random(6)
    for entry in entries[::5]:
        twin = Entry(date=entry.date, body="Twin.", sleep=None if rng.random() < 0.5 else 2,
                     recovery=["walk"], good_things=["x", "y"],
                     moments=[Moment(kind="contagion", intensity=9, context="home",
                                     time="21:15", tags=list(entry.moments[0].tags)
                                     if entry.moments else ["kids"],
                                     people=["sister"], action="avoided",
                                     feelings=["numb"])],
                     id=str(rng.getrandbits(64)))
        extra.append(twin)
    mixed = entries + extra
    rng.shuffle(mixed)
    return mixed


def _gappy() -> list[Entry]:
    """Missing days, so next-day pairs and stretches are broken in places."""
    entries = generate_year(date(2025, 6, 30), seed=11, days=200)
    return [e for i, e in enumerate(entries) if i % 7 not in (3,) and i % 11 != 5]


CASES: dict[str, tuple[Callable[[], list[Entry]], dict[str, Any]]] = {
    "demo_40_s1": (lambda: generate(40, 1), {"today": date(2000, 3, 1)}),
    "demo_400_s2": (lambda: generate(400, 2), {"today": date(2001, 2, 10)}),
    "demo_3000_s3": (lambda: generate(3000, 3), {"today": date(2008, 4, 1)}),
    "demo_3000_s3_range": (lambda: generate(3000, 3),
                           {"since": date(2003, 5, 7), "until": date(2005, 1, 2),
                            "work_end": "17:00", "today": date(2008, 4, 1)}),
    "year": (lambda: generate_year(date(2026, 11, 25)), {"today": date(2026, 11, 25)}),
    "year_late_work_end": (lambda: generate_year(date(2026, 11, 25), seed=3),
                           {"work_end": "21:00", "since": date(2026, 3, 1),
                            "today": date(2026, 12, 1)}),
    "year_gappy": (_gappy, {"today": date(2025, 7, 2)}),
    "planted_1": (lambda: _planted(1), {"today": date(2026, 7, 30)}),
    "planted_2": (lambda: _planted(2), {"today": date(2026, 7, 24), "work_end": "09:30"}),
    "planted_3_until": (lambda: _planted(3), {"until": date(2026, 5, 1),
                                              "today": date(2026, 9, 1)}),
    "drift": (lambda: gen.noise(364, 2, p_contagion=lambda t: 0.7 - 0.4 * t),
              {"today": date(2027, 1, 10)}),
    "surge": (_surge, {"today": date(2026, 3, 15)}),
    "duplicates": (_duplicates, {"today": date(2026, 3, 6)}),
    "tiny": (lambda: gen.noise(4, 9), {"today": date(2026, 1, 20)}),
    "empty": (lambda: [], {"today": date(2026, 1, 20)}),
    "empty_range": (lambda: gen.noise(30, 4), {"since": date(2027, 1, 1),
                                               "until": date(2027, 2, 1)}),
}


# -- condensing --------------------------------------------------------------------------------
def _text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _sha(value: Any) -> str:
    return hashlib.sha256(_text(value).encode()).hexdigest()


def condense(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: condense(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        if len(value) > LONG:
            return {"condensed_list": len(value), "sha256": _sha(value),
                    "head": [condense(v) for v in value[:3]]}
        return [condense(v) for v in value]
    return value


def record(result: dict[str, Any]) -> dict[str, Any]:
    return {"sha256": _sha(result), "result": condense(result)}


def capture() -> None:
    out = {name: record(reflect(build(), **kw)) for name, (build, kw) in CASES.items()}
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(out, indent=1, ensure_ascii=False, default=str) + "\n")
    print(f"wrote {GOLDEN} ({GOLDEN.stat().st_size} bytes, {len(out)} cases)")


# -- the tests ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    return json.loads(GOLDEN.read_text())


def test_every_case_has_a_golden(golden):
    assert sorted(golden) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_reflect_over_entries_matches_the_golden(golden, name):
    build, kw = CASES[name]
    result = reflect(build(), **kw)
    assert condense(result) == golden[name]["result"]   # a readable diff first...
    assert _sha(result) == golden[name]["sha256"]       # ...then every bit and key order


if __name__ == "__main__":
    if sys.argv[1:] != ["capture"]:
        sys.exit(__doc__)
    capture()
