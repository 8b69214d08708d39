"""Support resources (domain.md §8.2): crisis lines and where to find help, in one place for
the app's support screen, `journal support` and the end of every reflection."""

from __future__ import annotations

import re

#: The support screen's text (Markdown).
SUPPORT_TEXT = """\
## If you need support

If you are in danger or thinking of harming yourself, please reach out now:

- **Emergency:** call your local emergency number (911 in the US and Canada,
  999 in the UK, 112 in the EU and many other countries).
- **US:** 988 Suicide & Crisis Lifeline: call or text **988**, or chat at 988lifeline.org.
- **US:** Crisis Text Line: text **HOME** to **741741**.
- **UK & Ireland:** Samaritans, freephone **116 123**, day or night.
- **Anywhere else:** findahelpline.com lists free, confidential lines by country.

Talking it over with a supervisor, a peer or your own therapist can also help
with the weight of the work.
"""

NO_ONE_WATCHES = "This app cannot contact anyone and no one monitors your entries."

#: One line pointing at the resources, for the end of a reflection.
SUPPORT_POINTER = ("Support resources and crisis lines: run `journal support` "
                   "(F9 in the app).")


def support_lines(text: str = SUPPORT_TEXT) -> tuple[str, ...]:
    """The support text as plain lines, one per paragraph or list item, without the heading
    or Markdown marks (what `journal add --check-in` prints line by line)."""
    lines: list[str] = []
    for block in re.split(r"\n\s*\n", _unmarked(text)):
        items = re.split(r"\n(?=- )", block.strip())
        lines.extend(" ".join(part.split()) for part in items if part.strip())
    return tuple(lines[1:])   # the heading is the screen's, not a line of resources


def _unmarked(text: str) -> str:
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    return re.sub(r"^## ", "", text, flags=re.M)


#: The support text as plain lines for the command line, derived from SUPPORT_TEXT.
SUPPORT_LINES = support_lines()


def support_plain() -> str:
    """The same text as plain lines for a terminal: no Markdown marks."""
    text = _unmarked(SUPPORT_TEXT)
    return f"{text.rstrip()}\n\n{NO_ONE_WATCHES}\n"
