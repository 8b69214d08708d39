"""Themes as data: built-in TOML files from `themes/` plus the user's own from the config dir.

A theme file mirrors `textual.theme.Theme` (name, primary, secondary, accent, foreground,
background, surface, panel, boost, warning, error, success, dark) plus a `description` and a
`[variables]` table for our semantic colours (`contagion`, `concern`, `spillover`,
`heat-0`..`heat-4`) and any Textual variables worth pinning (`text-muted`, ...).

Loading never raises for a bad file: each broken file becomes one error line naming the
file and the field, and that theme is skipped. The schema is described in docs/themes.md.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.color import Color, ColorParseError
from textual.theme import BUILTIN_THEMES as TEXTUAL_THEMES
from textual.theme import Theme

if TYPE_CHECKING:
    from textual.app import App

DEFAULT_THEME = "journal-dusk"

#: Our semantic variables, with the values of journal-dusk (the dark default). Textual uses
#: them for any theme that does not define them (`App.get_theme_variable_defaults`).
#: Where they are used (the contrast tests check exactly these pairings):
#:   contagion / concern / spillover: TEXT colour (kind labels, symbols) on $background,
#:     $surface and $panel;
#:   heat-0 .. heat-4: calendar heat-map cell backgrounds, from "no entry" (0) to the
#:     strongest day (4); day numbers on them are drawn in $foreground.
THEME_VARIABLE_DEFAULTS: dict[str, str] = {
    "contagion": "#e8a06a",
    "concern": "#86b8e0",
    "spillover": "#c9a0dc",
    "heat-0": "#1c2028",
    "heat-1": "#252e40",
    "heat-2": "#2d3a55",
    "heat-3": "#344568",
    "heat-4": "#3b507b",
}

#: Values for a light user theme that leaves our variables out (those of journal-paper).
LIGHT_VARIABLE_DEFAULTS: dict[str, str] = {
    "contagion": "#8c420c",
    "concern": "#1f5f96",
    "spillover": "#7a3f8f",
    "heat-0": "#f5f0e6",
    "heat-1": "#e8dfcc",
    "heat-2": "#ddceb2",
    "heat-3": "#d1be9a",
    "heat-4": "#c6af83",
}

#: Our own variables: every theme ends up with all of them (filled from the defaults).
SEMANTIC_VARIABLES: tuple[str, ...] = tuple(THEME_VARIABLE_DEFAULTS)

COLOUR_FIELDS: tuple[str, ...] = ("primary", "secondary", "accent", "foreground", "background",
                                  "surface", "panel", "boost", "warning", "error", "success")
OTHER_FIELDS: tuple[str, ...] = ("name", "description", "dark", "variables")
REQUIRED_FIELDS: tuple[str, ...] = ("primary", "foreground", "background")

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_VARIABLE = re.compile(r"^[a-z][a-z0-9-]*$")
_ALPHA = re.compile(r"^(?P<colour>.+?)\s+(?P<pct>\d{1,3})%$")


class ThemeFileError(ValueError):
    """One problem in one theme file; `str()` is the one-line message shown to the user."""


@dataclass(frozen=True)
class ThemeInfo:
    """A loaded theme with what `journal themes` and the picker show about it."""

    theme: Theme
    description: str
    source: Path
    builtin: bool

    @property
    def name(self) -> str:
        return self.theme.name


def builtin_dir() -> Path:
    """The packaged `journal/builtin_themes` (wheel) if present, else `<repo>/themes`
    (editable install: the wheel's force-include does not apply to the source tree)."""
    packaged = resources.files("journal") / "builtin_themes"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "themes"


def _display(path: Path, builtin: bool) -> str:
    return f"themes/{path.name}" if builtin else str(path)


def _check_colour(value: Any, where: str) -> str:
    """Accepts what Color.parse accepts, optionally followed by an alpha like `60%`."""
    if not isinstance(value, str):
        raise ThemeFileError(f"{where}: {value!r} is not a colour (write it as a string)")
    text = value.strip()
    match = _ALPHA.match(text)
    if match and int(match["pct"]) <= 100:
        text = match["colour"]
    try:
        Color.parse(text)
    except ColorParseError:
        raise ThemeFileError(f"{where}: {value!r} is not a colour") from None
    return value


def parse_theme(data: dict[str, Any], *, stem: str) -> tuple[Theme, str]:
    """Validate one theme's TOML table; return (Theme, description). Raises ThemeFileError
    naming the first bad field (without the file name; the caller adds it)."""
    unknown = sorted(set(data) - set(COLOUR_FIELDS) - set(OTHER_FIELDS))
    if unknown:
        raise ThemeFileError(f"field {unknown[0]!r}: unknown field (known: "
                             f"{', '.join(OTHER_FIELDS + COLOUR_FIELDS)})")
    name = data.get("name", stem)
    if not isinstance(name, str) or not _NAME.match(name):
        raise ThemeFileError(f"field 'name': {name!r} is not a theme name (lower-case "
                             "letters, digits, '-' and '_', at most 40)")
    description = data.get("description", "")
    if not isinstance(description, str) or "\n" in description.strip():
        raise ThemeFileError("field 'description': must be one line of text")
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ThemeFileError(f"field 'dark': {dark!r} is not true or false")
    for field in REQUIRED_FIELDS:
        if field not in data:
            raise ThemeFileError(f"field {field!r}: missing (required: "
                                 f"{', '.join(REQUIRED_FIELDS)})")
    colours = {field: _check_colour(data[field], f"field {field!r}")
               for field in COLOUR_FIELDS if field in data}
    raw_vars = data.get("variables", {})
    if not isinstance(raw_vars, dict):
        raise ThemeFileError("field 'variables': must be a table ([variables])")
    variables: dict[str, str] = {}
    for key, value in raw_vars.items():
        where = f"field 'variables.{key}'"
        if not _VARIABLE.match(key):
            raise ThemeFileError(f"{where}: not a variable name (lower-case letters, digits, '-')")
        if key.endswith("-style"):  # text styles such as block-cursor-text-style = "bold"
            if not isinstance(value, str):
                raise ThemeFileError(f"{where}: {value!r} is not a text style")
            variables[key] = value
        else:
            variables[key] = _check_colour(value, where)
    fallback = THEME_VARIABLE_DEFAULTS if dark else LIGHT_VARIABLE_DEFAULTS
    variables = {**fallback, **variables}
    return Theme(name=name, dark=dark, variables=variables, **colours), description.strip()


def load_file(path: Path, *, builtin: bool = False) -> ThemeInfo:
    """Load one theme file; raises ThemeFileError("<file>: field '<f>': ...")."""
    shown = _display(path, builtin)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ThemeFileError(f"{shown}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ThemeFileError(f"{shown}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ThemeFileError(f"{shown}: not valid TOML ({exc})") from None
    try:
        theme, description = parse_theme(data, stem=path.stem)
    except ThemeFileError as exc:
        raise ThemeFileError(f"{shown}: {exc}") from None
    return ThemeInfo(theme=theme, description=description, source=path, builtin=builtin)


def _files(directory: Path | None) -> list[Path]:
    if directory is None:
        return []
    try:
        return sorted(p for p in directory.glob("*.toml") if p.is_file())
    except OSError:
        return []


def load_theme_infos(user_dir: Path | None) -> tuple[list[ThemeInfo], list[str]]:
    """Built-ins (sorted by file name, the default first), then the user's themes.

    A user theme may not reuse a built-in's name (the built-ins are the checked, always
    available fallbacks) nor an earlier user theme's name: that file is reported and skipped.
    """
    infos: list[ThemeInfo] = []
    errors: list[str] = []
    seen: dict[str, ThemeInfo] = {}
    for builtin, files in ((True, _files(builtin_dir())), (False, _files(user_dir))):
        for path in files:
            try:
                info = load_file(path, builtin=builtin)
            except ThemeFileError as exc:
                errors.append(str(exc))
                continue
            clash = seen.get(info.name)
            if clash is None and info.name in TEXTUAL_THEMES:
                errors.append(f"{_display(path, builtin)}: field 'name': {info.name!r} is the "
                              "name of one of Textual's themes; pick another name")
                continue
            if clash is not None:
                what = "a built-in theme" if clash.builtin else f"already used by {clash.source}"
                errors.append(f"{_display(path, builtin)}: field 'name': {info.name!r} is "
                              f"{what}; pick another name")
                continue
            seen[info.name] = info
            infos.append(info)
    infos.sort(key=lambda i: (not i.builtin, i.name != DEFAULT_THEME))
    return infos, errors


def load_themes(user_dir: Path | None) -> tuple[list[Theme], list[str]]:
    """(themes, errors): the built-ins then the user's themes; one error line per bad file."""
    infos, errors = load_theme_infos(user_dir)
    return [info.theme for info in infos], errors


def theme_names(user_dir: Path | None) -> list[str]:
    """Names of every loadable theme, the default first, built-ins before user themes."""
    return [info.name for info in load_theme_infos(user_dir)[0]]


def theme_descriptions(user_dir: Path | None) -> dict[str, str]:
    """Name -> one-line description (empty if the file has none), in theme_names order."""
    return {info.name: info.description for info in load_theme_infos(user_dir)[0]}


def register_all(app: App[Any], user_dir: Path | None, *,
                 keep_textual_themes: bool = False) -> list[str]:
    """Register every built-in and user theme on `app`; return the error lines.

    Unless `keep_textual_themes`, Textual's own themes are unregistered so that every theme
    offered (picker, command palette) defines our variables and has been contrast-checked.
    If the app's current theme is not one of ours it is switched to DEFAULT_THEME first
    (Textual needs the active theme registered). Call this before setting `app.theme` to
    the configured name; if that name is missing (or its file broken), keep the default.
    """
    themes, errors = load_themes(user_dir)
    for theme in themes:
        app.register_theme(theme)
    ours = {theme.name for theme in themes}
    if not keep_textual_themes and DEFAULT_THEME in ours:
        if app.theme not in ours:
            app.theme = DEFAULT_THEME
        for name in list(app.available_themes):
            if name in TEXTUAL_THEMES and name not in ours:
                app.unregister_theme(name)
    return errors
