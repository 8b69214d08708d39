"""The editor's Markdown highlighting, coloured from the app theme.

Textual's TextArea takes its syntax colours from a `TextAreaTheme`; its default ("css")
reuses fixed VS Code dark colours, unreadable on a light theme and outside our rule that
colours come only from themes. `markdown_theme(variables)` builds one from a theme's CSS
variables instead, and `follow_app_theme(text_area)` keeps the editor on it as the app
theme changes.

The highlight names are those of Textual's markdown query
(textual/tree-sitter/highlights/markdown.scm, block grammar only: headings, their markers,
code blocks and fences, link labels and destinations, list markers, block quote markers,
escapes). Every colour is one of the theme's text variables that tests/ui check at
WCAG AA on $surface; a user theme whose colour falls short gets $foreground instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from rich.style import Style
from textual.color import Color, ColorParseError
from textual.widgets.text_area import TextAreaTheme

if TYPE_CHECKING:
    from textual.widgets import TextArea

EDITOR_THEME = "journal-markdown"
AA = 4.5

#: Highlight name -> (theme variable for the text colour, style flags).
SYNTAX: dict[str, tuple[str, dict[str, bool]]] = {
    "heading": ("primary", {"bold": True}),
    "heading.marker": ("text-muted", {"bold": True}),
    "text.literal": ("text-accent", {}),
    "inline_code": ("text-accent", {}),
    "punctuation.delimiter": ("text-muted", {}),
    "link.label": ("text-secondary", {}),
    "link.uri": ("text-secondary", {"underline": True}),
    "list.marker": ("text-muted", {"bold": True}),
    "punctuation.special": ("text-muted", {}),
    "string.escape": ("text-muted", {}),
}
#: Lines of the day's text that came by quick capture and are still to review (the write
#: screen marks them): the theme's warning text colour, as the title's note, in italics.
CAPTURED: tuple[str, dict[str, bool]] = ("text-warning", {"italic": True})
#: Emphasis keeps the body colour (only produced if Textual ever highlights inline Markdown).
PLAIN: dict[str, dict[str, bool]] = {
    "bold": {"bold": True},
    "italic": {"italic": True},
    "strikethrough": {"strike": True},
}

_ALPHA = re.compile(r"^(?P<colour>.+?)\s+(?P<pct>\d{1,3})%$")


def solid(value: str, under: Color) -> Color:
    """The opaque colour a CSS colour value (`#hex`, `name NN%`, `auto NN%`) shows on
    `under`, as Textual paints it."""
    value, alpha = value.strip(), 1.0
    match = _ALPHA.match(value)
    if match:
        value, alpha = match["colour"].strip(), int(match["pct"]) / 100
    if value == "auto":
        return under + under.get_contrast_text(alpha)
    colour = Color.parse(value)
    return under + colour.with_alpha(colour.a * alpha)


def contrast(a: Color, b: Color) -> float:
    """WCAG 2.2 contrast ratio of two opaque colours."""
    def luminance(c: Color) -> float:
        r, g, b_ = (v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
                    for v in (c.r / 255, c.g / 255, c.b / 255))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def editor_colours(variables: Mapping[str, str]) -> tuple[Color, Color]:
    """(text, background) of the editor: $foreground on $surface (over $background)."""
    background = solid(variables["surface"], Color.parse(variables["background"]))
    return solid(variables["foreground"], background), background


def markdown_theme(variables: Mapping[str, str], name: str = EDITOR_THEME) -> TextAreaTheme:
    """A TextAreaTheme for Markdown from a theme's CSS variables (`App.get_css_variables()`)."""
    foreground, background = editor_colours(variables)
    styles: dict[str, Style] = {}
    for highlight, (variable, flags) in SYNTAX.items():
        colour = _readable(variables, variable, foreground, background)
        styles[highlight] = Style(color=colour.rich_color, **flags)
    styles.update({highlight: Style(**flags) for highlight, flags in PLAIN.items()})
    return TextAreaTheme(
        name=name,
        base_style=Style(color=foreground.rich_color, bgcolor=background.rich_color),
        syntax_styles=styles,
    )


def _readable(variables: Mapping[str, str], variable: str, foreground: Color,
              background: Color) -> Color:
    """The theme's `variable` as painted on the editor, or $foreground if it is missing or
    falls short of WCAG AA there."""
    try:
        colour = solid(variables[variable], background)
    except (KeyError, ColorParseError):
        return foreground
    return foreground if contrast(colour, background) < AA else colour


def captured_style(variables: Mapping[str, str]) -> Style:
    """How the editor marks the lines that came by quick capture (CAPTURED)."""
    foreground, background = editor_colours(variables)
    variable, flags = CAPTURED
    return Style(color=_readable(variables, variable, foreground, background).rich_color,
                 **flags)


def use_app_colours(text_area: TextArea) -> None:
    """(Re)build the Markdown theme from the app's current theme and switch the editor to it."""
    text_area.register_theme(markdown_theme(text_area.app.get_css_variables()))
    text_area.theme = EDITOR_THEME


def follow_app_theme(text_area: TextArea) -> None:
    """Colour `text_area` from the app theme now and whenever the app theme changes.
    Call from the widget's `on_mount`."""
    text_area.watch(text_area.app, "theme", lambda _theme: use_app_colours(text_area),
                    init=True)
