"""KDF calibration: about the target time, never below the floor, memory capped."""

from __future__ import annotations

import itertools

import pytest

from journal.core.store import crypto
from journal.core.store.crypto import KdfParams


def _calibrate_as_if(monkeypatch, floor_seconds: float, **kw) -> KdfParams:
    ticks = itertools.chain([0.0, floor_seconds], itertools.repeat(floor_seconds))
    monkeypatch.setattr(crypto.time, "perf_counter", lambda: next(ticks))
    monkeypatch.setattr(crypto, "derive_kek", lambda *a: b"\0" * 32)
    return crypto.calibrate(**kw)


@pytest.mark.parametrize("floor_seconds", [0.05, 0.1, 0.14, 0.2, 0.3])
def test_cost_is_near_the_target_and_memory_is_capped(monkeypatch, floor_seconds):
    params = _calibrate_as_if(monkeypatch, floor_seconds)
    floor = KdfParams.floor()
    assert not params.is_below_floor() and not params.is_absurd()
    assert params.memory_kib <= 128 * 1024
    predicted = floor_seconds * (params.memory_kib * params.iterations) / (
        floor.memory_kib * floor.iterations)
    assert 0.3 <= predicted <= 0.5


def test_a_slow_machine_keeps_the_floor(monkeypatch):
    assert _calibrate_as_if(monkeypatch, 0.9) == KdfParams.floor()


def test_memory_grows_before_passes(monkeypatch):
    params = _calibrate_as_if(monkeypatch, 0.2)  # factor 2: twice the memory, same passes
    assert (params.memory_kib, params.iterations) == (128 * 1024, 3)
