"""Themes: the loader, WCAG contrast of every built-in, colour-blind safety of journal-okabe,
and no literal colours anywhere in the UI's CSS.

The contrast checks read the theme files themselves (tomllib) and let Textual derive its own
variables (`Theme.to_color_system().generate()`), so what is checked is what is shown.
The colour maths (WCAG luminance, CVD simulation, CIELAB, CIEDE2000) is written out here,
independently of the product code, so a bug there cannot hide a bug in a theme.
"""

from __future__ import annotations

import ast
import math
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from textual._color_constants import COLOR_NAME_TO_RGB
from textual.app import App
from textual.color import Color
from textual.theme import BUILTIN_THEMES as TEXTUAL_THEMES
from textual.theme import Theme

from journal.ui import themes as themes_mod

REPO = Path(__file__).resolve().parents[2]
THEME_DIR = REPO / "themes"
THEME_FILES = sorted(THEME_DIR.glob("*.toml"))
DATA = Path(__file__).parent / "data"
UI_DIR = REPO / "journal" / "ui"

AA = 4.5     # WCAG 2.2 SC 1.4.3, normal-size text
AAA = 7.0    # WCAG 2.2 SC 1.4.6; journal-contrast promises it


# --- WCAG 2.2 relative luminance and contrast ratio -------------------------------------------
# https://www.w3.org/TR/WCAG22/#dfn-relative-luminance and #dfn-contrast-ratio

def _linear(channel_8bit: float) -> float:
    c = channel_8bit / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: Color) -> float:
    r, g, b = (_linear(v) for v in (colour.r, colour.g, colour.b))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Color, b: Color) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_reference_values():
    white, black = Color(255, 255, 255), Color(0, 0, 0)
    assert contrast(white, black) == pytest.approx(21.0)
    assert contrast(white, white) == pytest.approx(1.0)
    # #767676 on white is the well-known lightest grey that passes AA (4.54:1).
    assert contrast(Color.parse("#767676"), white) == pytest.approx(4.54, abs=0.01)
    assert contrast(Color.parse("#777777"), white) < AA


# --- resolving Textual variables as they are painted --------------------------------------------

_ALPHA = re.compile(r"^(?P<colour>.+?)\s+(?P<pct>\d{1,3})%$")


def paint(value: str, under: Color) -> Color:
    """The opaque colour a CSS colour value shows on top of `under` (handles `auto NN%`,
    `<colour> NN%`, 8-digit hex alpha and `transparent`, as Textual renders them)."""
    value = value.strip()
    alpha = 1.0
    match = _ALPHA.match(value)
    if match:
        value, alpha = match["colour"].strip(), int(match["pct"]) / 100
    if value == "auto":
        colour = under.get_contrast_text(alpha)
    else:
        colour = Color.parse(value)
        colour = colour.with_alpha(colour.a * alpha)
    return under + colour


