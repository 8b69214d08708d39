"""A practice record: the short practice toward concern a person took after a moment
(issue 17, domain.md §4d, §5): how long, which steps (in order), and how activated they felt
before and after (0-10, each optional). The steps' texts live in
journal.core.care.practice_script; this module holds only the record and its JSON mapping.

    {"minutes": 2, "steps": ["land", "theirs_and_mine", ...], "before": 7, "after": 4}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from journal.core.errors import ValidationError

#: Every step, in the order a practice takes them (docs/format.md).
STEPS = ("land", "theirs_and_mine", "warmth_self", "widening", "next_step", "close")
#: A practice is short: the timer offers 1-5 minutes; an hour is the most a record may say.
MAX_MINUTES = 60
_KEYS = ("minutes", "steps", "before", "after")


@dataclass(frozen=True, slots=True)
class Practice:
    minutes: int = 0
    steps: tuple[str, ...] = ()
    before: int | None = None
    after: int | None = None

    @property
    def change(self) -> int | None:
        """After minus before, when both were rated."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    def to_dict(self) -> dict[str, Any]:
        return {"minutes": self.minutes, "steps": list(self.steps), "before": self.before,
                "after": self.after}

    @classmethod
    def from_dict(cls, data: Any, where: str = "moment") -> Practice:
        if not isinstance(data, dict):
            raise ValidationError("must be an object with minutes, steps, before, after",
                                  where=where, field="practice")
        unknown = sorted(k for k in data if k not in _KEYS)
        if unknown:
            raise ValidationError(f"unknown key {unknown[0][:30]!r} (allowed: "
                                  f"{', '.join(_KEYS)})", where=where, field="practice")
        minutes = data.get("minutes", 0)
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not (
                0 <= minutes <= MAX_MINUTES):
            raise ValidationError(f"minutes must be a whole number from 0 to {MAX_MINUTES}",
                                  where=where, field="practice")
        steps = data.get("steps", [])
        if not isinstance(steps, list) or not all(isinstance(s, str) for s in steps):
            raise ValidationError("steps must be a list of step names", where=where,
                                  field="practice")
        for step in steps:
            if step not in STEPS:
                raise ValidationError(f"step {step[:30]!r} is not one of {', '.join(STEPS)}",
                                      where=where, field="practice")
        positions = [STEPS.index(s) for s in steps]
        if positions != sorted(set(positions)):
            raise ValidationError("steps must be distinct and in the order "
                                  f"{', '.join(STEPS)}", where=where, field="practice")
        return cls(minutes=minutes, steps=tuple(steps),
                   before=_rating(data.get("before"), where, "before"),
                   after=_rating(data.get("after"), where, "after"))


def _rating(value: Any, where: str, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValidationError(f"{name} must be a whole number from 0 to 10 or null",
                              where=where, field="practice")
    return value
