"""The optional safety check-in of an entry and the support resources (domain.md §6, §8.2;
issue 17). Only the check-in a person chooses is read: never the words they write (no
keyword scanning of free text, ever).

`needs_support(check_in, earlier)` is the one rule: "not safe", or "struggling" on this and
the two entries before it, shows the support resources at once (the app's support screen,
the resources printed by `journal add --check-in`). A note sealed without the passphrase
(`journal add --sealed --check-in`) cannot read the entries before it: `support_after_merge`
applies the same rule to its day when it is merged, at the next unlock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from itertools import islice

from journal.core.care.support import NO_ONE_WATCHES, SUPPORT_LINES
from journal.core.model.entries import CHECK_INS, Entry

__all__ = ["CHECK_IN_LABELS", "NO_ONE_WATCHES", "SUPPORT_LINES", "check_ins_before",
           "needs_support", "support_after_merge"]

#: How each check-in is offered (the stored value is the key).
CHECK_IN_LABELS = {
    "ok": "ok",
    "struggling": "struggling",
    "not_safe": "not safe / thinking of harming myself",
}
assert tuple(CHECK_IN_LABELS) == CHECK_INS
CHECK_IN_QUESTION = "Safety check-in (optional): how are you, really?"
CHECK_IN_NOTE = ("Only you see this. Choosing \"not safe\" shows support resources at once. "
                 "Nothing is sent anywhere.")
#: "struggling" on this many entries in a row (this one included) shows support.
STRUGGLING_RUN = 3
#: Said after `journal add --sealed --check-in struggling`: a sealed note is written without
#: the passphrase, so the entries before it cannot be read and the run cannot be counted.
SEALED_CANNOT_COUNT = ("A sealed note cannot read your earlier entries, so 'struggling' "
                       f"{STRUGGLING_RUN} entries in a row is counted only when it is merged, "
                       "at your next unlock; 'journal support' lists crisis lines and support.")
#: Said before the support resources when a merged sealed note completes the rule.
AFTER_MERGE = ("With the quick note merged just now, your check-in says 'not safe', or "
               f"'struggling' {STRUGGLING_RUN} entries in a row:")

def needs_support(check_in: str | None, earlier: Sequence[str | None]) -> bool:
    """True for "not safe", or for "struggling" when the STRUGGLING_RUN - 1 entries just
    before this one (`earlier`, newest first) were "struggling" too."""
    if check_in == "not_safe":
        return True
    if check_in != "struggling":
        return False
    run = list(earlier[:STRUGGLING_RUN - 1])
    return len(run) == STRUGGLING_RUN - 1 and all(c == "struggling" for c in run)


def check_ins_before(entries_newest_first: Iterable[Entry], day: date,
                     n: int = STRUGGLING_RUN - 1) -> list[str | None]:
    """The check-ins of the `n` entries dated before `day`, newest first (summaries do)."""
    return [e.check_in for e in islice((e for e in entries_newest_first if e.date < day), n)]


def support_after_merge(days: Iterable[date],
                        newest_first: Callable[[], Iterable[Entry]]) -> bool:
    """The rule, applied once sealed notes are merged, to each day a note brought a check-in
    to (`days`), as if it had been chosen there: that day's check-in as merged and the
    STRUGGLING_RUN - 1 entries before it. `newest_first()`: the entries, newest first (the
    vault's summaries; read only down to each day)."""
    for day in sorted(set(days), reverse=True):
        run = list(islice((e for e in newest_first() if e.date <= day), STRUGGLING_RUN))
        if run and run[0].date == day and needs_support(run[0].check_in,
                                                        [e.check_in for e in run[1:]]):
            return True
    return False
