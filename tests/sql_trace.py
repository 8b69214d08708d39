"""Tests that watch what the vault reads: every SQL statement of the vault's connections
(`schema.connect`), with a mark where the key came (`unwrap`), so a test can tell what was
read ahead of the key from what was read after it."""

from __future__ import annotations

import pytest

from journal.core.store import schema
from journal.core.store import vault as vault_mod

#: Stands in the list where the key was unwrapped.
KEY = "-- the key --"


def trace_statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The list every statement is appended to, from now until the test ends."""
    seen: list[str] = []
    real_connect, real_unwrap = schema.connect, vault_mod.unwrap

    def traced(path, **kw):  # noqa: ANN001, ANN202
        conn = real_connect(path, **kw)
        conn.set_trace_callback(seen.append)
        return conn

    def unwrap(*args):  # noqa: ANN002, ANN202
        found = real_unwrap(*args)
        seen.append(KEY)
        return found

    monkeypatch.setattr(schema, "connect", traced)
    monkeypatch.setattr(vault_mod, "unwrap", unwrap)
    return seen