def theme_from_file(path: Path) -> tuple[Theme, str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    description = data.pop("description", "")
    return Theme(**data), description


def painted_variables(theme: Theme) -> dict[str, str]:
    """What App.get_css_variables gives the CSS for this theme."""
    return {**themes_mod.THEME_VARIABLE_DEFAULTS, **theme.to_color_system().generate(),
            **theme.variables}


BASES = ("background", "surface", "panel")
TEXT_ON_BASES = (
    "foreground", "text", "text-muted", "text-disabled",      # body, secondary, placeholders
    "contagion", "concern", "spillover",                      # kind labels and symbols
    "primary", "accent", "error", "warning",                  # our TCSS/markup uses them as text
    "text-primary", "text-accent", "text-secondary",          # Textual labels, quotes
    "text-warning", "text-error", "text-success",             # validation, toasts
    "link-color",
)
MARKDOWN_ON = ("background", "surface")
HEAT = tuple(f"heat-{n}" for n in range(5))
#: What list rows (entry list, options) paint on the cursor row, focused or not.
ON_CURSOR = ("foreground", "text-muted", "contagion", "concern", "spillover")
#: The calendar draws each day's balance mark (◆ ○ = ·) in these colours on its heat cell.
SYMBOLS_ON_HEAT = ("contagion", "concern", "spillover", "text-muted", "foreground")

TEXT, SYMBOL = "text", "symbol"
#: Minimum ratios: text is WCAG SC 1.4.3 (AA 4.5:1); a one-glyph mark whose meaning the
#: shape and the words elsewhere also carry is a graphical object, SC 1.4.11 (3:1).
#: journal-contrast promises a step more: AAA 7:1 for text and 4.5:1 for marks.
MINIMUM = {TEXT: AA, SYMBOL: 3.0}
MINIMUM_BY_THEME = {"journal-contrast": {TEXT: AAA, SYMBOL: AA}}

Pair = tuple[str, str, "str | None", str]


def text_pairs() -> list[Pair]:
    """(text variable, background variable, what that background sits on if translucent, kind).

    Which pairs are real: our TCSS paints text in $foreground/$text/$text-muted and the kind
    colours on $background/$surface/$panel, and inputs on $boost or (focused) $primary 30%;
    day numbers in $foreground on $heat-N cells, with the balance mark beside them;
    Textual's own widgets paint the rest (Footer, Input/TextArea, OptionList cursor,
    Markdown headings, toasts on $panel-lighten-1, buttons)."""
    pairs: list[Pair] = []
    pairs += [(text, base, None, TEXT) for base in BASES for text in TEXT_ON_BASES]
    pairs += [(text, "boost", base, TEXT) for base in BASES
              for text in ("foreground", "text", "text-muted", "accent", "warning")]
    # List rows keep their coloured parts (kind marks, muted dates) under the cursor.
    pairs += [(text, "block-cursor-background", None, TEXT)
              for text in ("block-cursor-foreground", *ON_CURSOR)]
    pairs += [(text, "block-cursor-blurred-background", "surface", TEXT)
              for text in ("block-cursor-blurred-foreground", *ON_CURSOR)]
    pairs += [("foreground", "primary 30%", "surface", TEXT),
              ("foreground", "primary 30%", "panel", TEXT)]
    pairs += [(f"markdown-h{n}-color", base, None, TEXT)
              for base in MARKDOWN_ON for n in range(1, 7)]
    pairs += [("foreground", heat, None, TEXT) for heat in HEAT]
    pairs += [(mark, heat, None, SYMBOL) for heat in HEAT for mark in SYMBOLS_ON_HEAT]
    pairs += [(t, "footer-background", None, TEXT) for t in
              ("footer-foreground", "footer-key-foreground", "footer-description-foreground")]
    pairs += [(t, "panel-lighten-1", None, TEXT) for t in
              ("foreground", "text-success", "text-warning", "text-error")]
    pairs += [
        ("input-selection-foreground", "input-selection-background", "surface", TEXT),
        ("input-cursor-foreground", "input-cursor-background", None, TEXT),
        ("button-foreground", "surface", None, TEXT),
    ]
    pairs += [("button-color-foreground", bg, None, TEXT)
              for bg in ("primary", "error", "success", "warning")]
    return pairs


def _value(variables: dict[str, str], spec: str) -> str:
    """A variable's value; `name NN%` is that variable at NN% alpha, as in TCSS."""
    name, _, alpha = spec.partition(" ")
    return f"{variables[name]} {alpha}" if alpha else variables[name]


def contrast_failures(theme: Theme, minimum: dict[str, float] | None = None) -> list[str]:
    minimum = minimum or MINIMUM_BY_THEME.get(theme.name, MINIMUM)
    variables = painted_variables(theme)
    failures = []
    for text, back, beneath, kind in text_pairs():
        floor = Color.parse(variables[beneath]) if beneath else Color(0, 0, 0)
        background = paint(_value(variables, back), floor)
        shown = paint(variables[text], background)
        ratio = contrast(shown, background)
        if ratio < minimum[kind]:
            failures.append(f"${text} {shown.hex} on ${back} {background.hex}: {ratio:.2f}:1 "
                            f"({kind})")
    return failures


@pytest.mark.parametrize("path", THEME_FILES, ids=lambda p: p.stem)
def test_every_text_pair_reaches_wcag(path: Path):
    theme, _ = theme_from_file(path)
    assert contrast_failures(theme) == []


def test_contrast_check_catches_a_bad_theme():
    theme, _ = theme_from_file(THEME_DIR / "journal-dusk.toml")
    theme.variables = {**theme.variables, "concern": "#3a4a5a", "text-muted": "#555555"}
    failures = contrast_failures(theme)
    assert any(f.startswith("$concern ") for f in failures)
    assert any(f.startswith("$text-muted ") for f in failures)


@pytest.mark.parametrize("path", THEME_FILES, ids=lambda p: p.stem)
def test_heat_steps_read_by_lightness_alone(path: Path):
    """Each heat step stands further from the background than the one before, so the map
    reads without hue (colour blindness, greyscale terminals)."""
    theme, _ = theme_from_file(path)
    variables = painted_variables(theme)
    background = Color.parse(variables["background"])
    ratios = [contrast(Color.parse(variables[h]), background) for h in HEAT]
    steps = [b / a for a, b in zip(ratios, ratios[1:], strict=False)]
    assert all(step >= 1.15 for step in steps), (ratios, steps)


# --- colour-vision-deficiency simulation ---------------------------------------------------------
# Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model for Simulation of Color
# Vision Deficiency", IEEE TVCG 15(6): 1291-1298. Severity 1.0 matrices from the authors' table
# (https://www.inf.ufrgs.br/~oliveira/pubs_files/CVD_Simulation/CVD_Simulation.html), applied
# to linear RGB.
MACHADO_2009 = {
    "protanopia": ((0.152286, 1.052583, -0.204868),
                   (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968),
                     (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779),
                   (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}


def _linear_rgb(colour: Color) -> tuple[float, float, float]:
    return _linear(colour.r), _linear(colour.g), _linear(colour.b)


def simulate(colour: Color, deficiency: str | None) -> tuple[float, float, float]:
    rgb = _linear_rgb(colour)
    if deficiency is None:
        return rgb
    matrix = MACHADO_2009[deficiency]
    return tuple(min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True))))
                 for row in matrix)  # type: ignore[return-value]


