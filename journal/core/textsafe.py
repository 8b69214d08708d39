"""Make user text safe to show: on a terminal (no raw control characters) and inside
Textual/Rich markup (no markup injection).

Anything a user or an imported file wrote may hold C0/C1 control characters and terminal
escape sequences (ESC [ 2 J clears the screen, OSC 52 writes the clipboard, OSC 8 makes
links, C1 CSI U+009B does the same as ESC [ on some terminals). Stored text keeps every
byte (round trips are exact); only what is *shown* goes through here.

    terminal_safe("a\\x1b[31mred")   -> 'a\\\\x1b[31mred'   (visible, inert)
    terminal_safe("a\\x1b[31mred", strip=True) -> 'ared'
    escape_markup("[bold]x[/]")     -> '\\\\[bold]x\\\\[/]'

Newline and tab are kept; right-to-left text, emoji (with their zero-width joiners and
variation selectors) and combining marks are letters, not controls, and are kept intact.
No Textual import here: journal.core stays UI-free.
"""

from __future__ import annotations

import re

#: C0 controls except TAB (09) and LF (0A), DEL, and the C1 block U+0080-U+009F.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

#: A whole escape sequence (ECMA-48), 7-bit (ESC ...) or 8-bit (C1 introducers):
#: CSI ... final byte; OSC/DCS/SOS/PM/APC ... up to BEL or ST; ESC + one or two bytes.
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"      # CSI
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])"                # OSC, DCS, SOS, PM, APC
    r"[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"                   # ... up to BEL / ST
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"                           # other ESC sequences
)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}"


def terminal_safe(text: str, *, strip: bool = False) -> str:
    """`text` with no control character a terminal would act on, except newline and tab.

    By default each control character is replaced by its visible escape (`\\x1b`), so the
    reader sees that something odd was there and the rest of the sequence is inert
    printable text. With `strip=True`, whole escape sequences and lone controls are removed.
    Carriage return is escaped too: it would let text overwrite the line before it.
    """
    if strip:
        text = _SEQUENCE.sub("", text)
        return _CONTROL.sub("", text)
    return _CONTROL.sub(_escaped, text)


#: One visible character for each control: C0 -> its Unicode control picture (ESC -> ␛),
#: DEL -> ␡, C1 -> the replacement character. One for one, so offsets do not move.
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)}
_PICTURES[0x7F] = "\u2421"
_PICTURES.update({code: "\ufffd" for code in range(0x80, 0xA0)})


def picture_controls(text: str) -> str:
    """Each control character (but newline and tab) as one visible character (␛, ␀, ␡, �).

    Length-preserving: for widgets that map offsets to the stored text, such as an editor
    showing a body that holds an escape sequence (the stored text stays exact)."""
    return text.translate(_PICTURES)


def has_controls(text: str) -> bool:
    """True if `text` holds a character `terminal_safe` would escape."""
    return _CONTROL.search(text) is not None


def one_line(text: str) -> str:
    """For single-line displays (list rows, titles): controls escaped, newlines and tabs
    as spaces."""
    return terminal_safe(text).replace("\n", " ").replace("\t", " ")


#: Zero-width space: ends text whose last character is a backslash, so that backslash
#: cannot escape the markup tag that follows it (Textual has no escaped backslash).
_GUARD = "\u200b"


def escape_markup(text: str) -> str:
    """Text that Textual's content markup shows literally, whatever follows it.

    Every `[` becomes `\\[` (Textual's own `escape` leaves `[$var]`, `[B]` and `[ x]`
    alone). In Textual markup the backslash right before a `[` is the escape and every other
    backslash is literal, so a user's own `\\[` stays `\\[`. Text ending in a backslash
    gets a zero-width space, or that backslash would escape the tag written after it.
    Better still, pass user text as plain `Content`/`Text`, not inside markup.
    """
    escaped = text.replace("[", "\\[")
    return escaped + _GUARD if escaped.endswith("\\") else escaped


def for_markup(text: str) -> str:
    """Terminal-safe and markup-escaped: for user text placed inside a markup string."""
    return escape_markup(terminal_safe(text))
