"""The words of an entry's check-in: last night's sleep, energy, recovery, good things and
the safety check-in, in one order and one wording for every place that shows them
(`journal show`, the browse preview, the plain text of the jrnl and Day One exports).
Each place lays the items out its own way (a list, or one line) and the app may colour
them from the theme; none has words of its own.

    - sleep 6/10
    - energy 3/10
    - recovery: walk, music
    - good things: lunch outside · a family said thank you, properly
    - safety check-in: struggling
"""

from __future__ import annotations

from journal.core.care.safety import CHECK_IN_LABELS
from journal.core.model.entries import Entry

#: What the items are called where they are shown together.
HEADING = "Check-in"
#: Between good things: each is a sentence of its own, often with a comma in it.
GOOD_THINGS_APART = " · "


def check_in_items(entry: Entry) -> list[str]:
    """The check-in of `entry` as short items, in order; empty when nothing was noted."""
    items = []
    if entry.sleep is not None:
        items.append(f"sleep {entry.sleep}/10")
    if entry.energy is not None:
        items.append(f"energy {entry.energy}/10")
    if entry.recovery:
        items.append("recovery: " + ", ".join(entry.recovery))
    if entry.good_things:
        items.append("good things: " + GOOD_THINGS_APART.join(entry.good_things))
    if entry.check_in is not None:
        items.append("safety check-in: " + CHECK_IN_LABELS[entry.check_in])
    return items


def check_in_line(entry: Entry) -> str:
    """'Check-in: sleep 6/10; energy 3/10; ...' on one line, or '' when nothing was noted."""
    items = check_in_items(entry)
    return f"{HEADING}: " + "; ".join(items) if items else ""
