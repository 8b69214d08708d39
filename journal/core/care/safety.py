"""The optional safety check-in of an entry and the support resources (domain.md §6, §8.2;
issue 17). Only the check-in a person chooses is read: never the words they write (no
keyword scanning of free text, ever).

`needs_support(check_in, earlier)` is the one rule: "not safe", or "struggling" on this and
the two entries before it, shows the support resources at once (the app's support screen,
the resources printed by `journal add --check-in`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from itertools import islice

from journal.core.care.support import NO_ONE_WATCHES, SUPPORT_LINES
from journal.core.model.entries import CHECK_INS, Entry

__all__ = ["CHECK_IN_LABELS", "NO_ONE_WATCHES", "SUPPORT_LINES", "check_ins_before",
           "needs_support"]

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
                       f"{STRUGGLING_RUN} entries in a row is not noticed here; "
                       "'journal support' lists crisis lines and support.")

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
