"""The one way the command line writes to the terminal: every line escapes controls.

Anything a user, an imported file or a hostile quick capture wrote may hold terminal escape
sequences (ESC ] 2 ; sets the window title, ESC [ 8 m hides text, OSC 52 writes the
clipboard). Every command writes through these functions, never `click.echo` or `print`
directly (tests/cli/test_output_writer.py fails on a direct call in any CLI module), so an
unescaped write cannot happen by construction:

    say(text)            a line on stdout; controls shown as visible escapes (`\\x1b`)
    say(text, err=True)  the same on stderr
    warn(text)           "journal: warning: ..." on stderr
    say_json(text)       JSON text on stdout: any raw control left is written as its JSON
                         `\\u00XX` escape, so the output stays valid JSON, same data
    confirm(question)    a yes/no question on stderr, the question escaped
    ask(question)        a line typed at a prompt, the question escaped

Newline and tab pass through `say` (multi-line reports); `one_line` is for single lines.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from journal.core.textsafe import terminal_safe

#: Every control character JSON text may not hold raw (C0 but the whitespace json.dumps
#: writes between tokens), plus DEL and C1, which JSON allows raw but a terminal obeys.
_JSON_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Every ASCII byte but those controls: an ASCII text without them has nothing left when
#: they are deleted (a C loop, ~4x faster than the regular expression over 14 MB of JSON).
_ASCII_NOT_CONTROL = bytes(sorted(set(range(0x80)) - set(range(0x09)) - set(range(0x0b, 0x20))
                                  - {0x7f}))


def say(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Write `text` with every control but newline and tab shown escaped."""
    click.echo(terminal_safe(str(text)), err=err, nl=nl)


def warn(text: str) -> None:
    say(f"journal: warning: {text}", err=True)


def say_json(text: str) -> None:
    """Write JSON text unchanged but for raw controls, written as `\\u00XX`.

    Inside a JSON string that escape means the same character, so `json.loads` gives back
    the same data; between tokens JSON allows only space, tab, LF and CR, and only CR is
    touched here, which no JSON writer of ours emits. ASCII text without a control is
    written as its bytes (click writes bytes to the binary stream as they are: no search
    for colour codes, which it would strip from text, and no second encoding; issue 19,
    14 MB of `reflect --json`)."""
    if text.isascii():
        data = text.encode("ascii")
        if not data.translate(None, _ASCII_NOT_CONTROL):
            click.echo(data, nl=False)
            return
    click.echo(_JSON_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text), nl=False)


def confirm(question: str, *, default: bool = False) -> bool:
    """Ask on stderr (stdout may be a pipe); the question may quote user text."""
    return click.confirm(terminal_safe(question), default=default, err=True)


def ask(question: str) -> str:
    """A line of text typed at a prompt (empty when Enter alone); the question escaped.
    click.Abort at the end of input, as click.prompt raises it."""
    return click.prompt(terminal_safe(question), default="", show_default=False,
                        prompt_suffix=" ")


@contextmanager
def progress(total: int, label: str, **options: Any) -> Iterator[Any]:
    """A click progress bar on stderr; `label` escaped like everything else; `options`
    go to click.progressbar (e.g. update_min_steps)."""
    with click.progressbar(length=total, label=terminal_safe(label), file=sys.stderr,
                           **options) as bar:
        yield bar
