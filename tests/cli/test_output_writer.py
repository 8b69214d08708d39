"""All CLI output goes through journal.cli.output, which escapes controls (issue 13, item 1).

The structural test makes an unescaped write impossible to add by accident: any CLI module
(or the `journal` script's entry point) that calls click.echo, print, sys.stdout.write and
the like directly fails it. The behavioural tests check the writer itself."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import journal
from journal.cli import output

PACKAGE = Path(journal.__file__).parent
#: Where command-line output is written from: every CLI module, the script's entry points.
CLI_FILES = sorted((PACKAGE / "cli").glob("*.py")) + [PACKAGE / "launch.py",
                                                      PACKAGE / "__main__.py"]
#: click's writers and prompts, and Python's own.
DIRECT = {"echo", "secho", "echo_via_pager", "confirm", "prompt", "progressbar"}
STREAMS = {"stdout", "stderr", "__stdout__", "__stderr__"}


def direct_writes(source: str) -> list[str]:
    """`line: call` for every way of writing to the terminal without the writer."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "click":
            found += [f"{node.lineno}: from click import {a.name}" for a in node.names
                      if a.name in DIRECT]
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "print":
            found.append(f"{node.lineno}: print")
        elif isinstance(func, ast.Attribute):
            owner = func.value
            if isinstance(owner, ast.Name) and owner.id == "click" and func.attr in DIRECT:
                found.append(f"{node.lineno}: click.{func.attr}")
            elif (isinstance(owner, ast.Attribute) and owner.attr in STREAMS
                  and func.attr in {"write", "writelines"}):
                found.append(f"{node.lineno}: sys.{owner.attr}.{func.attr}")
    return found


def test_the_scan_finds_each_direct_write():
    """The checker itself can fail: each forbidden form is caught."""
    source = ("import click, sys\nfrom click import echo\nclick.echo('x')\nprint('x')\n"
              "sys.stderr.write('x')\nclick.confirm('q')\nclick.secho('x')\n"
              "sys.stdout.writelines(['x'])\nwith click.progressbar([]) as b: pass\n")
    assert len(direct_writes(source)) == 8
    assert direct_writes("from journal.cli.output import say\nsay('x')\n") == []


@pytest.mark.parametrize("path", [p for p in CLI_FILES if p.name != "output.py"],
                         ids=lambda p: p.name)
def test_no_cli_module_writes_to_the_terminal_directly(path):
    assert direct_writes(path.read_text(encoding="utf-8")) == [], (
        f"{path.name} writes to the terminal directly: use journal.cli.output")


def _run(func, *args, **kwargs) -> tuple[str, str]:
    @click.command()
    def command() -> None:
        func(*args, **kwargs)

    result = CliRunner().invoke(command, [])
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


HOSTILE = "x\x1b]2;pwned\x07\x1b[8m \x9b31m\r\x00 tail"


def test_say_escapes_controls_and_keeps_lines():
    out, err = _run(output.say, f"one {HOSTILE}\n\ttwo")
    assert out == "one x\\x1b]2;pwned\\x07\\x1b[8m \\x9b31m\\x0d\\x00 tail\n\ttwo\n"
    assert err == ""
    out, err = _run(output.warn, HOSTILE)
    assert out == "" and err.startswith("journal: warning: x\\x1b]2;")


def test_say_json_stays_the_same_json_with_controls_escaped():
    text = json.dumps({"tag": HOSTILE, "ok": "é ✓"}, ensure_ascii=False, indent=2) + "\n"
    out, _ = _run(output.say_json, text)
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
    assert "\\u009b31m" in out
    assert json.loads(out) == {"tag": HOSTILE, "ok": "é ✓"}


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\x1f", "\x7f", "\r"])
def test_say_json_escapes_a_raw_control_in_ascii_text_too(control):
    """ASCII text takes a quicker check than the expression (issue 19: 14 MB of reflect
    --json); a raw control in it is escaped all the same, and text without one is written
    as it is."""
    plain = '{\n  "a": "b\\u0007\tc"\n}\n'
    out, _ = _run(output.say_json, plain)
    assert out == plain
    out, _ = _run(output.say_json, plain.replace("b", "b" + control))
    assert control not in out and f"\\u{ord(control):04x}" in out


def test_say_json_keeps_its_place_among_lines_written_as_text():
    """ASCII JSON goes out as bytes (no colour-code search, no second encoding: issue 19),
    the rest as text: in the order they were said, the text's buffer emptied between."""
    def lines() -> None:
        output.say("before")
        output.say_json('{\n  "a": "b"\n}\n')
        output.say_json('{"é": "\x1b"}\n')
        output.say("after")

    out, _ = _run(lines)
    assert out == 'before\n{\n  "a": "b"\n}\n{"é": "\\u001b"}\nafter\n'


def test_confirm_escapes_the_question():
    @click.command()
    def command() -> None:
        output.say("yes" if output.confirm(f"Delete {HOSTILE}?") else "no")

    result = CliRunner().invoke(command, [], input="y\n")
    assert result.stdout == "yes\n"
    assert "\x1b" not in result.stderr and "Delete x\\x1b]2;pwned" in result.stderr


def test_click_usage_errors_quoting_a_value_are_escaped(initialised):
    """click prints its own usage errors; a bad value quoted in one is escaped too."""
    result = initialised("list", "--since", "2026\x1b]2;pwned\x07\x1b[8m", ok=False)
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "2026\\x1b]2;pwned\\x07" in result.stderr
