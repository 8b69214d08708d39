"""Themes as files: the built-ins, the loader (user themes, broken files named by file and
field), registering them on an app, and `journal themes`. Colours: test_theme_colours.py."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from textual.app import App
from textual.color import Color
from textual.theme import BUILTIN_THEMES as TEXTUAL_THEMES
from textual.theme import Theme

from journal.ui import themes as themes_mod

REPO = Path(__file__).resolve().parents[2]
THEME_DIR = REPO / "themes"
THEME_FILES = sorted(THEME_DIR.glob("*.toml"))
DATA = Path(__file__).parent / "data"


def theme_from_file(path: Path) -> tuple[Theme, str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    description = data.pop("description", "")
    return Theme(**data), description


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


def test_builtin_dir_prefers_the_packaged_copy(tmp_path: Path, monkeypatch):
    """In a wheel, themes/ is force-included as journal/builtin_themes (pyproject)."""
    packaged = tmp_path / "journal"
    (packaged / "builtin_themes").mkdir(parents=True)
    shutil.copy(THEME_DIR / "journal-dusk.toml", packaged / "builtin_themes")
    monkeypatch.setattr(themes_mod.resources, "files", lambda package: packaged)
    assert themes_mod.builtin_dir() == packaged / "builtin_themes"
    assert themes_mod.theme_names(None) == ["journal-dusk"]