def lab(linear_rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    """Linear sRGB -> CIE XYZ (D65, IEC 61966-2-1) -> CIELAB."""
    r, g, b = linear_rgb
    x = 0.4124 * r + 0.3576 * g + 0.1805 * b
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = 0.0193 * r + 0.1192 * g + 0.9505 * b

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x / 0.95047), f(y / 1.0), f(z / 1.08883)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def ciede2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference (kL = kC = kH = 1), after Sharma, Wu & Dalal (2005),
    "The CIEDE2000 color-difference formula: implementation notes ...", Color Res. Appl. 30(1)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp, dcp = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    elif h2p - h1p > 180:
        dhp = h2p - h1p - 360
    else:
        dhp = h2p - h1p + 360
    dhp_big = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    lp_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_bar = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        hp_bar = (h1p + h2p + 360) / 2
    else:
        hp_bar = (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hp_bar - 30))
         + 0.24 * math.cos(math.radians(2 * hp_bar))
         + 0.32 * math.cos(math.radians(3 * hp_bar + 6))
         - 0.20 * math.cos(math.radians(4 * hp_bar - 63)))
    d_theta = 30 * math.exp(-(((hp_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (lp_bar - 50) ** 2 / math.sqrt(20 + (lp_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dlp / s_l) ** 2 + (dcp / s_c) ** 2 + (dhp_big / s_h) ** 2
                     + r_t * (dcp / s_c) * (dhp_big / s_h))


@pytest.mark.parametrize(("lab1", "lab2", "expected"), [
    # Test pairs 1, 7 and 17 of Sharma, Wu & Dalal (2005), table 1.
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
])
def test_ciede2000_reference_values(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_machado_simulation_collapses_red_green():
    """Sanity check of the simulation: pure red and green, far apart for normal vision,
    come much closer under deuteranopia."""
    red, green = Color(200, 40, 40), Color(40, 160, 40)
    normal = ciede2000(lab(simulate(red, None)), lab(simulate(green, None)))
    deutan = ciede2000(lab(simulate(red, "deuteranopia")), lab(simulate(green, "deuteranopia")))
    assert normal > 50
    assert deutan < normal / 2


#: Below ~10 CIEDE2000 units two small text colours start to look alike on a terminal;
#: 20 keeps contagion and concern plainly different (roughly "different colour names").
KIND_DELTA_E = 20.0
SPILLOVER_DELTA_E = 12.0


@pytest.mark.parametrize("deficiency", [None, "protanopia", "deuteranopia", "tritanopia"])
def test_okabe_kinds_stay_distinguishable(deficiency):
    theme, _ = theme_from_file(THEME_DIR / "journal-okabe.toml")
    v = painted_variables(theme)
    seen = {k: lab(simulate(Color.parse(v[k]), deficiency))
            for k in ("contagion", "concern", "spillover")}
    assert ciede2000(seen["contagion"], seen["concern"]) >= KIND_DELTA_E
    if deficiency != "tritanopia":  # spillover (purple) nears orange for tritanopes (~11)
        assert ciede2000(seen["spillover"], seen["contagion"]) >= SPILLOVER_DELTA_E
        assert ciede2000(seen["spillover"], seen["concern"]) >= SPILLOVER_DELTA_E


#: The list cursor must stand out from the list ($surface) by colour difference, since its
#: luminance is held down so that coloured text on the row stays readable (see ON_CURSOR).
CURSOR_DELTA_E = 12.0
BLURRED_CURSOR_DELTA_E = 6.0


@pytest.mark.parametrize("path", THEME_FILES, ids=lambda p: p.stem)
def test_list_cursor_is_visible(path: Path):
    theme, _ = theme_from_file(path)
    v = painted_variables(theme)
    surface = Color.parse(v["surface"])
    focused = paint(v["block-cursor-background"], surface)
    blurred = paint(v["block-cursor-blurred-background"], surface)
    for deficiency in (None, "protanopia", "deuteranopia"):
        seen = [lab(simulate(c, deficiency)) for c in (surface, focused, blurred)]
        assert ciede2000(seen[0], seen[1]) >= CURSOR_DELTA_E, deficiency
        assert ciede2000(seen[0], seen[2]) >= BLURRED_CURSOR_DELTA_E, deficiency
        assert ciede2000(seen[0], seen[1]) > ciede2000(seen[0], seen[2]), deficiency


# --- the files and the loader ---------------------------------------------------------------------

def test_at_least_five_builtins_including_the_required_kinds():
    names = {path.stem for path in THEME_FILES}
    assert {"journal-dusk", "journal-paper", "journal-contrast", "journal-okabe"} <= names
    assert len(names) >= 5
    assert themes_mod.DEFAULT_THEME == "journal-dusk"


@pytest.mark.parametrize("path", THEME_FILES, ids=lambda p: p.stem)
def test_builtin_files_are_complete(path: Path):
    theme, description = theme_from_file(path)
    assert theme.name == path.stem
    assert description and "\n" not in description
    for field in ("primary", "secondary", "accent", "foreground", "background", "surface",
                  "panel", "warning", "error", "success"):
        assert getattr(theme, field), field
    assert set(themes_mod.SEMANTIC_VARIABLES) <= set(theme.variables)


def test_defaults_are_the_default_theme():
    """get_theme_variable_defaults() must agree with journal-dusk (they are its values)."""
    theme, _ = theme_from_file(THEME_DIR / "journal-dusk.toml")
    light, _ = theme_from_file(THEME_DIR / "journal-paper.toml")
    for name in themes_mod.SEMANTIC_VARIABLES:
        assert themes_mod.THEME_VARIABLE_DEFAULTS[name] == theme.variables[name]
        assert themes_mod.LIGHT_VARIABLE_DEFAULTS[name] == light.variables[name]


def test_loads_every_builtin_without_errors():
    themes, errors = themes_mod.load_themes(None)
    assert errors == []
    names = [t.name for t in themes]
    assert names[0] == themes_mod.DEFAULT_THEME
    assert sorted(names) == sorted(p.stem for p in THEME_FILES)
    dusk = themes[0]
    assert dusk.dark is True
    assert dusk.variables["contagion"] == themes_mod.THEME_VARIABLE_DEFAULTS["contagion"]
    assert themes_mod.builtin_dir().resolve() == THEME_DIR.resolve()


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "themes"
    directory.mkdir()
    return directory


def test_user_theme_loads_after_builtins_with_defaults_filled(user_dir: Path):
    shutil.copy(DATA / "sea-glass.toml", user_dir)
    themes, errors = themes_mod.load_themes(user_dir)
    assert errors == []
    names = [t.name for t in themes]
    assert names[-1] == "sea-glass"
    assert names.index("sea-glass") > max(names.index(p.stem) for p in THEME_FILES)
    sea = themes[-1]
    assert sea.dark is False
    assert sea.primary == "#1d6b70"
    assert sea.variables["concern"] == "#1f4f8f"             # its own
    assert sea.variables["spillover"] == themes_mod.LIGHT_VARIABLE_DEFAULTS["spillover"]
    assert themes_mod.theme_descriptions(user_dir)["sea-glass"] == "Pale sea glass, a user theme"
    assert themes_mod.theme_names(user_dir)[0] == themes_mod.DEFAULT_THEME


def test_broken_user_theme_names_file_and_field_and_the_rest_still_load(user_dir: Path):
    shutil.copy(DATA / "broken-colour.toml", user_dir)
    shutil.copy(DATA / "sea-glass.toml", user_dir)
    themes, errors = themes_mod.load_themes(user_dir)
    assert len(errors) == 1
    assert errors[0] == (f"{user_dir / 'broken-colour.toml'}: field 'primary': "
                         "'notacolour' is not a colour")
    names = {t.name for t in themes}
    assert "sea-glass" in names and "broken-colour" not in names
    assert {p.stem for p in THEME_FILES} <= names


@pytest.mark.parametrize(("text", "field"), [
    ('primary = "#123456"\nforeground = "#ffffff"\n', "background"),                 # missing
    ('primary = "#123456"\nforeground = "#fff"\nbackground = "#000"\nprimery = "#1"\n',
     "primery"),                                                                         # typo
    ('primary = "#123456"\nforeground = "#fff"\nbackground = "#000"\ndark = "yes"\n', "dark"),
    ('primary = "#123456"\nforeground = "#fff"\nbackground = "#000"\n[variables]\n'
     'contagion = "orangey"\n', "variables.contagion"),
    ('primary = "#123456"\nforeground = "#fff"\nbackground = "#000"\nname = "Bad Name!"\n',
     "name"),
    ('primary = "#123456"\nforeground = "#fff"\nbackground = "#000"\nname = "journal-dusk"\n',
     "name"),                                                          # would shadow a built-in
    ('primary = "#123456"\nforeground = "#fff"\nbackground = "#000"\nname = "nord"\n', "name"),
    ('primary = "#123456"\nforeground = 12\nbackground = "#000"\n', "foreground"),
])
def test_each_kind_of_mistake_is_named(user_dir: Path, text: str, field: str):
    (user_dir / "mine.toml").write_text(text, encoding="utf-8")
    themes, errors = themes_mod.load_themes(user_dir)
    assert len(errors) == 1
    assert errors[0].startswith(f"{user_dir / 'mine.toml'}: field '{field}': ")
    assert len(themes) == len(THEME_FILES)


def test_invalid_toml_is_reported_not_raised(user_dir: Path):
    (user_dir / "oops.toml").write_text('name = "oops\n', encoding="utf-8")
    (user_dir / "notes.txt").write_text("not a theme", encoding="utf-8")
    themes, errors = themes_mod.load_themes(user_dir)
    assert len(errors) == 1 and errors[0].startswith(f"{user_dir / 'oops.toml'}: not valid TOML")
    assert len(themes) == len(THEME_FILES)


def test_missing_user_dir_is_fine(tmp_path: Path):
    themes, errors = themes_mod.load_themes(tmp_path / "nowhere")
    assert errors == [] and len(themes) == len(THEME_FILES)
    assert not (tmp_path / "nowhere").exists()


def test_user_theme_with_alpha_and_style_variables(user_dir: Path):
    (user_dir / "mine.toml").write_text(
        'primary = "#336699"\nforeground = "#eeeeee"\nbackground = "#101010"\n'
        '[variables]\ntext-muted = "#eeeeee 70%"\nblock-cursor-text-style = "bold"\n',
        encoding="utf-8")
    themes, errors = themes_mod.load_themes(user_dir)
    assert errors == []
    mine = next(t for t in themes if t.name == "mine")
    assert mine.variables["text-muted"] == "#eeeeee 70%"
    assert mine.variables["contagion"] == themes_mod.THEME_VARIABLE_DEFAULTS["contagion"]


class _Probe(App[None]):
    CSS = "Screen { background: $heat-2; color: $contagion; }"

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(themes_mod.THEME_VARIABLE_DEFAULTS)


async def test_register_all_applies_every_theme(user_dir: Path):
    shutil.copy(DATA / "sea-glass.toml", user_dir)
    shutil.copy(DATA / "broken-colour.toml", user_dir)
    app = _Probe()
    errors = themes_mod.register_all(app, user_dir)
    assert len(errors) == 1 and "broken-colour.toml: field 'primary'" in errors[0]
    assert app.theme == themes_mod.DEFAULT_THEME
    available = set(app.available_themes)
    assert available == {p.stem for p in THEME_FILES} | {"sea-glass"}
    assert not available & set(TEXTUAL_THEMES)
    async with app.run_test() as pilot:
        for name in sorted(available):
            app.theme = name
            await pilot.pause()
            theme = app.get_theme(name)
            assert app.screen.styles.background == Color.parse(theme.variables["heat-2"])
            assert app.screen.styles.color == Color.parse(theme.variables["contagion"])


def test_register_all_can_keep_textual_themes(user_dir: Path):
    app = _Probe()
    themes_mod.register_all(app, None, keep_textual_themes=True)
    assert "textual-dark" in app.available_themes
    assert "journal-night" in app.available_themes


# --- no literal colours in the UI's CSS -----------------------------------------------------------

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


# --- `journal themes` -----------------------------------------------------------------------------

def _run_themes(tmp_path: Path, *args: str):
    from click.testing import CliRunner

    from journal.cli import cli
    from journal.cli.runtime import Runtime

    runtime = Runtime(env={"JOURNAL_CONFIG_DIR": str(tmp_path / "config"),
                           "JOURNAL_VAULT": str(tmp_path / "vault")})
    return CliRunner().invoke(cli, [*args, "themes"], obj=runtime)


def test_themes_command_lists_builtins_and_user_themes_marking_the_configured(tmp_path: Path):
    from journal import settings

    config = tmp_path / "config"
    (config / "themes").mkdir(parents=True)
    shutil.copy(DATA / "sea-glass.toml", config / "themes")
    settings.update(config / "settings.toml", theme="sea-glass")
    result = _run_themes(tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    rows = {line[2:].split()[0]: line for line in lines if line[2:].startswith(("journal-", "sea"))}
    assert set(rows) == {p.stem for p in THEME_FILES} | {"sea-glass"}
    assert [name for name, line in rows.items() if line.startswith("*")] == ["sea-glass"]
    assert "Colour-blind-safe" in rows["journal-okabe"] and "built-in" in rows["journal-okabe"]
    assert str(config / "themes" / "sea-glass.toml") in rows["sea-glass"]
    assert list(rows)[0] == "journal-dusk" and list(rows)[-1] == "sea-glass"
    assert result.stderr == ""


def test_themes_command_reports_broken_files_on_stderr(tmp_path: Path):
    config = tmp_path / "config"
    (config / "themes").mkdir(parents=True)
    shutil.copy(DATA / "broken-colour.toml", config / "themes")
    result = _run_themes(tmp_path, "--theme", "nope")
    assert result.exit_code == 0
    assert result.stderr.strip() == (f"journal: theme skipped: {config / 'themes'}/"
                                     "broken-colour.toml: field 'primary': 'notacolour' is not "
                                     "a colour")
    assert "broken-colour" not in result.stdout
    assert "* journal-dusk" in result.stdout          # nothing configured: the default
    assert "--theme nope for this run: not available" in result.stdout
    assert not (tmp_path / "vault").exists()


def test_themes_command_when_configured_theme_is_gone(tmp_path: Path):
    from journal import settings

    settings.update(tmp_path / "config" / "settings.toml", theme="went-away")
    result = _run_themes(tmp_path)
    assert result.exit_code == 0
    assert "'went-away' is not available; the app uses 'journal-dusk' instead" in result.stdout
    assert not any(line.startswith("*") for line in result.stdout.splitlines())


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
