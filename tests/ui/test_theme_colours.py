"""Colours of the built-in themes: WCAG contrast of every text/background pair the UI
paints, heat-map steps, list-cursor visibility, and colour-blind safety of journal-okabe.

The checks read the theme files themselves (tomllib) and let Textual derive its own
variables (`Theme.to_color_system().generate()`), so what is checked is what is shown.
The colour maths (WCAG luminance, CVD simulation, CIELAB, CIEDE2000) is written out here,
independently of the product code, so a bug there cannot hide a bug in a theme.
"""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path

import pytest
from textual.color import Color
from textual.theme import Theme

from journal.ui import themes as themes_mod

REPO = Path(__file__).resolve().parents[2]
THEME_DIR = REPO / "themes"
THEME_FILES = sorted(THEME_DIR.glob("*.toml"))

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
