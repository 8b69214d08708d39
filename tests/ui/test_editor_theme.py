"""The editor's Markdown highlighting: colours only from the theme, each legible (WCAG AA)
on the editor background in every built-in theme, and following the app theme."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.color import Color

from journal.ui import editor_theme
from journal.ui.screens.write import SafeTextArea, _editor_language
from tests.ui.test_theme_colours import (
    AA,
    THEME_FILES,
    contrast,
    paint,
    painted_variables,
    theme_from_file,
)

MARKDOWN_QUERY = (Path(__import__("textual").__file__).parent
                  / "tree-sitter" / "highlights" / "markdown.scm")


def _styled(path: Path):
    theme, _ = theme_from_file(path)
    variables = painted_variables(theme)
    background = paint(variables["surface"], Color.parse(variables["background"]))
    return theme, variables, background, editor_theme.markdown_theme(variables)


def test_five_builtin_themes_are_checked():
    assert len(THEME_FILES) == 5


@pytest.mark.parametrize("path", THEME_FILES, ids=lambda p: p.stem)
def test_every_syntax_colour_reaches_aa_on_the_editor_background(path: Path):
    _, _, background, text_theme = _styled(path)
    assert text_theme.base_style is not None
    assert Color.from_rich_color(text_theme.base_style.bgcolor) == background
    failures = []
    for name, style in text_theme.syntax_styles.items():
        if style.color is None:
            continue
        ratio = contrast(Color.from_rich_color(style.color), background)
        if ratio < AA:
            failures.append(f"{name} {style.color} on {background.hex}: {ratio:.2f}:1")
    base = Color.from_rich_color(text_theme.base_style.color)
    assert contrast(base, background) >= AA
    assert failures == []


@pytest.mark.parametrize("path", THEME_FILES, ids=lambda p: p.stem)
def test_syntax_colours_come_from_the_theme(path: Path):
    _, variables, background, text_theme = _styled(path)
    for name, (variable, _) in editor_theme.SYNTAX.items():
        expected = paint(variables[variable], background)
        assert Color.from_rich_color(text_theme.syntax_styles[name].color) == expected, name
    heading = text_theme.syntax_styles["heading"]
    assert heading.bold
    assert Color.from_rich_color(heading.color) != Color.from_rich_color(
        text_theme.base_style.color)


def test_every_highlight_of_the_markdown_query_is_styled():
    query = MARKDOWN_QUERY.read_text(encoding="utf-8")
    names = {token.lstrip("@").rstrip(")") for token in query.split() if token.startswith("@")}
    names.discard("none")
    assert names, "the markdown query names no highlights"
    assert names <= set(editor_theme.SYNTAX), names - set(editor_theme.SYNTAX)


def test_a_colour_below_aa_falls_back_to_the_foreground():
    path = next(p for p in THEME_FILES if p.stem == "journal-paper")
    theme, _ = theme_from_file(path)
    variables = {**painted_variables(theme), "primary": "#fafafa"}   # near-white on paper
    text_theme = editor_theme.markdown_theme(variables)
    heading = Color.from_rich_color(text_theme.syntax_styles["heading"].color)
    assert heading == Color.from_rich_color(text_theme.base_style.color)


class EditorApp(App):
    def compose(self) -> ComposeResult:
        yield SafeTextArea("# Tonight\n\n- one\n", language=_editor_language())


async def test_editor_follows_the_app_theme():
    from journal.ui import themes

    infos, problems = themes.load_theme_infos(None)
    assert problems == []
    app = EditorApp()
    async with app.run_test() as pilot:
        for info in infos:
            app.register_theme(info.theme)
        editor = app.query_one(SafeTextArea)
        assert _editor_language() == "markdown"
        for name in ("journal-dusk", "journal-paper"):
            app.theme = name
            await pilot.pause()
            assert editor.theme == editor_theme.EDITOR_THEME
            expected = editor_theme.markdown_theme(app.get_css_variables())
            assert editor._theme.syntax_styles == expected.syntax_styles
            assert editor.styles.background == Color.from_rich_color(
                expected.base_style.bgcolor)
