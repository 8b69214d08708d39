"""Colours come only from themes: no literal colours in the UI's CSS or Python strings,
and no dimmed text (whose contrast the terminal decides, so no theme can guarantee it).
These scan every file under journal/ui, including screens and widgets still to come."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from textual._color_constants import COLOR_NAME_TO_RGB

REPO = Path(__file__).resolve().parents[2]
UI_DIR = REPO / "journal" / "ui"

_NAMED = {name for name in COLOR_NAME_TO_RGB if name != "transparent"}
_DECLARATION = re.compile(r"([a-z][a-z-]*)\s*:\s*([^;{}]*)(?=[;}])")
_HEX = re.compile(r"#[0-9a-fA-F]{3,8}\b")
_FUNCTION = re.compile(r"\b(?:rgba?|hsla?)\s*\(", re.IGNORECASE)
_WORD = re.compile(r"(?<![\w$#-])[a-zA-Z_][a-zA-Z0-9_]*(?![\w-])")


def literal_colours(css: str) -> list[str]:
    """Literal colours in declaration values: hex, rgb()/hsl(), named colours (ansi_* too)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    found = []
    for prop, value in _DECLARATION.findall(css):
        hits = _HEX.findall(value) + _FUNCTION.findall(value)
        hits += [w for w in _WORD.findall(value) if w.lower() in _NAMED]
        found += [f"{prop}: {hit}" for hit in hits]
    return found


def _css_strings(path: Path) -> list[tuple[str, str]]:
    """(where, css) for every DEFAULT_CSS / CSS string assigned in a Python module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        names = {t.id for t in targets if isinstance(t, ast.Name)}
        if names & {"DEFAULT_CSS", "CSS"} and isinstance(value, ast.Constant) \
                and isinstance(value.value, str):
            found.append((f"{path.relative_to(REPO)}:{node.lineno}", value.value))
    return found


def ui_css_sources() -> list[tuple[str, str]]:
    sources = [(str(p.relative_to(REPO)), p.read_text(encoding="utf-8"))
               for p in sorted(UI_DIR.rglob("*.tcss"))]
    for path in sorted(UI_DIR.rglob("*.py")):
        sources += _css_strings(path)
    return sources


def test_scanner_finds_literal_colours_and_ignores_variables():
    bad = """
    #save-button { color: #ff0000; }          /* an id selector is not a colour */
    Screen:focus Static { background: rgb(1, 2, 3); border: tall red; }
    .x { tint: hsl(10, 50%, 50%); outline: round ansi_red; color: White 50%; }
    .y { background: #abc; }
    """
    good = """
    #save-button { color: $contagion; background: $heat-4; border: tall $primary 50%; }
    &:hover { text-style: bold; border: round $panel; color: $text-muted; }
    .tan-list { background: transparent; }
    """
    assert literal_colours(bad) == [
        "color: #ff0000", "background: rgb(", "border: red", "tint: hsl(",
        "outline: ansi_red", "color: White", "background: #abc"]
    assert literal_colours(good) == []


def test_ui_css_uses_theme_variables_only():
    sources = ui_css_sources()
    problems = [f"{where}: {hit}" for where, css in sources for hit in literal_colours(css)]
    assert problems == [], "use $variables from the theme instead:\n" + "\n".join(problems)


def test_ui_python_has_no_hex_colours():
    """Rich markup or Style() with hex colours would bypass the theme too."""
    problems = []
    for path in sorted(UI_DIR.rglob("*.py")):
        if path.name == "themes.py":  # holds the variable defaults (the theme's values)
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for hit in re.findall(r"#[0-9a-fA-F]{6}\b", node.value):
                    problems.append(f"{path.relative_to(REPO)}:{node.lineno}: {hit}")
    assert problems == []


# --- no dimmed text -------------------------------------------------------------------------------
# `dim` is sent to the terminal as SGR 2 (Textual only blends it itself with TEXTUAL_FILTERS=dim):
# each terminal decides how faint it is, so its contrast cannot be checked and often fails AA
# (half-intensity ink on journal-paper is ~3:1). Use the checked `$text-muted` instead:
# markup "[$text-muted]saved 21:30[/]", TCSS `color: $text-muted;`.

_STYLE_WORDS = {"b", "bold", "i", "italic", "u", "underline", "reverse", "strike", "not",
                "blink", "dim", "d", "on", "link", "auto"}
_MARKUP_DIM = re.compile(r"\[(?:[^\[\]/]*\s)?(?:dim|d)(?:\s[^\[\]]*)?\]")
_TCSS_DIM = re.compile(r"text-style\s*:[^;{}]*\bdim\b")


def dimmed_text(source: str, *, python: bool) -> list[str]:
    """Places that dim text: `[dim]` markup, style strings such as "dim" or "b dim", and
    `text-style: ... dim` in CSS."""
    hits = [m.group(0) for m in _TCSS_DIM.finditer(source)]
    if not python:
        return hits
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        text = node.value
        hits += [f"{node.lineno}: {m.group(0)}" for m in _MARKUP_DIM.finditer(text)]
        words = text.split()
        if "dim" in words and all(w in _STYLE_WORDS or w.startswith(("$", "#")) for w in words):
            hits.append(f"{node.lineno}: style {text!r}")
    return hits


def test_dim_scanner():
    code = ('a = "[dim]saved[/]"\nb = "[b dim]x[/]"\nc = "dim" if x else ""\n'
            'd = "dim the lights"\ne = "[$text-muted]ok[/] [b]fine[/]"\n'
            'CSS = "X { text-style: bold dim; } Y { text-style: bold; }"\n')
    assert dimmed_text(code, python=True) == [
        "text-style: bold dim", "1: [dim]", "2: [b dim]", "3: style 'dim'"]
    assert dimmed_text("A { text-style: dim; color: $text-muted; }", python=False) \
        == ["text-style: dim"]


def test_ui_text_is_never_dimmed():
    problems = []
    for path in sorted(UI_DIR.rglob("*.py")) + sorted(UI_DIR.rglob("*.tcss")):
        source = path.read_text(encoding="utf-8")
        for hit in dimmed_text(source, python=path.suffix == ".py"):
            problems.append(f"{path.relative_to(REPO)}: {hit}")
    assert problems == [], ("dim text has no checkable contrast; use $text-muted "
                            "(markup: [$text-muted]...[/]):\n" + "\n".join(problems))
