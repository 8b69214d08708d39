"""Every string in decoded JSON, keys included: what wording and escaping tests read."""

from __future__ import annotations

from collections.abc import Iterator


def strings_in(value: object) -> Iterator[str]:
    """Each string of `value` (dicts, lists and strings, as `json.loads` gives them), keys
    first, in document order."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
